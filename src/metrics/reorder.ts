import type { EncodedWindow } from './types.js';

/**
 * A reorder buffer of a few seconds: the windows of a run as the engine hands them on (a second's
 * windows once every worker has passed it, and now and then a late window of a second already handed
 * on: an arrival recorded at its planned second after that second was drained) come out as whole
 * seconds in time order, each second once `holdSeconds` newer seconds have been seen. So a windows
 * file holds one row a second, ascending. A window later than the buffer (none in practice: the
 * engine's late windows are under a second late) comes out at once as a row of its own, and is counted
 * in `late`; readers still add up every row of a second (src/metrics/frames.ts), which also reads the
 * files written before the buffer.
 */
export class SecondReorder {
  private readonly held = new Map<number, EncodedWindow[]>();
  private newest = -Infinity;
  /** the newest second handed on */
  private done = -Infinity;
  /** windows that came after their second had been handed on */
  late = 0;

  constructor(readonly holdSeconds: number) {
    if (!Number.isInteger(holdSeconds) || holdSeconds < 0) throw new RangeError(`holdSeconds: expected an integer >= 0, got ${holdSeconds}`);
  }

  /** Take a batch of windows; returns the seconds now ready, in time order. */
  add(ws: readonly EncodedWindow[]): Array<{ t: number; windows: EncodedWindow[] }> {
    const out: Array<{ t: number; windows: EncodedWindow[] }> = [];
    for (const w of ws) {
      if (w.t <= this.done) {
        this.late += 1;
        out.push({ t: w.t, windows: [w] });
        continue;
      }
      let arr = this.held.get(w.t);
      if (!arr) this.held.set(w.t, (arr = []));
      arr.push(w);
      if (w.t > this.newest) this.newest = w.t;
    }
    return out.concat(this.release(this.newest - this.holdSeconds));
  }

  /** Every second still held, in time order (the end of the run). */
  flush(): Array<{ t: number; windows: EncodedWindow[] }> {
    return this.release(Infinity);
  }

  private release(upTo: number): Array<{ t: number; windows: EncodedWindow[] }> {
    const ready = [...this.held.keys()].filter((t) => t <= upTo).sort((a, b) => a - b);
    return ready.map((t) => {
      const windows = this.held.get(t)!;
      this.held.delete(t);
      if (t > this.done) this.done = t;
      return { t, windows };
    });
  }
}
