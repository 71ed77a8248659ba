/**
 * bench/merge: time and peak RSS of `merge` of two generated segments of H hours × E endpoints (the
 * second started a second later; a late window every minute in each). Prints figures, asserts nothing.
 *
 *   npx tsc -p tsconfig.json && node dist/bench/merge.js [--hours 6] [--endpoints 10] [--old] [--keep DIR]
 *
 * The segments are generated first (not timed, bench/generated-run.ts). Each merge runs in a child
 * process so that its peak RSS is its own: the streamed merge (mergeRunDirs, what the command runs,
 * without the report it builds after) and, with --old, the merge as it was before streaming, all in
 * memory (decode every window, shift, add by (second, series), thresholds on a MetricsQuery, encode).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MetricsQuery, decodeWindows, encodeWindows, mergeWindows, shiftWindows } from '../src/metrics/index.js';
import { evaluateThresholds, type ThresholdsResult } from '../src/thresholds/index.js';
import { mergeRunDirs, mergeThresholdDefs, planMerge, type SegmentRun } from '../src/run/merge-runs.js';
import type { RunInfo } from '../src/rundir/run-dir.js';
import { GENERATED_START, generateRun } from './generated-run.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

/** The merge before streaming, from the library functions it was made of. */
function oldMerge(dirs: string[], out: string): ThresholdsResult {
  const runs: Array<SegmentRun & { windows: ReturnType<typeof decodeWindows> }> = dirs.map((dir) => ({
    dir,
    runInfo: JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as RunInfo,
    windows: decodeWindows(readFileSync(join(dir, 'metrics/windows.jsonl.gz'))),
  }));
  const plan = planMerge(runs);
  const windows = mergeWindows(plan.flatMap((p) => shiftWindows(runs.find((r) => r.dir === p.dir)!.windows, p.shiftSeconds)));
  const thresholds = evaluateThresholds(mergeThresholdDefs(plan), new MetricsQuery(windows));
  mkdirSync(join(out, 'metrics'), { recursive: true });
  writeFileSync(join(out, 'metrics/windows.jsonl.gz'), encodeWindows(windows));
  return thresholds;
}

async function child(method: string, out: string, dirs: string[]): Promise<void> {
  const t0 = process.hrtime.bigint();
  const thresholds = method === 'old' ? oldMerge(dirs, out) : (await mergeRunDirs(dirs, out, { command: 'bench/merge' })).thresholds;
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const values = thresholds.checks.map((c) => `${c.name} ${c.threshold}: ${c.value}`);
  process.stdout.write(JSON.stringify({ ms, maxRssMB: process.resourceUsage().maxRSS / 1024, outBytes: statSync(join(out, 'metrics/windows.jsonl.gz')).size, values }) + '\n');
}

if (process.argv[2] === '--merge') {
  await child(process.argv[3], process.argv[4], process.argv.slice(5));
} else {
  const hours = arg('hours', 6), endpoints = arg('endpoints', 10);
  const keep = process.argv.indexOf('--keep');
  const dir = keep >= 0 ? process.argv[keep + 1] : mkdtempSync(join(tmpdir(), 'bench-merge-'));
  try {
    const segments = [join(dir, 'a'), join(dir, 'b')];
    let windows = 0;
    for (const [i, d] of segments.entries()) {
      windows += await generateRun(d, {
        hours, endpoints, lateEvery: 60, variant: i * 5, startedAtMs: GENERATED_START + i * 1000,
        runInfo: { id: `bench-${hours}h-${i + 1}`, command: 'bench/merge', segment: `${i + 1}/2` },
      });
    }
    const inMB = segments.reduce((s, d) => s + statSync(join(d, 'metrics/windows.jsonl.gz')).size, 0) / 1e6;
    process.stdout.write(`merge of 2 segments of ${hours} h × ${endpoints} endpoints (${windows.toLocaleString('en-IN')} windows, metrics ${inMB.toFixed(1)} MB gzip)\n`);
    for (const method of process.argv.includes('--old') ? ['streamed', 'old'] : ['streamed']) {
      const out = join(dir, `merged-${method}`);
      const text = execFileSync(process.execPath, ['--max-old-space-size=8192', fileURLToPath(import.meta.url), '--merge', method, out, ...segments], { encoding: 'utf8' });
      const r = JSON.parse(text.trim().split('\n').pop()!) as { ms: number; maxRssMB: number; outBytes: number; values: string[] };
      process.stdout.write(`  ${method.padEnd(8)} ${(r.ms / 1000).toFixed(1)} s, peak RSS ${r.maxRssMB.toFixed(0)} MB, merged metrics ${(r.outBytes / 1e6).toFixed(1)} MB; thresholds ${r.values.join('; ')}\n`);
    }
  } finally {
    if (keep < 0) rmSync(dir, { recursive: true, force: true });
  }
}
