/**
 * One thread's part of `k6 run --out json` (src/k6/ndjson/format.ts): every sample its recorder takes,
 * appended to a file of its own in the order recorded (time order), written in batches through a
 * stream so the thread never waits on the disk. Put together into k6's file after the run.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { PartLines } from '../k6/ndjson/format.js';
import type { SampleTap } from '../metrics/index.js';

export class SamplePart {
  private readonly stream: WriteStream;
  private readonly lines = new PartLines();
  private buf = '';
  private n = 0;

  constructor(readonly path: string) {
    this.stream = createWriteStream(path);
  }

  /** The recorder's tap: one part line a sample. */
  readonly tap: SampleTap = (s, value, at) => {
    this.buf += this.lines.sample(s, value, at);
    if (++this.n >= 1024) this.flush();
  };

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
