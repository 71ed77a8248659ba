import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RUN_FILES } from '../rundir/run-dir.js';
import { readFaultsFile } from '../rundir/faults-file.js';
import type { Summary } from '../contracts/summary.js';
import { assessRunDir, summaryOf, type AssessDeps, type Assessment } from '../assess/index.js';
import { buildReportModel } from './model.js';
import { localizeChart, renderHtml } from './html.js';
import { renderPngCharts } from './png.js';
import { bundleWhatIf, whatIfHtml, whatIfScript } from './whatif-panel.js';
import type { Lang } from './format.js';
import { joinHtml, type Html } from './html-template.js';
import { verificationHtml } from './verification-section.js';
import { VERIFICATION_FILE, verificationSchema, type Verification } from '../contracts/verification.js';
import { UsageError } from '../contracts/errors.js';

export { buildReportModel } from './model.js';
export { renderHtml } from './html.js';
export * from './format.js';

export interface BuildReportOptions {
  lang?: Lang;
  /** where summary.json, report.html and charts/ go (default: the run directory) */
  out?: string;
  screenshot?: boolean;
  /** PNG charts (default true) */
  png?: boolean;
  generatedAt?: string;
  deps?: AssessDeps;
}

/**
 * docs/sources.md relative to a report written in `outDir`, when that lies inside this toolkit's own
 * checkout (reports/<run-id>/ by default): the page then links each source's section. Anywhere else
 * the page names the section instead of linking a path that would not resolve.
 */
export function sourcesHrefFrom(outDir: string): string | null {
  let root = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(root, 'docs', 'sources.md')) || !existsSync(join(root, 'package.json'))) {
    const up = dirname(root);
    if (up === root) return null;
    root = up;
  }
  const inside = relative(root, resolve(outDir));
  if (inside.startsWith('..') || resolve(inside) === inside) return null;
  return relative(resolve(outDir), join(root, 'docs', 'sources.md')).split(sep).join('/');
}

/** Run directory → its Assessment → summary.json, report.html, charts/*.png (and screenshot.png when asked). */
export async function buildReportFromRunDir(runDir: string, o: BuildReportOptions = {}): Promise<{ assessment: Assessment; summary: Summary & { generatedAt: string }; reportPath: string; summaryPath: string; chartPaths: string[]; screenshotPath: string | null }> {
  const lang: Lang = o.lang ?? 'en';
  const assessment = await assessRunDir(runDir, o.deps);
  const out = resolve(o.out ?? runDir);
  mkdirSync(out, { recursive: true });
  const generatedAt = o.generatedAt ?? new Date().toISOString();
  const summary = summaryOf(assessment, generatedAt);
  const summaryPath = join(out, RUN_FILES.summary);
  writeFileSync(summaryPath, JSON.stringify(summary, null, 2) + '\n');
  const model = buildReportModel(assessment, summary, readFaultsFile(runDir));
  const whatIf = model.whatIf
    ? { extraHtml: whatIfHtml(model.whatIf, lang), extraScript: (await bundleWhatIf()) + '\n' + whatIfScript(model.whatIf, lang) }
    : {};
  // `capacity-test verify`'s measurement of the sizing, when it ran: its section after the what-if panel
  const verification = readVerification(runDir);
  const extraHtml = joinHtml([whatIf.extraHtml, verification && verificationHtml(verification, lang)].filter((x): x is Html => !!x));
  const html = renderHtml(model, { lang, generatedAt, sourcesHref: sourcesHrefFrom(out), ...whatIf, extraHtml });
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
  return { assessment, summary, reportPath, summaryPath, chartPaths, screenshotPath };
}

/** verification.json of a run directory, checked against its schema; null when verify never ran. */
export function readVerification(runDir: string): Verification | null {
  const path = join(runDir, VERIFICATION_FILE);
  if (!existsSync(path)) return null;
  let raw: unknown;
  try { raw = JSON.parse(readFileSync(path, 'utf8')); } catch (err) { throw new UsageError(`invalid ${path}: expected JSON, got ${(err as Error).message}`); }
  const parsed = verificationSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UsageError(`invalid ${path}: expected ${issue.path.join('.') || 'the verification schema'} ${issue.message.toLowerCase()}`);
  }
  return parsed.data;
}
