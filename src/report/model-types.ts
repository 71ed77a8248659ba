import type { Summary } from '../contracts/summary.js';
import type { LimitSweep } from '../assess/index.js';
import type { WhatIfDefaults } from './whatif-panel.js';
import type { ProfileRow, RunRow } from './method-rows.js';
import type { RunnerRow, RunnerSentence } from './runner-rows.js';

/**
 * The report model: plain, language-neutral data (numbers, endpoint names, i18n keys) that the HTML and
 * PNG views render. Built once from the summary and the windows; views never touch metrics.
 */
export type Point = { x: number; y: number };
export interface SeriesModel {
  /** i18n key of the label, or `raw` for names from data (endpoints, status codes) */
  label: { key: string } | { raw: string } | { key: string; raw: string };
  data: Array<number | null> | Point[];
  color: string;
  dashed?: boolean;
  axis?: 'y' | 'y2';
  type?: 'line' | 'bar' | 'scatter';
  stack?: string;
  fill?: boolean;
}
export interface ChartModel {
  id: string;
  title: string;           // i18n key
  titleVars?: Record<string, string | number>;
  yLabel: string;          // i18n key
  y2Label?: string;
  xLabel: string;          // i18n key
  kind: 'time' | 'xy';
  labels: string[];        // x labels for time charts
  series: SeriesModel[];
  /** time charts: buckets where the generator was saturated (shaded) */
  shade?: boolean[];
  /** time charts: labelled bands, as bucket ranges [from, to]: the faults injected on the day's timeline, and the seconds a runner's generator fell behind */
  faults?: FaultMark[];
  stacked?: boolean;
  /** xy charts: a vertical marker (the knee) */
  markerX?: number | null;
  /** 'endpoint': one of the small charts of each endpoint, drawn together below the others */
  group?: 'endpoint';
}

/**
 * A labelled band on a time chart: buckets `from`–`to` (inclusive) and what the fault was; or, with
 * `runner`, the seconds that runner's generator fell behind (the page words its label).
 */
export interface FaultMark { from: number; to: number; label: string; runner?: string }

export interface LevelRowModel {
  label: string | null; seconds: number | null;
  offeredRps: number; throughputRps: number | null; achievedShare: number | null; p95Ms: number | null; errorRate: number | null;
  held: boolean; failedBy: string[];
}

export interface FirstBreak { endpoint: string; reason: 'latency' | 'errors'; value: number; atRps: number; atLabel: string }

export interface ReportModel {
  summary: Summary;
  slo: { p95Ms: number; errorRate: number };
  seconds: number;
  bucketSeconds: number;
  simulatedTime: boolean;
  /**
   * whose clock the times of day are on when the portal is not the embedded one (--target): the
   * portal's own (read during the run) or the plan's; null with the embedded portal (its clock is set to
   * the plan's) or without times of day
   */
  targetClock: { source: 'portal' | 'plan'; planStart: string | null; timeScale: number | null } | null;
  verdict: {
    instancesForPeak: number | null;
    peakDemandRps: number | null;
    headroom: number | null;
    maxSustainableRps: number | null;
    /** false: nothing tested above maxSustainableRps failed, so it is a lower bound */
    limitReached: boolean;
    /** the per-instance capacity the instance count is sized on (summary.json capacity.sizing) */
    perInstanceRps: number | null;
    /** what launch-day's limit sweep found after a replay that held every level (null: none ran) */
    limitSweep: LimitSweep | null;
    kneeRps: number | null;
    bestWithinSloRps: number | null;
    /** the highest offered load of a level the analysis kept; null when it kept none */
    maxTestedRps: number | null;
    firstBreak: FirstBreak | null;
    wait: { p50Ms: number | null; p95Ms: number | null; p99Ms: number | null; busiestP95Ms: number | null; busiestLabel: string | null };
    money: null | { heldPaise: number | null; stuckDebits: number | null; stuckPaise: number | null; discrepancyPaise: number | null; capturedPaise: number | null; refundedPaise: number | null; refundP95Seconds: number | null };
    registrations: number | null;
    ordersPlaced: number | null;
    ordersAccepted: number | null;
    saturatedSeconds: number;
    droppedIterations: number | null;
    thresholds: { evaluated: boolean; pass: boolean; failed: string[]; total: number };
    aborted: boolean;
    /** run.json has no end: the process was killed or crashed, and the figures are of the seconds it wrote */
    unfinished: boolean;
  };
  charts: ChartModel[];
  /** the analysed load levels and their verdicts (summary.json capacity.loadLevels), with their time labels */
  levels: LevelRowModel[];
  /** the faults the run injected (faults.json), in seconds of the run; marked on every time chart */
  faultWindows: Array<{ fromSecond: number; toSecond: number; label: string; applied: boolean }>;
  /** the runners of a distributed test (summary.json `runners`): a row each and the sentences above them; null for a run that is not a merge of runners */
  runners: { rows: RunnerRow[]; sentences: RunnerSentence[] } | null;
  /** defaults of the what-if panel; null when this run measured no per-instance capacity */
  whatIf: WhatIfDefaults | null;
  endpoints: Array<{ name: string; requests: number; rps: number | null; errorRate: number | null; p50: number | null; p95: number | null; p99: number | null; max: number | null; withinSlo: boolean | null }>;
  method: {
    profile: ProfileRow[];
    run: RunRow[];
    compression: { timeScale: number | null; simulatedStart: string | null; plannedDurationSeconds: number | null };
  };
}
