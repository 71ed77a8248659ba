import { appendFileSync, createReadStream, createWriteStream, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createGzip, gzipSync } from 'node:zlib';
import { SecondReorder, WindowEncoder, windowsHeaderLine, type EncodedWindow } from '../metrics/index.js';

/**
 * Seconds a window may come after later seconds' and still be written in its second's row. The
 * engine's late windows (an arrival recorded at its planned second after that second was drained) are
 * under a second late; a kill -9 loses at most these last seconds (a Ctrl-C or an exit writes them).
 */
export const REORDER_SECONDS = 3;

/**
 * A run's windows file as the run goes (plain v2 lines: windows.jsonl.gz is their gzip): one row a
 * second, in second order (a reorder buffer of REORDER_SECONDS), appended with a synchronous write so
 * that even a kill -9 keeps every second written.
 */
export class WindowLog {
  private readonly encoder = new WindowEncoder();
  private readonly order: SecondReorder;
  private started = false;
  /** the log is compressed into its file and removed */
  finished = false;

  constructor(readonly path: string, holdSeconds = REORDER_SECONDS) {
    this.order = new SecondReorder(holdSeconds);
  }

  /** windows that came later than the buffer holds, written in rows of their own */
  get late(): number { return this.order.late; }

  append(ws: readonly EncodedWindow[]): void {
    this.write(this.order.add(ws));
  }

  private write(seconds: Array<{ t: number; windows: EncodedWindow[] }>): void {
    if (seconds.length === 0) return;
    const lines: string[] = this.started ? [] : [windowsHeaderLine()];
    this.started = true;
    for (const s of seconds) this.encoder.second(s.t, s.windows, lines);
    appendFileSync(this.path, lines.join('\n') + '\n');
  }

  /** Write the seconds still held, compress what was written into `to` (streamed: bounded memory for a run of hours) and remove the log. */
  async finish(to: string): Promise<void> {
    this.write(this.order.flush());
    if (!this.started) writeFileSync(this.path, windowsHeaderLine() + '\n');
    await pipeline(createReadStream(this.path), createGzip(), createWriteStream(to));
    if (this.finished) return; // finished synchronously meanwhile (the process exiting)
    rmSync(this.path, { force: true });
    this.finished = true;
  }

  /** The same, synchronously (from a process 'exit' handler, where nothing asynchronous runs). */
  finishSync(to: string): void {
    if (this.finished) return;
    this.write(this.order.flush());
    const text = existsSync(this.path) ? readFileSync(this.path) : Buffer.from(windowsHeaderLine() + '\n');
    writeFileSync(to, gzipSync(text));
    rmSync(this.path, { force: true });
    this.finished = true;
  }
}
