/**
 * The load engine's public API: bundle a scenario, run it on worker threads from one common start,
 * merge their 1-second windows as they come, watch the generator's own health, evaluate thresholds.
 */
import { availableParallelism } from 'node:os';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { AbortedError, EnvironmentError, UsageError, invalid } from '../config/errors.js';
import { mergeWindows, MetricsQuery, SeriesTotals, WindowRecorder, type EncodedWindow } from '../metrics/index.js';
import { SCENARIO_DIR_KEY } from '../scenario-api/index.js';
import type { Options } from '../scenario-api/types.js';
import { scenarioBundle } from './bundle.js';
import { resolveOptions, type ResolvedOptions } from './options.js';
import { warmUpPlan } from './plan.js';
import { formatProgress, ProgressTracker, type ProgressSnapshot } from './progress.js';
import { locateError, type IterationError } from './runtime.js';
import { evaluateThresholds, parseThresholds, type ThresholdDef, type ThresholdsInput } from './thresholds/index.js';
import { ThresholdMonitor } from './thresholds/monitor.js';
import type { LifecycleResult, MainMessage, ScenarioModule, WorkerInit, WorkerMessage } from './worker-main.js';

export type { ProgressSnapshot } from './progress.js';
export type { ResolvedOptions, ResolvedScenario } from './options.js';

export interface EngineRunOptions {
  scenarioFile: string;
  env: Record<string, string>;
  /** worker threads; default: the cores not reserved (for an embedded portal, say) */
  workers?: number;
  reservedCores?: number;
  /** --segment i/n, 1-based i */
  segment?: { index: number; count: number };
  /** epoch ms for a common start across hosts */
  startAt?: number;
  quiet?: boolean;
  signal?: AbortSignal;
  /** once per second */
  onProgress?: (p: ProgressSnapshot) => void;
  /** merged finished seconds, as they come */
  onWindows?: (w: EncodedWindow[]) => void;
  /**
   * Keep every merged window for `result.windows` (default true). A caller that writes windows as they
   * come (run-scenario) passes false, so a run of hours holds only whole-run totals in memory.
   */
  retainWindows?: boolean;
  /** once the common start is known, before the workers start */
  onStart?: (info: { startedAtMs: number; plannedDurationSeconds: number; workers: number; options: Options }) => void;
  /** where progress lines go (stderr by default) */
  log?: NodeJS.WritableStream & { isTTY?: boolean };
}

export interface EngineResult {
  startedAtMs: number;
  endedAtMs: number;
  plannedDurationSeconds: number;
  /** resolved: k6 shortcuts expanded into scenarios */
  options: Options;
  /** every merged window, or [] when `retainWindows` was false */
  windows: EncodedWindow[];
  /** whole-run totals of every series: headline figures and thresholds without the windows */
  totals: SeriesTotals;
  thresholds: { pass: boolean; checks: Array<{ name: string; threshold: string; value: number | null; pass: boolean }> };
  aborted: boolean;
  abortReason: string | null;
  iterationErrors: Array<{ message: string; location: string | null; count: number }>;
  /** seconds where the generator could not keep the plan */
  saturatedSeconds: number[];
  /** the same seconds with the rule that fired (cause 'dropped' with a low lag points at a slow target) */
  saturation: Array<{ second: number; cause: 'lag' | 'dropped'; reason: string }>;
  workers: number;
  segment: string | null;
}

interface BundleExports {
  scenario: ScenarioModule;
  runLifecycle: (mod: ScenarioModule, which: 'setup' | 'teardown', o: { env: Record<string, string>; startAt: number; data: unknown; connectionsPerOrigin: number; maxRedirects: number; timeoutMs: number }) => Promise<LifecycleResult>;
}

/** A request queued this long for a connection inside the generator is worth a warning. */
const BLOCKED_WARN_MS = 100;
/** On Ctrl-C: iterations in flight may finish within this. */
const INTERRUPT_GRACE_MS = 2000;

