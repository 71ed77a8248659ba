import { invalid } from './errors.js';

/**
 * Durations in k6's form: '500ms', '90s', '5m', '1h30m', '1.5s', '2d'; a number is milliseconds.
 * Pure; throws UsageError naming the value. A unit-less string ('30') is refused rather than guessed:
 * k6 and Go disagree on what it means, and a wrong guess silently changes a test's length 1000×.
 */
const UNIT_MS: Record<string, number> = {
  ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000,
};
const PART = /(\d+(?:\.\d+)?|\.\d+)(ns|us|µs|ms|s|m|h|d)/y;

/** Milliseconds of a duration; `what` names it in the error (e.g. 'scenario citizens duration'). */
export function parseDuration(value: unknown, what = 'duration'): number {
  const expected = "a duration such as '500ms', '90s', '5m', '1h30m' or milliseconds";
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) throw invalid(what, expected, value);
    return value;
  }
  if (typeof value !== 'string') throw invalid(what, expected, value === undefined ? 'nothing' : JSON.stringify(value));
  const text = value.trim();
  if (text === '') throw invalid(what, expected, value);
  if (text === '0') return 0;
  let ms = 0;
  PART.lastIndex = 0;
  while (PART.lastIndex < text.length) {
    const at = PART.lastIndex;
    const m = PART.exec(text);
    if (!m || m.index !== at) throw invalid(what, expected, value);
    ms += Number(m[1]) * UNIT_MS[m[2]];
  }
  if (!Number.isFinite(ms)) throw invalid(what, expected, value);
  // Sub-millisecond noise from float units (1.1s = 1100.0000000000002) is not a duration anyone meant.
  return Math.round(ms * 1e6) / 1e6;
}

/** Seconds of a duration (same rules as parseDuration). */
export function parseDurationSeconds(value: unknown, what = 'duration'): number {
  return parseDuration(value, what) / 1000;
}
