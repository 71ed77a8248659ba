/**
 * The load engine's public API: bundle a scenario, run it on worker threads from one common start,
 * merge their 1-second windows as they come, watch the generator's own health, evaluate thresholds.
 * `runEngine` only coordinates: the worker pool, window merging, CPU sampling, the watchdog and the
 * abort rules live in files of their own, and everything a watcher may want is an event
 * (events.ts; docs/architecture.md, "engine events"). Nothing here writes to a terminal.
 */
import { mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { AbortedError, EnvironmentError, UsageError, invalid } from '../contracts/errors.js';
import { SeriesTotals, WindowRecorder, type EncodedWindow } from '../metrics/index.js';
import type { Options } from '../scenario-api/types.js';
import { RunAborter } from './abort.js';
import { SamplePart, THREAD_GAUGES } from './sample-part.js';
import { scenarioBundle } from './bundle.js';
import { CpuSampler } from './cpu-sampler.js';
import { EngineEvents, type EngineObserver, type StartEvent } from './events.js';
import { loadScenario, mergeErrors, processEnv, runSetup, runTeardown } from './lifecycle.js';
import { resolveOptions, type ResolvedOptions } from './options.js';
import { warmUpPlan } from './plan.js';
import { ProgressTracker, type ProgressSnapshot } from './progress.js';
import { evaluateThresholds, parseThresholds, type ThresholdDef, type ThresholdsInput } from '../thresholds/index.js';
import { UnreachableWatch } from './unreachable.js';
import { armWatchdog } from './watchdog.js';
import { WindowMerger } from './window-merge.js';
import { WorkerPool } from './worker-pool.js';
import type { WorkerInit } from './worker-main.js';

export type { ProgressSnapshot } from './progress.js';
export type { ResolvedOptions, ResolvedScenario } from './options.js';
export * from './events.js';
export { TEST_ABORT_PREFIX } from './abort.js';

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
  signal?: AbortSignal;
  /** subscribe to the run's events before anything is emitted (the console printer, a dashboard…) */
  observers?: readonly EngineObserver[];
  /** once per second (the `second` event) */
  onProgress?: (p: ProgressSnapshot) => void;
  /** merged finished seconds, as they come (the `windows` event) */
  onWindows?: (w: readonly EncodedWindow[]) => void;
  /**
   * Keep every merged window for `result.windows` (default true). A caller that writes windows as they
   * come (run-scenario) passes false, so a run of hours holds only whole-run totals in memory.
   */
  retainWindows?: boolean;
  /** once the common start is known, before the workers start (the `start` event) */
  onStart?: (info: StartEvent) => void;
  /**
   * k6 run --out json: every sample of every thread into part files in this directory (setup, teardown,
   * main, w<k>; engine/sample-part.ts), put together into k6's file after the run (src/run/k6-json-out.ts)
   */
  samplesDir?: string;
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
  /** why it stopped early: 'signal' (Ctrl-C) or 'threshold' (abortOnFail); null when it ran to its end */
  abortCause: 'signal' | 'threshold' | 'test.abort' | null;
  iterationErrors: Array<{ message: string; location: string | null; count: number }>;
  /** seconds where the generator could not keep the plan */
  saturatedSeconds: number[];
  /** the same seconds with the rule that fired (cause 'dropped' with a low lag points at a slow target) */
  saturation: Array<{ second: number; cause: 'lag' | 'dropped'; reason: string }>;
  workers: number;
  segment: string | null;
}

/** A request queued this long for a connection inside the generator is worth a warning. */
const BLOCKED_WARN_MS = 100;

function checkRunOptions(o: EngineRunOptions): { workers: number; seg: { index: number; count: number } } {
  const workers = o.workers ?? Math.max(1, availableParallelism() - (o.reservedCores ?? 0));
  if (!Number.isInteger(workers) || workers < 1 || workers > 256) throw invalid('--workers', 'an integer from 1 to 256', o.workers);
  const seg = o.segment ?? { index: 1, count: 1 };
  if (!Number.isInteger(seg.count) || seg.count < 1 || !Number.isInteger(seg.index) || seg.index < 1 || seg.index > seg.count) {
    throw invalid('--segment', 'i/n with 1 ≤ i ≤ n', `${seg.index}/${seg.count}`);
  }
  if (o.startAt !== undefined && (!Number.isFinite(o.startAt) || o.startAt < Date.now() - 5000)) {
    throw invalid('--start-at', 'an epoch time in ms that is not in the past', o.startAt);
  }
  return { workers, seg };
}

