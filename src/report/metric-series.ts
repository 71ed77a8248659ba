/**
 * A series the user names (--metrics-series) from the scrapes of a Prometheus endpoint, per chart
 * bucket: a counter (`…_total`, `…_count`, `…_sum`) as its rate per second, a histogram's `…_bucket`
 * as the p95 of the observations between two scrapes (in the histogram's unit, from the cumulative
 * bucket counts added over every label but `le`), anything else as a gauge (the largest value of the
 * bucket, labels added up).
 */
import type { ServerScrape } from '../rundir/run-dir.js';

export type MetricKind = 'rate' | 'p95' | 'gauge';

export function kindOf(name: string): MetricKind {
  if (/_bucket$/.test(name)) return 'p95';
  return /(_total|_count|_sum)$/.test(name) ? 'rate' : 'gauge';
}

function sum(s: ServerScrape, name: string): number | null {
  const xs = s.samples[name];
  return xs?.length ? xs.reduce((a, x) => a + x.value, 0) : null;
}

/** le → cumulative count, labels other than le added up */
function buckets(s: ServerScrape, name: string): Map<number, number> | null {
  const xs = s.samples[name];
  if (!xs?.length) return null;
  const out = new Map<number, number>();
  for (const x of xs) {
    const le = x.labels.le === '+Inf' ? Infinity : Number(x.labels.le);
    if (!Number.isNaN(le)) out.set(le, (out.get(le) ?? 0) + x.value);
  }
  return out;
}

/** The upper bound of the bucket holding the 95th percentile of the observations between two scrapes. */
export function p95Between(before: Map<number, number>, after: Map<number, number>): number | null {
  const les = [...after.keys()].sort((a, b) => a - b);
  const counts = les.map((le) => (after.get(le) ?? 0) - (before.get(le) ?? 0));
  const total = counts.at(-1) ?? 0;
  if (total <= 0) return null;
  const k = les.findIndex((_, i) => counts[i] >= 0.95 * total);
  const le = les[k];
  return le === Infinity ? les[k - 1] ?? null : le;
}

export function namedSeries(scrapes: readonly ServerScrape[], name: string, width: number, nb: number): (number | null)[] {
  const out = new Array<number | null>(nb).fill(null);
  const put = (t: number, v: number | null) => {
    const b = Math.floor(t / width);
    if (v === null || b < 0 || b >= nb) return;
    out[b] = out[b] === null ? v : Math.max(out[b]!, v);
  };
  const sorted = [...scrapes].sort((a, b) => a.at - b.at);
  const kind = kindOf(name);
  if (kind === 'gauge') { for (const s of sorted) put(s.t, sum(s, name)); return out; }
  for (let i = 1; i < sorted.length; i++) {
    const a = sorted[i - 1], c = sorted[i];
    const dt = (c.at - a.at) / 1000;
    if (dt <= 0) continue;
    if (kind === 'rate') {
      // a labelled counter has no sample before its first increment: 0 in a scrape that answered
      const x = sum(a, name) ?? 0, y = sum(c, name);
      // a counter that went down was reset (a restart): no rate for that interval
      put(c.t, y === null || y < x ? null : (y - x) / dt);
    } else {
      const x = buckets(a, name), y = buckets(c, name);
      put(c.t, x && y ? p95Between(x, y) : null);
    }
  }
  return out;
}

/** The series of --metrics-series: names separated by commas or lines (a file's content). */
export function parseSeriesList(text: string): string[] {
  const names = text.split('\n').map((line) => line.replace(/#.*$/, '')).join(',').split(/[\s,]+/);
  return [...new Set(names.filter(Boolean))];
}
