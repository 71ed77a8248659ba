import { gunzipSync, gzipSync } from 'node:zlib';
import { bucketsToHdr, hdrToBuckets, SIGNIFICANT_DIGITS } from './histogram.js';
import { seriesKey } from './series-key.js';
import { TREND_SCALE, type EncodedWindow, type MetricKind, type Tags } from './types.js';

/**
 * `metrics/windows.jsonl.gz`: gzip, one JSON value a line.
 *
 * Format v2 (written since report-scale):
 *   {"format":"capacity-test/windows","version":2,"histogram":"hdr-index-gaps","significantDigits":3,"trendScale":1000}
 *   {"series":0,"metric":"http_reqs","kind":"counter","tags":{"name":"GET /x","status":"200"}}
 *   [t, series, count, sum, min, max]              a window of a counter, rate or gauge
 *   [t, series, count, sum, min, max, [buckets]]   a window of a trend: its BucketList (histogram.ts)
 * A series line comes before the series' first window; windows are in time order (not required to
 * read, but a reader streaming a long run can then finish each second as it passes).
 *
 * Why not v1's shape with a new histogram field: a 24-hour run of 10 endpoints is 2.7 million windows;
 * on this project's 2-core machines gunzip plus JSON.parse of v1 objects took ~9 s for it (tags and
 * key names repeated on every line: 536 MB of text), v2 rows ~3.4 s (196 MB). Measured, see bench/report.ts.
 *
 * Format v1 (files written before): one window object a line, `{ t, metric, kind, tags, count, sum,
 * min, max, hdr? }` with `hdr` an HDR histogram in compressed base64. Read as ever; `hdr` becomes `buckets`.
 */
export const WINDOWS_FORMAT = 2;
const FORMAT_NAME = 'capacity-test/windows';

/** A metric with one tag set, as a v2 file defines it once. */
export interface SeriesInfo {
  id: number;
  metric: string;
  kind: MetricKind;
  tags: Tags;
}

export function windowsHeaderLine(): string {
  return JSON.stringify({ format: FORMAT_NAME, version: WINDOWS_FORMAT, histogram: 'hdr-index-gaps', significantDigits: SIGNIFICANT_DIGITS, trendScale: TREND_SCALE });
}

/** Writes v2 lines: a series' definition the first time it is seen, then its windows as rows. */
export class WindowEncoder {
  private readonly ids = new Map<string, number>();

  /** Push the line(s) of one window onto `out`. */
  push(w: EncodedWindow, out: string[]): void {
    const key = seriesKey(w.metric, w.tags);
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.ids.size;
      this.ids.set(key, id);
      out.push(JSON.stringify({ series: id, metric: w.metric, kind: w.kind, tags: w.tags }));
    }
    const buckets = w.buckets ?? (w.hdr ? hdrToBuckets(w.hdr) : undefined);
    out.push(JSON.stringify(buckets ? [w.t, id, w.count, w.sum, w.min, w.max, buckets] : [w.t, id, w.count, w.sum, w.min, w.max]));
  }
}

/** Windows in time order (stable: the order within a second is kept). */
function byTime(windows: readonly EncodedWindow[]): readonly EncodedWindow[] {
  for (let i = 1; i < windows.length; i++) {
    if (windows[i].t < windows[i - 1].t) return [...windows].sort((a, b) => a.t - b.t);
  }
  return windows;
}

/** The v2 lines of a run's windows, header first, in time order, a few thousand lines per string. */
export function* windowTextChunks(windows: readonly EncodedWindow[], linesPerChunk = 4096): Generator<string> {
  const enc = new WindowEncoder();
  let lines: string[] = [windowsHeaderLine()];
  for (const w of byTime(windows)) {
    enc.push(w, lines);
    if (lines.length >= linesPerChunk) { yield lines.join('\n') + '\n'; lines = []; }
  }
  if (lines.length) yield lines.join('\n') + '\n';
}

/** windows → gzip v2 JSON lines (built in chunks: a long run's text is larger than a JS string may be). */
export function encodeWindows(windows: readonly EncodedWindow[]): Buffer {
  const parts: Buffer[] = [];
  for (const chunk of windowTextChunks(windows)) parts.push(Buffer.from(chunk, 'utf8'));
  return gzipSync(Buffer.concat(parts));
}

