/**
 * `capacity-test k8s --local`: the Kubernetes test run for real on this machine. The manifests are
 * written as for a cluster; the ConfigMap's files are laid out as a pod sees them under /scenario;
 * then the runners Job's own container command runs once per index, each in its own network namespace
 * with its own address (src/run/netns.ts), with JOB_COMPLETION_INDEX and the downward-API variables
 * set as Kubernetes sets them; then the merge Job's command merges and gates. Only the paths differ:
 * /results/<test> is DIR, /scenario is DIR/scenario, /app is this installation.
 *
 * A target on 127.0.0.1 or localhost (an --env value) is reached through the hub's bridge address:
 * a forwarder in the hub namespace hands connections over a Unix socket to the host, which connects
 * to the target on loopback (src/run/forwarder.ts). Namespaces, bridge and forwarders are removed at
 * the end, on failure and on Ctrl-C.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import type { Server } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ExitCode } from '../contracts/errors.js';
import { buildManifests, objectNames, POD_PATHS, resultsDir, type K8sPlan, type Manifests } from './manifests.js';
import { materialiseScenario, writeManifests } from './prepare.js';
import { cliPath } from '../run/built.js';
import { startNamespaceForwarder, startUnixRelay, type NamespaceForwarder } from '../run/forwarder.js';
import { createLab, requireNetnsPrivileges, type NetnsLab } from '../run/netns.js';

export interface LocalRunOptions {
  outDir: string;
  parallelism: number;
  env: Record<string, string>;
  startDelayMs: number;
  /** the plan for these env values and start (the same function the cluster path uses) */
  makePlan: (env: Record<string, string>, startAtMs: number) => K8sPlan;
  write?: (s: string) => void;
  /** each runner's process once started (tests kill one) */
  onRunnerStarted?: (index: number, child: ChildProcess) => void;
}

export interface LocalRunResult {
  plan: K8sPlan;
  manifests: Manifests;
  runnerExitCodes: Array<number | null>;
  runnerSignals: Array<NodeJS.Signals | null>;
  /** the merge Job's command's exit code: 0 gate passed, 1 failed */
  mergeExitCode: number;
  mergedDir: string;
  hosts: Array<{ ns: string; ip: string }>;
}

/** URL values on 127.0.0.1 / localhost, by host:port, and the env with them moved to `via`. */
export function loopbackTargets(env: Record<string, string>): Array<{ key: string; url: URL }> {
  const out: Array<{ key: string; url: URL }> = [];
  for (const [key, value] of Object.entries(env)) {
    let url: URL;
    try { url = new URL(value); } catch { continue; }
    if (!/^https?:$/.test(url.protocol)) continue;
    if (url.hostname === '127.0.0.1' || url.hostname === 'localhost') out.push({ key, url });
  }
  return out;
}

function portOf(url: URL): number {
  return url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
}

/** A pod's command line as it runs here: the pod's paths moved to this machine's. */
export function localArgs(args: readonly string[], plan: K8sPlan, outDir: string): string[] {
  const map: Array<[string, string]> = [
    [resultsDir(plan.name), outDir],
    [POD_PATHS.scenario, join(outDir, 'scenario')],
    [POD_PATHS.cli, cliPath()],
  ];
  return args.map((a) => {
    for (const [from, to] of map) if (a === from || a.startsWith(from + '/')) return to + a.slice(from.length);
    return a;
  });
}

/** The command and args of a Job's one container. */
function containerArgs(job: Record<string, unknown>): string[] {
  const c = ((job.spec as { template: { spec: { containers: Array<{ command: string[]; args: string[] }> } } }).template.spec.containers[0]);
  return [...c.command, ...c.args];
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((r) => child.once('exit', (code, signal) => r({ code, signal })));
}

