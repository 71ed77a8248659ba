import { aggregateWindows as addUp, statistic, type Aggregate, type EncodedWindow, type MetricKind, type MetricsQuery, type Tags } from '../metrics/index.js';

/** Aggregate of windows of one metric covering seconds [from, to): the one aggregation of src/metrics. */
export function aggregateWindows(metric: string, kind: MetricKind, ws: readonly EncodedWindow[], from: number, to: number): Aggregate {
  return addUp(metric, kind, ws, Math.max(0, to - Math.max(0, from)));
}

/** A statistic of a metric over the whole run. */
export function runStat(q: MetricsQuery, metric: string, stat: string, tags?: Tags): number | null {
  return statistic(q.aggregate(metric, tags ? { tags } : {}), stat);
}
