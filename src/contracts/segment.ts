import { invalid } from './errors.js';

/**
 * A segment of a test, "i/n": the i-th of n equal parts, counted from 1 (`run --segment 1/2` is the first of
 * two), as the CLI documents it and run.json records it. `what` names the value in the error.
 */
export interface Segment { index: number; count: number }

export function parseSegment(text: unknown, what = '--segment'): Segment {
  const m = typeof text === 'string' ? /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text) : null;
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || !(count >= 1) || !(index >= 1) || index > count) throw invalid(what, 'i/n with 1 ≤ i ≤ n, e.g. 1/2 for the first of two', text);
  return { index, count };
}

export function formatSegment(s: Segment): string {
  return `${s.index}/${s.count}`;
}
