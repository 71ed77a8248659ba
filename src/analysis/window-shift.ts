/**
 * A latency shift between two runs of the same plan, read from their per-second percentiles, with the
 * machine taken out. Pure.
 *
 * On a shared machine a busy neighbour slows every endpoint in the same seconds; a code change slows
 * the endpoints it touches. So each second of an endpoint is read against other endpoints of that
 * same second: z = log(p95 of the second) − log(the endpoint's typical p95 in the baseline), and the
 * endpoint's sample is z minus the median z, in that second, of the REFERENCE_ENDPOINTS endpoints
 * whose typical p95 is nearest its own. A machine twice as slow doubles every p95 of the second and
 * leaves the sample where it was; +20 ms on one endpoint moves only its own. Nearest, not all: a
 * contended CPU slowed this project's 5 ms reads ×2.2 and its 40 ms writes ×1.3 in the same run
 * (measured, bench/gate), so a fast endpoint read against every other one looked regressed; read
 * against endpoints of its own size it did not. What this cannot tell apart — every endpoint slower
 * alike, machine or code — the caller hears as `commonShift` (docs/measurements.md#the-gates-statistics).
 */
import { hodgesLehmann, mannWhitney, type MannWhitney, type Shift } from './mann-whitney.js';

/** One run's per-second (or per-bucket) percentile of each endpoint: null where it had no request. */
export type WindowSeries = Readonly<Record<string, ReadonlyArray<number | null>>>;

/** Endpoints a sample is read against: those nearest its typical latency in the baseline. */
export const REFERENCE_ENDPOINTS = 3;
/** Of those, how many must have requests in the second: fewer, and the second is left out. */
export const MIN_REFERENCE_ENDPOINTS = 2;
/** Latencies are floored here before the log: a 0 ms percentile (HDR's lowest bucket) has no ratio. */
const FLOOR_MS = 0.01;

export interface EndpointShift {
  /** the test of current over baseline samples (one-sided p-values both ways) */
  test: MannWhitney;
  /** the shift as a ratio (current / baseline), machine taken out when `corrected`, with its 95% interval */
  ratio: number;
  ratioLow: number;
  ratioHigh: number;
  /** whether the other endpoints of each second were taken out (false: too few of them, raw seconds) */
  corrected: boolean;
  baselineSeconds: number;
  currentSeconds: number;
}

export interface RunShift {
  endpoints: Record<string, EndpointShift>;
  /**
   * The shift every endpoint shared, as a ratio: the median, over seconds, of the median z of all
   * endpoints of the second (current over baseline). 1 when the runs are alike; null without data.
   */
  commonShift: number | null;
}

const log = (v: number): number => Math.log(Math.max(v, FLOOR_MS));

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/** The typical log latency of each endpoint in the baseline: the median over its seconds. */
function levels(base: WindowSeries): Map<string, number> {
  const out = new Map<string, number>();
  for (const [name, series] of Object.entries(base)) {
    const xs = series.filter((v): v is number => v !== null && Number.isFinite(v)).map(log);
    if (xs.length) out.set(name, median(xs));
  }
  return out;
}

/** z of every endpoint of every second of a run: log latency minus the endpoint's baseline level. */
function deviations(run: WindowSeries, level: Map<string, number>): { names: string[]; z: Array<Array<number | null>>; seconds: number } {
  const names = Object.keys(run).filter((n) => level.has(n)).sort();
  const seconds = Math.max(0, ...names.map((n) => run[n].length));
  const z = names.map((n) => Array.from({ length: seconds }, (_, t) => {
    const v = run[n][t];
    return v === null || v === undefined || !Number.isFinite(v) ? null : log(v) - level.get(n)!;
  }));
  return { names, z, seconds };
}

/** The REFERENCE_ENDPOINTS candidates whose baseline level is nearest `name`'s (ties by name). */
function references(name: string, candidates: readonly string[], level: Map<string, number>): string[] {
  const own = level.get(name)!;
  return candidates.filter((n) => n !== name)
    .sort((a, b) => Math.abs(level.get(a)! - own) - Math.abs(level.get(b)! - own) || a.localeCompare(b))
    .slice(0, REFERENCE_ENDPOINTS);
}

