/**
 * Thresholds in k6's syntax (docs/contracts.md#scenario-files), pure: parse the `options.thresholds` object, evaluate
 * it on 1-second metric windows (end of run, any time range, merged segments), and decide when an
 * `abortOnFail` threshold stops a run.
 *
 *   key:        metric | metric{tag:value,tag2:value}    ({name:POST /api/v1/orders}, {group:::checkout})
 *   expression: avg|min|max|med|count|rate|value|p(N)  <|<=|>|>=|==|===|!=  number
 *   item:       'p(95)<800' | { threshold: 'p(95)<800', abortOnFail: true, delayAbortEval: '10s' }
 */
import { invalid } from '../contracts/errors.js';
import { parseDurationSeconds } from '../contracts/duration.js';
import { statistic, type MetricsSource } from '../metrics/query.js';
import type { MetricKind } from '../metrics/types.js';

export interface ThresholdDef {
  /** the key as written, e.g. `http_req_duration{name:POST /api/v1/orders}` */
  key: string;
  metric: string;
  tags: Record<string, string>;
  /** the expression as written (trimmed), e.g. `p(95)<800` */
  expression: string;
  /** normalised statistic: `avg`, `min`, `max`, `med`, `count`, `rate`, `value`, `p(95)` */
  stat: string;
  op: Operator;
  value: number;
  abortOnFail: boolean;
  delayAbortEvalSeconds: number;
}

export type Operator = '<' | '<=' | '>' | '>=' | '==' | '===' | '!=';

export type ThresholdInput = string | { threshold: string; abortOnFail?: boolean; delayAbortEval?: string | number };
export type ThresholdsInput = Record<string, ThresholdInput[]>;

export interface ThresholdCheckResult {
  name: string;
  threshold: string;
  value: number | null;
  pass: boolean;
  /** why a check failed without a value (no samples, statistic undefined for the metric) */
  reason?: string;
}

export interface ThresholdsResult {
  pass: boolean;
  checks: ThresholdCheckResult[];
}

/**
 * Kinds of the built-in metrics, so `avg` on `http_reqs` is refused before the run starts (as k6 does).
 * Custom metrics are checked when evaluated, against the kind their windows carry.
 */
export const BUILTIN_METRIC_KINDS: Readonly<Record<string, MetricKind>> = {
  http_reqs: 'counter', http_req_failed: 'rate',
  http_req_duration: 'trend', http_req_waiting: 'trend', http_req_blocked: 'trend',
  http_req_connecting: 'trend', http_req_sending: 'trend', http_req_receiving: 'trend',
  http_req_tls_handshaking: 'trend',
  iterations: 'counter', iteration_duration: 'trend', dropped_iterations: 'counter',
  vus: 'gauge', vus_max: 'gauge', checks: 'rate', data_sent: 'counter', data_received: 'counter',
  schedule_lag: 'trend',
};

/** Statistics each kind answers (k6's set, plus the few more that `statistic()` computes exactly). */
const STATS_BY_KIND: Record<MetricKind, (stat: string) => boolean> = {
  counter: (s) => s === 'count' || s === 'rate',
  rate: (s) => s === 'rate' || s === 'count',
  gauge: (s) => s === 'value' || s === 'min' || s === 'max',
  trend: (s) => ['avg', 'min', 'max', 'med', 'count'].includes(s) || s.startsWith('p('),
};

