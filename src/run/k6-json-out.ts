/**
 * `capacity-test k6 run --out json=FILE[.gz]`: k6's JSON lines of every sample of the run
 * (src/k6/ndjson/format.ts), put together after the run from the threads' part files (each in time
 * order) by a k-way merge on time, so the file is in time order as k6's is. Streamed: one batch of
 * lines per part in memory. FILE ending in `.gz` is gzipped, as k6 does.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, type Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { metricLine, thresholdsByMetric } from '../k6/ndjson/format.js';
import { lineBatches, type MetricKind } from '../metrics/index.js';
import type { ThresholdsInput } from '../thresholds/index.js';

/** The next line of one part file. */
class PartHead {
  private batch: string[] = [];
  private i = 0;
  done = false;
  /** the line at hand: its time (−Infinity for a declaration), metric and rest */
  at = 0;
  metric = '';
  rest = '';

  constructor(private readonly lines: AsyncIterator<string[]>) {}

  async next(): Promise<void> {
    while (this.i >= this.batch.length) {
      const r = await this.lines.next();
      if (r.done) { this.done = true; return; }
      this.batch = r.value;
      this.i = 0;
    }
    const line = this.batch[this.i++];
    const a = line.indexOf('\t');
    const b = line.indexOf('\t', a + 1);
    const first = line.slice(0, a);
    this.at = first === 'M' ? -Infinity : Number(first);
    this.metric = line.slice(a + 1, b);
    this.rest = line.slice(b + 1);
  }
}

async function* k6Lines(parts: readonly string[], thresholds: ThresholdsInput | undefined): AsyncGenerator<string> {
  const th = thresholdsByMetric(thresholds);
  const heads = parts.map((p) => new PartHead(lineBatches((createReadStream(p, { encoding: 'utf8', highWaterMark: 256 * 1024 }) as AsyncIterable<string>))[Symbol.asyncIterator]()));
  for (const h of heads) await h.next();
  const kinds = new Map<string, MetricKind>();
  const written = new Set<string>();
  let out = '';
  for (;;) {
    let next: PartHead | undefined;
    for (const h of heads) if (!h.done && (next === undefined || h.at < next.at)) next = h;
    if (next === undefined) break;
    if (next.at === -Infinity) kinds.set(next.metric, next.rest as MetricKind);
    else {
      if (!written.has(next.metric)) {
        written.add(next.metric);
        out += metricLine(next.metric, kinds.get(next.metric) ?? 'counter', th.get(next.metric)) + '\n';
      }
      out += next.rest + '\n';
      if (out.length >= 1 << 16) { yield out; out = ''; }
    }
    await next.next();
  }
  if (out) yield out;
}

/** Put the part files of `samplesDir` into k6's JSON file `file` (gzip when it ends in .gz), then remove them. */
export async function writeK6Json(samplesDir: string, file: string, thresholds?: ThresholdsInput): Promise<void> {
  const parts = (await readdir(samplesDir)).filter((f) => f.endsWith('.part')).sort().map((f) => join(samplesDir, f));
  const stages: Array<NodeJS.ReadableStream | Transform | NodeJS.WritableStream> = [Readable.from(k6Lines(parts, thresholds))];
  if (file.endsWith('.gz')) stages.push(createGzip());
  stages.push(createWriteStream(file));
  await (pipeline as (...s: unknown[]) => Promise<void>)(...stages);
  await rm(samplesDir, { recursive: true, force: true });
}
