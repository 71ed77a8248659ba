import { HistogramAccumulator, fromRecorded, type DecodedBuckets } from '../metrics/index.js';

/**
 * The adders of the run digest (digest.ts): per-second columns, one second's figures, and the totals of
 * a load level or chart bucket (counts and sums added, histograms added by HDR bucket).
 */

/** One load level's figures: everything capacity points and the first-break search read. */
export interface LevelStats {
  from: number;
  to: number;
  requests: number;
  errors: number;
  /** http_req_failed samples (every request outcome) */
  outcomes: number;
  planned: number;
  /** planned arrivals by the `scenario` tag of planned_iterations ('' untagged) */
  plannedByScenario: Map<string, number>;
  /** planned arrivals dropped (no free VU) */
  dropped: number;
  p95Ms: number | null;
  p99Ms: number | null;
  meanMs: number | null;
  endpoints: Map<string, { outcomes: number; errors: number; p95Ms: number | null }>;
}

/** A growable per-second column; `empty` is the value of a second that holds nothing. */
export class Column {
  data: Float64Array;
  constructor(private readonly empty: number) {
    this.data = new Float64Array(256).fill(empty);
  }
  get(t: number): number {
    return t >= 0 && t < this.data.length ? this.data[t] : this.empty;
  }
  add(t: number, v: number): void {
    if (t < 0) return;
    if (t >= this.data.length) {
      let n = this.data.length;
      while (n <= t) n *= 2;
      const next = new Float64Array(n).fill(this.empty);
      next.set(this.data);
      this.data = next;
    }
    const cur = this.data[t];
    this.data[t] = cur !== cur ? v : cur + v; // NaN (nothing yet) + v = v
  }
  set(t: number, v: number): void {
    this.add(t, 0);
    if (t >= 0) this.data[t] = v;
  }
}

/** One second's contribution, column by column, shared by the chart and level trackers (reused). */
export class FrameFigures {
  t = 0; requests = 0; failed = 0; outcomes = 0; planned = 0; dropped = 0;
  plannedN = 0; readonly plannedSlot: number[] = []; readonly plannedSum: number[] = [];
  durN = 0; readonly durSlot: number[] = []; readonly durCount: number[] = []; readonly durSum: number[] = []; readonly durDec: Array<DecodedBuckets | null> = [];
  failN = 0; readonly failSlot: number[] = []; readonly failCount: number[] = []; readonly failSum: number[] = []; readonly failKind: string[] = [];
  reset(t: number): void {
    this.t = t;
    this.requests = this.failed = this.outcomes = this.planned = this.dropped = this.durN = this.failN = this.plannedN = 0;
  }
}

class EndpointAcc {
  outcomes = 0; errors = 0; count = 0;
  readonly dur = new HistogramAccumulator();
}

/** Adds up the windows of one level or chart bucket; reused from one to the next. */
export class LevelAcc {
  from = 0; requests = 0; errors = 0; outcomes = 0; planned = 0; dropped = 0; durCount = 0; durSum = 0;
  empty = true;
  /** planned arrivals by scenario slot */
  readonly plannedBy: number[] = [];
  readonly dur = new HistogramAccumulator();
  /** by endpoint slot */
  readonly eps: Array<EndpointAcc | undefined> = [];

  reset(from: number): void {
    this.from = from;
    this.requests = this.errors = this.outcomes = this.planned = this.dropped = this.durCount = this.durSum = 0;
    this.plannedBy.fill(0);
    this.empty = true;
    this.dur.clear();
    for (const e of this.eps) if (e) { e.outcomes = e.errors = e.count = 0; e.dur.clear(); }
  }

  private ep(slot: number): EndpointAcc {
    return (this.eps[slot] ??= new EndpointAcc());
  }

  addFrame(f: FrameFigures): void {
    this.empty = false;
    this.requests += f.requests;
    this.errors += f.failed;
    this.outcomes += f.outcomes;
    this.planned += f.planned;
    this.dropped += f.dropped;
    for (let k = 0; k < f.plannedN; k++) this.plannedBy[f.plannedSlot[k]] = (this.plannedBy[f.plannedSlot[k]] ?? 0) + f.plannedSum[k];
    for (let k = 0; k < f.failN; k++) {
      const slot = f.failSlot[k];
      if (slot < 0) continue;
      const e = this.ep(slot);
      e.outcomes += f.failCount[k];
      e.errors += f.failSum[k];
    }
    for (let k = 0; k < f.durN; k++) {
      this.durCount += f.durCount[k];
      this.durSum += f.durSum[k];
      const dec = f.durDec[k];
      if (dec) this.dur.addDecoded(dec);
      const slot = f.durSlot[k];
      if (slot < 0) continue;
      const e = this.ep(slot);
      e.count += f.durCount[k];
      if (dec) e.dur.addDecoded(dec);
    }
  }

  /** Add a whole other level (a chart bucket into the slice holding it). */
  addLevel(o: LevelAcc): void {
    if (o.empty) return;
    this.empty = false;
    this.requests += o.requests;
    this.errors += o.errors;
    this.outcomes += o.outcomes;
    this.planned += o.planned;
    this.dropped += o.dropped;
    o.plannedBy.forEach((v, slot) => { this.plannedBy[slot] = (this.plannedBy[slot] ?? 0) + v; });
    this.durCount += o.durCount;
    this.durSum += o.durSum;
    this.dur.add(o.dur);
    o.eps.forEach((oe, slot) => {
      if (!oe || (oe.outcomes === 0 && oe.count === 0)) return;
      const e = this.ep(slot);
      e.outcomes += oe.outcomes;
      e.errors += oe.errors;
      e.count += oe.count;
      e.dur.add(oe.dur);
    });
  }

  /** `names`: endpoint names by slot; `scenarios`: scenario names by slot */
  stats(to: number, names: readonly string[], scenarios: readonly string[] = []): LevelStats {
    const [p95, p99] = this.durCount ? this.dur.valuesAtPercentiles([95, 99]).map(fromRecorded) : [null, null];
    const endpoints = new Map<string, { outcomes: number; errors: number; p95Ms: number | null }>();
    this.eps.forEach((e, slot) => {
      if (!e || (e.outcomes === 0 && e.count === 0)) return;
      endpoints.set(names[slot], { outcomes: e.outcomes, errors: e.errors, p95Ms: e.count ? fromRecorded(e.dur.getValueAtPercentile(95)) : null });
    });
    const plannedByScenario = new Map<string, number>();
    this.plannedBy.forEach((v, slot) => { if (v) plannedByScenario.set(scenarios[slot] ?? '', v); });
    return {
      from: this.from, to, requests: this.requests, errors: this.errors, outcomes: this.outcomes, planned: this.planned,
      plannedByScenario, dropped: this.dropped,
      p95Ms: p95, p99Ms: p99, meanMs: this.durCount ? this.durSum / this.durCount : null, endpoints,
    };
  }
}
