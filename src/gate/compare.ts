/**
 * The gate, pure: a baseline summary.json against a current one → verdicts. Regressions fail the gate
 * (exit 1); everything else worth saying is `info`. Reads the summaries' plain data only.
 */
import type { EndpointSummary, Summary } from '../contracts/summary.js';
import { runnerVerdicts } from './runners.js';
import { judgeLatency, type CheckOutcome, type Evidence, type NoEvidence } from './statistical.js';
import { latencyEvidence, type EvidenceOf } from './evidence.js';

export type { CheckOutcome, Evidence } from './statistical.js';

export type VerdictStatus = 'pass' | 'fail' | 'info';
export type VerdictMetric = 'p95' | 'p99' | 'errorRate' | 'rps' | 'presence' | 'threshold' | 'generator' | 'run';

export interface Verdict {
  /** 'overall', an endpoint name (`POST /api/v1/orders`), or 'thresholds' / 'run' */
  scope: string;
  metric: VerdictMetric;
  status: VerdictStatus;
  baseline: number | null;
  current: number | null;
  /** current − baseline in the metric's unit (ms, share, req/s), null when either side is missing */
  delta: number | null;
  /** the rule applied, readable: "+20% and +5 ms" */
  limit: string;
  message: string;
  /** how the check ended: only a `regression` fails the gate; `inconclusive` is said, not failed */
  outcome: CheckOutcome;
  /** latency checks: what the per-second windows say (src/gate/statistical.ts); null without a test */
  evidence?: Evidence | null;
}

/** A latency limit: a regression is an increase above BOTH the tolerance and the noise floor. */
export type LatencyTolerance = { relative: number } | { absoluteMs: number };

export interface Tolerances {
  p95: LatencyTolerance;
  p99: LatencyTolerance;
  /** absolute increase of the error share allowed (0.005 = 0.5 percentage points) */
  errorRateIncrease: number;
  /** relative decrease of throughput allowed (0.2 = 20%) */
  rpsDecrease: number;
  /** latency changes smaller than this are noise whatever the percentage */
  latencyNoiseFloorMs: number;
  /** endpoints with fewer requests (on either side) are reported, not judged */
  minRequests: number;
  /** the chance of one or more false alarms among a run's latency tests (Holm) */
  alpha: number;
  /** windows with requests needed on each side to test a latency change */
  minWindows: number;
}

/**
 * Defaults, set for this project's machines: 2 shared cores whose speed drifts a lot (autocannon on
 * the same server gave 33,589 to 74,091 req/s within one hour, docs/measurements.md), a generator
 * and a portal competing for those cores, GC pauses and timers of a few ms. So:
 * - p95 +20%, p99 +30% (the tail rests on fewer samples and moves more), and never for less than 5 ms:
 *   a 2 → 3 ms p95 is +50% and nobody's experience;
 * - error rate +0.5 percentage points: errors do not drift with CPU speed on loopback; a real rise is
 *   a behaviour change (the launch day's failure mode), so the bar is low;
 * - throughput −20%: an arrival-rate test delivers its plan on any healthy machine, so a fall means
 *   dropped or failed iterations; closed-model runs drift with the machine, hence not tighter;
 * - fewer than 30 requests: a p95 of 29 samples is the second-largest sample, not a statistic.
 */
export const DEFAULT_TOLERANCES: Tolerances = {
  p95: { relative: 0.2 },
  p99: { relative: 0.3 },
  errorRateIncrease: 0.005,
  rpsDecrease: 0.2,
  latencyNoiseFloorMs: 5,
  minRequests: 30,
  alpha: 0.01,
  minWindows: 10,
};

export interface GateResult {
  pass: boolean;
  baseline: { id: string; label: string };
  current: { id: string; label: string };
  verdicts: Verdict[];
  counts: { pass: number; fail: number; info: number };
  /** checks by outcome (regression = fail) */
  outcomes: Record<CheckOutcome, number>;
}

