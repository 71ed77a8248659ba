import type { Tags } from '../metrics/index.js';

/**
 * Per chart bucket sums of the scenarios' own counters that the report charts by tag: `retries` and
 * `journey_abandoned` by the journey step they count (scenarios/lib/retry.ts, journeys.ts), and the
 * requests sent as a retry (tagged `retry`) by endpoint, against which retry amplification is read.
 */
export type CountedKind = 'retries' | 'abandoned' | 'retried';
export interface Counted { kind: CountedKind; label: string }

export function countedOf(metric: string, tags: Tags): Counted | null {
  if (metric === 'retries') return { kind: 'retries', label: tags.step ?? '' };
  if (metric === 'journey_abandoned') return { kind: 'abandoned', label: tags.step ?? '' };
  if (metric === 'http_reqs' && tags.retry !== undefined && tags.name !== undefined) return { kind: 'retried', label: tags.name };
  return null;
}

export type BucketCountsOut = Record<CountedKind, Map<string, number[]>>;

export class BucketCounts {
  private readonly out: BucketCountsOut = { retries: new Map(), abandoned: new Map(), retried: new Map() };
  constructor(private readonly width: number) {}

  add(c: Counted, t: number, v: number): void {
    if (t < 0 || v === 0) return;
    const b = Math.floor(t / this.width);
    const m = this.out[c.kind];
    let arr = m.get(c.label);
    if (!arr) m.set(c.label, (arr = []));
    while (arr.length <= b) arr.push(0);
    arr[b] += v;
  }

  /** Every series `buckets` long (0 where nothing was counted). */
  finish(buckets: number): BucketCountsOut {
    const fill = (m: Map<string, number[]>) => new Map([...m].map(([k, a]) => [k, Array.from({ length: buckets }, (_, b) => a[b] ?? 0)]));
    return { retries: fill(this.out.retries), abandoned: fill(this.out.abandoned), retried: fill(this.out.retried) };
  }
}