export async function runLocal(o: LocalRunOptions): Promise<LocalRunResult> {
  requireNetnsPrivileges('capacity-test k8s --local');
  const write = o.write ?? ((s: string) => process.stdout.write(s));
  const outDir = resolve(o.outDir);
  mkdirSync(join(outDir, 'logs'), { recursive: true });
  const children: ChildProcess[] = [];
  const forwarders: NamespaceForwarder[] = [];
  const relays: Server[] = [];
  let lab: NetnsLab | undefined;
  let interrupts = 0;
  const cleanUp = () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    for (const f of forwarders) f.stop();
    for (const r of relays) r.close();
    lab?.destroy();
  };
  const onSignal = () => {
    interrupts += 1;
    if (interrupts === 1) {
      write('\nstopping the runners (partial results kept); Ctrl-C again stops at once\n');
      for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
    } else {
      cleanUp();
      process.exit(ExitCode.aborted);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    lab = createLab(o.parallelism);
    // targets on loopback: one forwarder each, on the hub's bridge address
    const env = { ...o.env };
    const byHostPort = new Map<string, string>();
    for (const { key, url } of loopbackTargets(o.env)) {
      const hp = `${url.hostname}:${portOf(url)}`;
      let via = byHostPort.get(hp);
      if (!via) {
        const sock = join(tmpdir(), `${lab.prefix}${byHostPort.size}.sock`);
        relays.push(await startUnixRelay(sock, url.hostname === 'localhost' ? '127.0.0.1' : url.hostname, portOf(url)));
        const f = await startNamespaceForwarder(lab.hub.ns, lab.hub.ip, sock);
        forwarders.push(f);
        via = `${lab.hub.ip}:${f.port}`;
        byHostPort.set(hp, via);
        write(`target ${url.origin} reached from the runners as http://${via} (forwarder in ${lab.hub.ns}, over ${sock})\n`);
      }
      const moved = new URL(url.href);
      moved.host = via;
      // keep the value's own form: a bare origin stays without a trailing slash
      env[key] = o.env[key].endsWith('/') || url.pathname !== '/' ? moved.href : moved.href.replace(/\/$/, '');
    }
    const startAtMs = Date.now() + o.startDelayMs;
    const plan = o.makePlan(env, startAtMs);
    const manifests = buildManifests(plan);
    writeManifests(join(outDir, 'manifests'), manifests);
    materialiseScenario(join(outDir, 'scenario'), plan.files);

    const runnerArgs = localArgs(containerArgs(manifests.runners), plan, outDir);
    const names = objectNames(plan.name);
    const runs = lab.runners.map((host, i) => {
      const log = createWriteStream(join(outDir, 'logs', `runner-${i}.log`));
      // `ip netns exec` executes node in place: the child's pid is the runner's
      const child = spawn('ip', ['netns', 'exec', host.ns, process.execPath, ...runnerArgs.slice(1)], {
        stdio: ['ignore', 'pipe', 'pipe'], detached: true,
        env: { ...process.env, JOB_COMPLETION_INDEX: String(i), POD_NAME: `${names.runners}-${i}`, POD_IP: host.ip, NODE_NAME: hostname() },
      });
      child.stdout!.pipe(log, { end: false });
      child.stderr!.pipe(log, { end: false });
      children.push(child);
      write(`runner ${i + 1}/${o.parallelism} in ${host.ns} (${host.ip}), pid ${child.pid}\n`);
      o.onRunnerStarted?.(i, child);
      return exited(child).then((r) => { log.end(); return r; });
    });
    const results = await Promise.all(runs);

    // the merge Job's command; every runner has exited, so there is nothing to wait for
    const all = localArgs(containerArgs(manifests.merge), plan, outDir);
    const w = all.indexOf('--wait-until');
    const mergeArgs = w >= 0 ? [...all.slice(0, w), ...all.slice(w + 2)] : all;
    const mergeLog = createWriteStream(join(outDir, 'logs', 'merge.log'));
    const merge = spawn(process.execPath, mergeArgs.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(merge);
    merge.stdout!.on('data', (b: Buffer) => { write(b.toString()); mergeLog.write(b); });
    merge.stderr!.on('data', (b: Buffer) => { write(b.toString()); mergeLog.write(b); });
    const m = await exited(merge);
    mergeLog.end();
    return {
      plan, manifests, hosts: lab.runners,
      runnerExitCodes: results.map((r) => r.code), runnerSignals: results.map((r) => r.signal),
      mergeExitCode: m.code ?? ExitCode.aborted, mergedDir: join(outDir, 'merged'),
    };
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    cleanUp();
  }
}