function latencyLimit(tol: LatencyTolerance, floorMs: number): string {
  return 'relative' in tol ? `+${fmtPct(tol.relative)} and +${floorMs} ms` : `+${Math.max(tol.absoluteMs, floorMs)} ms`;
}

function fmtPct(share: number): string {
  return `${Number((share * 100).toFixed(2))}%`;
}

function compareLatency(scope: string, metric: 'p95' | 'p99', base: number | null, cur: number | null, tol: LatencyTolerance, t: Tolerances,
  evidence: Evidence | NoEvidence, needsCorroboration = false): Verdict {
  const limit = latencyLimit(tol, t.latencyNoiseFloorMs);
  if (base === null || cur === null) {
    return { scope, metric, status: 'info', outcome: 'inconclusive', baseline: base, current: cur, delta: null, limit,
      message: `${metric} not measured in ${base === null ? 'baseline' : 'current'}` };
  }
  const delta = cur - base;
  const allowed = 'relative' in tol ? base * tol.relative : tol.absoluteMs;
  const above = delta > allowed && delta > t.latencyNoiseFloorMs;
  const below = -delta > allowed && -delta > t.latencyNoiseFloorMs;
  const { outcome, because } = judgeLatency(above, below, evidence, t.alpha, needsCorroboration);
  const pct = base > 0 ? ` (${delta >= 0 ? '+' : ''}${fmtPct(delta / base)})` : '';
  const fixed = above ? `: above the limit ${limit}` : below ? `: below the limit −${limit.slice(1)}` : '';
  return {
    scope, metric, status: STATUS_OF[outcome], outcome, baseline: base, current: cur, delta, limit,
    evidence: typeof evidence === 'string' ? null : evidence,
    message: `${metric} ${fmtMs(base)} → ${fmtMs(cur)}${pct}${fixed}${because ? `${above || below ? ',' : ':'} ${because}` : ''}`,
  };
}

/** How an outcome counts for the gate: only a regression fails it; an inconclusive check is said. */
const STATUS_OF: Record<CheckOutcome, VerdictStatus> = { pass: 'pass', improvement: 'pass', regression: 'fail', inconclusive: 'info' };

/** A verdict of a check with no statistics: its outcome follows its status. */
function outcomeOf(status: VerdictStatus): CheckOutcome {
  return status === 'fail' ? 'regression' : status === 'pass' ? 'pass' : 'inconclusive';
}

function compareErrorRate(scope: string, base: number | null, cur: number | null, t: Tolerances): VerdictDraft {
  const limit = `+${Number((t.errorRateIncrease * 100).toFixed(3))} pp`;
  if (base === null || cur === null) {
    return { scope, metric: 'errorRate', status: 'info', baseline: base, current: cur, delta: null, limit,
      message: `error rate not measured in ${base === null ? 'baseline' : 'current'}` };
  }
  const delta = cur - base;
  // A tiny epsilon keeps 0.5 pp exactly (float noise of shares) on the allowed side.
  const regressed = delta > t.errorRateIncrease + 1e-12;
  return {
    scope, metric: 'errorRate', status: regressed ? 'fail' : 'pass', baseline: base, current: cur, delta, limit,
    message: `error rate ${fmtPct(base)} → ${fmtPct(cur)}${regressed ? `: more than ${limit}` : ''}`,
  };
}

function compareRps(scope: string, base: number | null, cur: number | null, t: Tolerances): VerdictDraft {
  const limit = `-${fmtPct(t.rpsDecrease)}`;
  if (base === null || cur === null) {
    return { scope, metric: 'rps', status: 'info', baseline: base, current: cur, delta: null, limit,
      message: `throughput not measured in ${base === null ? 'baseline' : 'current'}` };
  }
  const delta = cur - base;
  const regressed = base > 0 && cur < base * (1 - t.rpsDecrease);
  return {
    scope, metric: 'rps', status: regressed ? 'fail' : 'pass', baseline: base, current: cur, delta, limit,
    message: `throughput ${fmtNum(base)} → ${fmtNum(cur)} req/s${regressed ? `: fell more than ${fmtPct(t.rpsDecrease)}` : ''}`,
  };
}

