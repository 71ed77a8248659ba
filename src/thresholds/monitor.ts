/**
 * abortOnFail during a run, incrementally. `shouldAbort(defs, new MetricsQuery(allWindows), t)` is
 * exact but re-adds every histogram of the run each second (quadratic over a long run); the monitor
 * keeps one running aggregate per abortOnFail threshold and adds each drained window once.
 * Same answers as `shouldAbort` on the same windows (pinned by a property test).
 */
import { statistic, type Aggregate } from '../metrics/query.js';
import { tagsMatch } from '../metrics/series-key.js';
import type { EncodedWindow } from '../metrics/types.js';
import { BUILTIN_METRIC_KINDS, compare, type ThresholdDef } from './rules.js';
import { HistogramAccumulator } from '../metrics/accumulator.js';

interface Running {
  def: ThresholdDef;
  agg: Aggregate;
  lastT: number;
  lastSum: number;
  seen: boolean;
}

export class ThresholdMonitor {
  private readonly running: Running[];
  private lastSecond = -1;

  /** Only the `abortOnFail` thresholds are watched; the others wait for the end of the run. */
  constructor(defs: readonly ThresholdDef[]) {
    this.running = defs.filter((d) => d.abortOnFail).map((def) => ({
      def, lastT: -1, lastSum: 0, seen: false,
      agg: { metric: def.metric, kind: BUILTIN_METRIC_KINDS[def.metric] ?? 'counter', count: 0, sum: 0, min: null, max: null, last: null, seconds: 0, histogram: null },
    }));
  }

  get watching(): number {
    return this.running.length;
  }

  /** Add windows as they are drained (each window once). */
  add(windows: Iterable<EncodedWindow>): void {
    for (const w of windows) {
      if (w.t > this.lastSecond) this.lastSecond = w.t;
      for (const r of this.running) {
        if (w.metric !== r.def.metric || !tagsMatch(w.tags, r.def.tags)) continue;
        const a = r.agg;
        if (!r.seen) { a.kind = w.kind; r.seen = true; }
        a.count += w.count;
        if (w.kind === 'gauge') {
          // the summed last values of the latest second (gauges are per worker)
          if (w.t > r.lastT) { r.lastT = w.t; r.lastSum = 0; }
          if (w.t === r.lastT) { r.lastSum += w.sum; a.last = r.lastSum; }
        } else a.sum += w.sum;
        if (w.count > 0) {
          a.min = a.min === null ? w.min : Math.min(a.min, w.min);
          a.max = a.max === null ? w.max : Math.max(a.max, w.max);
        }
        if (w.buckets) (a.histogram ??= new HistogramAccumulator()).addBuckets(w.buckets);
      }
    }
  }

  /**
   * The first watched threshold failing on everything added so far, once its delayAbortEval has
   * passed; null when none does (no data yet is never a failure here).
   */
  check(elapsedSeconds: number): { name: string; threshold: string; value: number | null } | null {
    for (const r of this.running) {
      const { def, agg } = r;
      if (elapsedSeconds < def.delayAbortEvalSeconds || agg.count === 0) continue;
      agg.seconds = this.lastSecond + 1;
      if (agg.kind === 'trend') agg.histogram ??= new HistogramAccumulator();
      let value: number | null;
      try {
        value = statistic(agg, def.stat);
      } catch {
        continue; // a statistic the metric does not have: reported at the end, never an abort
      }
      if (value !== null && !compare(value, def.op, def.value)) return { name: def.key, threshold: def.expression, value };
    }
    return null;
  }
}
