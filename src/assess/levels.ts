import { LevelFinder, findLevels } from '../analysis/levels.js';
import { LevelAcc, type FrameFigures, type LevelStats } from './accumulate.js';

/**
 * Load levels of a run as [from, to) second ranges, by the one level rule (src/analysis/levels.ts):
 * wherever the planned arrivals hold still for 3 s or more, at most levelWidth(run length) long; a run
 * that planned nothing is cut in equal slices of that width. A sweep gives its steps instead (RangeLevels).
 */

/** At most about this many levels of a constant plan: a long one is cut in pieces of levelWidth. */
export const MAX_LEVELS = 120;

/** The longest a level may be, in seconds: ≥ 5 s, and a constant plan cut in at most MAX_LEVELS pieces. */
export function levelWidth(seconds: number): number {
  return Math.max(5, Math.ceil(seconds / MAX_LEVELS));
}

/** The load levels of a plan known second by second (`planned`, or null when the run planned none). */
export function loadLevels(planned: ((t: number) => number) | null, seconds: number): Array<[number, number]> {
  return findLevels(Array.from({ length: seconds }, (_, t) => (planned ? planned(t) : 0)), levelWidth(seconds));
}

/** Levels found as the seconds pass (the level rule on each second's planned arrivals), added up window by window. */
export class FoundLevels {
  private readonly finder: LevelFinder;
  private readonly acc = new LevelAcc();
  private opened = false;
  private next = 0;
  readonly done: LevelStats[] = [];

  constructor(maxSeconds: number, private readonly names: string[], private readonly scenarios: string[]) {
    this.finder = new LevelFinder(maxSeconds);
  }

  /** One second's figures, seconds in order (a second without windows is passed on as planning nothing). */
  add(f: FrameFigures): void {
    while (this.next < f.t) this.second(this.next++, null);
    this.second(f.t, f);
    this.next = f.t + 1;
  }

  private second(t: number, f: FrameFigures | null): void {
    if (this.finder.second(t, f?.planned ?? 0)) {
      this.close(t);
      this.acc.reset(t);
      this.opened = true;
    }
    if (f) this.acc.addFrame(f);
  }

  /** The run's end: the open level closes there. */
  finish(end: number): void {
    while (this.next < end) this.second(this.next++, null);
    this.close(end);
    this.finder.close(end);
  }

  private close(to: number): void {
    if (this.opened && !this.acc.empty && LevelFinder.long(this.acc.from, to)) this.done.push(this.acc.stats(to, this.names, this.scenarios));
    this.opened = false;
  }
}

/** Levels of fixed ranges (given ones, or slices), added up window by window. */
export class RangeLevels {
  private readonly acc = new LevelAcc();
  private current = -1;
  readonly done: LevelStats[] = [];

  constructor(private readonly range: (k: number) => readonly [number, number], private readonly indexOf: (t: number) => number, private readonly names: string[], private readonly scenarios: string[] = []) {}

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
    this.done.push(this.acc.stats(this.range(this.current)[1], this.names, this.scenarios));
    this.current = -1;
  }
}
