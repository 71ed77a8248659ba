/**
 * bench/report: time and peak RSS to build the report (summary.json, report.html, PNG charts) of a
 * generated run of H hours × E endpoints, and the report's size. Prints figures, asserts nothing.
 *
 *   npx tsc -p tsconfig.json && node dist/bench/report.js [--hours 24] [--endpoints 10] [--old-format] [--keep DIR]
 *
 * The run is generated first (not timed), streamed to metrics/windows.jsonl.gz through the same
 * encoder the engine's run directories use (format v2; `--old-format`: v1, one window object a line
 * with HDR compressed base64, as written before). The build runs in a child process so that its peak
 * RSS is its own. Histograms are drawn from a pool of pre-encoded variants: the report reads and adds
 * every window all the same, so the work measured is the report's.
 */
import { execFileSync } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGzip } from 'node:zlib';
import { WindowEncoder, bucketsToHdr, histogramToBuckets, newHistogram, toRecorded, windowsHeaderLine, type EncodedWindow } from '../src/metrics/index.js';
import type { RunInfo } from '../src/run/run-dir.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

async function generate(dir: string, hours: number, endpoints: number, oldFormat: boolean): Promise<number> {
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
  for (let t = 0; t < seconds; t++) {
    second.length = 0;
    hdrs.length = 0;
    emit({ t, metric: 'planned_iterations', kind: 'counter', tags: { scenario: 'citizens' }, count: 1, sum: 10, min: 10, max: 10 });
    for (let e = 0; e < endpoints; e++) {
      const { hdr, ...p } = pool[(t * 7 + e * 13) % pool.length];
      const tags = { name: `GET /api/v1/endpoint-${e}`, status: '200' };
      emit({ t, metric: 'http_reqs', kind: 'counter', tags, count: p.count, sum: p.count, min: 1, max: 1 });
      emit({ t, metric: 'http_req_duration', kind: 'trend', tags, ...p }, hdr);
      emit({ t, metric: 'http_req_failed', kind: 'rate', tags, count: p.count, sum: 0, min: 0, max: 0 });
    }
    n += second.length;
    if (!oldFormat) enc.second(t, second, lines);
    else second.forEach(({ buckets: _b, ...rest }, i) => lines.push(JSON.stringify(hdrs[i] ? { ...rest, hdr: hdrs[i] } : rest)));
    if (lines.length >= 2048) {
      if (!gz.write(lines.join('\n') + '\n')) await once(gz, 'drain');
      lines = [];
    }
  }
  gz.end(lines.length ? lines.join('\n') + '\n' : '');
  await done;
  const start = Date.UTC(2026, 0, 1, 3, 30);
  const runInfo: RunInfo = {
    id: `bench-${hours}h`, command: 'bench/report', scenario: 'generated', target: null, startedAt: new Date(start).toISOString(), startedAtMs: start,
    endedAt: new Date(start + seconds * 1000).toISOString(), durationSeconds: seconds, plannedDurationSeconds: seconds,
    engine: { name: 'capacity-test', version: 'bench' }, workers: 1, segment: null, gitCommit: null, portalMode: null, seed: 42,
    aborted: false, abortReason: null, options: { thresholds: { http_req_failed: ['rate<0.01'], http_req_duration: ['p(95)<800'] } }, profile: null,
    extra: { peakDemandRps: 500 },
  };
  writeFileSync(join(dir, 'run.json'), JSON.stringify(runInfo));
  return n;
}

async function build(dir: string): Promise<void> {
  const { buildReportFromRunDir } = await import('../src/report/index.js');
  const t0 = process.hrtime.bigint();
  const r = await buildReportFromRunDir(dir, { lang: 'en' });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  process.stdout.write(JSON.stringify({ ms, maxRssMB: process.resourceUsage().maxRSS / 1024, reportBytes: statSync(r.reportPath).size, summaryBytes: statSync(r.summaryPath).size }) + '\n');
}

if (process.argv[2] === '--build') {
  await build(process.argv[3]);
} else {
  const hours = arg('hours', 1), endpoints = arg('endpoints', 10);
  const oldFormat = process.argv.includes('--old-format');
  const keep = process.argv.indexOf('--keep');
  const dir = keep >= 0 ? process.argv[keep + 1] : mkdtempSync(join(tmpdir(), 'bench-report-'));
  try {
    const n = await generate(dir, hours, endpoints, oldFormat);
    const out = execFileSync(process.execPath, ['--max-old-space-size=4096', fileURLToPath(import.meta.url), '--build', dir], { encoding: 'utf8' });
    const r = JSON.parse(out.trim().split('\n').pop()!) as { ms: number; maxRssMB: number; reportBytes: number; summaryBytes: number };
    const metricsMB = statSync(join(dir, 'metrics/windows.jsonl.gz')).size / 1e6;
    process.stdout.write(`report of ${hours} h × ${endpoints} endpoints (${n.toLocaleString('en-IN')} windows, format ${oldFormat ? 'v1' : 'v2'}, metrics ${metricsMB.toFixed(1)} MB): ` +
      `${(r.ms / 1000).toFixed(1)} s (target ≤ 10 s), peak RSS ${r.maxRssMB.toFixed(0)} MB (target ≤ 300 MB), ` +
      `report.html ${(r.reportBytes / 1e6).toFixed(2)} MB (target ≤ 2 MB), summary.json ${(r.summaryBytes / 1e6).toFixed(2)} MB\n`);
  } finally {
    if (keep < 0) rmSync(dir, { recursive: true, force: true });
  }
}
