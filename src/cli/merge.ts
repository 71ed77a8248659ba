import type { Command } from 'commander';
import { formatThresholdChecks } from '../thresholds/index.js';
import { mergeRunDirs } from '../run/merge-runs.js';
import { describeMergedRuns } from '../k8s/runners.js';
import { k6FilesOf, notRecordedLine, runDirOfK6 } from './k6-results.js';

interface MergeFlags { out: string; allowPartial?: boolean; quiet?: boolean }

/** `merge <run-dir>… --out DIR`: flags → mergeRunDirs; exit 1 when the merged thresholds fail. */
export async function mergeCommand(dirs: string[], flags: MergeFlags, write: (s: string) => void = (s) => process.stdout.write(s)): Promise<number> {
  if (await k6FilesOf(dirs, 'merge input')) return mergeK6Files(dirs, flags, write);
  const { runInfo, thresholds } = await mergeRunDirs(dirs, flags.out, {
    allowPartial: flags.allowPartial,
    // the segments are the runners of one test: each named in the summary, the gate and the report
    runners: describeMergedRuns,
    command: ['merge', ...dirs, '--out', flags.out, ...(flags.allowPartial ? ['--allow-partial'] : [])].join(' '),
  });
  // A merged run is a run directory like any other (docs/contracts.md#run-directory): summary.json and report.html too.
  const { buildReportFromRunDir } = await import('../report/index.js');
  const report = await buildReportFromRunDir(flags.out, { lang: 'en' });
  if (!flags.quiet) {
    const from = (runInfo.extra.mergedFrom as Array<{ segment: string; shiftSeconds: number }>)
      .map((m) => `${m.segment}${m.shiftSeconds ? ` (+${m.shiftSeconds}s)` : ''}`).join(', ');
    write(`merged ${dirs.length} run(s) [${from}] → ${flags.out} (workers ${runInfo.workers})\n`);
    for (const line of formatThresholdChecks(thresholds)) write(`  ${line}\n`);
    if (thresholds.checks.length) write(`thresholds: ${thresholds.pass ? 'pass' : 'FAILED'}\n`);
    write(`${report.reportPath}\n`);
  }
  return thresholds.pass ? 0 : 1;
}

/** Several runners' k6 --out json files → one run directory: their windows added exactly, thresholds re-evaluated. */
async function mergeK6Files(files: string[], flags: MergeFlags, write: (s: string) => void): Promise<number> {
  const { dir, imported } = await runDirOfK6(files, flags.out, ['merge', ...files, '--out', flags.out].join(' '));
  const { buildReportFromRunDir } = await import('../report/index.js');
  const report = await buildReportFromRunDir(dir, { lang: 'en' });
  const { thresholds } = imported;
  if (!flags.quiet) {
    write(`merged ${files.length} k6 results file(s) → ${flags.out}\n${notRecordedLine(imported)}\n`);
    for (const line of formatThresholdChecks(thresholds)) write(`  ${line}\n`);
    if (thresholds.checks.length) write(`thresholds: ${thresholds.pass ? 'pass' : 'FAILED'}\n`);
    write(`${report.reportPath}\n`);
  }
  return thresholds.pass ? 0 : 1;
}

export function registerMerge(program: Command): void {
  program.command('merge')
    .description('merge the run directories of the segments of one test (exact: HDR windows are added); thresholds are evaluated again on the merged data')
    .argument('<run-dirs...>', 'run directories written by `run --segment i/n`, or k6 --out json files of several runners (.json or .gz)')
    .requiredOption('--out <dir>', 'directory for the merged run (must not hold a run already)')
    .option('--allow-partial', 'merge even when some segments of the test are missing')
    .option('--quiet', 'print nothing')
    .addHelpText('after', '\nExit codes: 0 merged and thresholds pass · 1 merged thresholds fail · 2 bad or mismatched run directories\n')
    .action(async (dirs: string[], flags: MergeFlags) => {
      const code = await mergeCommand(dirs, flags);
      if (code !== 0) process.exitCode = code;
    });
}
