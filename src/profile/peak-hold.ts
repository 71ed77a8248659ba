import { invalid } from '../contracts/errors.js';
import type { ConstantArrivalRate, Options, RampingArrivalRate, ScenarioOptions } from '../scenario-api/types.js';
import { parseStageDuration } from './stages.js';

/**
 * A plan's busiest moment, held: every ramping-arrival-rate scenario becomes a constant-arrival-rate one
 * at the rate it had at the instant the scenarios' rates summed highest, for `seconds`. `verify` offers
 * the sized peak this way — the day's mix of journeys, compressed and scaled as the run was — for long
 * enough to measure what a fleet sustains, where the day itself passes its peak in a few seconds.
 */
export interface PeakHold {
  options: Options;
  /** real milliseconds into the plan at which the rates summed highest */
  atMs: number;
  /** arrivals per second at that instant, per scenario and in all */
  arrivalsPerSecond: Record<string, number>;
  totalArrivalsPerSecond: number;
}

/** A ramping-arrival-rate scenario's rate (per its timeUnit) at `tMs` after its start: stages are linear ramps. */
export function rateAt(s: Pick<RampingArrivalRate, 'startRate' | 'stages'>, tMs: number): number {
  let from = s.startRate ?? 0;
  let t0 = 0;
  for (const st of s.stages) {
    const d = parseStageDuration(st.duration);
    if (tMs <= t0 + d) return d === 0 ? st.target : from + ((st.target - from) * (tMs - t0)) / d;
    t0 += d;
    from = st.target;
  }
  return 0;
}

function boundaries(s: RampingArrivalRate, offsetMs: number): number[] {
  const out: number[] = [];
  let t = offsetMs;
  for (const st of s.stages) { t += parseStageDuration(st.duration); out.push(t); }
  return out;
}

export function peakHold(options: Options, seconds: number, o: { gracefulStop?: string } = {}): PeakHold {
  if (!Number.isInteger(seconds) || seconds < 1) throw invalid('--seconds', 'a whole number of seconds >= 1', seconds);
  const ramps = Object.entries(options.scenarios ?? {}).filter((e): e is [string, RampingArrivalRate] => e[1].executor === 'ramping-arrival-rate');
  if (ramps.length === 0) throw invalid('scenarios', 'at least one ramping-arrival-rate scenario to hold at its peak', Object.keys(options.scenarios ?? {}));
  const offset = (s: ScenarioOptions) => (s.startTime === undefined ? 0 : parseStageDuration(s.startTime));
  const perSecond = (s: RampingArrivalRate, r: number) => r / ((s.timeUnit === undefined ? 1000 : parseStageDuration(s.timeUnit)) / 1000);
  // piecewise linear: the sum peaks at a stage boundary of one of them
  const candidates = [...new Set(ramps.flatMap(([, s]) => [offset(s), ...boundaries(s, offset(s))]))].sort((a, b) => a - b);
  let atMs = 0;
  let best = -1;
  for (const t of candidates) {
    const total = ramps.reduce((sum, [, s]) => sum + (t < offset(s) ? 0 : perSecond(s, rateAt(s, t - offset(s)))), 0);
    if (total > best + 1e-9) { best = total; atMs = t; }
  }
  const arrivalsPerSecond: Record<string, number> = {};
  const scenarios: Record<string, ScenarioOptions> = {};
  for (const [name, s] of ramps) {
    const r = atMs < offset(s) ? 0 : rateAt(s, atMs - offset(s));
    arrivalsPerSecond[name] = perSecond(s, r);
    if (r <= 0) continue;
    const { stages: _st, startRate: _sr, startTime: _t, executor: _e, ...common } = s;
    const held: ConstantArrivalRate = { ...common, executor: 'constant-arrival-rate', rate: r, timeUnit: s.timeUnit ?? '1s', duration: `${seconds}s`, ...(o.gracefulStop !== undefined ? { gracefulStop: o.gracefulStop } : {}) };
    scenarios[name] = held;
  }
  return {
    options: { ...options, scenarios },
    atMs, arrivalsPerSecond,
    totalArrivalsPerSecond: Object.values(arrivalsPerSecond).reduce((a, b) => a + b, 0),
  };
}
