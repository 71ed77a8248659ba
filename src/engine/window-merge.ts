/**
 * Merging the workers' 1-second windows by watermark: a worker posts the windows of the seconds it
 * has finished (`upTo`: every second before it is complete in that worker), and a second is closed
 * once every live worker is past it. Closed seconds come out in order, their windows added exactly
 * (HDR buckets, src/metrics/merge.ts).
 */
import { mergeWindows, type EncodedWindow } from '../metrics/index.js';

export interface ClosedSecond {
  t: number;
  windows: EncodedWindow[];
  /** a window of a second already closed before (an arrival recorded at its planned time after that second was drained) */
  late: boolean;
}

export class WindowMerger {
  private readonly pending = new Map<number, EncodedWindow[]>();
  private readonly watermark: number[];
  private readonly finished: boolean[];
  private lastClosed = -1;

  constructor(readonly sources: number) {
    this.watermark = new Array<number>(sources).fill(0);
    this.finished = new Array<boolean>(sources).fill(false);
  }

  add(ws: readonly EncodedWindow[]): void {
    for (const w of ws) {
      let list = this.pending.get(w.t);
      if (!list) this.pending.set(w.t, (list = []));
      list.push(w);
    }
  }

  /** Source `i` has posted every window of the seconds before `upTo`. */
  advance(i: number, upTo: number): void {
    this.watermark[i] = Math.max(this.watermark[i], upTo);
  }

  /** Source `i` will post nothing more: it no longer holds seconds back. Returns true once all have. */
  finish(i: number): boolean {
    this.finished[i] = true;
    return this.finished.every(Boolean);
  }

  isFinished(i: number): boolean { return this.finished[i]; }

  /** Every source finished (the end of the run: whatever is pending closes). */
  finishAll(): void { this.finished.fill(true); }

  /** The seconds below which every live source is complete (Infinity once all have finished). */
  horizon(): number {
    let upTo = Infinity;
    for (let i = 0; i < this.sources; i++) if (!this.finished[i]) upTo = Math.min(upTo, this.watermark[i]);
    return upTo;
  }

  /** Close every pending second below the horizon, in order. */
  close(): ClosedSecond[] {
    const upTo = this.horizon();
    const seconds = [...this.pending.keys()].filter((t) => t < upTo).sort((a, b) => a - b);
    const out: ClosedSecond[] = [];
    for (const t of seconds) {
      const windows = mergeWindows(this.pending.get(t)!);
      this.pending.delete(t);
      const late = t <= this.lastClosed;
      if (!late) this.lastClosed = t;
      out.push({ t, windows, late });
    }
    return out;
  }
}
