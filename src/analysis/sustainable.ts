import { invalid } from '../contracts/errors.js';
import { finite, nonNegative } from './validate.js';
import { ACHIEVED_SHARE, holdsStill, levelVerdict, round1, type LevelCriterion, type LevelSlo } from './levels.js';

/** One 1-second window, or one whole load step, of an open-model run. */
export interface LoadPoint {
  /** first second the point covers, and the end of its range (default t + 1) */
  t?: number;
  to?: number;
  offeredRps: number;
  throughputRps: number;
  p95Ms: number | null;
  p99Ms?: number | null;
  meanLatencyMs: number | null;
  errorRate: number;
  /** The generator could not keep its schedule in this window: it says nothing about the system. */
  saturated: boolean;
  /** achieved ÷ offered when not throughput ÷ offered (levels of multi-request journeys: arrivals started ÷ planned) */
  achievedShare?: number | null;
  /** the load level the point belongs to (a sweep's step): points of one level are one step */
  level?: number;
}

export interface LoadStep {
  /** the seconds the step covers, [from, to), when its points were timed */
  from?: number;
  to?: number;
  offeredRps: number;
  /** Means over the unsaturated windows of the step (null when every window was saturated). */
  throughputRps: number | null;
  meanLatencyMs: number | null;
  /** Worst window's p95 (the SLO must hold for the whole step). */
  p95Ms: number | null;
  errorRate: number | null;
  /** achieved ÷ offered as the verdict read it (null: throughput ÷ offered, or nothing measured) */
  achievedShare?: number | null;
  windows: number;
  saturatedWindows: number;
  /** achieved ≥ 95% of offered and the SLO held in every unsaturated window: the level verdict (levels.ts). */
  sustained: boolean;
  /** what failed the step (empty when sustained) */
  failedBy: LevelCriterion[];
  reasons: string[];
}

export type SustainableSlo = LevelSlo;
export { ACHIEVED_SHARE };

export function validatePoints(points: LoadPoint[]): void {
  if (!Array.isArray(points)) throw invalid('load points', 'an array', points);
  points.forEach((p, i) => {
    nonNegative(`offeredRps of point ${i + 1}`, p.offeredRps);
    nonNegative(`throughputRps of point ${i + 1}`, p.throughputRps);
    if (p.p95Ms !== null) nonNegative(`p95Ms of point ${i + 1}`, p.p95Ms);
    if (p.meanLatencyMs !== null) nonNegative(`meanLatencyMs of point ${i + 1}`, p.meanLatencyMs);
    const e = finite(`errorRate of point ${i + 1}`, p.errorRate);
    if (e < 0 || e > 1) throw invalid(`errorRate of point ${i + 1}`, 'a number between 0 and 1', e);
    if (typeof p.saturated !== 'boolean') throw invalid(`saturated of point ${i + 1}`, 'true or false', p.saturated);
    if (p.achievedShare != null) nonNegative(`achievedShare of point ${i + 1}`, p.achievedShare);
  });
}

/**
 * Points (in time order) → steps, by the level rule (levels.ts): points of one level (a sweep's step)
 * form one step; otherwise consecutive points whose offered load holds still do (a long level cut in
 * pieces, or a sweep's seconds read without their step).
 */
export function groupSteps(points: LoadPoint[], slo: SustainableSlo): LoadStep[] {
  validatePoints(points);
  const ordered = points.every((p) => p.t !== undefined) ? [...points].sort((a, b) => a.t! - b.t!) : points;
  const groups: Array<{ pts: LoadPoint[]; min: number; max: number; sum: number }> = [];
  for (const p of ordered) {
    const g = groups[groups.length - 1];
    const last = g?.pts[g.pts.length - 1];
    const sameLevel = last !== undefined && last.level !== undefined && p.level !== undefined ? last.level === p.level : null;
    const min = Math.min(g?.min ?? Infinity, p.offeredRps), max = Math.max(g?.max ?? -Infinity, p.offeredRps);
    // offered loads are already rates over a second or more: no rounding slack
    if (g && (sameLevel ?? holdsStill(min, max, (g.sum + p.offeredRps) / (g.pts.length + 1), 0))) {
      g.pts.push(p); g.min = min; g.max = max; g.sum += p.offeredRps;
    } else groups.push({ pts: [p], min: p.offeredRps, max: p.offeredRps, sum: p.offeredRps });
  }
  return groups.map((g) => summariseStep(g.pts, slo));
}

