import type { RequestParams, Response } from '../../src/scenario-api/types.js';
import { header, type Toolkit } from './toolkit.js';

/**
 * What a person (or the app) does when a request fails.
 * naive  — press again at once, as on launch day: retries pile onto an overloaded server;
 * polite — capped exponential backoff with full jitter, and never sooner than the server's Retry-After.
 */
export interface RetryPolicy {
  policy: 'naive' | 'polite';
  /** chance that a person retries at all after a failure */
  probability: number;
  maxRetries: number;
  baseSeconds: number;
  capSeconds: number;
}

export const DEFAULT_POLITE = { baseSeconds: 0.5, capSeconds: 8 } as const;

/** Worth retrying: network error or timeout (0), 408, 429 and 5xx. A 4xx refusal will not change. */
export function retryable(status: number): boolean {
  return status === 0 || status === 408 || status === 429 || status >= 500;
}

/** Seconds from a Retry-After header (delta-seconds or an HTTP date), or undefined. */
export function retryAfterSeconds(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const n = Number(value);
  if (Number.isFinite(n)) return Math.max(0, n);
  const t = Date.parse(value);
  return Number.isFinite(t) ? Math.max(0, (t - now) / 1000) : undefined;
}

/** The wait before retry number `attempt` (1-based); 0 for naive. */
export function backoffSeconds(p: RetryPolicy, attempt: number, random: () => number, retryAfter?: number): number {
  if (p.policy === 'naive') return 0;
  const ceiling = Math.min(p.capSeconds, p.baseSeconds * 2 ** (attempt - 1));
  const jittered = random() * ceiling;
  return retryAfter !== undefined ? Math.max(retryAfter, jittered) : jittered;
}

export interface Attempted { res: Response; attempts: number; failures: number }

/**
 * Run one step with the retry policy. Each retry carries the tag `retry: "<n>"` so the report shows
 * amplification (requests per arrival); writes keep their Idempotency-Key across retries.
 */
export async function withRetries(
  tk: Toolkit, policy: RetryPolicy, random: () => number,
  send: (params: RequestParams) => Promise<Response>, params: RequestParams, step: string,
  /** failures this person still tolerates before giving up (abandonment) */
  patience = Infinity,
): Promise<Attempted> {
  let attempt = 0;
  let failures = 0;
  for (;;) {
    const tags = attempt === 0 ? params.tags : { ...params.tags, retry: String(attempt) };
    const res = await send({ ...params, tags });
    if (!retryable(res.status)) return { res, attempts: attempt + 1, failures };
    failures++;
    if (attempt >= policy.maxRetries || failures >= patience || random() >= policy.probability) return { res, attempts: attempt + 1, failures };
    attempt++;
    tk.count('retries', 1, { step, policy: policy.policy });
    const wait = backoffSeconds(policy, attempt, random, retryAfterSeconds(header(res, 'retry-after')));
    if (wait > 0) await tk.sleep(wait);
  }
}
