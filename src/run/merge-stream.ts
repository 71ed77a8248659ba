/**
 * The windows of several segments added up as they are read, second by second, in bounded memory: a
 * 24-hour segment is millions of windows, more than a process may hold as objects.
 *
 * Each segment's windows come in ascending seconds, but for a few late ones (the engine writes an
 * arrival recorded at its planned second after that second was written). The streams are read k-way,
 * always from the one whose next window has the smallest second; a second is added up and handed on
 * once every stream has gone past it, so only one second is held. A late window, for a second already
 * handed on, is handed on alone as a row of its own: every reader of windows adds up the rows of a
 * second (decodeWindows + MetricsQuery, SeriesTotals, the report's digest), so the result is the same
 * as if it had been added to its second.
 */
import { createWriteStream } from 'node:fs';
import { access, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { UsageError } from '../contracts/errors.js';
import { mergeWindows, windowRowsText, type EncodedWindow, type SeriesTotals, type WindowRow } from '../metrics/index.js';
import { RUN_FILES } from '../rundir/run-dir.js';

/**
 * `mergeWindows` of src/metrics (counts and sums add, extremes take extremes, gauges add their last
 * values, histograms add exactly by HDR bucket), with a kind clash reported as bad input (exit 2).
 */
export function addWindows(windows: Iterable<EncodedWindow>): EncodedWindow[] {
  try {
    return mergeWindows(windows);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** The next window of one stream, read a batch at a time. */
class Head {
  batch: readonly EncodedWindow[] = [];
  i = 0;
  done = false;

  constructor(readonly stream: AsyncIterator<readonly EncodedWindow[]>) {}

  /** Read on until a window is at hand or the stream has ended. */
  async fill(): Promise<void> {
    while (!this.done && this.i >= this.batch.length) {
      const r = await this.stream.next();
      if (r.done) this.done = true;
      else { this.batch = r.value; this.i = 0; }
    }
  }

  get t(): number {
    return this.batch[this.i].t;
  }
}

/**
 * Rows of the sum of window streams (each in batches, already shifted to the merged start), in
 * ascending seconds but for late windows; every window of every row is added to `totals` as it is
 * handed on, as the engine does with the windows it writes.
 */
export async function* mergeWindowStreams(streams: ReadonlyArray<AsyncIterable<readonly EncodedWindow[]>>, totals?: SeriesTotals): AsyncGenerator<WindowRow> {
  const heads = streams.map((s) => new Head(s[Symbol.asyncIterator]()));
  const row = (t: number, windows: EncodedWindow[]): WindowRow => {
    if (totals) for (const w of windows) totals.add(w);
    return { t, windows };
  };
  try {
    for (const h of heads) await h.fill();
    let open: EncodedWindow[] = [];
    let openT = -Infinity;
    for (;;) {
      let next: Head | undefined;
      for (const h of heads) if (!h.done && (next === undefined || h.t < next.t)) next = h;
      if (next === undefined) break;
      const w = next.batch[next.i++];
      if (w.t === openT) open.push(w);
      else if (w.t > openT) {
        // every stream's next window is past openT: its second is complete
        if (open.length) yield row(openT, addWindows(open));
        open = [w];
        openT = w.t;
      } else yield row(w.t, [w]); // late: its second is handed on already
      if (next.i >= next.batch.length) await next.fill();
    }
    if (open.length) yield row(openT, addWindows(open));
  } finally {
    // stopped early (an error, a reader giving up): close the files still open
    await Promise.all(heads.map((h) => (h.done ? undefined : h.stream.return?.())));
  }
}

/**
 * Write merged rows as `out`'s windows file (gzip), streamed. On a failure midway (a bad segment found
 * late) nothing half-written is left: the file goes, and the whole directory when this call made it.
 */
export async function writeMergedWindows(out: string, rows: AsyncIterable<WindowRow>): Promise<void> {
  const outExisted = await access(out).then(() => true, () => false);
  await mkdir(join(out, RUN_FILES.metricsDir), { recursive: true });
  const windowsPath = join(out, RUN_FILES.windows);
  try {
    await pipeline(Readable.from(windowRowsText(rows)), createGzip(), createWriteStream(windowsPath));
  } catch (err) {
    await rm(outExisted ? windowsPath : out, { recursive: true, force: true });
    throw err;
  }
}
