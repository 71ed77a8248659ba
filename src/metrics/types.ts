/**
 * The 1-second metric windows: the unit of record between the engine, the run directory, merges and
 * the analysis. A window holds everything needed to recompute any statistic of its second exactly,
 * so windows from threads, processes and hosts are added, never averaged.
 */
export type MetricKind = 'counter' | 'rate' | 'gauge' | 'trend';

export type Tags = Readonly<Record<string, string>>;

export interface EncodedWindow {
  /** Whole seconds since the run's common start (run.json `startedAt`). */
  t: number;
  metric: string;
  kind: MetricKind;
  tags: Tags;
  /** Number of samples. */
  count: number;
  /**
   * counter: sum of values; rate: number of non-zero samples; trend: sum of values;
   * gauge: the last value (added across sources: gauges such as `vus` are per worker).
   */
  sum: number;
  min: number;
  max: number;
  /**
   * trend only: HDR histogram of round(value × TREND_SCALE) as a sparse BucketList (src/metrics/histogram.ts),
   * the form written since metrics format v2 and the only one held in memory.
   */
  buckets?: number[];
  /**
   * trend only, format v1 (files written before v2): the same histogram as HDR compressed base64.
   * Readers convert it to `buckets` as they read; nothing else uses it.
   */
  hdr?: string;
}

/** Trends are recorded as integers: value × 1000 (ms → µs for durations), 3 significant digits. */
export const TREND_SCALE = 1000;

export interface MetricsMeta {
  schemaVersion: 1;
  /** Epoch ms of second 0. */
  startedAt: number;
  windowSeconds: 1;
  trendScale: number;
  significantDigits: number;
  /** version of metrics/windows.jsonl.gz (src/metrics/codec.ts); absent: 1 */
  windowsFormat?: number;
}
