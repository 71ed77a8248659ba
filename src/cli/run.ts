import type { Command } from 'commander';
import { join } from 'node:path';
import { invalid, runExitCode } from '../contracts/errors.js';
import { catchInterrupts } from './interrupts.js';
import { parseSegment, type Segment } from '../contracts/segment.js';
import { formatThresholdChecks } from '../thresholds/index.js';
import { newRunId, runScenarioToDir } from '../run/run-scenario.js';
import type { EngineResult } from '../engine/index.js';
import { buildReportFromRunDir } from '../report/index.js';
import { statistic } from '../metrics/index.js';
import { consoleProgress } from './progress-printer.js';
import { addLiveOptions, startLive, type LiveFlags } from './live-flags.js';
import { checkOutDir } from '../rundir/out-dir.js';

/** One line with the run's headline figures (the full summary is summary.json / report.html). */
export function headline(result: EngineResult): string {
  const q = result.totals;
  const reqs = statistic(q.aggregate('http_reqs'), 'count') ?? 0;
  // per second of the plan (an aborted run: of what ran)
  const elapsed = (result.endedAtMs - result.startedAtMs) / 1000;
  const seconds = Math.max(1, result.aborted || result.plannedDurationSeconds <= 0 ? elapsed : Math.min(elapsed, result.plannedDurationSeconds));
  const failed = statistic(q.aggregate('http_req_failed'), 'rate');
  // the latency of answered requests with an expected status (k6's expected_response:true): a request
  // refused, timed out or answered 5xx has a duration that says nothing of how fast the target is
  const p95 = statistic(q.aggregate('http_req_duration', { tags: { expected_response: 'true' } }), 'p(95)');
  const dropped = statistic(q.aggregate('dropped_iterations'), 'count') ?? 0;
  const iterations = statistic(q.aggregate('iterations'), 'count') ?? 0;
  return `requests ${reqs} (${(reqs / seconds).toFixed(1)}/s) · failed ${failed === null ? '–' : `${(failed * 100).toFixed(2)}%`}` +
    ` · p95 ${p95 === null ? '– (no response with an expected status)' : `${p95.toFixed(1)} ms (expected_response:true)`} · iterations ${iterations} · dropped ${dropped}`;
}

export interface RunFlags extends LiveFlags {
  env: string[];
  out?: string;
  workers?: string;
  segment?: string;
  startAt?: string;
  quiet?: boolean;
}

/** --env K=V (repeatable) → record; values from --env win over the process environment. */
export function parseEnvFlags(pairs: readonly string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const p of pairs) {
    const eq = p.indexOf('=');
    if (eq <= 0) throw invalid('--env', 'KEY=VALUE', p);
    env[p.slice(0, eq)] = p.slice(eq + 1);
  }
  return env;
}

/** `--segment i/n` (src/contracts/segment.ts). */
export function parseSegmentFlag(text: string): Segment {
  return parseSegment(text, '--segment');
}

function positiveInt(text: string, flag: string): number {
  if (!/^\d+$/.test(text.trim()) || Number(text) < 1) throw invalid(flag, 'a positive integer', text);
  return Number(text);
}

/** The exit code of a finished run (docs/contracts.md#exit-codes). */
export function exitCodeOfRun(result: EngineResult, interrupted: boolean): number {
  return runExitCode({ stoppedEarly: interrupted || result.aborted, thresholdsPass: result.thresholds.pass });
}

export async function runCommand(scenario: string, flags: RunFlags, argv: string[] = process.argv.slice(2)): Promise<number> {
  const env = parseEnvFlags(flags.env);
  const workers = flags.workers === undefined ? undefined : positiveInt(flags.workers, '--workers');
  const segment = flags.segment === undefined ? undefined : parseSegmentFlag(flags.segment);
  const startAt = flags.startAt === undefined ? undefined : positiveInt(flags.startAt, '--start-at');
  const outDir = flags.out ?? join('reports', newRunId(scenario));
  checkOutDir(outDir);
  const live = await startLive(flags, (line) => process.stdout.write(`${line}\n`));
  const interrupts = catchInterrupts();
  try {
    const { runDir, result } = await runScenarioToDir({
      scenarioFile: scenario, env, workers, segment, startAt, observers: [...(flags.quiet ? [] : [consoleProgress()]), ...live.observers],
      signal: interrupts.signal, outDir, command: argv.join(' '),
    });
    // summary.json and report.html come from the saved metrics, exactly as `capacity-test report` rebuilds them.
    const report = await buildReportFromRunDir(runDir, { lang: 'en' });
    live.reportReady(report.reportPath);
    const liveLines = await live.finish();
    if (!report.summary.thresholds.pass) result.thresholds.pass = false;
    {
      // --quiet silences the live view only: the outcome is always printed.
      const out = process.stdout;
      out.write(`${headline(result)}\n`);
      for (const e of result.iterationErrors.slice(0, 5)) out.write(`iteration error ×${e.count}: ${e.message}${e.location ? ` (at ${e.location})` : ''}\n`);
      if (result.saturatedSeconds.length) out.write(`generator saturated in ${result.saturatedSeconds.length} second(s): ${result.saturatedSeconds.slice(0, 10).join(', ')}${result.saturatedSeconds.length > 10 ? ', …' : ''}\n`);
      for (const line of formatThresholdChecks(result.thresholds)) out.write(`  ${line}\n`);
      if (result.thresholds.checks.length) out.write(`thresholds: ${result.thresholds.pass ? 'pass' : 'FAILED'}\n`);
      if (result.aborted) out.write(`aborted: ${result.abortReason}\n`);
      for (const line of liveLines) out.write(`${line}\n`);
      out.write(`${report.reportPath}\n`);
    }
    // Ctrl-C while the live page lingers ends the process as usual
    interrupts.dispose();
    await live.linger();
    return exitCodeOfRun(result, interrupts.interrupted);
  } finally {
    interrupts.dispose();
    await live.close();
  }
}

export function registerRun(program: Command): void {
  addLiveOptions(program.command('run')
    .description('run any scenario file (TypeScript or JavaScript, k6 vocabulary) and write a run directory')
    .argument('<scenario>', 'scenario file (.ts or .js)')
    .option('--env <K=V>', 'a value for __ENV / vu.env (repeatable; wins over the process environment)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--out <dir>', 'run directory (default reports/<run-id>/)')
    .option('--workers <n>', 'worker threads (default: the number of cores)')
    .option('--segment <i/n>', 'run segment i of n of the test on this host (merge the run dirs afterwards)')
    .option('--start-at <epochms>', 'common start time in epoch ms (for segments on several hosts)')
    .option('--quiet', 'no live progress'))
    .addHelpText('after', '\nExit codes: 0 ok · 1 a threshold failed · 2 bad flag or bad scenario · 3 target unreachable (in setup() or for every request of the first seconds) · 4 aborted (Ctrl-C, abortOnFail) or internal error\n')
    .action(async (scenario: string, flags: RunFlags) => {
      const code = await runCommand(scenario, flags);
      if (code !== 0) process.exitCode = code;
    });
}