function processEnv(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) out[k] = v;
  return out;
}

async function loadScenario(o: EngineRunOptions, bundlePath: string, env: Record<string, string>): Promise<BundleExports> {
  const g = globalThis as Record<string | symbol, unknown>;
  g.__ENV = env;
  g[SCENARIO_DIR_KEY] = dirname(resolve(o.scenarioFile));
  try {
    return (await import(pathToFileURL(bundlePath).href)) as BundleExports;
  } catch (err) {
    const e = err as Error;
    const where = locateError(e.stack);
    throw new UsageError(`invalid scenario ${o.scenarioFile}: its init code threw: ${e.message}${where ? ` (at ${where})` : ''}`);
  }
}

function mergeErrors(lists: IterationError[][]): IterationError[] {
  const map = new Map<string, IterationError>();
  for (const list of lists) for (const e of list) {
    const key = `${e.message}\u0000${e.location}`;
    const known = map.get(key);
    if (known) known.count += e.count;
    else map.set(key, { ...e });
  }
  return [...map.values()].sort((a, b) => b.count - a.count);
}

export async function runEngine(o: EngineRunOptions): Promise<EngineResult> {
  const workers = o.workers ?? Math.max(1, availableParallelism() - (o.reservedCores ?? 0));
  if (!Number.isInteger(workers) || workers < 1 || workers > 256) throw invalid('--workers', 'an integer from 1 to 256', o.workers);
  const seg = o.segment ?? { index: 1, count: 1 };
  if (!Number.isInteger(seg.count) || seg.count < 1 || !Number.isInteger(seg.index) || seg.index < 1 || seg.index > seg.count) {
    throw invalid('--segment', 'i/n with 1 ≤ i ≤ n', `${seg.index}/${seg.count}`);
  }
  if (o.startAt !== undefined && (!Number.isFinite(o.startAt) || o.startAt < Date.now() - 5000)) {
    throw invalid('--start-at', 'an epoch time in ms that is not in the past', o.startAt);
  }
  const log = o.log ?? process.stderr;
  const say = (line: string) => { if (!o.quiet) log.write(line + '\n'); };
  const bundle = await scenarioBundle(o.scenarioFile);
  const workerThreads: Worker[] = [];
  try {
    try { process.setSourceMapsEnabled(true); } catch { /* older node */ }
    const env = { ...processEnv(), ...o.env };
    const mod = await loadScenario(o, bundle.bundlePath, env);
    const scenario = mod.scenario;
    const exported = new Set(Object.keys(scenario).filter((k) => typeof scenario[k] === 'function'));
    const resolved: ResolvedOptions = resolveOptions(scenario.options, exported);
    if (resolved.scenarios.length === 0) throw new UsageError(`invalid scenario ${o.scenarioFile}: options.scenarios is empty`);
    const defs: ThresholdDef[] = parseThresholds(resolved.options.thresholds as ThresholdsInput | undefined);

    // setup(): once, in this thread; its samples land in second 0.
    const setup = await mod.runLifecycle(scenario, 'setup', { env, startAt: Number.MAX_SAFE_INTEGER, data: undefined, connectionsPerOrigin: resolved.connectionsPerOrigin, maxRedirects: resolved.maxRedirects, timeoutMs: resolved.setupTimeoutMs });
    if (setup.error) {
      const at = setup.error.location ? ` (at ${setup.error.location})` : '';
      if (setup.networkErrors > 0) throw new EnvironmentError(`target unreachable in setup(): ${setup.firstNetworkError}`);
      throw new AbortedError(`setup() failed: ${setup.error.message}${at}`);
    }

    try { structuredClone(setup.value); } catch (err) {
      throw new UsageError(`invalid setup() result: expected data that can be copied to worker threads (JSON-like), got ${(err as Error).message}`);
    }
    const stripes = workers * seg.count;
    const warmUp = warmUpPlan(resolved.scenarios, stripes);
    for (const sc of resolved.scenarios) {
      if (sc.kind === 'arrival' && sc.maxVUs < stripes) {
        say(`warning: scenario "${sc.name}" has maxVUs ${sc.maxVUs} for ${stripes} worker share(s): shares with no VU drop all their arrivals; raise maxVUs or use --workers 1`);
      }
    }
    // Boot every worker (bundle import, the scenario's init code) before choosing the common start,
    // so a slow boot never turns into a burst of late arrivals.
    for (let i = 0; i < workers; i++) {
      const init: WorkerInit = {
        scenarioDir: dirname(resolve(o.scenarioFile)), env, worker: i, workers,
        segment: seg.index - 1, segments: seg.count, options: resolved, setupData: setup.value, warmUpPerMs: warmUp.perMs,
      };
      workerThreads.push(new Worker(bundle.bootPath, { workerData: init }));
    }
    await Promise.all(workerThreads.map((w) => new Promise<void>((ready, fail) => {
      const onMessage = (m: WorkerMessage) => {
        if (m.type === 'ready') { w.off('message', onMessage); w.off('error', onError); ready(); }
        else if (m.type === 'fatal') fail(new AbortedError(`the engine failed in a worker: ${m.message}`));
      };
      const onError = (err: Error) => fail(new UsageError(`invalid scenario ${o.scenarioFile}: a worker could not load it: ${err.message}`));
      w.on('message', onMessage);
      w.on('error', onError);
    })));
    // Once every worker is ready: time to warm the JIT up (against an in-process sink) before the common start.
    const startAt = o.startAt ?? Math.ceil(Date.now() + warmUp.ms);
    if (startAt < Date.now() + 200) say(`warning: --start-at leaves ${startAt - Date.now()} ms after boot; the first second may lag`);
    const plannedSeconds = Math.ceil(resolved.plannedDurationMs / 1000);
    const monitor = new ThresholdMonitor(defs);
    o.onStart?.({ startedAtMs: startAt, plannedDurationSeconds: resolved.plannedDurationMs / 1000, workers, options: resolved.options });
    const tracker = new ProgressTracker(plannedSeconds);
    const mainRecorder = new WindowRecorder(startAt);
    const pending = new Map<number, EncodedWindow[]>();
    const all: EncodedWindow[] = [];
    const retain = o.retainWindows !== false;
    const totals = new SeriesTotals();
    const saturatedSeconds: number[] = [];
    const saturation: EngineResult['saturation'] = [];
    const watermark = new Array<number>(workers).fill(0);
    const finished = new Array<boolean>(workers).fill(false);
    const errorLists: IterationError[][] = [];
    let aborted = false;
    let abortReason: string | null = null;
    let fatal = null as string | null;
    const tty = Boolean(log.isTTY);
    let lastLineLen = 0;

    const add = (ws: EncodedWindow[]) => {
      for (const w of ws) {
        let list = pending.get(w.t);
        if (!list) pending.set(w.t, (list = []));
        list.push(w);
      }
    };
    add(setup.windows);

    const stopAll = (graceMs: number) => {
      const m: MainMessage = { type: 'stop', graceMs };
      workerThreads.forEach((w, i) => { if (!finished[i]) w.postMessage(m); });
    };

    const report = (p: ProgressSnapshot) => {
      if ((p.saturated || p.vuPoolExhausted) && p.second < plannedSeconds) {
        if (p.saturated) saturatedSeconds.push(p.second);
        saturation.push({ second: p.second, cause: p.saturationCause!, reason: p.saturationReason! });
        if (!o.quiet) {
          if (tty && lastLineLen) { log.write('\n'); lastLineLen = 0; }
          say(p.saturated
            ? `warning: generator saturated in second ${p.second}: ${p.saturationReason}; this second does not measure the target`
            : `warning: second ${p.second}: ${p.saturationReason} (counted in dropped_iterations; raise maxVUs to offer the full load)`);
        }
      }
      o.onProgress?.(p);
      if (o.quiet) return;
      const line = formatProgress(p);
      if (tty) { log.write(`\r${line.padEnd(lastLineLen)}`); lastLineLen = line.length; }
      else if (p.second % 5 === 4 || p.second + 1 >= plannedSeconds) say(line);
    };

    // Requests that wait for a free connection inside the generator never reach the target on time, and
    // http_req_duration (as k6's) leaves that wait out: say so once, with the cap to raise.
    let blockedWarned = false;
    const warnIfBlocked = (t: number, merged: readonly EncodedWindow[]) => {
      if (blockedWarned) return;
      let worst = 0;
      for (const w of merged) {
        if (w.metric !== 'http_req_blocked') continue;
        worst = Math.max(worst, w.max);
      }
      if (worst <= BLOCKED_WARN_MS) return;
      blockedWarned = true;
      if (o.quiet) return;
      if (tty && lastLineLen) { log.write('\n'); lastLineLen = 0; }
      say(`warning: second ${t}: requests waited up to ${Math.round(worst)} ms inside the generator before being sent, for one of the ${resolved.connectionsPerOrigin} connections per origin or for a connect ` +
        `(http_req_blocked; http_req_duration leaves it out): the target saw them late; raise options.connectionsPerOrigin if users do not share connections`);
    };

    let lastReported = -1;
    const flush = () => {
      const live = watermark.filter((_, i) => !finished[i]);
      const upTo = live.length === 0 ? Infinity : Math.min(...live);
      add(mainRecorder.drain(upTo));
      const seconds = [...pending.keys()].filter((t) => t < upTo).sort((a, b) => a - b);
      for (const t of seconds) {
        const merged = mergeWindows(pending.get(t)!);
        pending.delete(t);
        for (const w of merged) { totals.add(w); if (retain) all.push(w); }
        if (monitor.watching > 0) monitor.add(merged);
        o.onWindows?.(merged);
        // A late window of a second already reported (an arrival recorded at its planned time after
        // that second was drained) is kept in the data but not reported twice.
        if (t > lastReported) { lastReported = t; report(tracker.second(t, merged)); warnIfBlocked(t, merged); }
      }
      if (seconds.length > 0 && !aborted && monitor.watching > 0) {
        const elapsed = Math.max(0, (Date.now() - startAt) / 1000);
        const hit = monitor.check(elapsed);
        if (hit) {
          aborted = true;
          abortReason = `threshold ${hit.name} ${hit.threshold} crossed (value ${hit.value}) with abortOnFail`;
          say(`\naborting: ${abortReason}`);
          stopAll(0);
        }
      }
    };

    // Generator CPU: % of one core used by this whole process (all threads) in each second.
    let cpuPrev = process.cpuUsage();
    let cpuAt = performance.now();
    let cpuTimer: NodeJS.Timeout | undefined;
    // Sampled near the end of each second of the run, so every second gets exactly one value.
    const sampleCpu = () => {
      const now = performance.now();
      const used = process.cpuUsage(cpuPrev);
      cpuPrev = process.cpuUsage();
      const at = Date.now();
      if (at >= startAt) mainRecorder.add('generator_cpu', 'gauge', {}, ((used.user + used.system) / 1000 / Math.max(1, now - cpuAt)) * 100, at);
      cpuAt = now;
      cpuSecond = Math.max(cpuSecond + 1, Math.floor((at - startAt) / 1000) + 1);
      cpuTimer = setTimeout(sampleCpu, Math.max(0, startAt + cpuSecond * 1000 + 990 - Date.now()));
    };
    let cpuSecond = 0;
    // The first second starts counting at the start, not during the warm-up.
    const cpuReset = setTimeout(() => { cpuPrev = process.cpuUsage(); cpuAt = performance.now(); }, Math.max(0, startAt - Date.now()));
    cpuTimer = setTimeout(sampleCpu, Math.max(0, startAt + 990 - Date.now()));

    const onAbort = () => {
      if (aborted) return;
      aborted = true;
      abortReason = o.signal?.reason instanceof Error ? o.signal.reason.message : typeof o.signal?.reason === 'string' ? o.signal.reason : 'interrupted';
      if (tty && lastLineLen) { log.write('\n'); lastLineLen = 0; }
      say(`stopping: ${abortReason}; iterations in flight get ${INTERRUPT_GRACE_MS / 1000} s (press Ctrl-C again to stop at once)`);
      stopAll(INTERRUPT_GRACE_MS);
    };
    o.signal?.addEventListener('abort', onAbort, { once: true });

    const done = new Promise<void>((resolveDone) => {
      const markFinished = (i: number) => {
        if (finished[i]) return;
        finished[i] = true;
        flush();
        if (finished.every(Boolean)) resolveDone();
      };
      for (let i = 0; i < workers; i++) {
        const w = workerThreads[i];
        w.on('message', (m: WorkerMessage) => {
          if (m.type === 'windows') { add(m.windows); watermark[i] = Math.max(watermark[i], m.upTo); flush(); }
          else if (m.type === 'done') { add(m.windows); errorLists.push(m.errors); markFinished(i); void w.terminate(); }
          else if (m.type === 'fatal') { fatal ??= m.message; markFinished(i); void w.terminate(); }
        });
        w.on('error', (err) => { fatal ??= err.stack ?? err.message; markFinished(i); });
        w.on('exit', () => markFinished(i));
        const start: MainMessage = { type: 'start', startAt };
        w.postMessage(start);
      }
      if (o.signal?.aborted) onAbort();
    });

    // Never longer than planned + gracefulStop: a worker stuck in synchronous code is cut off.
    const watchdog = setTimeout(() => {
      workerThreads.forEach((w, i) => { if (!finished[i]) { errorLists.push([{ message: 'worker did not stop at the hard end and was terminated', location: null, count: 1 }]); void w.terminate(); } });
    }, Math.max(0, startAt + resolved.hardEndMs + 3000 - Date.now()));

    await done;
    clearTimeout(watchdog);
    clearTimeout(cpuTimer);
    clearTimeout(cpuReset);
    o.signal?.removeEventListener('abort', onAbort);
    if (tty && lastLineLen && !o.quiet) log.write('\n');
    if (fatal && errorLists.length === 0) throw new AbortedError(`the engine failed in a worker: ${fatal}`);
    if (fatal) errorLists.push([{ message: `worker failed: ${fatal.split('\n')[0]}`, location: null, count: 1 }]);

    const teardown = await mod.runLifecycle(scenario, 'teardown', { env, startAt, data: setup.value, connectionsPerOrigin: resolved.connectionsPerOrigin, maxRedirects: resolved.maxRedirects, timeoutMs: resolved.teardownTimeoutMs });
    add(teardown.windows);
    if (teardown.error) errorLists.push([{ message: `teardown() failed: ${teardown.error.message}`, location: teardown.error.location, count: 1 }]);
    add(mainRecorder.drain());
    finished.fill(true);
    flush();

    // SeriesTotals answers whole-run queries as MetricsQuery does over the windows
    const thresholds = evaluateThresholds(defs, totals);
    return {
      startedAtMs: startAt,
      endedAtMs: Date.now(),
      plannedDurationSeconds: resolved.plannedDurationMs / 1000,
      options: resolved.options,
      windows: all,
      totals,
      thresholds: { pass: thresholds.pass, checks: thresholds.checks.map((c) => ({ name: c.name, threshold: c.threshold, value: c.value, pass: c.pass })) },
      aborted,
      abortReason,
      iterationErrors: mergeErrors(errorLists),
      saturatedSeconds,
      saturation,
      workers,
      segment: o.segment ? `${seg.index}/${seg.count}` : null,
    };
  } finally {
    await Promise.all(workerThreads.map((w) => w.terminate().catch(() => undefined)));
    bundle.cleanup();
  }
}
