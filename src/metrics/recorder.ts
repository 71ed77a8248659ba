import { histogramToBuckets, newHistogram, recordInto, toRecorded, type Histogram } from './histogram.js';
import { seriesKey } from './series-key.js';
import type { EncodedWindow, MetricKind, Tags } from './types.js';

interface Accumulator {
  count: number;
  sum: number;
  min: number;
  max: number;
  hdr: Histogram | undefined;
}

/**
 * Sees every sample as it is recorded (k6 run --out json writes each one); absent, the hot path pays
 * one null check.
 */
export type SampleTap = (s: Series, value: number, at: number) => void;

/** One metric with one tag set: resolve it once, then `add` on the hot path without re-keying. */
export class Series {
  private readonly windows = new Map<number, Accumulator>();
  private lastT = -1;
  private last: Accumulator | undefined;

  constructor(
    readonly metric: string,
    readonly kind: MetricKind,
    readonly tags: Tags,
    private readonly startedAt: number,
    private readonly tap: SampleTap | null = null,
  ) {}

  /** Record one sample taken at epoch ms `at`. Rates take 1/0 (true/false). */
  add(value: number, at: number): void {
    if (this.tap !== null) this.tap(this, value, at);
    const t = Math.max(0, Math.floor((at - this.startedAt) / 1000));
    let acc = t === this.lastT ? this.last : this.windows.get(t);
    if (!acc) {
      acc = { count: 0, sum: 0, min: Infinity, max: -Infinity, hdr: this.kind === 'trend' ? newHistogram() : undefined };
      this.windows.set(t, acc);
    }
    this.lastT = t;
    this.last = acc;
    acc.count += 1;
    if (this.kind === 'gauge') acc.sum = value;
    else if (this.kind === 'rate') acc.sum += value !== 0 ? 1 : 0;
    else acc.sum += value;
    if (value < acc.min) acc.min = value;
    if (value > acc.max) acc.max = value;
    if (acc.hdr) recordInto(acc.hdr, toRecorded(value));
  }

  /** Encode and forget every window with t < `beforeT` (all of them when omitted). */
  drain(beforeT: number, out: EncodedWindow[]): void {
    for (const [t, acc] of this.windows) {
      if (t >= beforeT) continue;
      out.push({
        t, metric: this.metric, kind: this.kind, tags: this.tags,
        count: acc.count, sum: acc.sum, min: acc.min, max: acc.max,
        ...(acc.hdr ? { buckets: histogramToBuckets(acc.hdr) } : {}),
      });
      this.windows.delete(t);
      if (t === this.lastT) { this.lastT = -1; this.last = undefined; }
    }
  }
}

/**
 * Records samples into 1-second windows relative to a common start. One recorder per thread;
 * finished seconds are drained as encoded windows and merged elsewhere.
 */
export class WindowRecorder {
  private readonly series = new Map<string, Series>();

  constructor(readonly startedAt: number, private readonly tap: SampleTap | null = null) {}

  get(metric: string, kind: MetricKind, tags: Tags = {}): Series {
    const key = seriesKey(metric, tags);
    let s = this.series.get(key);
    if (!s) {
      s = new Series(metric, kind, { ...tags }, this.startedAt, this.tap);
      this.series.set(key, s);
    } else if (s.kind !== kind) {
      throw new Error(`invalid metric ${metric}: already a ${s.kind}, got ${kind}`);
    }
    return s;
  }

  add(metric: string, kind: MetricKind, tags: Tags, value: number, at: number): void {
    this.get(metric, kind, tags).add(value, at);
  }

  /** Windows of every second before `beforeT`; `Infinity` drains everything (end of run). */
  drain(beforeT = Infinity): EncodedWindow[] {
    const out: EncodedWindow[] = [];
    for (const s of this.series.values()) s.drain(beforeT, out);
    return out;
  }
}
