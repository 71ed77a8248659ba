/**
 * One thread's part of `k6 run --out json` (src/k6/ndjson/format.ts): every sample its recorder takes,
 * appended to a file of its own in the order recorded (time order), written in batches through a
 * stream so the thread never waits on the disk. Put together into k6's file after the run.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { PartLines } from '../k6/ndjson/format.js';
import { Series, seriesKey, type EncodedWindow, type SampleTap } from '../metrics/index.js';

/** The gauges each worker holds a share of (its own VUs): merged across workers before k6's file gets them. */
export const THREAD_GAUGES: ReadonlySet<string> = new Set(['vus', 'vus_max']);

export class SamplePart {
  private readonly stream: WriteStream;
  private readonly lines = new PartLines();
  private buf = '';
  private n = 0;

  private readonly gauges = new Map<string, Series>();

  /** `skip`: metrics this part leaves out (a worker's share of the VU gauges: the main thread writes their sum) */
  constructor(readonly path: string, private readonly skip: ReadonlySet<string> = new Set()) {
    this.stream = createWriteStream(path);
  }

  /** The recorder's tap: one part line a sample. */
  readonly tap: SampleTap = (s, value, at) => {
    if (this.skip.size !== 0 && this.skip.has(s.metric)) return;
    this.buf += this.lines.sample(s, value, at);
    if (++this.n >= 1024) this.flush();
  };

  /**
   * The gauges of a merged second (every worker's VUs added, as the run's windows hold them), one
   * point each at the second's end: k6's file has one `vus` however many threads ran them.
   */
  mergedGauges(windows: readonly EncodedWindow[], metrics: ReadonlySet<string>, at: number): void {
    for (const w of windows) {
      if (w.kind !== 'gauge' || !metrics.has(w.metric)) continue;
      const key = seriesKey(w.metric, w.tags);
      let s = this.gauges.get(key);
      if (!s) this.gauges.set(key, (s = new Series(w.metric, 'gauge', w.tags, 0)));
      this.buf += this.lines.sample(s, w.sum, at);
      this.n++;
    }
  }

  flush(): void {
    if (this.n === 0) return;
    this.stream.write(this.buf);
    this.buf = '';
    this.n = 0;
  }

  /** Write what is buffered and close the file. */
  close(): Promise<void> {
    this.flush();
    return new Promise((resolve, reject) => {
      this.stream.once('error', reject);
      this.stream.end(() => resolve());
    });
  }
}
