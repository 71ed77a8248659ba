/**
 * The gate's verdict rule for a latency check, pure: a fixed tolerance says whether a change is big
 * enough to matter, the seconds' statistics (src/analysis/window-shift.ts) whether it is there at all.
 * Only a change that is both fails (docs/measurements.md#the-gates-statistics):
 *
 * | fixed tolerance            | the seconds (Holm-adjusted, one-sided, α) | outcome      |
 * |----------------------------|-------------------------------------------|--------------|
 * | exceeded                   | shifted up                                | regression   |
 * | exceeded                   | not shifted up (or no test)               | inconclusive |
 * | exceeded the other way     | shifted down                              | improvement  |
 * | anything else              | —                                         | pass         |
 *
 * Without windows on either side (a summary.json from before `latencyWindows`) there is nothing to
 * test and the fixed tolerance decides alone, as the gate always did.
 */

export type CheckOutcome = 'pass' | 'regression' | 'improvement' | 'inconclusive';

/** What the seconds say about one check. */
export interface Evidence {
  /** the ratio current / baseline of the check's seconds; machine taken out when `corrected` */
  ratio: number;
  ratioLow: number;
  ratioHigh: number;
  /** Holm-adjusted one-sided p-values that the current seconds are slower / faster */
  pSlower: number;
  pFaster: number;
  corrected: boolean;
  baselineWindows: number;
  currentWindows: number;
  /** the shift every endpoint shared, current / baseline (null: not known) */
  commonShift: number | null;
}

/** Why a test is missing: no windows at all (old summaries), or too few seconds to test. */
export type NoEvidence = 'no-windows' | 'too-few-windows';

export interface LatencyJudgement {
  outcome: CheckOutcome;
  /** a clause for the verdict's message, '' when there is nothing to add */
  because: string;
}

/**
 * The outcome of a latency check: `above` and `below` say whether the fixed tolerance was exceeded
 * upwards (slower) or downwards (faster); `evidence` is the test or why there is none.
 * `needsCorroboration` (the run's overall figures, whose seconds cannot be read against other
 * endpoints) is true when no endpoint's own check regressed: then the overall cannot either.
 */
export function judgeLatency(above: boolean, below: boolean, evidence: Evidence | NoEvidence, alpha: number,
  needsCorroboration = false): LatencyJudgement {
  if (evidence === 'no-windows') {
    return above ? { outcome: 'regression', because: 'no per-second windows on both sides: judged on the fixed limit alone' }
      : { outcome: 'pass', because: '' };
  }
  if (!above && !below) return { outcome: 'pass', because: '' };
  if (evidence === 'too-few-windows') {
    return { outcome: above ? 'inconclusive' : 'pass', because: above ? 'too few seconds with requests on one side to test the change' : '' };
  }
  const seen = describe(evidence);
  if (below) {
    return evidence.pFaster < alpha ? { outcome: 'improvement', because: `faster in the seconds too (${seen})` }
      : { outcome: 'pass', because: `faster than the limit, but not in the seconds (${seen})` };
  }
  if (evidence.pSlower >= alpha) {
    const common = evidence.corrected && evidence.commonShift !== null && evidence.commonShift > 1
      ? `; every endpoint moved ×${fmtRatio(evidence.commonShift)} together — the machine, or a change common to all: one pair of runs cannot tell them apart`
      : '';
    return { outcome: 'inconclusive', because: `not supported by the seconds (${seen})${common}` };
  }
  if (needsCorroboration) {
    const common = evidence.commonShift !== null ? ` (every endpoint moved ×${fmtRatio(evidence.commonShift)} together)` : '';
    return { outcome: 'inconclusive', because: `slower in the seconds (${seen}), but no endpoint stands out from the others${common}: the machine, or a change common to all` };
  }
  return { outcome: 'regression', because: `and the seconds say so (${seen})` };
}

/** "×1.31 [1.18–1.45] beyond the other endpoints, p = 2e-5 over 60 vs 60 s" */
export function describe(e: Evidence): string {
  const p = e.ratio >= 1 ? e.pSlower : e.pFaster;
  return `×${fmtRatio(e.ratio)} [${fmtRatio(e.ratioLow)}–${fmtRatio(e.ratioHigh)}]${e.corrected ? ' beyond the other endpoints' : ''}, ` +
    `p = ${fmtP(p)} over ${e.baselineWindows} vs ${e.currentWindows} windows`;
}

export function fmtRatio(r: number): string {
  return r >= 10 ? r.toFixed(0) : r.toFixed(2);
}

export function fmtP(p: number): string {
  if (p >= 0.001) return String(Number(p.toPrecision(2)));
  return p.toExponential(0).replace('e-', 'e-');
}
