/**
 * Load levels and their verdicts: the one rule. The digest cuts a run into levels with it, the capacity
 * analysis groups load points into steps with it and judges them with it, the sweep's steps are judged
 * with it, and the report's table of levels and its "first to break" read what it decided.
 *
 * A load level is a stretch of seconds whose offered load (planned arrivals, second by second) holds
 * still: the spread (largest − smallest second) stays within LEVEL_RULE.spread of the level's mean plus
 * LEVEL_RULE.slack arrivals (a constant rate counted in whole seconds varies by one arrival per
 * scenario), for at least LEVEL_RULE.minSeconds, and at most maxSeconds (a long constant plan is cut so
 * that a soak's slow decline still shows). Found greedily in time order, so wherever the plan holds still
 * — a stepped plan's steps, each simulated minute of a launch-day replay, the 09:00 spike included —
 * there is a level; seconds of a steep ramp between them belong to none. A run that planned no arrivals
 * (a VU plan) is one constant "nothing planned" stretch: equal slices of maxSeconds.
 */
export const LEVEL_RULE = { minSeconds: 3, spread: 0.1, slack: 2 } as const;

/** Whether values from `min` to `max` with mean `mean` hold still (the level rule above). */
export function holdsStill(min: number, max: number, mean: number, slack: number = LEVEL_RULE.slack): boolean {
  return max - min <= LEVEL_RULE.spread * Math.abs(mean) + slack + 1e-9;
}

/**
 * The level rule applied as seconds pass (given in order; a second without windows is passed as 0).
 * `second` says whether second t starts a new stretch; `levels` lists the stretches long enough to be
 * levels, in order.
 */
export class LevelFinder {
  private from = -1;
  private n = 0; private sum = 0; private min = Infinity; private max = -Infinity;
  readonly levels: Array<[number, number]> = [];

  constructor(private readonly maxSeconds: number, private readonly slack: number = LEVEL_RULE.slack) {}

  /** Second t's offered load; true when t opens a new stretch (the one before, if any, ended at t). */
  second(t: number, offered: number): boolean {
    if (this.from >= 0) {
      const min = Math.min(this.min, offered), max = Math.max(this.max, offered);
      const fits = t - this.from < this.maxSeconds && holdsStill(min, max, (this.sum + offered) / (this.n + 1), this.slack);
      if (fits) {
        this.n += 1; this.sum += offered; this.min = min; this.max = max;
        return false;
      }
      this.close(t);
    }
    this.from = t; this.n = 1; this.sum = offered; this.min = offered; this.max = offered;
    return true;
  }

  /** Whether the stretch open since `from` is long enough, at `to`, to be a level. */
  static long(from: number, to: number): boolean {
    return to - from >= LEVEL_RULE.minSeconds;
  }

  /** Start of the open stretch (−1 before the first second). */
  get openedAt(): number { return this.from; }

  /** Close the open stretch at `to` (the end of the run). */
  close(to: number): void {
    if (this.from >= 0 && LevelFinder.long(this.from, to)) this.levels.push([this.from, to]);
    this.from = -1;
  }
}

/** The levels of a per-second offered load (index = second). */
export function findLevels(offered: readonly number[], maxSeconds: number): Array<[number, number]> {
  const f = new LevelFinder(maxSeconds);
  offered.forEach((v, t) => f.second(t, v));
  f.close(offered.length);
  return f.levels;
}

/** What can fail a level, in the order the verdict names them. */
export type LevelCriterion = 'saturated' | 'achieved' | 'errors' | 'p95' | 'noLatency';

/** A level holds when at least this share of its offered load was achieved (and the SLO held). */
export const ACHIEVED_SHARE = 0.95;

export interface LevelSlo { p95Ms: number; errorRate: number }

/** The figures a verdict reads. `achievedShare`: achieved ÷ offered, when measured otherwise than as throughput ÷ offered. */
export interface LevelFigures {
  offeredRps: number;
  throughputRps: number | null;
  /** e.g. arrivals started ÷ planned: journeys of many requests make requests lag their arrivals */
  achievedShare?: number | null;
  p95Ms: number | null;
  errorRate: number | null;
  /** every second of the level was generator-saturated: it says nothing about the system */
  saturated: boolean;
}

export interface LevelVerdict {
  held: boolean;
  /** the criteria that failed it (empty when it held) */
  failedBy: LevelCriterion[];
  /** one sentence per failed criterion, with the figures */
  reasons: string[];
}

/** Whether p95 or errors left the SLO, and by how much (value ÷ limit): also the first-break test of one endpoint. */
export function sloBreach(p95Ms: number | null, errorRate: number | null, slo: LevelSlo): { criterion: 'p95' | 'errors'; ratio: number } | null {
  const lat = p95Ms !== null && p95Ms > slo.p95Ms ? p95Ms / slo.p95Ms : 0;
  const err = errorRate !== null && errorRate > slo.errorRate ? errorRate / Math.max(slo.errorRate, 1e-9) : 0;
  if (lat === 0 && err === 0) return null;
  return lat >= err ? { criterion: 'p95', ratio: lat } : { criterion: 'errors', ratio: err };
}

/** The verdict of one level (or step): held, or failed and by which criteria. */
export function levelVerdict(x: LevelFigures, slo: LevelSlo): LevelVerdict {
  if (x.saturated || x.throughputRps === null) {
    return { held: false, failedBy: ['saturated'], reasons: ['generator saturated for the whole step: excluded, says nothing about the system'] };
  }
  const failedBy: LevelCriterion[] = [];
  const reasons: string[] = [];
  const share = x.achievedShare ?? (x.offeredRps > 0 ? x.throughputRps / x.offeredRps : 1);
  if (share < ACHIEVED_SHARE) {
    failedBy.push('achieved');
    reasons.push(x.achievedShare != null
      ? `achieved ${round1(share * 100)}% of the offered load < ${ACHIEVED_SHARE * 100}%`
      : `achieved ${round1(x.throughputRps)} rps < ${ACHIEVED_SHARE * 100}% of offered ${round1(x.offeredRps)} rps`);
  }
  if (x.errorRate !== null && x.errorRate > slo.errorRate) {
    failedBy.push('errors');
    reasons.push(`error rate ${round1(x.errorRate * 100)}% > SLO ${round1(slo.errorRate * 100)}% in some second`);
  }
  if (x.p95Ms === null && x.offeredRps > 0) {
    failedBy.push('noLatency');
    reasons.push('no latency measured');
  }
  if (x.p95Ms !== null && x.p95Ms > slo.p95Ms) {
    failedBy.push('p95');
    reasons.push(`p95 ${round1(x.p95Ms)} ms > SLO ${slo.p95Ms} ms in some second`);
  }
  return { held: failedBy.length === 0, failedBy, reasons };
}

/** One decimal: how the analysis' notes print rates, latencies and percentages. */
export function round1(v: number): number { return Math.round(v * 10) / 10; }