/** The worst http_req_blocked of a second's windows. */
function worstBlocked(windows: readonly EncodedWindow[]): number {
  let worst = 0;
  for (const w of windows) if (w.metric === 'http_req_blocked') worst = Math.max(worst, w.max);
  return worst;
}

export async function runEngine(o: EngineRunOptions): Promise<EngineResult> {
  const events = new EngineEvents();
  for (const observe of o.observers ?? []) observe(events);
  if (o.onStart) events.on('start', o.onStart);
  if (o.onWindows) events.on('windows', o.onWindows);
  if (o.onProgress) events.on('second', o.onProgress);
  const { workers, seg } = checkRunOptions(o);
  const bundle = await scenarioBundle(o.scenarioFile);
  let pool: WorkerPool | undefined;
  try {
    try { process.setSourceMapsEnabled(true); } catch { /* older node */ }
    const env = { ...processEnv(), ...o.env };
    const mod = await loadScenario(o.scenarioFile, bundle.bundlePath, env);
    const scenario = mod.scenario;
    const exported = new Set(Object.keys(scenario).filter((k) => typeof scenario[k] === 'function'));
    const resolved: ResolvedOptions = resolveOptions(scenario.options, exported);
    if (resolved.scenarios.length === 0) throw new UsageError(`invalid scenario ${o.scenarioFile}: options.scenarios is empty`);
    const defs: ThresholdDef[] = parseThresholds(resolved.options.thresholds as ThresholdsInput | undefined);
    const partPath = (name: string) => (o.samplesDir ? join(o.samplesDir, `${name}.part`) : undefined);
    if (o.samplesDir) mkdirSync(o.samplesDir, { recursive: true });
    const setup = await runSetup(mod, env, resolved, partPath('setup'));

    const stripes = workers * seg.count;
    const warmUp = warmUpPlan(resolved.scenarios, stripes);
    for (const sc of resolved.scenarios) {
      if (sc.kind === 'arrival' && sc.maxVUs < stripes) {
        events.emit('warning', { message: `scenario "${sc.name}" has maxVUs ${sc.maxVUs} for ${stripes} worker share(s): shares with no VU drop all their arrivals; raise maxVUs or use --workers 1` });
      }
    }
    // Boot every worker (bundle import, the scenario's init code) before choosing the common start,
    // so a slow boot never turns into a burst of late arrivals.
    const inits: WorkerInit[] = Array.from({ length: workers }, (_, i) => ({
      scenarioDir: dirname(resolve(o.scenarioFile)), env, worker: i, workers,
      segment: seg.index - 1, segments: seg.count, options: resolved, setupData: setup.value, warmUpPerMs: warmUp.perMs,
      ...(o.samplesDir ? { samplesPath: partPath(`w${i}`) } : {}),
    }));
    pool = new WorkerPool(bundle.bootPath, inits);
    await pool.ready(o.scenarioFile);
    // Once every worker is ready: time to warm the JIT up (against an in-process sink) before the common start.
    const startAt = o.startAt ?? Math.ceil(Date.now() + warmUp.ms);
    if (startAt < Date.now() + 200) events.emit('warning', { message: `--start-at leaves ${startAt - Date.now()} ms after boot; the first second may lag` });
    const plannedSeconds = Math.ceil(resolved.plannedDurationMs / 1000);
    events.emit('start', { startedAtMs: startAt, plannedDurationSeconds: resolved.plannedDurationMs / 1000, workers, options: resolved.options, connectionsPerOrigin: resolved.connectionsPerOrigin });

    const tracker = new ProgressTracker(plannedSeconds);
    const mainPart = o.samplesDir ? new SamplePart(partPath('main')!) : null;
    const mainRecorder = new WindowRecorder(startAt, mainPart?.tap ?? null);
    const merger = new WindowMerger(workers);
    const aborter = new RunAborter(defs);
    const unreachable = new UnreachableWatch();
    const all: EncodedWindow[] = [];
    const retain = o.retainWindows !== false;
    const totals = new SeriesTotals();
    const saturation: EngineResult['saturation'] = [];
    const saturatedSeconds: number[] = [];
    let blockedSaid = false;
    merger.add(setup.windows);
    const stopAll = (graceMs: number) => pool!.stop(graceMs);

    const flush = () => {
      merger.add(mainRecorder.drain(merger.horizon()));
      const closed = merger.close();
      for (const { t, windows, late } of closed) {
        for (const w of windows) { totals.add(w); if (retain) all.push(w); }
        aborter.add(windows);
        events.emit('windows', windows);
        // A late window of a second already reported is kept in the data but not reported twice.
        if (late) continue;
        mainPart?.mergedGauges(windows, THREAD_GAUGES, startAt + t * 1000 + 999);
        const refused = unreachable.add(windows);
        const stopping = refused === null ? null : aborter.unreachable(refused);
        if (stopping) { events.emit('stopping', stopping); stopAll(0); }
        const p = tracker.second(t, windows);
        if ((p.saturated || p.vuPoolExhausted) && p.second < plannedSeconds) {
          if (p.saturated) saturatedSeconds.push(p.second);
          saturation.push({ second: p.second, cause: p.saturationCause!, reason: p.saturationReason! });
          events.emit('saturation', { second: p.second, cause: p.saturationCause!, saturated: p.saturated, reason: p.saturationReason! });
        }
        events.emit('second', Object.assign(p, { windows }));
        // Requests that wait for a free connection inside the generator never reach the target on
        // time, and http_req_duration (as k6's) leaves that wait out: said once, with the cap to raise.
        if (!blockedSaid) {
          const worst = worstBlocked(windows);
          if (worst > BLOCKED_WARN_MS) { blockedSaid = true; events.emit('blocked', { second: t, worstMs: worst, connectionsPerOrigin: resolved.connectionsPerOrigin }); }
        }
      }
      if (closed.length > 0) {
        const hit = aborter.checkThresholds(Math.max(0, (Date.now() - startAt) / 1000));
        if (hit) { events.emit('threshold', hit.threshold); events.emit('stopping', hit.stopping); stopAll(0); }
      }
    };

    const cpu = new CpuSampler(startAt, (percent, at) => mainRecorder.add('generator_cpu', 'gauge', {}, percent, at));
    cpu.start();
    const onAbort = () => {
      const stopping = aborter.interrupt(o.signal!);
      if (stopping) { events.emit('stopping', stopping); stopAll(stopping.graceMs); }
    };
    o.signal?.addEventListener('abort', onAbort, { once: true });
    const running = pool.run(startAt, {
      windows: (i, upTo, ws) => { merger.add(ws); if (upTo >= 0) merger.advance(i, upTo); flush(); },
      finished: (i) => { merger.finish(i); flush(); },
      abort: (reason) => {
        const stopping = aborter.testAbort(reason);
        if (stopping) { events.emit('stopping', stopping); stopAll(0); }
      },
    });
    if (o.signal?.aborted) onAbort();
    const disarm = armWatchdog(startAt + resolved.hardEndMs, () => pool!.terminateStragglers());
    await running;
    disarm();
    cpu.stop();
    o.signal?.removeEventListener('abort', onAbort);
    const errorLists = pool.errorLists;
    if (pool.fatal && errorLists.length === 0) throw new AbortedError(`the engine failed in a worker: ${pool.fatal}`);
    if (pool.fatal) errorLists.push([{ message: `worker failed: ${pool.fatal.split('\n')[0]}`, location: null, count: 1 }]);

    // the windows measured so far went out in `windows` events (the run directory keeps them)
    if (aborter.cause === 'unreachable') throw new EnvironmentError(aborter.reason!);
    const teardown = await runTeardown(mod, env, resolved, startAt, setup.value, partPath('teardown'));
    merger.add(teardown.result.windows);
    errorLists.push(teardown.errors);
    merger.add(mainRecorder.drain());
    merger.finishAll();
    flush();
    await mainPart?.close();

    // SeriesTotals answers whole-run queries as MetricsQuery does over the windows
    const thresholds = evaluateThresholds(defs, totals);
    const endedAtMs = Date.now();
    events.emit('done', { endedAtMs, aborted: aborter.aborted, abortReason: aborter.reason });
    if (events.listenerError) throw events.listenerError;
    return {
      startedAtMs: startAt,
      endedAtMs,
      plannedDurationSeconds: resolved.plannedDurationMs / 1000,
      options: resolved.options,
      windows: all,
      totals,
      thresholds: { pass: thresholds.pass, checks: thresholds.checks.map((c) => ({ name: c.name, threshold: c.threshold, value: c.value, pass: c.pass })) },
      aborted: aborter.aborted,
      abortReason: aborter.reason,
      abortCause: aborter.cause,
      iterationErrors: mergeErrors(errorLists),
      saturatedSeconds,
      saturation,
      workers,
      segment: o.segment ? `${seg.index}/${seg.count}` : null,
    };
  } finally {
    await pool?.terminate();
    bundle.cleanup();
  }
}
