/**
 * A generated run directory of H hours × E endpoints, for benches that read long runs (bench/report,
 * bench/merge). Windows are streamed to metrics/windows.jsonl.gz through the same encoder the engine's
 * run directories use (format v2; `oldFormat`: v1, one window object a line with HDR compressed base64,
 * as written before). Histograms are drawn from a pool of pre-encoded variants: readers read and add
 * every window all the same, so the work measured is theirs.
 */
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { createGzip } from 'node:zlib';
import { WindowEncoder, bucketsToHdr, histogramToBuckets, newHistogram, toRecorded, windowsHeaderLine, type EncodedWindow } from '../src/metrics/index.js';
import type { RunInfo } from '../src/rundir/run-dir.js';

export interface GenerateOptions {
  hours: number;
  endpoints: number;
  oldFormat?: boolean;
  /** epoch ms of second 0 (default 2026-01-01 03:30 UTC) */
  startedAtMs?: number;
  /** run.json fields to set (e.g. a segment) */
  runInfo?: Partial<RunInfo>;
  /** every this many seconds, a late window of two seconds before on a row of its own (as the engine writes one) */
  lateEvery?: number;
  /** picks other histograms from the pool (segments of one test differ) */
  variant?: number;
}

export const GENERATED_START = Date.UTC(2026, 0, 1, 3, 30);

/** Write the run directory; returns the number of windows written. */
export async function generateRun(dir: string, o: GenerateOptions): Promise<number> {
  const { hours, endpoints } = o;
  const oldFormat = o.oldFormat ?? false;
  const variant = o.variant ?? 0;
  const seconds = Math.round(hours * 3600);
  const pool: Array<{ buckets: number[]; hdr: string; count: number; sum: number; min: number; max: number }> = [];
  let seed = 42;
  const rnd = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  for (let i = 0; i < 64; i++) {
    const h = newHistogram();
    let sum = 0, min = Infinity, max = 0;
    const n = 20 + Math.floor(rnd() * 30);
    for (let k = 0; k < n; k++) {
      const v = 20 + rnd() * 200 * (1 + i / 16);
      h.recordValue(toRecorded(v)); sum += v; min = Math.min(min, v); max = Math.max(max, v);
    }
    const buckets = histogramToBuckets(h);
    pool.push({ buckets, hdr: bucketsToHdr(buckets), count: n, sum, min, max });
  }
  mkdirSync(join(dir, 'metrics'), { recursive: true });
  const gz = createGzip();
  const done = new Promise<void>((resolve, reject) => gz.pipe(createWriteStream(join(dir, 'metrics/windows.jsonl.gz'))).on('finish', resolve).on('error', reject));
  const enc = new WindowEncoder();
  let lines: string[] = oldFormat ? [] : [windowsHeaderLine()];
  let n = 0;
  const second: EncodedWindow[] = [];
  const hdrs: Array<string | undefined> = [];
  const emit = (w: EncodedWindow, hdr?: string) => { second.push(w); hdrs.push(hdr); };
  const write = (t: number) => {
    n += second.length;
    if (!oldFormat) enc.second(t, second, lines);
    else second.forEach(({ buckets: _b, ...rest }, i) => lines.push(JSON.stringify(hdrs[i] ? { ...rest, hdr: hdrs[i] } : rest)));
    second.length = 0;
    hdrs.length = 0;
  };
  for (let t = 0; t < seconds; t++) {
    emit({ t, metric: 'planned_iterations', kind: 'counter', tags: { scenario: 'citizens' }, count: 1, sum: 10, min: 10, max: 10 });
    for (let e = 0; e < endpoints; e++) {
      const { hdr, ...p } = pool[(t * 7 + e * 13 + variant) % pool.length];
      const tags = { name: `GET /api/v1/endpoint-${e}`, status: '200' };
      emit({ t, metric: 'http_reqs', kind: 'counter', tags, count: p.count, sum: p.count, min: 1, max: 1 });
      emit({ t, metric: 'http_req_duration', kind: 'trend', tags, ...p }, hdr);
      emit({ t, metric: 'http_req_failed', kind: 'rate', tags, count: p.count, sum: 0, min: 0, max: 0 });
    }
    write(t);
    if (o.lateEvery && t >= 2 && t % o.lateEvery === 0) {
      const { hdr, ...p } = pool[(t + variant) % pool.length];
      emit({ t: t - 2, metric: 'http_req_duration', kind: 'trend', tags: { name: 'GET /api/v1/endpoint-0', status: '200' }, ...p }, hdr);
      write(t - 2);
    }
    if (lines.length >= 2048) {
      if (!gz.write(lines.join('\n') + '\n')) await once(gz, 'drain');
      lines = [];
    }
  }
  gz.end(lines.length ? lines.join('\n') + '\n' : '');
  await done;
  const start = o.startedAtMs ?? GENERATED_START;
  const runInfo: RunInfo = {
    id: `bench-${hours}h`, command: 'bench', scenario: 'generated', target: null, startedAt: new Date(start).toISOString(), startedAtMs: start,
    endedAt: new Date(start + seconds * 1000).toISOString(), durationSeconds: seconds, plannedDurationSeconds: seconds,
    engine: { name: 'capacity-test', version: 'bench' }, workers: 1, segment: null, gitCommit: null, portalMode: null, seed: 42,
    aborted: false, abortReason: null, options: { thresholds: { http_req_failed: ['rate<0.01'], http_req_duration: ['p(95)<800'] } }, profile: null,
    extra: { peakDemandRps: 500 },
    ...o.runInfo,
  };
  writeFileSync(join(dir, 'run.json'), JSON.stringify(runInfo));
  return n;
}