const METRIC_NAME = /^[A-Za-z0-9_.\-]{1,128}$/;
const EXPRESSION = /^(avg|min|max|med|count|rate|value|p\(\s*([0-9]+(?:\.[0-9]+)?)\s*\))\s*(===|==|!=|<=|>=|<|>)\s*([-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?)$/;
const EXPECTED_EXPRESSION = "an expression such as 'p(95)<800', 'rate<0.01', 'count>100' (avg|min|max|med|count|rate|value|p(N) then <|<=|>|>=|==|===|!= then a number)";

/** Split `metric{a:1,b:2}` into the metric name and its tag filter. */
export function parseThresholdKey(key: string): { metric: string; tags: Record<string, string> } {
  const text = key.trim();
  const brace = text.indexOf('{');
  const metric = brace < 0 ? text : text.slice(0, brace).trim();
  if (!METRIC_NAME.test(metric)) {
    throw invalid(`threshold key ${JSON.stringify(key)}`, 'a metric name of letters, digits, _ . - (then an optional {tag:value,…})', metric);
  }
  const tags: Record<string, string> = {};
  if (brace < 0) return { metric, tags };
  if (!text.endsWith('}')) throw invalid(`threshold key ${JSON.stringify(key)}`, "a tag filter closed by '}'", text.slice(brace));
  const inner = text.slice(brace + 1, -1);
  if (inner.trim() === '') throw invalid(`threshold key ${JSON.stringify(key)}`, 'at least one tag:value inside {}', '{}');
  // As in k6: tags split on ',', each on its first ':' (so `group:::checkout` is group = '::checkout').
  for (const part of inner.split(',')) {
    const colon = part.indexOf(':');
    if (colon < 0) throw invalid(`threshold key ${JSON.stringify(key)}`, 'tag filters written tag:value', part.trim());
    const name = part.slice(0, colon).trim();
    const value = part.slice(colon + 1).trim();
    if (name === '') throw invalid(`threshold key ${JSON.stringify(key)}`, 'a tag name before ":"', part.trim());
    if (name in tags) throw invalid(`threshold key ${JSON.stringify(key)}`, 'each tag once', name);
    tags[name] = value;
  }
  return { metric, tags };
}

/** Parse one expression: `p(99.9) <= 1500` → { stat: 'p(99.9)', op: '<=', value: 1500 }. */
export function parseThresholdExpression(key: string, expression: string): { stat: string; op: Operator; value: number } {
  const text = expression.trim();
  const m = EXPRESSION.exec(text);
  if (!m) throw invalid(`threshold ${JSON.stringify(key)}: ${JSON.stringify(expression)}`, EXPECTED_EXPRESSION, expression);
  let stat = m[1];
  if (m[2] !== undefined) {
    const p = Number(m[2]);
    if (!(p >= 0 && p <= 100)) throw invalid(`threshold ${JSON.stringify(key)}: ${JSON.stringify(expression)}`, 'a percentile from 0 to 100', m[2]);
    stat = `p(${m[2]})`;
  }
  const value = Number(m[4]);
  if (!Number.isFinite(value)) throw invalid(`threshold ${JSON.stringify(key)}: ${JSON.stringify(expression)}`, 'a finite number', m[4]);
  return { stat, op: m[3] as Operator, value };
}

function assertStatFits(def: ThresholdDef, kind: MetricKind): void {
  if (!STATS_BY_KIND[kind](def.stat)) {
    throw invalid(`threshold ${JSON.stringify(def.key)}: ${JSON.stringify(def.expression)}`,
      `a statistic of a ${kind} metric (${kindStats(kind)})`, def.stat);
  }
}

function kindStats(kind: MetricKind): string {
  return { counter: 'count, rate', rate: 'rate, count', gauge: 'value, min, max', trend: 'avg, min, max, med, count, p(N)' }[kind];
}

/** Parse k6 `options.thresholds`. Throws UsageError naming the bad key or expression. */
export function parseThresholds(thresholds: ThresholdsInput | undefined | null): ThresholdDef[] {
  if (thresholds === undefined || thresholds === null) return [];
  if (typeof thresholds !== 'object' || Array.isArray(thresholds)) {
    throw invalid('thresholds', 'an object of metric → [expressions]', JSON.stringify(thresholds));
  }
  const defs: ThresholdDef[] = [];
  for (const [key, items] of Object.entries(thresholds)) {
    const { metric, tags } = parseThresholdKey(key);
    // A lone string is read as a one-item array (unambiguous); anything else must be the array.
    if (!Array.isArray(items) && typeof items !== 'string') {
      throw invalid(`threshold ${JSON.stringify(key)}`, 'an array of expressions', JSON.stringify(items));
    }
    const list: unknown[] = typeof items === 'string' ? [items] : items;
    for (const item of list) {
      let expression: string;
      let abortOnFail = false;
      let delayAbortEvalSeconds = 0;
      if (typeof item === 'string') expression = item;
      else if (item && typeof item === 'object' && typeof (item as { threshold?: unknown }).threshold === 'string') {
        const obj = item as Record<string, unknown>;
        for (const field of Object.keys(obj)) {
          if (!['threshold', 'abortOnFail', 'delayAbortEval'].includes(field)) {
            throw invalid(`threshold ${JSON.stringify(key)}`, 'only the fields threshold, abortOnFail, delayAbortEval', field);
          }
        }
        expression = obj.threshold as string;
        if (obj.abortOnFail !== undefined && typeof obj.abortOnFail !== 'boolean') {
          throw invalid(`threshold ${JSON.stringify(key)}: abortOnFail`, 'true or false', JSON.stringify(obj.abortOnFail));
        }
        abortOnFail = obj.abortOnFail === true;
        if (obj.delayAbortEval !== undefined) {
          delayAbortEvalSeconds = parseDurationSeconds(obj.delayAbortEval, `threshold ${JSON.stringify(key)}: delayAbortEval`);
        }
      } else {
        throw invalid(`threshold ${JSON.stringify(key)}`, "a string or { threshold, abortOnFail, delayAbortEval }", JSON.stringify(item));
      }
      const { stat, op, value } = parseThresholdExpression(key, expression);
      const def: ThresholdDef = { key, metric, tags, expression: expression.trim(), stat, op, value, abortOnFail, delayAbortEvalSeconds };
      const builtin = BUILTIN_METRIC_KINDS[metric];
      if (builtin) assertStatFits(def, builtin);
      defs.push(def);
    }
  }
  return defs;
}

export function compare(actual: number, op: Operator, expected: number): boolean {
  switch (op) {
    case '<': return actual < expected;
    case '<=': return actual <= expected;
    case '>': return actual > expected;
    case '>=': return actual >= expected;
    case '==': case '===': return actual === expected;
    case '!=': return actual !== expected;
  }
}

/**
 * The value a threshold sees, or null with a reason.
 *
 * No samples — our rule, deliberately stricter than k6 (which passes such thresholds): a count is
 * a measurement even when nothing happened (`dropped_iterations: ['count<1']` with no drops is 0 and
 * passes), and so is a counter's rate; every other statistic of nothing is "not measured" and the
 * final evaluation FAILS it. A latency or error-rate target for an endpoint that was never reached
 * (logins all failed, a tag misspelt) passing in silence is how a launch-day test looks green.
 */
export function measure(def: ThresholdDef, query: MetricsSource, range: { from?: number; to?: number } = {}): { value: number | null; reason?: string; samples: number } {
  const kind = query.kindOf(def.metric) ?? BUILTIN_METRIC_KINDS[def.metric];
  if (kind === undefined) {
    // The metric never got a sample anywhere: its kind is unknown, only a count is meaningful.
    if (def.stat === 'count') return { value: 0, samples: 0 };
    return { value: null, reason: `no samples of ${def.metric}`, samples: 0 };
  }
  if (!STATS_BY_KIND[kind](def.stat)) {
    return { value: null, reason: `${def.stat} is not a statistic of the ${kind} metric ${def.metric} (${kindStats(kind)})`, samples: 0 };
  }
  if (query.kindOf(def.metric) === undefined) {
    if (def.stat === 'count' || (kind === 'counter' && def.stat === 'rate')) return { value: 0, samples: 0 };
    return { value: null, reason: `no samples of ${def.metric}`, samples: 0 };
  }
  const agg = query.aggregate(def.metric, { tags: def.tags, ...(range.from !== undefined ? { from: range.from } : {}), ...(range.to !== undefined ? { to: range.to } : {}) });
  if (agg.count === 0) {
    if (def.stat === 'count' || (kind === 'counter' && def.stat === 'rate' && agg.seconds > 0)) return { value: 0, samples: 0 };
    return { value: null, reason: `no samples of ${def.key}`, samples: 0 };
  }
  return { value: statistic(agg, def.stat), samples: agg.count };
}

/** Evaluate every threshold on the windows (whole run unless a range of seconds is given). */
export function evaluateThresholds(defs: readonly ThresholdDef[], query: MetricsSource, range?: { from?: number; to?: number }): ThresholdsResult {
  const checks: ThresholdCheckResult[] = defs.map((def) => {
    const { value, reason } = measure(def, query, range);
    const pass = value !== null && compare(value, def.op, def.value);
    return { name: def.key, threshold: def.expression, value, pass, ...(reason ? { reason } : {}) };
  });
  return { pass: checks.every((c) => c.pass), checks };
}

/**
 * During a run: the first `abortOnFail` threshold failing on the data so far, once its
 * `delayAbortEval` has passed. A threshold with no data yet never aborts (nothing has failed).
 * For a long run prefer `ThresholdMonitor` (monitor.ts): same answers, each window added once.
 */
export function shouldAbort(defs: readonly ThresholdDef[], query: MetricsSource, elapsedSeconds: number): { name: string; threshold: string; value: number | null } | null {
  for (const def of defs) {
    if (!def.abortOnFail || elapsedSeconds < def.delayAbortEvalSeconds) continue;
    const { value, samples } = measure(def, query);
    // No samples yet is not a failure yet, even for a count (`count>100` starts at 0).
    if (samples > 0 && value !== null && !compare(value, def.op, def.value)) return { name: def.key, threshold: def.expression, value };
  }
  return null;
}

/** One line per check, for the console: `✓ http_req_duration{name:…} p(95)<800 (412.3)`. */
export function formatThresholdChecks(result: ThresholdsResult): string[] {
  return result.checks.map((c) => `${c.pass ? '✓' : '✗'} ${c.name} ${c.threshold} (${c.value === null ? (c.reason ?? 'no value') : round(c.value)})`);
}

function round(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(Math.abs(v) < 1 ? 4 : 2);
}

/** Convenience for stages holding raw `options.thresholds` (summary rebuilds, merges). */
export function evaluateThresholdOptions(thresholds: unknown, query: MetricsSource, range?: { from?: number; to?: number }): ThresholdsResult {
  return evaluateThresholds(parseThresholds(thresholds as ThresholdsInput | undefined), query, range);
}
