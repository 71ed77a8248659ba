/**
 * `capacity-test compare <run-a> <run-b>`: two runs side by side in one self-contained HTML page, with
 * the gate's verdicts of B against A (src/gate: the same rule as `gate --baseline A --current B`).
 * Reads each run directory's summary.json, faults.json and run.json; writes compare.html.
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { compareSummaries } from '../gate/compare.js';
import { loadSummary } from '../gate/load.js';
import { renderCompareHtml, type CompareRun } from '../report/compare-html.js';
import type { Lang } from '../report/format.js';
import { readFaultsFile, RUN_FILES } from '../rundir/index.js';

async function runOf(path: string, role: string): Promise<CompareRun> {
  const { file, summary } = await loadSummary(path, role);
  const dir = existsSync(path) && statSync(path).isDirectory() ? resolve(path) : dirname(resolve(file));
  let simulated: CompareRun['simulated'] = null;
  const runJson = join(dir, RUN_FILES.run);
  if (existsSync(runJson)) {
    try {
      const extra = (JSON.parse(readFileSync(runJson, 'utf8')) as { extra?: { simulatedStart?: unknown; timeScale?: unknown } }).extra;
      if (typeof extra?.simulatedStart === 'string' && typeof extra.timeScale === 'number') simulated = { start: extra.simulatedStart, timeScale: extra.timeScale };
    } catch { /* run.json is the report's business: without it the axis is in seconds */ }
  }
  return { id: summary.run.id, label: `${summary.run.id} (${dir})`, summary, faults: readFaultsFile(dir), simulated };
}

export interface CompareOptions { out?: string; lang: Lang; generatedAt?: string }

/** Writes compare.html; returns its path and whether the gate passed B against A. */
export async function compareRuns(pathA: string, pathB: string, o: CompareOptions): Promise<{ path: string; pass: boolean }> {
  const a = await runOf(pathA, 'run A');
  const b = await runOf(pathB, 'run B');
  const gate = compareSummaries(a.summary, b.summary, {}, { baseline: a.label, current: b.label });
  const out = resolve(o.out ?? '.');
  mkdirSync(out, { recursive: true });
  const path = join(out, 'compare.html');
  writeFileSync(path, renderCompareHtml({ a, b, gate }, { lang: o.lang, generatedAt: o.generatedAt ?? new Date().toISOString() }));
  return { path, pass: gate.pass };
}