/** An endpoint's samples: its z in each second, less the median z of its references there (none: raw z). */
function samples(d: ReturnType<typeof deviations>, name: string, refs: readonly string[] | null): number[] {
  const own = d.z[d.names.indexOf(name)];
  const cols = (refs ?? []).map((r) => d.z[d.names.indexOf(r)]);
  const out: number[] = [];
  for (let t = 0; t < d.seconds; t++) {
    const v = own[t];
    if (v === null) continue;
    if (!refs) { out.push(v); continue; }
    const others: number[] = [];
    for (const col of cols) if (col[t] !== null) others.push(col[t]!);
    if (others.length >= MIN_REFERENCE_ENDPOINTS) out.push(v - median(others));
  }
  return out;
}

const present = (d: ReturnType<typeof deviations>, name: string): number => d.z[d.names.indexOf(name)].filter((v) => v !== null).length;

/** Median over seconds of the median z of every endpoint of the second (null when no second has any). */
function commonLevel(d: ReturnType<typeof deviations>): number | null {
  const perSecond: number[] = [];
  for (let t = 0; t < d.seconds; t++) {
    const zs = d.z.map((col) => col[t]).filter((v): v is number => v !== null);
    if (zs.length) perSecond.push(median(zs));
  }
  return perSecond.length ? median(perSecond) : null;
}

/**
 * Per endpoint present in both runs with at least `minSeconds` samples a side, the shift of current
 * over baseline. With fewer than MIN_REFERENCE_ENDPOINTS + 1 endpoints in both runs nothing can be
 * taken out: the raw seconds are compared, and `corrected` says so.
 */
export function windowShifts(base: WindowSeries, current: WindowSeries, minSeconds = 10): RunShift {
  const level = levels(base);
  const db = deviations(base, level);
  const dc = deviations(current, level);
  const shared = db.names.filter((n) => dc.names.includes(n));
  // references are endpoints seen in enough seconds of both runs (a health check answered once is none)
  const candidates = shared.filter((n) => present(db, n) >= minSeconds && present(dc, n) >= minSeconds);
  const corrected = candidates.length >= MIN_REFERENCE_ENDPOINTS + 1;
  const endpoints: Record<string, EndpointShift> = {};
  for (const name of shared) {
    const refs = corrected ? references(name, candidates, level) : null;
    const b = samples(db, name, refs);
    const c = samples(dc, name, refs);
    if (b.length < minSeconds || c.length < minSeconds) continue;
    const shift: Shift = hodgesLehmann(c, b);
    endpoints[name] = {
      test: mannWhitney(c, b), ratio: Math.exp(shift.estimate), ratioLow: Math.exp(shift.low), ratioHigh: Math.exp(shift.high),
      corrected, baselineSeconds: b.length, currentSeconds: c.length,
    };
  }
  const lb = commonLevel(db), lc = commonLevel(dc);
  return { endpoints, commonShift: lb === null || lc === null ? null : Math.exp(lc - lb) };
}

/** The raw shift of one series (no machine correction): the run's overall seconds. */
export function seriesShift(base: ReadonlyArray<number | null>, current: ReadonlyArray<number | null>, minSeconds = 10): EndpointShift | null {
  const pick = (s: ReadonlyArray<number | null>) => s.filter((v): v is number => v !== null && Number.isFinite(v)).map(log);
  const b = pick(base), c = pick(current);
  if (b.length < minSeconds || c.length < minSeconds) return null;
  const shift = hodgesLehmann(c, b);
  return { test: mannWhitney(c, b), ratio: Math.exp(shift.estimate), ratioLow: Math.exp(shift.low), ratioHigh: Math.exp(shift.high),
    corrected: false, baselineSeconds: b.length, currentSeconds: c.length };
}
