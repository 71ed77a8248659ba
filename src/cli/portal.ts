import type { Command } from 'commander';
import { EnvironmentError, UsageError } from '../contracts/errors.js';
import { expectedWords } from '../contracts/issues.js';
import { FlagError, isZodError, parsePortalArgs } from '../../mock-portal/src/cli-args.js';
import { startPortal } from '../../mock-portal/src/main.js';
import { createCpuCgroup, parseCpuShare } from '../run/cgroup.js';

interface PortalFlags {
  port?: string; mode?: string; db?: string; testMode?: boolean; clock?: string; clockSpeed?: string; adminToken?: string;
  dbQueryMs?: string; poolSize?: string; cpuMs?: string; gatewayMs?: string; admitRate?: string; acceptPerHour?: string; durability?: string;
  faultLatencyMs?: string; faultErrorRate?: string; faultDbStallMs?: string;
}

type PortalCommandFlags = PortalFlags & { instances?: string; cpuShare?: number };

const FLAG_OF: Record<keyof PortalFlags, string> = {
  port: '--port', mode: '--mode', db: '--db', testMode: '--test-mode', clock: '--clock', clockSpeed: '--clock-speed',
  adminToken: '--admin-token', dbQueryMs: '--db-query-ms', poolSize: '--pool-size', cpuMs: '--cpu-ms', gatewayMs: '--gateway-ms',
  admitRate: '--admit-rate', acceptPerHour: '--accept-per-hour', durability: '--durability',
  faultLatencyMs: '--fault-latency-ms', faultErrorRate: '--fault-error-rate', faultDbStallMs: '--fault-db-stall-ms',
};

/** commander's parsed flags back to the portal's own argv form (one parser, shared with main.js). */
export function toPortalArgv(o: PortalFlags): string[] {
  const argv: string[] = [];
  for (const [k, flag] of Object.entries(FLAG_OF) as Array<[keyof PortalFlags, string]>) {
    const v = o[k];
    if (v === undefined || v === false) continue;
    if (v === true) argv.push(flag);
    else argv.push(flag, v);
  }
  return argv;
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
  // the instances' own flags: every flag but those the fleet sets for each (port, db, mode, clock, token, test mode)
  const { port: _p, db: _d, mode: _m, clock: _c, clockSpeed: _s, adminToken: _a, testMode: _t, instances: _i, cpuShare, ...own } = o;
  const fleet = await startPortalFleet({
    instances: n, ...(cpuShare !== undefined ? { cpuShare } : {}), dbFile: args.config.db ?? 'portal.db', port: args.port, mode: args.config.mode ?? 'resilient', clock: args.config.clock, clockSpeed: args.config.clockSpeed,
    adminToken: token, testMode: args.config.testMode, extraArgs: toPortalArgv(own),
  });
  process.stdout.write(`${fleet.url}\n`);
  process.stdout.write(`portal fleet: ${n} instances over ${args.config.db} (${fleet.instances.map((p) => p.url).join(', ')}), round robin by connection${cpuShare !== undefined ? `, each under ${cpuShare} of a core` : ''}${args.config.adminToken ? '' : `; admin token ${token}`}\n`);
  await new Promise<void>((resolve) => {
    const stop = (): void => { void fleet.stop().then(resolve); };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
}

/** `capacity-test portal`: the reference portal alone; URL on the first line of stdout. */
export function registerPortal(program: Command): void {
  program.command('portal')
    .description('run the reference booking portal alone (port 0 = any free port); prints its URL on the first line')
    .option('--port <P>', 'port on 127.0.0.1 (0 = any free port)', '8080')
    .option('--mode <M>', 'as-built | resilient', 'resilient')
    .option('--db <FILE>', "SQLite file (':memory:' keeps nothing)", 'portal.db')
    .option('--test-mode', 'put OTPs in the X-Test-Otp header (never for real users)')
    .option('--clock <HH:MM>', 'simulated start of day', '10:00')
    .option('--clock-speed <N>', 'simulated seconds per real second', '1')
    .option('--admin-token <T>', 'bearer token for /admin/* (default: PORTAL_ADMIN_TOKEN)')
    .option('--db-query-ms <MS>', 'capacity model: simulated DB time per query')
    .option('--pool-size <N>', 'capacity model: DB connection pool size')
    .option('--cpu-ms <MS>', 'capacity model: synchronous CPU per request')
    .option('--gateway-ms <MS>', 'capacity model: payment gateway latency')
    .option('--admit-rate <R>', 'waiting-room admissions per second (resilient)')
    .option('--accept-per-hour <N>', 'orders a shop accepts per simulated hour')
    .option('--fault-latency-ms <MS>', 'injected latency on every API request')
    .option('--fault-error-rate <R>', 'injected 503s on writes, 0–1')
    .option('--fault-db-stall-ms <MS>', 'injected DB stall per query')
    .option('--durability <D>', 'group-commit (fsync of the WAL before each acknowledgement, batched) | full')
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
      });
    });
}