function compareEndpoint(scope: string, base: EndpointSummary, cur: EndpointSummary, t: Tolerances, evidenceOf: EvidenceOf,
  corroborate: (metric: 'p95' | 'p99') => boolean = () => false): VerdictDraft[] {
  if (base.requests < t.minRequests || cur.requests < t.minRequests) {
    return [{ scope, metric: 'presence', status: 'info', baseline: base.requests, current: cur.requests, delta: cur.requests - base.requests,
      limit: `≥ ${t.minRequests} requests`, message: `too few requests to compare (${base.requests} vs ${cur.requests})` }];
  }
  return [
    compareLatency(scope, 'p95', base.latencyMs.p95, cur.latencyMs.p95, t.p95, t, evidenceOf(scope, 'p95'), corroborate('p95')),
    compareLatency(scope, 'p99', base.latencyMs.p99, cur.latencyMs.p99, t.p99, t, evidenceOf(scope, 'p99'), corroborate('p99')),
    compareErrorRate(scope, base.errorRate, cur.errorRate, t),
    compareRps(scope, base.rps, cur.rps, t),
  ];
}

/** A verdict as its maker writes it: a check with no statistics of its own gets its outcome from its status. */
export type VerdictDraft = Omit<Verdict, 'outcome'> & { outcome?: CheckOutcome };

/** Compare two validated summaries. Pure. */
export function compareSummaries(baseline: Summary, current: Summary, tolerances: Partial<Tolerances> = {},
  labels: { baseline?: string; current?: string } = {}): GateResult {
  const t: Tolerances = { ...DEFAULT_TOLERANCES, ...tolerances };
  const drafts: VerdictDraft[] = [];
  const evidence = latencyEvidence(baseline, current, t);

  if (baseline.run.scenario !== current.run.scenario) {
    drafts.push({ scope: 'run', metric: 'run', status: 'info', baseline: null, current: null, delta: null, limit: '',
      message: `different scenarios: baseline ${baseline.run.scenario}, current ${current.run.scenario}` });
  }

  // latencyMs is of expected responses since summaries say `latencyOf`; before, of every request
  const ofBase = baseline.overall.latencyOf ?? 'all', ofCur = current.overall.latencyOf ?? 'all';
  if (ofBase !== ofCur) {
    drafts.push({ scope: 'run', metric: 'run', status: 'info', baseline: null, current: null, delta: null, limit: '',
      message: `latencies of different requests: baseline ${ofBase === 'all' ? 'all requests' : ofBase}, current ${ofCur === 'all' ? 'all requests' : ofCur} (they differ where requests failed)` });
  }

  if ((current.run as { aborted?: unknown }).aborted === true) {
    // Partial figures of a stopped run look better or worse by accident; neither is a verdict.
    drafts.push({ scope: 'run', metric: 'run', status: 'fail', baseline: null, current: null, delta: null, limit: 'completed',
      message: 'the current run was aborted: its figures are partial' });
  }

  // a merge of distributed runners: a runner missing seconds fails, a saturated one is named
  drafts.push(...runnerVerdicts(current.runners));

  // the endpoints first: the overall's seconds cannot be read against other endpoints, so a slower
  // overall is a regression only when an endpoint's own check regressed (src/gate/statistical.ts)
  const perEndpoint: VerdictDraft[] = [];
  const names = [...new Set([...Object.keys(baseline.endpoints), ...Object.keys(current.endpoints)])].sort();
  for (const name of names) {
    const b = baseline.endpoints[name];
    const c = current.endpoints[name];
    if (b && c) perEndpoint.push(...compareEndpoint(name, b, c, t, evidence.of));
    else if (b) {
      // An endpoint the baseline exercised and the current run never reached: the flow broke before it.
      perEndpoint.push({ scope: name, metric: 'presence', status: 'fail', baseline: b.requests, current: null, delta: null,
        limit: 'present', message: `missing in current (baseline had ${b.requests} requests)` });
    } else {
      perEndpoint.push({ scope: name, metric: 'presence', status: 'info', baseline: null, current: c.requests, delta: null,
        limit: '', message: `new in current (${c.requests} requests)` });
    }
  }
  const endpointRegressed = (metric: 'p95' | 'p99') => perEndpoint.some((v) => v.metric === metric && v.outcome === 'regression');
  drafts.push(...compareEndpoint('overall', baseline.overall, current.overall, t, evidence.of,
    (metric) => evidence.corrected && !endpointRegressed(metric)));
  drafts.push(...perEndpoint);

  for (const check of current.thresholds.checks) {
    drafts.push({ scope: check.name, metric: 'threshold', status: check.pass ? 'pass' : 'fail',
      baseline: baseline.thresholds.checks.find((b) => b.name === check.name && b.threshold === check.threshold)?.value ?? null,
      current: check.value, delta: null, limit: check.threshold,
      message: `${check.name} ${check.threshold} ${check.pass ? 'passes' : 'FAILS'} (${check.value === null ? 'no value' : fmtNum(check.value)})` });
  }
  if (!current.thresholds.pass && current.thresholds.checks.every((c) => c.pass)) {
    drafts.push({ scope: 'thresholds', metric: 'threshold', status: 'fail', baseline: null, current: null, delta: null,
      limit: 'pass', message: 'current run reports its thresholds as failed' });
  }

  const saturated = saturatedCount(current.generator.saturatedSeconds);
  if (saturated > 0) {
    drafts.push({ scope: 'run', metric: 'generator', status: 'info', baseline: saturatedCount(baseline.generator.saturatedSeconds), current: saturated,
      delta: null, limit: '0 s', message: `the load generator was saturated for ${saturated} s of the current run: its figures there are the generator's, not the system's` });
  }

  const verdicts: Verdict[] = drafts.map((v) => ({ ...v, outcome: v.outcome ?? outcomeOf(v.status) }));
  const counts = { pass: 0, fail: 0, info: 0 };
  const outcomes: Record<CheckOutcome, number> = { pass: 0, regression: 0, improvement: 0, inconclusive: 0 };
  for (const v of verdicts) { counts[v.status] += 1; outcomes[v.outcome] += 1; }
  return {
    pass: counts.fail === 0,
    baseline: { id: baseline.run.id, label: labels.baseline ?? baseline.run.id },
    current: { id: current.run.id, label: labels.current ?? current.run.id },
    verdicts, counts, outcomes,
  };
}

