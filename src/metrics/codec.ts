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
 *   [t, series, count, sum, min, max, series, count, sum, min, max, [buckets], …]
 * The last line holds the windows of second t, one after another: a series id, count, sum, min and
 * max, and for a trend its BucketList (histogram.ts). A series line comes before the series' first
 * window. Seconds come in time order (a reader streaming a long run finishes each second as it
 * passes; any order still reads, see SecondFrames); a second may span more than one line, e.g. a late
 * window written after its second, and readers add up every row of a second.
 *
 * Why this shape: a 24-hour run of 10 endpoints is 2.7 million windows. On this project's 2-core
 * machines gunzip + JSON.parse of them as one object a line (tags and key names on every line, 536 MB
 * of text) took ~9 s; as one array row a window (196 MB) ~3.4 s; JSON.parse alone of one flat row a
 * second took 1.7–2.6 s against 2.5–4.5 s for a row a window (measured with throwaway scripts on
 * bench/report's generated windows). JSON stays: every line still reads with any JSON parser.
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

/** Where decoded windows go: one call a window, no object made for it. */
export interface WindowSink {
  window(s: SeriesInfo, t: number, count: number, sum: number, min: number, max: number, buckets: number[] | undefined): void;
}

export function windowsHeaderLine(): string {
  return JSON.stringify({ format: FORMAT_NAME, version: WINDOWS_FORMAT, histogram: 'hdr-index-gaps', significantDigits: SIGNIFICANT_DIGITS, trendScale: TREND_SCALE });
}

/** Writes v2 lines: a series' definition the first time it is seen, then a second's windows on one row. */
export class WindowEncoder {
  private readonly ids = new Map<string, number>();

  /** Push the line(s) of the windows of second `t` onto `out`. */
  second(t: number, windows: readonly EncodedWindow[], out: string[]): void {
    if (windows.length === 0) return;
    const row: unknown[] = [t];
    for (const w of windows) {
      const key = seriesKey(w.metric, w.tags);
      let id = this.ids.get(key);
      if (id === undefined) {
        id = this.ids.size;
        this.ids.set(key, id);
        out.push(JSON.stringify({ series: id, metric: w.metric, kind: w.kind, tags: w.tags }));
      }
      row.push(id, w.count, w.sum, w.min, w.max);
      const buckets = w.buckets ?? (w.hdr ? hdrToBuckets(w.hdr) : undefined);
      if (buckets) row.push(buckets);
    }
    out.push(JSON.stringify(row));
  }
}

/** The v2 lines of a run's windows, header first, seconds in time order, a few thousand lines per string. */
export function* windowTextChunks(windows: readonly EncodedWindow[], linesPerChunk = 1024): Generator<string> {
  const enc = new WindowEncoder();
  const sorted = [...windows].sort((a, b) => a.t - b.t); // stable: the order within a second is kept
  let lines: string[] = [windowsHeaderLine()];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j < sorted.length && sorted[j].t === sorted[i].t) j++;
    enc.second(sorted[i].t, sorted.slice(i, j), lines);
    i = j;
    if (lines.length >= linesPerChunk) { yield lines.join('\n') + '\n'; lines = []; }
  }
  if (lines.length) yield lines.join('\n') + '\n';
}

/** The windows of one second, as a v2 file holds them on one row. */
export interface WindowRow {
  t: number;
  windows: EncodedWindow[];
}

/**
 * The v2 lines of rows as they come, header first, in strings of about `chunkChars` characters. Rows
 * are written in the order given: a second written twice is read as the sum of its rows.
 */
