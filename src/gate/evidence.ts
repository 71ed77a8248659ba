/**
 * What the per-second windows of two summaries say about each latency check: the Mann–Whitney test of
 * the seconds (src/analysis/window-shift.ts), Holm-adjusted over every latency test of the run so that
 * a run of 12 endpoints × 2 percentiles is not 24 chances of a false alarm. Pure.
 */
import { holmAdjust, seriesShift, windowShifts, type EndpointShift, type WindowSeries } from '../analysis/index.js';
import type { LatencyWindows, Summary } from '../contracts/summary.js';
import type { Evidence, NoEvidence } from './statistical.js';

export type EvidenceOf = (scope: string, metric: 'p95' | 'p99') => Evidence | NoEvidence;

export interface LatencyEvidence {
  of: EvidenceOf;
  /** whether endpoints' seconds were read against the other endpoints' (enough endpoints on both sides) */
  corrected: boolean;
}

const METRICS = ['p95', 'p99'] as const;
const FIELD = { p95: 'p95Ms', p99: 'p99Ms' } as const;

function seriesOf(w: LatencyWindows, metric: 'p95' | 'p99'): WindowSeries {
  return Object.fromEntries(Object.entries(w.endpoints).map(([name, col]) => [name, col[FIELD[metric]]]));
}

export function latencyEvidence(baseline: Summary, current: Summary, t: { minWindows: number }): LatencyEvidence {
  const bw = baseline.latencyWindows, cw = current.latencyWindows;
  // windows of different widths hold different percentiles (a 2-second p95 is not a 1-second one)
  if (!bw || !cw || bw.seconds !== cw.seconds) return { of: () => 'no-windows', corrected: false };

  const shifts = new Map<string, { shift: EndpointShift; common: number | null }>();
  let corrected = false;
  for (const metric of METRICS) {
    const run = windowShifts(seriesOf(bw, metric), seriesOf(cw, metric), t.minWindows);
    for (const [name, shift] of Object.entries(run.endpoints)) {
      shifts.set(`${metric} ${name}`, { shift, common: run.commonShift });
      corrected ||= shift.corrected;
    }
    const overall = seriesShift(bw.overall[FIELD[metric]], cw.overall[FIELD[metric]], t.minWindows);
    if (overall) shifts.set(`${metric} overall`, { shift: overall, common: run.commonShift });
  }
  const keys = [...shifts.keys()];
  const slower = holmAdjust(keys.map((k) => shifts.get(k)!.shift.test.pGreater));
  const faster = holmAdjust(keys.map((k) => shifts.get(k)!.shift.test.pLess));
  const evidence = new Map<string, Evidence>(keys.map((k, i) => {
    const { shift, common } = shifts.get(k)!;
    return [k, {
      ratio: shift.ratio, ratioLow: shift.ratioLow, ratioHigh: shift.ratioHigh, pSlower: slower[i], pFaster: faster[i],
      corrected: shift.corrected, baselineWindows: shift.baselineSeconds, currentWindows: shift.currentSeconds, commonShift: common,
    }];
  }));
  return { of: (scope, metric) => evidence.get(`${metric} ${scope}`) ?? 'too-few-windows', corrected };
}