function saturatedCount(s: number | number[] | null): number {
  if (s === null) return 0;
  return Array.isArray(s) ? s.length : s;
}

export function fmtMs(v: number | null): string {
  if (v === null) return '–';
  return `${v >= 100 ? Math.round(v) : Number(v.toFixed(1))} ms`;
}

export function fmtNum(v: number | null): string {
  if (v === null) return '–';
  if (Number.isInteger(v)) return String(v);
  return Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(1) : v.toFixed(4);
}

/** A verdict's baseline/current value in its unit, for tables. */
export function fmtValue(metric: VerdictMetric, v: number | null): string {
  if (v === null) return '–';
  switch (metric) {
    case 'p95': case 'p99': return fmtMs(v);
    case 'errorRate': return fmtPct(v);
    case 'rps': return `${fmtNum(v)}/s`;
    case 'generator': return `${v} s`;
    default: return fmtNum(v);
  }
}

/** Parse a latency tolerance flag: '10%' (relative) or '50ms' / '50' (absolute ms). */
export function parseLatencyTolerance(text: string): LatencyTolerance | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(%|ms)?\s*$/.exec(text);
  if (!m) return null;
  const v = Number(m[1]);
  return m[2] === '%' ? { relative: v / 100 } : { absoluteMs: v };
}

/** Parse an error-rate tolerance: '0.5pp' (percentage points) → 0.005. */
export function parsePercentagePoints(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*pp\s*$/.exec(text);
  return m ? Number(m[1]) / 100 : null;
}

/** Parse a relative tolerance: '20%' → 0.2. */
export function parsePercent(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(text);
  return m ? Number(m[1]) / 100 : null;
}