export async function* windowRowsText(rows: AsyncIterable<WindowRow>, chunkChars = 1 << 16): AsyncGenerator<string> {
  const enc = new WindowEncoder();
  let lines: string[] = [windowsHeaderLine()];
  let chars = 0, counted = 0;
  for await (const { t, windows } of rows) {
    enc.second(t, windows, lines);
    for (; counted < lines.length; counted++) chars += lines[counted].length + 1;
    if (chars >= chunkChars) { yield lines.join('\n') + '\n'; lines = []; chars = counted = 0; }
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

  /** Hand the window(s) a line holds to `sink` (a header or series line holds none). */
  line(text: string, sink: WindowSink): void {
    this.lineNo += 1;
    let v: unknown;
    try {
      v = JSON.parse(text);
    } catch {
      throw new Error(`invalid metrics file: line ${this.lineNo} is not JSON`);
    }
    if (Array.isArray(v)) {
      const t = v[0] as number;
      const n = v.length;
      for (let i = 1; i < n;) {
        const s = this.byId[v[i] as number];
        if (s === undefined || i + 4 >= n) throw new Error(`invalid metrics file: line ${this.lineNo} uses series ${JSON.stringify(v[i])} before defining it, or is cut short`);
        const next = v[i + 5];
        const buckets = typeof next === 'object' && next !== null ? (next as number[]) : undefined;
        sink.window(s, t, v[i + 1], v[i + 2], v[i + 3], v[i + 4], buckets);
        i += buckets ? 6 : 5;
      }
      return;
    }
    if (!v || typeof v !== 'object') throw new Error(`invalid metrics file: line ${this.lineNo} is neither windows nor a series`);
    const o = v as Record<string, unknown>;
    if (typeof o.series === 'number') {
      this.byId[o.series] = { id: o.series, metric: String(o.metric), kind: o.kind as MetricKind, tags: (o.tags ?? {}) as Tags };
      return;
    }
    if (typeof o.format === 'string') {
      if (o.format !== FORMAT_NAME || typeof o.version !== 'number' || o.version > WINDOWS_FORMAT) {
        throw new Error(`invalid metrics file: expected ${FORMAT_NAME} version ≤ ${WINDOWS_FORMAT}, got ${o.format} version ${JSON.stringify(o.version)}`);
      }
      return;
    }
    // Format v1: a whole window object.
    const w = o as unknown as EncodedWindow;
    if (typeof w.metric !== 'string' || typeof w.t !== 'number') throw new Error(`invalid metrics file: line ${this.lineNo} is not a metric window`);
    const tags = w.tags ?? {};
    const key = seriesKey(w.metric, tags);
    let s = this.byKey.get(key);
    if (!s) { s = { id: this.byKey.size, metric: w.metric, kind: w.kind, tags }; this.byKey.set(key, s); }
    sink.window(s, w.t, w.count, w.sum, w.min, w.max, w.hdr !== undefined ? hdrToBuckets(w.hdr) : w.buckets);
  }
}

/** A window object of a decoded window (for callers that keep windows in memory). */
export function windowOf(s: SeriesInfo, t: number, count: number, sum: number, min: number, max: number, buckets: number[] | undefined): EncodedWindow {
  const w: EncodedWindow = { t, metric: s.metric, kind: s.kind, tags: s.tags, count, sum, min, max };
  if (buckets) w.buckets = buckets;
  return w;
}

/** Split text into lines as it comes (a line may straddle chunks). */
function* linesOf(text: string, from: number): Generator<string> {
  let to: number;
  while ((to = text.indexOf('\n', from)) >= 0) {
    if (to > from) yield text.slice(from, to);
    from = to + 1;
  }
}

export function decodeWindows(data: Uint8Array): EncodedWindow[] {
  const text = gunzipSync(data).toString('utf8');
  const dec = new WindowDecoder();
  const out: EncodedWindow[] = [];
  const sink: WindowSink = { window: (...a) => { out.push(windowOf(...a)); } };
  for (const line of linesOf(text.endsWith('\n') ? text : text + '\n', 0)) dec.line(line, sink);
  return out;
}

/**
 * The lines of a text stream, one array per chunk (a line may straddle chunks; blank lines are
 * skipped). Split with indexOf on each decoded chunk: on 2.7 million one-object-a-line windows
 * node:readline took 9.2 s where this took 6.9 s (gunzip and JSON.parse included; measured).
 */
export async function* lineBatches(chunks: AsyncIterable<string>): AsyncGenerator<string[]> {
  let rest = '';
  for await (const chunk of chunks) {
    const text = rest ? rest + chunk : chunk;
    const lines: string[] = [];
    let from = 0, to: number;
    while ((to = text.indexOf('\n', from)) >= 0) {
      if (to > from) lines.push(text.slice(from, to));
      from = to + 1;
    }
    rest = text.slice(from);
    if (lines.length) yield lines;
  }
  if (rest.trim()) yield [rest];
}

/** Stream the windows of a file's text (e.g. a gunzip stream decoded as utf8) to `sink`, holding one chunk at a time. */
export async function streamWindows(chunks: AsyncIterable<string>, sink: WindowSink): Promise<void> {
  const dec = new WindowDecoder();
  for await (const lines of lineBatches(chunks)) for (const line of lines) dec.line(line, sink);
}

/**
 * The windows of a file's text as objects, one array per chunk, each `t` moved by `shiftSeconds`: for a
 * reader that pulls from several files at its own pace (a merge of segments), where a sink would push.
 */
export async function* windowBatches(chunks: AsyncIterable<string>, shiftSeconds = 0): AsyncGenerator<EncodedWindow[]> {
  const dec = new WindowDecoder();
  let out: EncodedWindow[] = [];
  const sink: WindowSink = { window: (s, t, count, sum, min, max, buckets) => { out.push(windowOf(s, t + shiftSeconds, count, sum, min, max, buckets)); } };
  for await (const lines of lineBatches(chunks)) {
    for (const line of lines) dec.line(line, sink);
    if (out.length) { yield out; out = []; }
  }
}
