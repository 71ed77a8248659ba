/**
 * k6's samples (parsed lines of `--out json`) → our 1-second windows (src/metrics), as the engine
 * records them: the same metric names, one series per metric and tag set, trends as HDR histograms.
 * Streaming: a second is handed on once a point `reorderSeconds` newer has been read, so memory holds
 * a few seconds of windows whatever the file's size. k6 writes its points about in time order (each
 * VU's samples are flushed in batches); a point older than that is still counted, as a late window of
 * its second (every reader adds up the rows of a second, src/metrics/frames.ts), and counted in `late`.
 */
import { WindowRecorder, type EncodedWindow, type MetricKind, type Series } from '../../metrics/index.js';
import type { ThresholdsInput } from '../../thresholds/index.js';
import { K6ResultsLineError, type K6Line, type K6MetricLine } from './parse.js';

/**
 * k6 system tags that our windows leave out, as the engine does: `url` repeats `name` (k6's default
 * name is the URL), the others are per connection or per VU and would make a series of every request.
 */
const DROPPED_TAGS: ReadonlySet<string> = new Set(['url', 'proto', 'tls_version', 'ip', 'vu', 'iter', 'ocsp_status', 'subproto']);

/** Seconds a point may come after newer ones and still land in its second's row (k6 flushes each second). */
export const K6_REORDER_SECONDS = 5;

/** Our own metrics that k6 does not record: the report says so instead of showing zeros. */
export const NOT_RECORDED_BY_K6 = ['schedule_lag', 'planned_iterations', 'generator_cpu', 'generator_event_loop_lag'] as const;

export interface K6BuilderOptions {
  /** epoch ms of second 0; shared by several runners' files so their seconds line up */
  startedAtMs: number;
  reorderSeconds?: number;
}

export class K6WindowBuilder {
  private readonly recorder: WindowRecorder;
  private readonly metrics = new Map<string, K6MetricLine>();
  private readonly series = new Map<string, Series>();
  private readonly reorder: number;
  /** the first second not handed on yet */
  private next = 0;
  private newest = -1;
  private out: EncodedWindow[] = [];
  points = 0;
  /** points of a second already handed on (written as late windows) */
  late = 0;
  firstMs = Infinity;
  lastMs = -Infinity;

  constructor(readonly o: K6BuilderOptions) {
    this.recorder = new WindowRecorder(o.startedAtMs);
    this.reorder = o.reorderSeconds ?? K6_REORDER_SECONDS;
  }

  /** Take one parsed line (`lineNo` for errors). */
  add(line: K6Line, lineNo: number): void {
    if (line.type === 'Metric') {
      const known = this.metrics.get(line.name);
      if (known && known.kind !== line.kind) throw new K6ResultsLineError(lineNo, `expected metric ${line.name} to stay a ${known.kind}, got a ${line.kind}`);
      this.metrics.set(line.name, known ? { ...line, thresholds: [...new Set([...known.thresholds, ...line.thresholds])], submetrics: [...known.submetrics, ...line.submetrics] } : line);
      return;
    }
    const m = this.metrics.get(line.metric);
    if (!m) throw new K6ResultsLineError(lineNo, `expected a Metric line declaring ${JSON.stringify(line.metric)} before its first Point, got none`);
    const s = this.seriesOf(line.metric, m.kind, line.tags);
    const at = line.time;
    s.add(line.value, at);
    this.points += 1;
    if (at < this.firstMs) this.firstMs = at;
    if (at > this.lastMs) this.lastMs = at;
    const t = Math.max(0, Math.floor((at - this.o.startedAtMs) / 1000));
    if (t < this.next) this.late += 1;
    if (t > this.newest) {
      this.newest = t;
      const upTo = t - this.reorder;
      if (upTo > this.next) { this.drain(upTo); }
    }
  }

  /** Windows handed on since the last call, in second order (late ones included). */
  take(): EncodedWindow[] {
    const w = this.out;
    this.out = [];
    return w;
  }

  /** Hand on everything still held (the end of the file). */
  end(): EncodedWindow[] {
    this.drain(Infinity);
    return this.take();
  }

  /** The kinds of the metrics declared. */
  kindOf(metric: string): MetricKind | undefined {
    return this.metrics.get(metric)?.kind;
  }

  /** The thresholds of the Metric lines, in k6's options form (re-evaluated on our windows). */
  thresholds(): ThresholdsInput {
    const out: ThresholdsInput = {};
    for (const m of this.metrics.values()) {
      if (m.thresholds.length) out[m.name] = [...m.thresholds];
      for (const s of m.submetrics) if (s.thresholds.length) out[s.name] = [...new Set([...(out[s.name] as string[] ?? []), ...s.thresholds])];
    }
    return out;
  }

  /** Submetrics the file names without their threshold expressions (k6 may leave them out). */
  submetricsWithoutThresholds(): string[] {
    const out: string[] = [];
    for (const m of this.metrics.values()) for (const s of m.submetrics) if (s.thresholds.length === 0) out.push(s.name);
    return out;
  }

  private drain(upTo: number): void {
    const ws = this.recorder.drain(upTo);
    if (upTo > this.next) this.next = upTo;
    if (ws.length === 0) return;
    ws.sort((a, b) => a.t - b.t);
    for (const w of ws) this.out.push(w);
  }

  /** The series of a metric and k6 tag set: found by a key of the tags as written (k6 writes them in one order). */
  private seriesOf(metric: string, kind: MetricKind, tags: Record<string, string>): Series {
    // the tags left out stay out of the key too: a URL with a query string (or k6's opt-in vu and iter
    // tags) would make a key per request, and the cache would grow with the file
    const hasName = typeof tags.name === 'string' && tags.name !== '';
    let key = metric;
    for (const k in tags) if (!DROPPED_TAGS.has(k) || (k === 'url' && !hasName)) key += '\u0001' + k + '\u0002' + tags[k];
    let s = this.series.get(key);
    if (s) return s;
    const kept: Record<string, string> = {};
    for (const k in tags) {
      const v = tags[k];
      if (v === null || v === undefined) continue;
      if (DROPPED_TAGS.has(k) && (k !== 'url' || hasName)) continue;
      if (k === 'group' && v === '') continue; // k6's root group; the engine leaves it out
      kept[k] = String(v);
    }
    // a request without a name tag is named by its URL, as k6 does
    if (!hasName && typeof tags.url === 'string' && metric.startsWith('http_req')) { kept.name = tags.url; delete kept.url; }
    s = this.recorder.get(metric, kind, kept);
    this.series.set(key, s);
    return s;
  }
}
