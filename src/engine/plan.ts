/**
 * Pure scheduling maths shared by executors, workers and segments.
 * Striping: the whole test is cut into `stripes` = segments × workers; stripe s owns arrival k
 * when k mod stripes = s, and an exact share of every VU count. The union of all stripes is the
 * whole test, so merged segments equal a single run.
 */
import type { RateSegment, ResolvedScenario, VuStage } from './options.js';

/** The exact share of `total` for stripe `s` of `n` (shares differ by at most one and add up to total). */
export function share(total: number, s: number, n: number): number {
  return Math.floor((total * (s + 1)) / n) - Math.floor((total * s) / n);
}

/**
 * Arrival times in closed form from a piecewise-linear rate: arrival k (0-based) happens when the
 * integral of the rate reaches k, so a constant rate r starts at 0, 1/r, 2/r, … and a stage that
 * ramps from 0 places its first arrival at its start.
 */
export class ArrivalSchedule {
  /** cumulative arrivals at the start of each segment */
  private readonly cum: number[] = [];
  readonly total: number;
  private cursor = 0;

  private readonly segments: readonly RateSegment[];

  constructor(segments: readonly RateSegment[]) {
    // Copied into objects of one shape: segments arrive structured-cloned from the main thread, the
    // warm-up's are literals; two shapes made timeOf() deoptimise at the start of the run.
    this.segments = segments.map((s) => ({ startMs: s.startMs, durationMs: s.durationMs, from: s.from, to: s.to }));
    let c = 0;
    for (const seg of this.segments) {
      this.cum.push(c);
      c += ((seg.from + seg.to) / 2) * seg.durationMs;
    }
    // Arrivals are k = 0 … total−1 with k < integral over the whole plan (a tiny epsilon absorbs float error).
    this.total = Math.max(0, Math.ceil(c - 1e-9));
  }

  /** Offset in ms (from the scenario start) of arrival k; monotone calls are O(1). */
  timeOf(k: number): number {
    if (k < 0 || k >= this.total) throw new RangeError(`arrival ${k} outside 0…${this.total - 1}`);
    let i = this.cursor;
    if (i >= this.segments.length || this.cum[i] > k) i = 0;
    while (i + 1 < this.segments.length && this.cum[i + 1] <= k) i += 1;
    this.cursor = i;
    const seg = this.segments[i];
    const m = k - this.cum[i];
    if (m <= 0) return seg.startMs;
    const a = seg.from;
    const slope = seg.durationMs > 0 ? (seg.to - seg.from) / seg.durationMs : 0;
    // Solve a·x + slope/2·x² = m; this form is stable for slope of either sign and for a = 0.
    const disc = a * a + 2 * slope * m;
    const x = (2 * m) / (a + Math.sqrt(Math.max(0, disc)));
    return seg.startMs + Math.min(seg.durationMs, x);
  }

  /** Planned arrivals in [fromMs, toMs) for the whole test (all stripes). */
  countBetween(fromMs: number, toMs: number): number {
    return Math.max(0, Math.ceil(this.integral(toMs) - 1e-9) - Math.ceil(this.integral(fromMs) - 1e-9));
  }

  integral(tMs: number): number {
    let c = 0;
    for (const seg of this.segments) {
      if (tMs <= seg.startMs) break;
      const x = Math.min(seg.durationMs, tMs - seg.startMs);
      const slope = seg.durationMs > 0 ? (seg.to - seg.from) / seg.durationMs : 0;
      c += seg.from * x + (slope * x * x) / 2;
    }
    return c;
  }
}

/** Target VUs of a ramping-vus plan at `tMs` from the scenario start (linear between stages, floored). */
export function vusAt(startVUs: number, stages: readonly VuStage[], tMs: number): number {
  let from = startVUs;
  let at = 0;
  for (const st of stages) {
    if (tMs < at + st.durationMs) {
      const frac = st.durationMs > 0 ? (tMs - at) / st.durationMs : 1;
      return Math.floor(from + (st.target - from) * Math.max(0, frac) + 1e-9);
    }
    at += st.durationMs;
    from = st.target;
  }
  return from;
}

/**
 * How long, and at how many arrivals per ms, a worker warms its JIT up before the start. A light plan
 * gets the usual second. A worker facing 1,000 arrivals/s or more gets 3 s at up to 4/ms: with one
 * second, functions of the hot path reached 1 of the 5 profiler ticks TurboFan waits for
 * (--trace-opt-verbose) and were compiled during the run's first seconds, on the generator's core.
 * Measured with the bench's rate scenario at 6,000/s (a throwaway script varying the warm-up), 4 runs
 * each: lag p99 over 6 s 24–37 ms with the usual second, 10–20 ms with
 * 3 s at 4/ms; second 1 fell from 14–31 ms to 4–7 ms. 4 s at 6/ms did no better.
 */
export function warmUpPlan(scenarios: readonly ResolvedScenario[], stripes: number): { ms: number; perMs: number } {
  // all arrival-rate scenarios at their peaks at once: an upper bound of one stripe's rate
  let peakPerMs = 0;
  for (const sc of scenarios) {
    if (sc.kind !== 'arrival') continue;
    let peak = 0;
    for (const seg of sc.segments) peak = Math.max(peak, seg.from, seg.to);
    peakPerMs += peak;
  }
  const perStripe = peakPerMs / Math.max(1, stripes);
  if (perStripe < 1) return { ms: 1000, perMs: 1.5 };
  return { ms: 3000, perMs: Math.min(4, Math.max(1.5, perStripe)) };
}
