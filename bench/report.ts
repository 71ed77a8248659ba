/**
 * bench/report: time and peak RSS to build the report (summary.json, report.html, PNG charts) of a
 * generated run of H hours × E endpoints, and the report's size. Prints figures, asserts nothing.
 *
 *   npx tsc -p tsconfig.json && node dist/bench/report.js [--hours 24] [--endpoints 10] [--keep DIR]
 *
 * The run is generated first (not timed); the build runs in a child process so that its peak RSS is
 * its own. Histograms are drawn from a pool of pre-encoded variants: the report decodes every window
 * all the same, so the work measured is the report's.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { histogramToBuckets, newHistogram, toRecorded, type EncodedWindow } from '../src/metrics/index.js';
import type { RunInfo } from '../src/run/run-dir.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

async function generate(dir: string, hours: number, endpoints: number): Promise<number> {
  const { writeFileSync, mkdirSync } = await import('node:fs');
  const { encodeWindows } = await import('../src/metrics/index.js');
  const seconds = Math.round(hours * 3600);
  const pool: Array<{ buckets: number[]; count: number; sum: number; min: number; max: number }> = [];
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
    pool.push({ buckets: histogramToBuckets(h), count: n, sum, min, max });
  }
  const windows: EncodedWindow[] = [];
  for (let t = 0; t < seconds; t++) {
    windows.push({ t, metric: 'planned_iterations', kind: 'counter', tags: { scenario: 'citizens' }, count: 1, sum: 10, min: 10, max: 10 });
    for (let e = 0; e < endpoints; e++) {
      const p = pool[(t * 7 + e * 13) % pool.length];
      const tags = { name: `GET /api/v1/endpoint-${e}`, status: '200' };
      windows.push({ t, metric: 'http_reqs', kind: 'counter', tags, count: p.count, sum: p.count, min: 1, max: 1 });
      windows.push({ t, metric: 'http_req_duration', kind: 'trend', tags, ...p });
      windows.push({ t, metric: 'http_req_failed', kind: 'rate', tags, count: p.count, sum: 0, min: 0, max: 0 });
    }
  }
  mkdirSync(join(dir, 'metrics'), { recursive: true });
  writeFileSync(join(dir, 'metrics/windows.jsonl.gz'), encodeWindows(windows));
  const start = Date.UTC(2026, 0, 1, 3, 30);
  const runInfo: RunInfo = {
    id: `bench-${hours}h`, command: 'bench/report', scenario: 'generated', target: null, startedAt: new Date(start).toISOString(), startedAtMs: start,
    endedAt: new Date(start + seconds * 1000).toISOString(), durationSeconds: seconds, plannedDurationSeconds: seconds,
    engine: { name: 'capacity-test', version: 'bench' }, workers: 1, segment: null, gitCommit: null, portalMode: null, seed: 42,
    aborted: false, abortReason: null, options: { thresholds: { http_req_failed: ['rate<0.01'], http_req_duration: ['p(95)<800'] } }, profile: null,
    extra: { peakDemandRps: 500 },
  };
  writeFileSync(join(dir, 'run.json'), JSON.stringify(runInfo));
  return windows.length;
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
  const keep = process.argv.indexOf('--keep');
  const dir = keep >= 0 ? process.argv[keep + 1] : mkdtempSync(join(tmpdir(), 'bench-report-'));
  try {
    const n = await generate(dir, hours, endpoints);
    const out = execFileSync(process.execPath, ['--max-old-space-size=4096', fileURLToPath(import.meta.url), '--build', dir], { encoding: 'utf8' });
    const r = JSON.parse(out.trim().split('\n').pop()!) as { ms: number; maxRssMB: number; reportBytes: number; summaryBytes: number };
    process.stdout.write(`report of ${hours} h × ${endpoints} endpoints (${n.toLocaleString('en-IN')} windows): ` +
      `${(r.ms / 1000).toFixed(1)} s (target ≤ 10 s), peak RSS ${r.maxRssMB.toFixed(0)} MB (target ≤ 300 MB), ` +
      `report.html ${(r.reportBytes / 1e6).toFixed(2)} MB (target ≤ 2 MB), summary.json ${(r.summaryBytes / 1e6).toFixed(2)} MB\n`);
  } finally {
    if (keep < 0) rmSync(dir, { recursive: true, force: true });
  }
}
