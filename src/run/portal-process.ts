import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { EnvironmentError } from '../contracts/errors.js';
import { builtModule } from './built.js';
import { createCpuCgroup, removeCgroupLater, type CpuCgroup } from './cgroup.js';
import { portalArgv, type PortalFlagValues } from '../../mock-portal/src/flags.js';

export interface PortalProcessOptions {
  mode: string;
  clock?: string;
  clockSpeed?: number;
  adminToken: string;
  dbFile?: string;
  /** put OTPs in X-Test-Otp (default true: load tests log in with them) */
  testMode?: boolean;
  /** more of the portal's own flags, by key (`{ dbQueryMs: 5 }`; table: mock-portal/src/flags.ts) */
  flags?: PortalFlagValues;
  /** pin the portal to this CPU core (taskset) so it never competes with the generator */
  core?: number;
  /** run the portal in its own cgroup with a CPU quota of this share of one core (src/run/cgroup.ts; root) */
  cpuShare?: number;
  /** listen on this port (a portal restarted where the load already goes); default 0, any free port */
  port?: number;
  logFile?: NodeJS.WritableStream;
  startTimeoutMs?: number;
}

export interface PortalProcess {
  url: string;
  child: ChildProcess;
  /** its cgroup when started with cpuShare: the quota and the kernel's accounting of what it used */
  cgroup?: CpuCgroup;
  stop(): Promise<void>;
}

// the built portal, from dist/ (or, when this module runs from its TypeScript source in tests, dist/ all the same)
const PORTAL_MAIN = builtModule('mock-portal/src/main.js');

function hasTaskset(): boolean {
  return spawnSync('taskset', ['-V'], { stdio: 'ignore' }).status === 0;
}

/**
 * Start the reference portal in its own process (its own core when taskset exists) and wait for the
 * URL it prints on its first line.
 */
export async function startPortalProcess(o: PortalProcessOptions): Promise<PortalProcess> {
  const args = [PORTAL_MAIN, ...portalArgv({
    ...o.flags, port: o.port ?? 0, mode: o.mode, testMode: o.testMode !== false, adminToken: o.adminToken,
    clock: o.clock, clockSpeed: o.clockSpeed || undefined, db: o.dbFile, stopOnStdinEnd: true,
  })];
  const pinned = o.core !== undefined && hasTaskset();
  const [bare, bareArgv] = pinned ? ['taskset', ['-c', String(o.core), process.execPath, ...args]] : [process.execPath, args];
  // the cgroup is joined before exec: the portal never runs an instruction outside its quota
  const cgroup = o.cpuShare !== undefined ? createCpuCgroup(o.cpuShare) : undefined;
  const [cmd, argv] = cgroup ? cgroup.wrap(bare, bareArgv) : [bare, bareArgv];
  // Its own process group (detached): a Ctrl-C in the terminal reaches the CLI, which stops the portal
  // after the load has drained, instead of killing the target in the middle of the run.
  // Its stdin is a pipe this process never writes to: if this process dies, even by SIGKILL, the pipe
  // closes and the portal stops itself (--stop-on-stdin-end), rather than live on in its own group.
  const child = spawn(cmd, argv, { stdio: ['pipe', 'pipe', 'pipe'], detached: true, env: { ...process.env, PORTAL_ADMIN_TOKEN: o.adminToken } });
  child.stdin!.on('error', () => {}); // the portal gone first: nothing to tell it
  // If the CLI exits at once (a second Ctrl-C, process.exit), the portal goes with it: never an orphan.
  const killOnExit = (): void => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    if (cgroup) removeCgroupLater(cgroup.dirs);
  };
  process.on('exit', killOnExit);
  // its cgroup goes with it: read the cgroup's accounting before stop()
  child.once('exit', () => { process.off('exit', killOnExit); cgroup?.remove(); });
  if (o.logFile) child.stderr!.pipe(o.logFile);
  else child.stderr!.resume();

  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new EnvironmentError(`the reference portal did not start within ${(o.startTimeoutMs ?? 20_000) / 1000} s`));
    }, o.startTimeoutMs ?? 20_000);
    lines.once('line', (line) => {
      clearTimeout(timer);
      const m = /https?:\/\/\S+/.exec(line);
      if (m) resolve(m[0].replace(/\/$/, ''));
      else reject(new EnvironmentError(`the reference portal printed no URL on its first line: ${JSON.stringify(line)}`));
      // keep draining its log so it never blocks on a full pipe
      lines.on('line', (l) => o.logFile?.write(l + '\n'));
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (cgroup && code === 125) reject(new EnvironmentError(`--cpu-share: the reference portal could not join its cgroup ${cgroup.dirs[0]} (writing cgroup.procs failed)`));
      else reject(new EnvironmentError(`the reference portal exited before it was ready (code ${code}, signal ${signal})`));
    });
  });

  return {
    url,
    child,
    ...(cgroup ? { cgroup } : {}),
    stop: () => new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const force = setTimeout(() => child.kill('SIGKILL'), 5000);
      child.once('exit', () => { clearTimeout(force); resolve(); });
      child.kill('SIGTERM');
    }),
  };
}
