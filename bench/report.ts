/**
 * bench/report: time and peak RSS to build the report (summary.json, report.html, PNG charts) of a
 * generated run of H hours × E endpoints, and the report's size. Prints figures, asserts nothing.
 *
 *   npx tsc -p tsconfig.json && node dist/bench/report.js [--hours 24] [--endpoints 10] [--old-format] [--keep DIR]
 *
 * The run is generated first (not timed, bench/generated-run.ts; `--old-format`: metrics format v1, as
 * written before). The build runs in a child process so that its peak RSS is its own.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateRun } from './generated-run.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
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
    const n = await generateRun(dir, { hours, endpoints, oldFormat, runInfo: { command: 'bench/report' } });
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
