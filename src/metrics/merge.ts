import { decodeHistogram, encodeHistogram, newHistogram, type Histogram } from './histogram.js';
import { seriesKey } from './series-key.js';
import type { EncodedWindow } from './types.js';

/**
 * Combine windows of the same second and series coming from different sources (worker threads,
 * segments on other hosts). Exact: counts and sums add, extremes take extremes, histograms add.
 * Gauges add their last values (each source holds its own VUs).
 */
export function mergeWindows(windows: Iterable<EncodedWindow>): EncodedWindow[] {
  const groups = new Map<string, { first: EncodedWindow; rest: EncodedWindow[] }>();
  for (const w of windows) {
    const key = `${w.t}\u0000${seriesKey(w.metric, w.tags)}`;
    const g = groups.get(key);
    if (!g) groups.set(key, { first: w, rest: [] });
    else {
      if (g.first.kind !== w.kind) throw new Error(`invalid metrics: ${w.metric} is both ${g.first.kind} and ${w.kind}`);
      g.rest.push(w);
    }
  }
  const out: EncodedWindow[] = [];
  for (const { first, rest } of groups.values()) {
    if (rest.length === 0) { out.push(first); continue; }
    const merged: EncodedWindow = { ...first };
    // A decoded histogram does not resize: add everything into a fresh auto-resizing one.
    let h: Histogram | undefined;
    if (first.hdr) { h = newHistogram(); h.add(decodeHistogram(first.hdr)); }
    for (const w of rest) {
      merged.count += w.count;
      merged.sum += w.sum;
      merged.min = Math.min(merged.min, w.min);
      merged.max = Math.max(merged.max, w.max);
      if (w.hdr) {
        h ??= newHistogram();
        h.add(decodeHistogram(w.hdr));
      }
    }
    if (h) merged.hdr = encodeHistogram(h);
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
