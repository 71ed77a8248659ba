import { Command } from 'commander';
import { invalid } from '../contracts/errors.js';
import { buildReportFromRunDir } from '../report/index.js';

/** `capacity-test report <run-dir> [--out DIR] [--lang en|hi]`: rebuild summary and report from saved metrics. */
export function registerReport(program: Command): void {
  program.command('report')
    .description('rebuild summary.json, report.html and charts/ from a run directory\'s saved metrics')
    .argument('<run-dir>', 'run directory (with run.json and metrics/)')
    .option('--out <dir>', 'write the report here instead of the run directory')
    .option('--lang <lang>', 'report language: en or hi', 'en')
    .option('--screenshot', 'also save screenshot.png of the report (headless Chromium)')
    .option('--no-png', 'skip the PNG charts')
    .action(async (runDir: string, opts: { out?: string; lang: string; screenshot?: boolean; png: boolean }) => {
      if (opts.lang !== 'en' && opts.lang !== 'hi') throw invalid('--lang', 'en or hi', opts.lang);
      const r = await buildReportFromRunDir(runDir, { out: opts.out, lang: opts.lang, screenshot: opts.screenshot, png: opts.png });
      process.stdout.write(`${r.reportPath}\n${r.summaryPath}\n`);
    });
}
