import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { WindowRecorder, seriesKey, windowRowsText, type EncodedWindow, type MetricKind, type WindowRow } from '../../src/metrics/index.js';
import { RUN_FILES } from '../../src/rundir/run-dir.js';

/** Windows as a stream of batches of `size`, as a file is read chunk by chunk. */
export async function* batchesOf(windows: readonly EncodedWindow[], size: number): AsyncGenerator<EncodedWindow[]> {
  for (let i = 0; i < windows.length; i += size) yield windows.slice(i, i + size);
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of items) out.push(x);
  return out;
}

/** The rows of windows in the order given, one row for each run of windows of one second. */
export function rowsOf(windows: readonly EncodedWindow[]): WindowRow[] {
  const rows: WindowRow[] = [];
  for (const w of windows) {
    const last = rows[rows.length - 1];
    if (last && last.t === w.t) last.windows.push(w);
    else rows.push({ t: w.t, windows: [w] });
  }
  return rows;
}

/** Write rows as a run's windows file (gzip, or the plain log a killed run leaves). */
export async function writeWindowsFile(dir: string, rows: readonly WindowRow[], o: { killed?: boolean } = {}): Promise<void> {
  mkdirSync(join(dir, RUN_FILES.metricsDir), { recursive: true });
  const text = Readable.from(windowRowsText((async function* () { yield* rows; })()));
  if (o.killed) await pipeline(text, createWriteStream(join(dir, RUN_FILES.windowsLog)));
  else await pipeline(text, createGzip(), createWriteStream(join(dir, RUN_FILES.windows)));
}

export function writeRunJson(dir: string, runInfo: object): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, RUN_FILES.run), JSON.stringify(runInfo));
}

/** A sample as a segment's engine sees it: taken at `at` (ms since the segment's start), recorded `delay` seconds later. */
export interface Sample { metric: string; kind: MetricKind; tags: Record<string, string>; value: number; at: number; delay: number }

/**
 * A segment's windows in the order its engine writes them: drained once a second, seconds in order
 * within a drain, so that a sample recorded after its second was drained makes a late window.
 */
export function engineWindows(startedAt: number, samples: readonly Sample[]): EncodedWindow[] {
  const r = new WindowRecorder(startedAt);
  const byArrival = [...samples].sort((a, b) => a.at + a.delay * 1000 - (b.at + b.delay * 1000));
  const out: EncodedWindow[] = [];
  let drained = 0;
  const drain = (beforeT: number) => {
    out.push(...r.drain(beforeT).sort((a, b) => a.t - b.t));
    drained = beforeT;
  };
  for (const s of byArrival) {
    const second = Math.floor((s.at + s.delay * 1000) / 1000);
    if (second > drained) drain(second);
    r.add(s.metric, s.kind, s.tags, s.value, startedAt + s.at);
  }
  drain(Infinity);
  return out;
}

/** Windows grouped by (t, series), in that order: a file's content whatever its rows. */
export function byTimeAndSeries(windows: readonly EncodedWindow[]): EncodedWindow[] {
  const key = (w: EncodedWindow) => `${String(w.t).padStart(9, '0')} ${seriesKey(w.metric, w.tags)}`;
  return [...windows].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** One second's windows as the engine merges them: recorded 10 ms into second t of a run started at `startMs`, then drained. */
export function recordSecond(startMs: number, t: number, record: (r: WindowRecorder, at: number) => void): EncodedWindow[] {
  const r = new WindowRecorder(startMs);
  record(r, startMs + t * 1000 + 10);
  return r.drain();
}
