import { invalid } from '../config/errors.js';
import { analyseCapacity, type CapacityOptions, type CapacityResult, type LoadPoint } from '../analysis/capacity.js';
import { MetricsQuery, statistic } from '../metrics/index.js';
import type { Options } from '../scenario-api/types.js';

/**
 * `capacity-test sweep`: stepped constant arrival rates. The pure parts — the step plan, the engine
 * options for it, the per-second load points read back from the metric windows — test without a
 * target; `runSweep` at the end wires them to the engine and the embedded portal.
 */
export interface SweepPlanInput {
  from: number; to: number; steps: number; stepDurationSeconds: number;
  /** Seconds at the first rate before step 1, not analysed: JIT, pools and caches warm up. Default 0. */
  warmupSeconds?: number;
}
export interface SweepStep { index: number; rate: number; startSeconds: number; durationSeconds: number }

export function planSweep(i: SweepPlanInput): SweepStep[] {
  if (!Number.isFinite(i.from) || i.from <= 0) throw invalid('--from', 'a rate > 0 (per second)', i.from);
  if (!Number.isFinite(i.to) || i.to < i.from) throw invalid('--to', `a rate >= --from (${i.from})`, i.to);
  if (!Number.isInteger(i.steps) || i.steps < 1 || i.steps > 1000) throw invalid('--steps', 'an integer from 1 to 1000', i.steps);
  if (i.steps === 1 && i.to !== i.from) throw invalid('--steps', 'at least 2 when --to differs from --from', i.steps);
  if (!Number.isInteger(i.stepDurationSeconds) || i.stepDurationSeconds < 1) {
    throw invalid('--step-duration', 'a whole number of seconds >= 1', i.stepDurationSeconds);
  }
  const warmup = i.warmupSeconds ?? 0;
  if (!Number.isInteger(warmup) || warmup < 0) throw invalid('--warmup', 'a whole number of seconds >= 0', warmup);
  return Array.from({ length: i.steps }, (_, k) => ({
    index: k,
    rate: i.steps === 1 ? i.from : round3(i.from + ((i.to - i.from) * k) / (i.steps - 1)),
    startSeconds: warmup + k * i.stepDurationSeconds,
    durationSeconds: i.stepDurationSeconds,
  }));
}

/** One constant-arrival-rate scenario per step, started back to back (k6 option names). */
export function sweepOptions(plan: SweepStep[], o: { exec?: string; maxVUs?: number; thresholds?: Options['thresholds'] } = {}): Options {
  const scenarios: NonNullable<Options['scenarios']> = {};
  const first = plan[0];
  if (first && first.startSeconds > 0) {
    scenarios.warmup = {
      executor: 'constant-arrival-rate', rate: first.rate, timeUnit: '1s', duration: `${first.startSeconds}s`,
      preAllocatedVUs: Math.max(1, Math.ceil(first.rate / 10)), maxVUs: o.maxVUs ?? Math.max(10, Math.ceil(first.rate * 2)),
      gracefulStop: '0s', tags: { step: 'warmup' }, ...(o.exec ? { exec: o.exec } : {}),
    };
  }
  for (const s of plan) {
    // Enough VUs for ~1 s of latency at this rate, so VU shortage shows as dropped iterations, not stretch.
    const maxVUs = o.maxVUs ?? Math.max(10, Math.ceil(s.rate * 2));
    scenarios[`step_${String(s.index + 1).padStart(2, '0')}`] = {
      executor: 'constant-arrival-rate', rate: s.rate, timeUnit: '1s', duration: `${s.durationSeconds}s`,
      startTime: `${s.startSeconds}s`, preAllocatedVUs: Math.min(maxVUs, Math.max(1, Math.ceil(s.rate / 10))), maxVUs,
      gracefulStop: '0s', tags: { step: String(s.index + 1) }, ...(o.exec ? { exec: o.exec } : {}),
    };
  }
  return { scenarios, ...(o.thresholds ? { thresholds: o.thresholds } : {}) };
}

export interface SaturationLimits {
  /** A second whose schedule lag p99 exceeds this is generator-saturated. Default 50 ms, the engine's own limit. */
  scheduleLagP99Ms: number;
  /** …or whose generator event-loop lag max exceeds this. Default 100 ms. */
  eventLoopLagMs: number;
}
export const DEFAULT_SATURATION: SaturationLimits = { scheduleLagP99Ms: 50, eventLoopLagMs: 100 };

/**
 * Per-second load points of each step from the run's metric windows (k6 metric names). Offered is the
 * planned rate; throughput the iterations completed in that second (one request per iteration in a
 * sweep); dropped iterations count against throughput, i.e. against the system, while schedule lag and
 * event-loop lag mark the second as the generator's fault (saturated).
 */
export function sweepPoints(query: MetricsQuery, plan: SweepStep[], limits: SaturationLimits = DEFAULT_SATURATION): LoadPoint[] {
  const points: LoadPoint[] = [];
  for (const s of plan) {
    for (let t = s.startSeconds; t < s.startSeconds + s.durationSeconds; t++) points.push(secondPoint(query, t, s.rate, limits));
  }
  return points;
}

