import { invalid } from './errors.js';

/**
 * Durations, by k6's rules (go.k6.io/k6/lib/types, read in k6's documentation): a string is a sequence of
 * decimal numbers each with a unit — ns, us (µs, μs), ms, s, m, h as Go writes them ('500ms', '90s', '5m',
 * '1h30m', '1.5s') — optionally after a whole number of days ('2d', '1d12h'); a number (a JavaScript value in
 * a scenario's options) is milliseconds. One departure, on purpose: k6 reads a unit-less *string* ('30') as
 * milliseconds, the old `sweep` read it as seconds; a guess either way changes a test's length 1000×, so
 * a unit-less string is refused, with a message that names both readings. Negative durations are refused.
 */
const UNIT_MS: Record<string, number> = {
  ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000,
};
const PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;
const DAYS = /^(\d+)d/;
const EXPECTED = 'a duration such as 90s, 5m or 1h30m';

/** Milliseconds of a duration; `what` names it in the error (e.g. '--step-duration', 'duration of scenario citizens'). */
export function parseDuration(value: unknown, what = 'duration'): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) throw invalid(what, `${EXPECTED}, or a number of milliseconds ≥ 0`, value);
    return value;
  }
  if (typeof value !== 'string') throw invalid(what, EXPECTED, value);
  const text = value.trim();
  if (text === '0') return 0;
  if (/^\d+(\.\d+)?$/.test(text)) throw invalid(what, `${EXPECTED} (a unit is needed: ${text}s is seconds, ${text}ms milliseconds)`, value);
  if (text === '') throw invalid(what, EXPECTED, value);
  const days = DAYS.exec(text);
  let ms = days ? Number(days[1]) * 86_400_000 : 0;
  PART.lastIndex = days ? days[0].length : 0;
  while (PART.lastIndex < text.length) {
    const from = PART.lastIndex;
    const m = PART.exec(text);
    if (!m || m.index !== from) throw invalid(what, EXPECTED, value);
    ms += Number(m[1]) * UNIT_MS[m[2]];
  }
  if (!Number.isFinite(ms)) throw invalid(what, EXPECTED, value);
  // Sub-millisecond noise from float units (1.1s = 1100.0000000000002) is not a duration anyone meant.
  return Math.round(ms * 1e6) / 1e6;
}

/** Seconds of a duration (same rules as parseDuration). */
export function parseDurationSeconds(value: unknown, what = 'duration'): number {
  return parseDuration(value, what) / 1000;
}

/** Whole seconds of a duration (a CLI flag such as `--step-duration`), at least `min`. */
export function parseWholeSeconds(value: unknown, what: string, min = 0): number {
  const ms = parseDuration(value, what);
  if (ms % 1000 !== 0 || ms / 1000 < min) throw invalid(what, `a whole number of seconds ≥ ${min}, such as 10s or 2m`, value);
  return ms / 1000;
}

/** The shortest k6 form of a whole number of milliseconds: 90000 → '90s', 1500 → '1500ms'. */
export function formatDuration(ms: number): string {
  const r = Math.round(ms);
  return r % 1000 === 0 ? `${r / 1000}s` : `${r}ms`;
}
