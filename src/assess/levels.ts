import type { FrameFigures, LevelStats } from './accumulate.js';
import { LevelAcc } from './accumulate.js';

/**
 * Load levels of a run as [from, to) second ranges: the steps of a stepped plan, or equal slices of a
 * ramp. The one step rule is StepFinder's: a step is consecutive seconds whose planned iterations are
 * within 1% of the step's first second; steps shorter than 3 s are left out; a plan with fewer than two
 * such steps, or more than MAX_LEVELS, is a ramp or a constant, cut in slices of levelWidth.
 */

/** At most this many levels: a run whose plan changes every second (a ramp) is cut in equal slices. */
export const MAX_LEVELS = 120;

/** Width of a slice of a ramp in seconds: ≥ 5 s, and at most MAX_LEVELS slices. */
export function levelWidth(seconds: number): number {
  return Math.max(5, Math.ceil(seconds / MAX_LEVELS));
}

/** Boundaries of the steps of a stepped plan, found as seconds pass (seconds given in order from 0). */
export class StepFinder {
  private ref = 0;
  private from = 0;
  readonly long: Array<[number, number]> = [];
  overflow = false;

  second(t: number, planned: number): void {
    if (t === 0) { this.ref = planned; this.from = 0; return; }
    if (Math.abs(planned - this.ref) <= 0.01 * Math.max(this.ref, 1e-9)) return;
    this.close(t);
    this.from = t;
    this.ref = planned;
  }

  close(to: number): void {
    if (to - this.from < 3) return;
    if (this.long.length >= MAX_LEVELS) this.overflow = true;
    else this.long.push([this.from, to]);
  }

  /** The steps once the run's `seconds` are all seen, or null when the plan is not stepped. */
  steps(seconds: number): Array<[number, number]> | null {
    this.close(seconds);
    return !this.overflow && this.long.length >= 2 ? this.long : null;
  }
}

/** Equal slices of levelWidth that fit in `seconds`. */
export function slices(seconds: number): Array<[number, number]> {
  const w = levelWidth(seconds);
  const out: Array<[number, number]> = [];
  for (let from = 0; from + w <= seconds; from += w) out.push([from, from + w]);
  return out;
}

/**
 * The load levels of a plan known second by second (`planned`, or null when the run planned none):
 * StepFinder's steps, else slices. The digest finds the same steps as the windows stream past.
 */
export function loadLevels(planned: ((t: number) => number) | null, seconds: number): Array<[number, number]> {
  if (!planned) return slices(seconds);
  const f = new StepFinder();
  for (let t = 0; t < seconds; t++) f.second(t, planned(t));
  return f.steps(seconds) ?? slices(seconds);
}

/** Levels of fixed ranges (given ones, or slices), added up window by window. */
export class RangeLevels {
  private readonly acc = new LevelAcc();
  private current = -1;
  readonly done: LevelStats[] = [];

  constructor(private readonly range: (k: number) => readonly [number, number], private readonly indexOf: (t: number) => number, private readonly names: string[]) {}

  add(f: FrameFigures): void {
    const k = this.indexOf(f.t);
    if (k !== this.current) {
      this.close();
      this.current = k;
      if (k >= 0) this.acc.reset(this.range(k)[0]);
    }
    if (k >= 0) this.acc.addFrame(f);
  }

  /** Close the open range; ranges ending after `end` (slices cut by the end of the run) are dropped. */
  finish(end: number): void {
    this.close();
    while (this.done.length > 0 && this.done[this.done.length - 1].to > end) this.done.pop();
  }

  private close(): void {
    if (this.current < 0) return;
    this.done.push(this.acc.stats(this.range(this.current)[1], this.names));
    this.current = -1;
  }
}

/** Slices made of whole chart buckets (a slice's width a multiple of the chart's): bucket totals added up. */
export class NestedSlices {
  private readonly acc = new LevelAcc();
  private current = -1;
  readonly done: LevelStats[] = [];

  constructor(private readonly sliceWidth: number, private readonly chartWidth: number, private readonly names: string[]) {}

  addBucket(b: number, bucket: LevelAcc): void {
    const k = Math.floor((b * this.chartWidth) / this.sliceWidth);
    if (k !== this.current) {
      this.close();
      this.current = k;
      this.acc.reset(k * this.sliceWidth);
    }
    this.acc.addLevel(bucket);
  }

  finish(end: number): void {
    this.close();
    while (this.done.length > 0 && this.done[this.done.length - 1].to > end) this.done.pop();
  }

  private close(): void {
    if (this.current < 0) return;
    this.done.push(this.acc.stats((this.current + 1) * this.sliceWidth, this.names));
    this.current = -1;
  }
}
