import type { Command } from 'commander';
import { EnvironmentError, UsageError } from '../contracts/errors.js';
import { expectedWords } from '../contracts/issues.js';
import { FlagError, isZodError, parsePortalArgs } from '../../mock-portal/src/cli-args.js';
import { startPortal, stopWhenStdinEnds } from '../../mock-portal/src/main.js';
import { createCpuCgroup, parseCpuShare } from '../run/cgroup.js';
import { PORTAL_FLAGS, portalArgv, type PortalFlag, type PortalFlagValues } from '../../mock-portal/src/flags.js';

type PortalCommandFlags = PortalFlagValues & { instances?: string; cpuShare?: number };

/** commander's parsed flags back to the portal's own argv form (one parser, shared with main.js). */
export function toPortalArgv(o: PortalFlagValues): string[] {
  return portalArgv(o);
}

/** The portal's own flag parser, its refusals as usage errors (exit 2). */
function portalArgsOf(o: PortalCommandFlags): ReturnType<typeof parsePortalArgs> {
  try {
    return parsePortalArgs(toPortalArgv(o));
  } catch (err) {
    if (err instanceof FlagError) throw new UsageError(err.message);
    throw err;
  }
}

/** `portal --instances N`: the fleet (src/run/portal-fleet.ts); the front's URL on the first line. */
async function portalFleet(o: PortalCommandFlags): Promise<void> {
  const n = Number(o.instances);
  if (!/^\d+$/.test(o.instances ?? '') || n < 1 || n > 64) throw new UsageError(`invalid --instances: expected an integer from 1 to 64, got ${JSON.stringify(o.instances)}`);
  const args = portalArgsOf(o);
  const { startPortalFleet } = await import('../run/portal-fleet.js');
  // every instance needs the same admin token (reconcile from any of them): one is made when none is given
  const token = args.config.adminToken ?? (await import('node:crypto')).randomUUID();
  // the instances' own flags: every flag but those the fleet sets for each (port, host, db, mode, clock, token, test mode);
  // the instances listen on 127.0.0.1, the front on --host
  const { port: _p, host: _h, db: _d, mode: _m, clock: _c, clockSpeed: _s, adminToken: _a, testMode: _t, stopOnStdinEnd: _e, instances: _i, cpuShare, ...own } = o;
  const fleet = await startPortalFleet({
    instances: n, ...(cpuShare !== undefined ? { cpuShare } : {}), dbFile: args.config.db ?? 'portal.db', port: args.port, mode: args.config.mode ?? 'resilient', clock: args.config.clock, clockSpeed: args.config.clockSpeed,
    adminToken: token, testMode: args.config.testMode, flags: own, host: args.host,
  });
  process.stdout.write(`${fleet.url}\n`);
  process.stdout.write(`portal fleet: ${n} instances over ${args.config.db} (${fleet.instances.map((p) => p.url).join(', ')}), round robin by connection${cpuShare !== undefined ? `, each under ${cpuShare} of a core` : ''}${args.config.adminToken ? '' : `; admin token ${token}`}\n`);
  await new Promise<void>((resolve) => {
    const stop = (): void => { void fleet.stop().then(resolve); };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
    if (args.stopOnStdinEnd) stopWhenStdinEnds(stop);
  });
}

/** `capacity-test portal`: the reference portal alone; URL on the first line of stdout. */
export function registerPortal(program: Command): void {
  const cmd = program.command('portal')
    .description('run the reference booking portal alone (port 0 = any free port); prints its URL on the first line');
  // every flag of the portal's own table (mock-portal/src/flags.ts); its defaults are the parser's, shown here
  for (const f of PORTAL_FLAGS as readonly PortalFlag[]) {
    cmd.option(`--${f.name}${f.arg ? ` <${f.arg}>` : ''}`, f.help + (f.default !== undefined ? ` (default: ${f.default})` : ''));
  }
  cmd
    .option('--instances <N>', 'N portal processes over the one --db file (WAL) behind a round-robin front on --port')
    .option('--cpu-share <S>', 'run each portal process in its own cgroup with a CPU quota of S of one core, e.g. 0.5 (root)', (v: string) => parseCpuShare(v))
    .action(async (o: PortalCommandFlags) => {
      if (o.instances !== undefined && o.instances !== '1') return portalFleet(o);
      const { cpuShare, ...portalFlags } = o;
      const args = portalArgsOf(portalFlags);
      // the portal is this process: it joins its cgroup itself, and leaves it before the cgroup is removed
      const cgroup = cpuShare !== undefined ? createCpuCgroup(cpuShare) : undefined;
      const leave = (): void => cgroup?.release(process.pid);
      process.once('exit', leave);
      cgroup?.add(process.pid);
      let running;
      try {
        running = await startPortal(args, (l) => process.stdout.write(`${l}\n`));
      } catch (err) {
        leave();
        const e = err as NodeJS.ErrnoException;
        if (e.code === 'EADDRINUSE' || e.code === 'EACCES') throw new EnvironmentError(`port ${args.port} on ${args.host} is not available (${e.code})`);
        if (e.code === 'PORTAL_DB_OPEN') throw new EnvironmentError(e.message);
        if (isZodError(err)) throw new UsageError(`invalid ${err.issues[0].path.join('.')}: expected ${expectedWords(err.issues[0])}`);
        throw err;
      }
      process.stdout.write(`${running.url}\n`);
      const c = running.portal.config;
      process.stdout.write(`portal ${c.mode} · db ${c.db} · clock ${c.clock} ×${c.clockSpeed}${c.testMode ? ' · test mode' : ''}${cgroup ? ` · ${cpuShare} of a core (cgroup v${cgroup.version} ${cgroup.dirs[0]})` : ''}\n`);
      await new Promise<void>((resolve) => {
        const stop = (): void => { void running.stop().then(() => { leave(); resolve(); }); };
        process.once('SIGTERM', stop);
        process.once('SIGINT', stop);
        if (args.stopOnStdinEnd) stopWhenStdinEnds(stop);
      });
    });
}
