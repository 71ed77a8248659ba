import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { streamWindows } from '../metrics/index.js';
import { RUN_FILES, type RunInfo, type ServerMetricsFile } from '../rundir/run-dir.js';
import { windowsFileOf, windowsFileText } from '../rundir/windows-file.js';
import { UsageError } from '../contracts/errors.js';
import type { Summary } from '../contracts/summary.js';
import { buildSummary, digestOptions, type SummaryDeps } from './summary.js';
import { digestSource, type RunDigest } from './digest.js';
import { buildReportModel } from './model.js';
import { localizeChart, renderHtml } from './html.js';
import { renderPngCharts } from './png.js';
import { bundleWhatIf, whatIfHtml, whatIfScript } from './whatif-panel.js';
import type { Lang } from './format.js';

export { buildSummary } from './summary.js';
export { buildReportModel } from './model.js';
export { renderHtml } from './html.js';
export * from './format.js';

export interface RunDirData { runInfo: RunInfo; digest: RunDigest; server: ServerMetricsFile | null }

/**
 * Read a run directory (docs/contracts.md#run-directory); a missing or malformed one is a usage error naming it.
 * The windows are streamed (gunzip, lines, JSON) into their digest, never all held at once.
 */
export async function readRunDir(runDir: string): Promise<RunDirData> {
  const dir = resolve(runDir);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`invalid run directory: expected a directory, got ${JSON.stringify(runDir)}`);
  const runPath = join(dir, RUN_FILES.run);
  if (!existsSync(runPath)) throw new UsageError(`invalid run directory ${JSON.stringify(runDir)}: expected ${RUN_FILES.run}, got no such file`);
  let runInfo: RunInfo;
  try {
    runInfo = JSON.parse(readFileSync(runPath, 'utf8')) as RunInfo;
  } catch (err) {
    throw new UsageError(`invalid ${runPath}: expected JSON, got ${(err as Error).message}`);
  }
  if (!runInfo || typeof runInfo !== 'object' || typeof runInfo.id !== 'string' || typeof runInfo.startedAt !== 'string') {
    throw new UsageError(`invalid ${runPath}: expected a run.json with id and startedAt, got ${JSON.stringify(runInfo).slice(0, 80)}`);
  }
  runInfo.extra ??= {};
  runInfo.engine ??= { name: 'capacity-test', version: 'unknown' };
  // A run whose process was killed (kill -9) left only the plain log it appended each second.
  const windows = windowsFileOf(dir);
  if (!windows) throw new UsageError(`invalid run directory ${JSON.stringify(runDir)}: expected ${RUN_FILES.windows}, got no such file`);
  let digest: RunDigest;
  try {
    // a new stream each read: the digest may read the file twice
    digest = await digestSource((sink) => streamWindows(windowsFileText(windows), sink), digestOptions(runInfo));
  } catch (err) {
    throw new UsageError(`invalid ${windows.path}: expected ${windows.gzipped ? 'gzip ' : ''}JSON lines of metric windows, got ${(err as Error).message}`);
  }
  const serverPath = join(dir, RUN_FILES.serverMetrics);
  let server: ServerMetricsFile | null = null;
  if (existsSync(serverPath)) {
    try {
      server = JSON.parse(readFileSync(serverPath, 'utf8')) as ServerMetricsFile;
      server.scrapes ??= []; server.reconcileTimeline ??= []; server.clock ??= []; server.reconcile ??= null;
    } catch (err) {
      throw new UsageError(`invalid ${serverPath}: expected JSON, got ${(err as Error).message}`);
    }
  }
  return { runInfo, digest, server };
}

export interface BuildReportOptions {
  lang?: Lang;
  /** where summary.json, report.html and charts/ go (default: the run directory) */
  out?: string;
  screenshot?: boolean;
  /** PNG charts (default true) */
  png?: boolean;
  generatedAt?: string;
  deps?: SummaryDeps;
}

/** Run directory → summary.json, report.html, charts/*.png (and screenshot.png when asked). */
export async function buildReportFromRunDir(runDir: string, o: BuildReportOptions = {}): Promise<{ summary: Summary & { generatedAt: string }; reportPath: string; summaryPath: string; chartPaths: string[]; screenshotPath: string | null }> {
  const lang: Lang = o.lang ?? 'en';
  const data = await readRunDir(runDir);
  const out = resolve(o.out ?? runDir);
  mkdirSync(out, { recursive: true });
  const generatedAt = o.generatedAt ?? new Date().toISOString();
  const summary = buildSummary({ ...data, generatedAt, ...(o.deps ? { deps: o.deps } : {}) });
  const summaryPath = join(out, RUN_FILES.summary);
  writeFileSync(summaryPath, JSON.stringify(summary, null, 2) + '\n');
  const model = buildReportModel({ summary, ...data });
  const whatIf = model.whatIf
    ? { extraHtml: whatIfHtml(model.whatIf, lang), extraScript: (await bundleWhatIf()) + '\n' + whatIfScript(model.whatIf, lang) }
    : {};
  const html = renderHtml(model, { lang, generatedAt, ...whatIf });
  const reportPath = join(out, RUN_FILES.report);
  writeFileSync(reportPath, html);
  const chartPaths = o.png === false ? [] : await renderPngCharts(
    model.charts.filter((c) => c.series.some((s) => s.data.some((v) => v !== null))).map((c) => localizeChart(c, lang)),
    join(out, RUN_FILES.chartsDir));
  let screenshotPath: string | null = null;
  if (o.screenshot) {
    const { screenshotReport } = await import('./screenshot.js');
    screenshotPath = join(out, 'screenshot.png');
    await screenshotReport(reportPath, screenshotPath);
  }
  return { summary, reportPath, summaryPath, chartPaths, screenshotPath };
}
