/**
 * The last step of a distributed test (`capacity-test k8s-merge`, the merge Job's command): wait
 * until every runner has finished (or the runners' deadline has passed), describe each runner, merge
 * the run directories there are (`merge --allow-partial`: a runner that never started is named, not a
 * crash), build the merged report, and gate once: the merged thresholds, each runner's seconds, and a
 * baseline when one is given (without one the merged run is judged alone).
 */
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AbortedError } from '../contracts/errors.js';
import { compareSummaries } from '../gate/compare.js';
import { loadSummary } from '../gate/load.js';
import { renderConsole, renderJUnit, renderMarkdown } from '../gate/render.js';
import { buildReportFromRunDir } from '../report/index.js';
import { mergeRunDirs } from '../run/merge-runs.js';
import { RUN_FILES, type RunInfo } from '../rundir/index.js';
import { describeRunners, segmentDir, type RunnerRecord } from './runners.js';

export interface FinishOptions {
  results: string;
  segments: number;
  /** the merged run directory (default <results>/merged) */
  out?: string;
  /** epoch ms: wait for unfinished runners until then (none: merge what is there now) */
  waitUntilMs?: number;
  baseline?: string;
  write?: (s: string) => void;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export interface FinishResult {
  pass: boolean;
  runners: RunnerRecord[];
  mergedDir: string;
  reportPath: string;
}

function finished(dir: string): boolean {
  try {
    return (JSON.parse(readFileSync(join(dir, RUN_FILES.run), 'utf8')) as RunInfo).endedAt !== null;
  } catch { return false; }
}

/** Wait until every segment's run.json has an end, or until `untilMs`. */
export async function waitForRunners(results: string, segments: number, untilMs: number, sleep: (ms: number) => Promise<void>, now: () => number): Promise<void> {
  const dirs = Array.from({ length: segments }, (_, i) => segmentDir(results, i + 1));
  while (!dirs.every(finished) && now() < untilMs) await sleep(Math.min(2000, Math.max(1, untilMs - now())));
}

export async function finishTest(o: FinishOptions): Promise<FinishResult> {
  const write = o.write ?? ((s: string) => process.stdout.write(s));
  const now = o.now ?? Date.now;
  if (o.waitUntilMs !== undefined) await waitForRunners(o.results, o.segments, o.waitUntilMs, o.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))), now);
  const runners = await describeRunners(o.results, o.segments);
  const present = runners.filter((r) => r.dir !== null).map((r) => r.dir!);
  if (present.length === 0) throw new AbortedError(`no runner of the test wrote a run directory under ${join(o.results, 'runs')}: nothing to merge`);
  const mergedDir = o.out ?? join(o.results, 'merged');
  const { thresholds } = await mergeRunDirs(present, mergedDir, {
    allowPartial: true, runners: async () => runners,
    command: `k8s-merge ${o.results} --segments ${o.segments}`,
  });
  const report = await buildReportFromRunDir(mergedDir, { lang: 'en' });
  for (const r of runners) {
    const where = r.host ? ` on ${[r.host.pod, r.host.ip].filter(Boolean).join(' ')}` : '';
    write(`runner ${r.segment}${where}: ${r.status}, ${r.secondsWritten}${r.plannedSeconds === null ? '' : `/${r.plannedSeconds}`} s written, ${r.requests} requests` +
      `${r.saturatedSeconds.length ? `, generator saturated ${r.saturatedSeconds.length} s` : ''}${r.reason ? ` (${r.reason})` : ''}\n`);
  }
  write(`merged ${present.length} of ${o.segments} runner(s) → ${mergedDir}; thresholds ${thresholds.checks.length ? (thresholds.pass ? 'pass' : 'FAILED') : 'none'}\n`);
  const current = await loadSummary(mergedDir, 'current');
  const baseline = o.baseline ? await loadSummary(o.baseline, 'baseline') : null;
  const result = compareSummaries((baseline ?? current).summary, current.summary, {}, {
    baseline: baseline ? `${baseline.summary.run.id} (${baseline.file})` : 'none: the merged run judged alone',
    current: `${current.summary.run.id} (${current.file})`,
  });
  await writeFile(join(mergedDir, 'gate.junit.xml'), renderJUnit(result));
  await writeFile(join(mergedDir, 'gate.md'), renderMarkdown(result));
  write(renderConsole(result));
  write(`${report.reportPath}\n`);
  return { pass: result.pass, runners, mergedDir, reportPath: report.reportPath };
}
