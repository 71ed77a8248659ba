import { HistogramAccumulator } from './accumulator.js';
import { seriesKey } from './series-key.js';
import type { EncodedWindow } from './types.js';

/**
 * Combine windows of the same second and series coming from different sources (worker threads,
 * segments on other hosts). Exact: counts and sums add, extremes take extremes, histograms add.
 * Gauges add their last values (each source holds its own VUs).
 */
export function mergeWindows(windows: Iterable<EncodedWindow>): EncodedWindow[] {
  const groups = new Map<string, EncodedWindow[]>();
  for (const w of windows) {
    const key = `${w.t}\u0000${seriesKey(w.metric, w.tags)}`;
    const g = groups.get(key);
    if (!g) groups.set(key, [w]);
    else {
      if (g[0].kind !== w.kind) throw new Error(`invalid metrics: ${w.metric} is both ${g[0].kind} and ${w.kind}`);
      g.push(w);
    }
  }
  const out: EncodedWindow[] = [];
  const h = new HistogramAccumulator();
  for (const [first, ...rest] of groups.values()) {
    if (rest.length === 0) { out.push(first); continue; }
    const merged: EncodedWindow = { ...first };
    let trend = false;
    if (first.buckets) { h.addBuckets(first.buckets); trend = true; }
    for (const w of rest) {
      merged.count += w.count;
      merged.sum += w.sum;
      merged.min = Math.min(merged.min, w.min);
      merged.max = Math.max(merged.max, w.max);
      if (w.buckets) { h.addBuckets(w.buckets); trend = true; }
    }
    if (trend) merged.buckets = h.toBuckets();
    h.clear();
    out.push(merged);
  }
  out.sort((a, b) => a.t - b.t || (a.metric < b.metric ? -1 : a.metric > b.metric ? 1 : 0));
  return out;
}

/** Shift windows recorded against another start so that they share `startedAt` (for merges of segments). */
export function shiftWindows(windows: EncodedWindow[], bySeconds: number): EncodedWindow[] {
  if (bySeconds === 0) return windows;
  return windows.map((w) => ({ ...w, t: w.t + bySeconds }));
}