/** The load point of one second of any run, given what was offered in it (e.g. planned arrivals). */
export function secondPoint(query: MetricsQuery, t: number, offeredRps: number, limits: SaturationLimits = DEFAULT_SATURATION): LoadPoint {
  const r = { from: t, to: t + 1 };
  const dur = query.aggregate('http_req_duration', r);
  const iterations = statistic(query.aggregate('iterations', r), 'count') ?? 0;
  const reqs = query.aggregate('http_reqs', r);
  const failed = query.aggregate('http_req_failed', r);
  const lag = query.aggregate('schedule_lag', r);
  const loop = query.aggregate('generator_event_loop_lag', r);
  const lagP99 = lag.count ? statistic(lag, 'p(99)') : null;
  const loopMax = loop.count ? loop.max : null;
  return {
    t,
    offeredRps,
    throughputRps: iterations > 0 ? iterations : (statistic(reqs, 'count') ?? 0),
    p95Ms: dur.count ? statistic(dur, 'p(95)') : null,
    p99Ms: dur.count ? statistic(dur, 'p(99)') : null,
    meanLatencyMs: dur.count ? statistic(dur, 'avg') : null,
    errorRate: failed.count ? (statistic(failed, 'rate') ?? 0) : 0,
    saturated: (lagP99 !== null && lagP99 > limits.scheduleLagP99Ms) || (loopMax !== null && loopMax > limits.eventLoopLagMs),
  };
}

export interface SweepResult { plan: SweepStep[]; points: LoadPoint[]; capacity: CapacityResult }

export function analyseSweep(query: MetricsQuery, plan: SweepStep[], o: CapacityOptions, limits?: SaturationLimits): SweepResult {
  const points = sweepPoints(query, plan, limits);
  return { plan, points, capacity: analyseCapacity(points, o) };
}

/** '10s', '2m', '1m30s' or a plain number of seconds → whole seconds. */
export function parseSeconds(flag: string, v: string): number {
  const s = v.trim();
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s);
  const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(s);
  if (!m || s === '') throw invalid(flag, 'a duration such as 10s, 2m or 1m30s', v);
  return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
}

function round3(v: number): number { return Math.round(v * 1000) / 1000; }

/** The scenario a sweep runs: one GET per iteration, so iterations/s is requests/s. */
export function sweepScenarioSource(options: Options, path: string): string {
  return [
    '// Generated by capacity-test sweep: one GET per arrival, at the stepped rates of `options`.',
    `export const options = ${JSON.stringify(options, null, 2)};`,
    'export default async function (vu) {',
    `  await vu.http.get(vu.env.TARGET + ${JSON.stringify(path)}, { tags: { name: ${JSON.stringify(`GET ${path.split('?')[0]}`)} } });`,
    '}',
    '',
  ].join('\n');
}

export interface RunSweepOptions {
  plan: SweepStep[];
  outDir: string;
  /** External target; when null an embedded portal is started on 127.0.0.1, port 0. */
  target: string | null;
  mode: 'as-built' | 'resilient';
  path: string;
  capacity: CapacityOptions;
  workers?: number;
  quiet?: boolean;
  command: string;
}

export interface RunSweepResult extends SweepResult { runDir: string; target: string; saturatedSeconds: number[] }

export async function runSweep(o: RunSweepOptions): Promise<RunSweepResult> {
  const [{ mkdirSync, writeFileSync }, { join, resolve }, { runScenarioToDir }] = await Promise.all([
    import('node:fs'), import('node:path'), import('./run-scenario.js'),
  ]);
  const runDir = resolve(o.outDir);
  mkdirSync(runDir, { recursive: true });
  const scenarioFile = join(runDir, 'sweep-scenario.js');
  writeFileSync(scenarioFile, sweepScenarioSource(sweepOptions(o.plan), o.path));

  // One request before the sweep: an unreachable target is an environment problem (exit 3), not a result.
  if (o.target !== null) await (await import('./reachability.js')).checkReachable(o.target + o.path);
  let portal: { url: string; stop(): Promise<void> } | null = null;
  if (o.target === null) portal = await startEmbeddedPortal(o.mode);
  try {
    const target = o.target ?? portal!.url;
    const { result } = await runScenarioToDir({
      scenarioFile, env: { TARGET: target }, outDir: runDir, command: o.command, quiet: o.quiet,
      // The embedded portal runs on this machine: leave it a core.
      workers: o.workers, reservedCores: portal ? 1 : 0,
      extra: { portalMode: portal ? o.mode : null, target, extra: {
        sweep: { plan: o.plan, path: o.path },
        ...(o.capacity.peakDemandRps != null ? { peakDemandRps: o.capacity.peakDemandRps } : {}),
        ...(o.capacity.headroom !== undefined ? { headroom: o.capacity.headroom } : {}),
      } },
    });
    const analysis = analyseSweep(new MetricsQuery(result.windows), o.plan, o.capacity);
    const out: RunSweepResult = { ...analysis, runDir, target, saturatedSeconds: result.saturatedSeconds };
    writeFileSync(join(runDir, 'sweep.json'), JSON.stringify({ plan: o.plan, capacity: analysis.capacity, points: analysis.points }, null, 2) + '\n');
    // The run directory contract (DESIGN.md §3.3) holds summary.json and report.html for every run.
    const { buildReportFromRunDir } = await import('../report/index.js');
    await buildReportFromRunDir(runDir, { lang: 'en' });
    return out;
  } finally {
    await portal?.stop();
  }
}

/**
 * The reference portal in its own process and on its own core (the same launcher as launch-day), so its
 * CPU never competes with the generator's event loop.
 */
async function startEmbeddedPortal(mode: 'as-built' | 'resilient'): Promise<{ url: string; stop(): Promise<void> }> {
  const [{ startPortalProcess }, { randomBytes }] = await Promise.all([import('./portal-process.js'), import('node:crypto')]);
  return startPortalProcess({ mode, clock: '10:00', dbFile: ':memory:', adminToken: randomBytes(16).toString('hex'), core: 0 });
}
