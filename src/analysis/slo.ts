import { z } from 'zod';
import { invalid } from '../contracts/errors.js';
import { expectedWords } from '../contracts/issues.js';

/**
 * Service-level objectives per endpoint: p95, p99 and error rate. One default applies to every
 * endpoint; `endpoints` overrides it field by field for named ones (the request's `name` tag).
 */
const limits = z.object({
  p95Ms: z.number().positive(),
  p99Ms: z.number().positive().nullable(),
  errorRate: z.number().min(0).max(1),
}).strict();
export const sloConfigSchema = z.object({
  default: limits,
  endpoints: z.record(z.string(), limits.partial()).default({}),
}).strict();
export type SloLimits = z.infer<typeof limits>;
export type SloConfig = z.infer<typeof sloConfigSchema>;

/** The default: the booking portal's targets (p95 < 800 ms, p99 < 2 s, < 1% errors). */
export const DEFAULT_SLO: SloConfig = { default: { p95Ms: 800, p99Ms: 2000, errorRate: 0.01 }, endpoints: {} };

export function parseSloConfig(input: unknown): SloConfig {
  const r = sloConfigSchema.safeParse(input);
  if (!r.success) {
    const issue = r.error.issues[0];
    const path = issue.path.join('.') || 'SLO config';
    throw invalid(`SLO ${path}`, expectedWords(issue), pathValue(input, issue.path));
  }
  return r.data;
}

function pathValue(input: unknown, path: PropertyKey[]): unknown {
  let v: unknown = input;
  for (const k of path) v = v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined;
  return typeof v === 'object' ? JSON.stringify(v) : v;
}

export interface EndpointMeasure { p95Ms: number | null; p99Ms?: number | null; errorRate: number | null }
export interface SloCheck { metric: 'p95Ms' | 'p99Ms' | 'errorRate'; limit: number; value: number | null; pass: boolean | null }
export interface EndpointSlo { endpoint: string; checks: SloCheck[]; /** null when nothing was measured. */ pass: boolean | null }

export function limitsFor(config: SloConfig, endpoint: string): SloLimits {
  return { ...config.default, ...stripUndefined(config.endpoints[endpoint] ?? {}) };
}

export function checkSlo(measure: EndpointMeasure, l: SloLimits): SloCheck[] {
  const checks: SloCheck[] = [check('p95Ms', l.p95Ms, measure.p95Ms)];
  if (l.p99Ms !== null) checks.push(check('p99Ms', l.p99Ms, measure.p99Ms ?? null));
  checks.push(check('errorRate', l.errorRate, measure.errorRate));
  return checks;
}

/** Checks every endpoint; an unmeasured value is neither pass nor fail (null), never 0. */
export function checkEndpoints(endpoints: Record<string, EndpointMeasure>, config: SloConfig = DEFAULT_SLO): EndpointSlo[] {
  return Object.entries(endpoints).map(([endpoint, m]) => {
    const checks = checkSlo(m, limitsFor(config, endpoint));
    const decided = checks.filter((c) => c.pass !== null);
    return { endpoint, checks, pass: decided.length === 0 ? null : decided.every((c) => c.pass) };
  });
}

function check(metric: SloCheck['metric'], limit: number, value: number | null): SloCheck {
  return { metric, limit, value, pass: value === null ? null : value <= limit };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