/** windows → format v1 (one window object a line, `hdr` compressed base64), for fixtures and old readers. */
export function encodeWindowsV1(windows: readonly EncodedWindow[]): Buffer {
  const parts: Buffer[] = [];
  let lines: string[] = [];
  for (const w of windows) {
    const { buckets, ...rest } = w;
    lines.push(JSON.stringify(buckets ? { ...rest, hdr: bucketsToHdr(buckets) } : rest));
    if (lines.length >= 4096) { parts.push(Buffer.from(lines.join('\n') + '\n')); lines = []; }
  }
  parts.push(Buffer.from(lines.length ? lines.join('\n') + '\n' : ''));
  return gzipSync(Buffer.concat(parts));
}

/** Reads lines of either format, in order; keeps the series dictionary of v2 (and interns v1's series). */
export class WindowDecoder {
  private readonly byId: SeriesInfo[] = [];
  private readonly byKey = new Map<string, SeriesInfo>();
  private lineNo = 0;

  /** The window a line holds (null for a header or series line), with its series. */
  line(text: string): { w: EncodedWindow; s: SeriesInfo } | null {
    this.lineNo += 1;
    let v: unknown;
    try {
      v = JSON.parse(text);
    } catch {
      throw new Error(`invalid metrics file: line ${this.lineNo} is not JSON`);
    }
    if (Array.isArray(v)) {
      const s = this.byId[v[1] as number];
      if (!s) throw new Error(`invalid metrics file: line ${this.lineNo} uses series ${JSON.stringify(v[1])} before defining it`);
      const w: EncodedWindow = { t: v[0], metric: s.metric, kind: s.kind, tags: s.tags, count: v[2], sum: v[3], min: v[4], max: v[5] };
      if (v.length > 6) w.buckets = v[6] as number[];
      return { w, s };
    }
    if (!v || typeof v !== 'object') throw new Error(`invalid metrics file: line ${this.lineNo} is neither a window nor a series`);
    const o = v as Record<string, unknown>;
    if (typeof o.series === 'number') {
      const s: SeriesInfo = { id: o.series, metric: String(o.metric), kind: o.kind as MetricKind, tags: (o.tags ?? {}) as Tags };
      this.byId[o.series] = s;
      return null;
    }
    if (typeof o.format === 'string') {
      if (o.format !== FORMAT_NAME || typeof o.version !== 'number' || o.version > WINDOWS_FORMAT) {
        throw new Error(`invalid metrics file: expected ${FORMAT_NAME} version ≤ ${WINDOWS_FORMAT}, got ${o.format} version ${JSON.stringify(o.version)}`);
      }
      return null;
    }
    // Format v1: a whole window object.
    const w = o as unknown as EncodedWindow;
    if (typeof w.metric !== 'string' || typeof w.t !== 'number') throw new Error(`invalid metrics file: line ${this.lineNo} is not a metric window`);
    w.tags ??= {};
    if (w.hdr !== undefined) {
      w.buckets = hdrToBuckets(w.hdr);
      delete w.hdr;
    }
    const key = seriesKey(w.metric, w.tags);
    let s = this.byKey.get(key);
    if (!s) { s = { id: this.byKey.size, metric: w.metric, kind: w.kind, tags: w.tags }; this.byKey.set(key, s); }
    return { w, s };
  }
}

export function decodeWindows(data: Uint8Array): EncodedWindow[] {
  const text = gunzipSync(data).toString('utf8');
  const dec = new WindowDecoder();
  const out: EncodedWindow[] = [];
  let from = 0;
  while (from < text.length) {
    let to = text.indexOf('\n', from);
    if (to < 0) to = text.length;
    if (to > from) {
      const r = dec.line(text.slice(from, to));
      if (r) out.push(r.w);
    }
    from = to + 1;
  }
  return out;
}

/**
 * Stream the windows of a file's text (e.g. a gunzip stream with utf8 encoding) to `onWindow`, never
 * holding more than one chunk. Lines are split by hand: node:readline took 2.3 s more on a 24-hour run
 * (2.7 million lines) than indexOf on each decoded chunk (measured).
 */
export async function streamWindows(chunks: AsyncIterable<string>, onWindow: (w: EncodedWindow, s: SeriesInfo) => void): Promise<void> {
  const dec = new WindowDecoder();
  let rest = '';
  for await (const chunk of chunks) {
    const text = rest ? rest + chunk : chunk;
    let from = 0, to: number;
    while ((to = text.indexOf('\n', from)) >= 0) {
      if (to > from) {
        const r = dec.line(text.slice(from, to));
        if (r) onWindow(r.w, r.s);
      }
      from = to + 1;
    }
    rest = text.slice(from);
  }
  if (rest.trim()) {
    const r = dec.line(rest);
    if (r) onWindow(r.w, r.s);
  }
}