function summariseStep(g: LoadPoint[], slo: SustainableSlo): LoadStep {
  const offeredRps = g.reduce((s, p) => s + p.offeredRps, 0) / g.length;
  const ok = g.filter((p) => !p.saturated);
  const first = g[0], last = g[g.length - 1];
  const span = first.t !== undefined && last.t !== undefined ? { from: first.t, to: last.to ?? last.t + 1 } : {};
  const base = { ...span, offeredRps, windows: g.length, saturatedWindows: g.length - ok.length };
  if (ok.length === 0) {
    const v = levelVerdict({ offeredRps, throughputRps: null, p95Ms: null, errorRate: null, saturated: true }, slo);
    return { ...base, throughputRps: null, meanLatencyMs: null, p95Ms: null, errorRate: null, sustained: false, failedBy: v.failedBy, reasons: v.reasons };
  }
  const throughputRps = ok.reduce((s, p) => s + p.throughputRps, 0) / ok.length;
  const weight = ok.reduce((s, p) => s + (p.meanLatencyMs !== null ? p.throughputRps : 0), 0);
  const meanLatencyMs = weight > 0
    ? ok.reduce((s, p) => s + (p.meanLatencyMs !== null ? p.meanLatencyMs * p.throughputRps : 0), 0) / weight
    : null;
  const p95s = ok.map((p) => p.p95Ms).filter((v): v is number => v !== null);
  const p95Ms = p95s.length ? Math.max(...p95s) : null;
  const errorRate = Math.max(...ok.map((p) => p.errorRate));
  const shares = ok.map((p) => p.achievedShare).filter((v): v is number => v != null);
  const achievedShare = shares.length === ok.length ? shares.reduce((a, v) => a + v, 0) / shares.length : null;
  const okOffered = ok.reduce((s, p) => s + p.offeredRps, 0) / ok.length;
  const v = levelVerdict({ offeredRps: okOffered, throughputRps, achievedShare, p95Ms, errorRate, saturated: false }, slo);
  const info = base.saturatedWindows > 0 ? [`${base.saturatedWindows} generator-saturated second(s) excluded`] : [];
  return { ...base, throughputRps, meanLatencyMs, p95Ms, errorRate, achievedShare: achievedShare ?? (okOffered > 0 ? throughputRps / okOffered : null), sustained: v.held, failedBy: v.failedBy, reasons: [...v.reasons, ...info] };
}

export interface Sustainable {
  maxSustainableRps: number | null;
  step: LoadStep | null;
  /** false when no measured step above the best one failed: the test never found the limit */
  limitReached: boolean;
  notes: string[];
}

/**
 * Max sustainable throughput: the achieved throughput of the highest-offered step that was sustained.
 * Steps where the generator was saturated are excluded and flagged, never reported as the limit.
 */
export function maxSustainable(steps: LoadStep[], measuredElsewhereRps: number | null = null): Sustainable {
  const notes: string[] = [];
  const sustained = steps.filter((s) => s.sustained);
  const best = sustained.reduce<LoadStep | null>((b, s) => (b === null || s.offeredRps > b.offeredRps ? s : b), null);
  const saturatedAbove = steps.filter((s) => s.throughputRps === null && (best === null || s.offeredRps > best.offeredRps));
  if (saturatedAbove.length > 0) {
    notes.push(`generator saturated at ${saturatedAbove.map((s) => `${round(s.offeredRps)} rps`).join(', ')}: `
      + 'those steps are excluded, so the system may sustain more than reported');
  }
  const partly = steps.filter((s) => s.saturatedWindows > 0 && s.throughputRps !== null).length;
  if (partly > 0) notes.push(`${partly} step(s) had generator-saturated seconds, excluded from the figures`);
  if (best === null) {
    notes.push(steps.length === 0 ? 'no load points: no max sustainable throughput' : 'no load step met the SLO with achieved ≥ 95% of offered: no max sustainable throughput');
    return { maxSustainableRps: null, step: null, limitReached: steps.some((st) => st.throughputRps !== null), notes };
  }
  const failedBelow = steps.filter((s) => !s.sustained && s.throughputRps !== null && s.offeredRps < best.offeredRps);
  if (failedBelow.length > 0) {
    notes.push(`lower step(s) at ${failedBelow.map((s) => `${round(s.offeredRps)} rps (${s.reasons[0] ?? s.failedBy.join(', ')})`).join('; ')} failed although a higher one held: results are noisy`);
  }
  // A maximum is only a limit if something above it failed; otherwise it is a lower bound.
  const limitReached = steps.some((s) => !s.sustained && s.throughputRps !== null && s.offeredRps > best.offeredRps);
  if (!limitReached && measuredElsewhereRps !== null) {
    notes.push(`the highest load tested (${round(best.offeredRps)} rps offered) held; one instance was measured apart, at ${round(measuredElsewhereRps)} rps, and the instance count is sized on that`);
  } else if (!limitReached) {
    notes.push(`the highest load tested (${round(best.offeredRps)} rps offered) held: the limit was not reached, so capacity is at least ${round(best.throughputRps ?? 0)} rps and the instance count an upper bound (a higher load, e.g. capacity-test sweep with a larger --to, finds the limit)`);
  }
  return { maxSustainableRps: best.throughputRps, step: best, limitReached, notes };
}

const round = round1;
