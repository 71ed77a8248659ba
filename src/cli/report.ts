import { Command } from 'commander';
import { invalid, UsageError } from '../contracts/errors.js';
import { buildReportFromRunDir } from '../report/index.js';
import { k6FilesOf, notRecordedLine, runDirOfK6 } from './k6-results.js';

/**
 * `capacity-test report <run-dir> [--out DIR] [--lang en|hi]`: rebuild summary and report from saved metrics.
 * `capacity-test report <k6-results.json[.gz]>… --out DIR`: k6's --out json file(s) read into the run
 * directory DIR first (several files: several runners of one test, added up exactly).
 */
export function registerReport(program: Command): void {
  program.command('report')
    .description('rebuild summary.json, report.html and charts/ from a run directory\'s saved metrics')
    .argument('<run-dir...>', "run directory (with run.json and metrics/), or k6 --out json file(s) (.json or .gz)")
    .option('--out <dir>', 'write the report here instead of the run directory (k6 files: the run directory to make)')
    .option('--lang <lang>', 'report language: en or hi', 'en')
    .option('--screenshot', 'also save screenshot.png of the report (headless Chromium)')
    .option('--no-png', 'skip the PNG charts')
    .action(async (inputs: string[], opts: { out?: string; lang: string; screenshot?: boolean; png: boolean }) => {
      if (opts.lang !== 'en' && opts.lang !== 'hi') throw invalid('--lang', 'en or hi', opts.lang);
      let runDir = inputs[0];
      let out = opts.out;
      if (await k6FilesOf(inputs, 'report input')) {
        const { dir, imported } = await runDirOfK6(inputs, opts.out, ['report', ...inputs, ...(opts.out ? ['--out', opts.out] : [])].join(' '));
        process.stderr.write(`${notRecordedLine(imported)}\n`);
        runDir = dir;
        out = undefined;
      } else if (inputs.length > 1) {
        throw new UsageError(`invalid report input: expected one run directory (or k6 results files), got ${inputs.length}: ${inputs.join(' ')}`);
      }
      const r = await buildReportFromRunDir(runDir, { out, lang: opts.lang, screenshot: opts.screenshot, png: opts.png });
      process.stdout.write(`${r.reportPath}\n${r.summaryPath}\n`);
    });
}
