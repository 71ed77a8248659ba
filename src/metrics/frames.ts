import { windowOf, type SeriesInfo, type WindowSink } from './codec.js';
import type { EncodedWindow } from './types.js';

/** The windows of one second, column by column (reused from second to second: copy what you keep). */
export class Frame {
  t = 0;
  n = 0;
  readonly series: SeriesInfo[] = [];
  readonly count: number[] = [];
  readonly sum: number[] = [];
  readonly min: number[] = [];
  readonly max: number[] = [];
  readonly buckets: Array<number[] | undefined> = [];

  push(s: SeriesInfo, count: number, sum: number, min: number, max: number, buckets: number[] | undefined): void {
    const k = this.n++;
    this.series[k] = s;
    this.count[k] = count;
    this.sum[k] = sum;
    this.min[k] = min;
    this.max[k] = max;
    this.buckets[k] = buckets;
  }

  /** The frame's windows as objects (for code that queries windows, e.g. MetricsQuery). */
  windows(): EncodedWindow[] {
    return Array.from({ length: this.n }, (_, k) => windowOf(this.series[k], this.t, this.count[k], this.sum[k], this.min[k], this.max[k], this.buckets[k]));
  }
}

/**
 * Turns a stream of windows into whole seconds, in time order, holding only the seconds still open:
 * a second is handed on once a window `horizon` seconds later has been seen. A run writes its file
 * one row a second in second order (SecondReorder, reorder.ts); files written before that buffer hold
 * a few late windows (an arrival recorded at its planned second after that second was drained), and
 * the horizon is the one path that still reads them. A window arriving for a
 * second already handed on is counted in `late` (with how late, `maxLateness`) and not handed on:
 * the reader then reads again with `horizon` > maxLateness, which is exact for any order.
 */
export class SecondFrames implements WindowSink {
  private readonly open = new Map<number, Frame>();
  private readonly pool: Frame[] = [];
  private last: Frame | null = null;
  /** the first second not handed on yet */
  private next = -Infinity;
  private maxT = -Infinity;
  late = 0;
  maxLateness = 0;

  constructor(private readonly horizon: number, private readonly emit: (f: Frame) => void) {}

  window(s: SeriesInfo, t: number, count: number, sum: number, min: number, max: number, buckets: number[] | undefined): void {
    let f = this.last;
    if (f === null || f.t !== t) {
      if (t < this.next) {
        this.late += 1;
        this.maxLateness = Math.max(this.maxLateness, this.maxT - t);
        return;
      }
      f = this.open.get(t) ?? null;
      if (!f) {
        f = this.pool.pop() ?? new Frame();
        f.t = t;
        f.n = 0;
        this.open.set(t, f);
      }
      this.last = f;
    }
    f.push(s, count, sum, min, max, buckets);
    if (t > this.maxT) {
      this.maxT = t;
      if (this.horizon !== Infinity) this.flushBefore(t - this.horizon);
    }
  }

  /** Hand on every second still open (end of the stream). */
  end(): void {
    this.flushBefore(Infinity);
  }

  private flushBefore(upTo: number): void {
    if (upTo > this.next) this.next = upTo;
    if (this.open.size === 0) return;
    let ready: number[] | null = null;
    for (const t of this.open.keys()) if (t < upTo) (ready ??= []).push(t);
    if (!ready) return;
    ready.sort((a, b) => a - b);
    for (const t of ready) {
      const f = this.open.get(t)!;
      this.open.delete(t);
      if (this.last === f) this.last = null;
      this.emit(f);
      this.pool.push(f);
    }
  }
}
