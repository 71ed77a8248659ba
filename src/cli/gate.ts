import type { Command } from 'commander';
import { rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { invalid } from '../contracts/errors.js';
import { compareSummaries, parseLatencyTolerance, parsePercent, parsePercentagePoints, type Tolerances } from '../gate/compare.js';
import { loadSummary } from '../gate/load.js';
import { renderConsole, renderJUnit, renderMarkdown } from '../gate/render.js';
import { appendStepSummary } from '../gate/step-summary.js';
import { isK6ResultsFile, tempRunDirOfK6 } from './k6-results.js';

export interface GateFlags {
  baseline: string;
  current: string;
  junit?: string;
  markdown?: string;
  maxP95Increase?: string;
  maxP99Increase?: string;
  maxErrorRateIncrease?: string;
  maxRpsDecrease?: string;
  latencyNoiseFloorMs?: string;
  minRequests?: string;
  alpha?: string;
  minWindows?: string;
  quiet?: boolean;
}

/** Flags → tolerances; a bad value is exit 2 naming it. */
export function tolerancesFromFlags(f: GateFlags): Partial<Tolerances> {
  const t: Partial<Tolerances> = {};
  if (f.maxP95Increase !== undefined) t.p95 = parseLatencyTolerance(f.maxP95Increase) ?? fail('--max-p95-increase', "a percentage such as '10%' or milliseconds such as '50ms'", f.maxP95Increase);
  if (f.maxP99Increase !== undefined) t.p99 = parseLatencyTolerance(f.maxP99Increase) ?? fail('--max-p99-increase', "a percentage such as '10%' or milliseconds such as '50ms'", f.maxP99Increase);
  if (f.maxErrorRateIncrease !== undefined) t.errorRateIncrease = parsePercentagePoints(f.maxErrorRateIncrease) ?? fail('--max-error-rate-increase', "percentage points such as '0.5pp'", f.maxErrorRateIncrease);
  if (f.maxRpsDecrease !== undefined) t.rpsDecrease = parsePercent(f.maxRpsDecrease) ?? fail('--max-rps-decrease', "a percentage such as '20%'", f.maxRpsDecrease);
  if (f.latencyNoiseFloorMs !== undefined) {
    const v = Number(f.latencyNoiseFloorMs);
    if (!(f.latencyNoiseFloorMs.trim() !== '' && v >= 0)) fail('--latency-noise-floor-ms', 'milliseconds ≥ 0', f.latencyNoiseFloorMs);
    t.latencyNoiseFloorMs = v;
  }
  if (f.minRequests !== undefined) {
    const v = Number(f.minRequests);
    if (!(Number.isInteger(v) && v >= 0)) fail('--min-requests', 'a whole number ≥ 0', f.minRequests);
    t.minRequests = v;
  }
  if (f.alpha !== undefined) {
    const v = Number(f.alpha);
    if (!(f.alpha.trim() !== '' && v > 0 && v < 1)) fail('--alpha', 'a probability between 0 and 1, such as 0.01', f.alpha);
    t.alpha = v;
  }
  if (f.minWindows !== undefined) {
    const v = Number(f.minWindows);
    if (!(Number.isInteger(v) && v >= 2)) fail('--min-windows', 'a whole number ≥ 2', f.minWindows);
    t.minWindows = v;
  }
  return t;
}

function fail(flag: string, expected: string, got: string): never {
  throw invalid(flag, expected, got);
}

/** A k6 --out json file becomes a run directory with its summary.json; any other path is read as given. */
async function summaryDirOf(path: string, role: string, made: string[]): Promise<string> {
  if (!(await isK6ResultsFile(path))) return path;
  const dir = await tempRunDirOfK6(path, role);
  made.push(dir);
  const { buildReportFromRunDir } = await import('../report/index.js');
  await buildReportFromRunDir(dir, { lang: 'en', png: false });
  return dir;
}

/** `gate`: 0 pass, 1 regression, 2 bad input (thrown as UsageError). */
export async function gateCommand(flags: GateFlags, write: (s: string) => void = (s) => process.stdout.write(s)): Promise<number> {
  const tolerances = tolerancesFromFlags(flags);
  const made: string[] = [];
  let baseline: Awaited<ReturnType<typeof loadSummary>>, current: Awaited<ReturnType<typeof loadSummary>>;
  try {
    baseline = await loadSummary(await summaryDirOf(flags.baseline, 'baseline', made), 'baseline');
    current = await loadSummary(await summaryDirOf(flags.current, 'current', made), 'current');
  } finally {
    // a k6 file's run directory was only the way to its summary
    for (const dir of made) await rm(dirname(dir), { recursive: true, force: true });
  }
  const result = compareSummaries(baseline.summary, current.summary, tolerances,
    { baseline: `${baseline.summary.run.id} (${baseline.file})`, current: `${current.summary.run.id} (${current.file})` });
  if (flags.junit) await writeFile(flags.junit, renderJUnit(result));
  const markdown = renderMarkdown(result);
  if (flags.markdown) await writeFile(flags.markdown, markdown);
  await appendStepSummary(markdown);
  if (!flags.quiet) write(renderConsole(result));
  return result.pass ? 0 : 1;
}

export function registerGate(program: Command): void {
  program.command('gate')
    .description('compare a current run with a baseline (summary.json files or run dirs): verdicts, JUnit XML, Markdown; exit 1 on regression')
    .requiredOption('--baseline <path>', 'baseline summary.json, run directory or k6 --out json file')
    .requiredOption('--current <path>', 'current summary.json, run directory or k6 --out json file')
    .option('--junit <file>', 'write JUnit XML (one testcase per verdict)')
    .option('--markdown <file>', 'write a Markdown table (for a PR comment)')
    .option('--max-p95-increase <limit>', "allowed p95 increase, '20%' or '50ms' (default 20%)")
    .option('--max-p99-increase <limit>', "allowed p99 increase, '30%' or '80ms' (default 30%)")
    .option('--max-error-rate-increase <pp>', "allowed error-rate increase in percentage points (default '0.5pp')")
    .option('--max-rps-decrease <pct>', "allowed throughput decrease (default '20%')")
    .option('--latency-noise-floor-ms <ms>', 'latency increases below this are never regressions (default 5)')
    .option('--min-requests <n>', 'endpoints with fewer requests are reported, not judged (default 30)')
    .option('--alpha <p>', "chance of a false alarm among a run's latency tests (Holm; default 0.01)")
    .option('--min-windows <n>', 'per-second windows needed on each side to test a latency change (default 10)')
    .option('--quiet', 'print nothing')
    .addHelpText('after', '\nA latency check fails only when it is above its limit AND the per-second windows show the shift (Mann–Whitney on\nthe windows\' p95/p99, read against the other endpoints of the same seconds); above the limit without that it is\ninconclusive (said, exit 0). Endpoints present in the baseline but missing in the current run fail; failing\nthresholds of the current run fail. The Markdown is appended to $GITHUB_STEP_SUMMARY when it is set.\nExit codes: 0 pass · 1 regression · 2 bad input (the message names the file and field)\n')
    .action(async (flags: GateFlags) => {
      const code = await gateCommand(flags);
      if (code !== 0) process.exitCode = code;
    });
}
