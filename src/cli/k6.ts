/**
 * `capacity-test k6 run [k6 flags] script.js`: a k6 script, unchanged, on our engine, with k6's
 * flags and k6's exit codes (99 thresholds, 104 bad config, 105 Ctrl-C, 107 script error, 108
 * test.abort), k6's end-of-test summary (or the script's handleSummary outputs) and our run
 * directory and report beside it.
 */
import type { Command } from 'commander';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { CapacityTestError, UsageError } from '../contracts/errors.js';
import { bundleScenario } from '../engine/bundle.js';
import { TEST_ABORT_PREFIX, type EngineResult } from '../engine/index.js';
import { loadScenario, processEnv } from '../engine/lifecycle.js';
import { cliOptions, executionSegment, K6_EXIT, pairs, type K6RunFlags } from '../k6/flags.js';
import { CLI_OPTIONS_ENV } from '../k6/options.js';
import { parseTrendStats, summaryData, summaryExport, type K6SummaryData } from '../k6/summary.js';
import { summaryText } from '../k6/summary-text.js';
import { K6TransformError } from '../k6/transform/index.js';
import { createRemoteWrite, formatRemoteWriteStats, remoteWriteOptionsFromK6Env, type RemoteWrite } from '../live/remote-write/index.js';
import { buildReportFromRunDir } from '../report/index.js';
import { writeK6Json } from '../run/k6-json-out.js';
import { newRunId, runScenarioToDir } from '../run/run-scenario.js';
import type { ThresholdsResult } from '../thresholds/index.js';
import { consoleProgress } from './progress-printer.js';

interface Flags extends K6RunFlags {
  summaryExport?: string;
  summaryTrendStats?: string;
  out: string[];
  quiet?: boolean;
  summary: boolean;
  runDir?: string;
  workers?: string;
}

/** k6's exit code of an error that stopped the run before or during it. */
export function k6ExitOf(err: unknown): number {
  if (err instanceof K6TransformError) return K6_EXIT.scriptException;
  const msg = err instanceof Error ? err.message : String(err);
  if (msg.startsWith(TEST_ABORT_PREFIX)) return K6_EXIT.scriptAborted;
  if (/^setup\(\) did not finish within/.test(msg) || /setup\(\) failed: setup\(\) did not finish/.test(msg)) return K6_EXIT.setupTimeout;
  if (err instanceof UsageError && /^invalid (option|executor|exec|duration|vus|iterations|scenario "|stages|timeUnit|rate|maxVUs|preAllocatedVUs|startTime|gracefulStop|options)/.test(msg)) return K6_EXIT.invalidConfig;
  return K6_EXIT.scriptException;
}

/** k6's exit code of a run that finished (or was stopped). */
export function k6ExitOfRun(result: EngineResult, interrupted: boolean): number {
  if (result.abortReason?.startsWith(TEST_ABORT_PREFIX)) return K6_EXIT.scriptAborted;
  if (interrupted) return K6_EXIT.externalAbort;
  if (!result.thresholds.pass) return K6_EXIT.thresholdsFailed;
  return K6_EXIT.ok;
}

function write(path: string, content: unknown): void {
  mkdirSync(dirname(resolve(path)), { recursive: true });
  writeFileSync(path, content instanceof ArrayBuffer ? Buffer.from(content) : typeof content === 'string' ? content : JSON.stringify(content));
}

/** The script's handleSummary(data), if it exports one: its outputs (path or stdout/stderr → content). */
async function handleSummary(script: string, env: Record<string, string>, data: K6SummaryData): Promise<Record<string, unknown> | null> {
  const bundle = await bundleScenario(script);
  try {
    const mod = await loadScenario(script, bundle.bundlePath, env);
    const fn = mod.scenario.handleSummary;
    if (typeof fn !== 'function') return null;
    const out = await (fn as (d: K6SummaryData) => unknown)(data);
    if (typeof out !== 'object' || out === null) throw new UsageError(`handleSummary() must return an object of outputs (file path, "stdout" or "stderr" → content), got ${out === null ? 'null' : typeof out}`);
    return out as Record<string, unknown>;
  } finally {
    bundle.cleanup();
  }
}

export async function k6RunCommand(script: string, flags: Flags): Promise<number> {
  let env: Record<string, string>;
  let segment: { index: number; count: number } | undefined;
  let trendStats: string[] | undefined;
  let jsonOut: string | undefined;
  let remote: RemoteWrite | null = null;
  try {
    env = { ...processEnv(), ...pairs(flags.env, '--env') };
    const options = cliOptions(flags);
    if (Object.keys(options).length) env[CLI_OPTIONS_ENV] = JSON.stringify(options);
    segment = flags.executionSegment === undefined ? undefined : executionSegment(flags.executionSegment);
    trendStats = flags.summaryTrendStats === undefined ? undefined : parseTrendStats(flags.summaryTrendStats);
    for (const o of flags.out) {
      if (o.startsWith('json=') && o.length > 5) jsonOut = o.slice(5);
      // k6 reads this output's settings from the environment (K6_PROMETHEUS_RW_SERVER_URL, …), never from -e
      else if (o === 'experimental-prometheus-rw') remote = createRemoteWrite(remoteWriteOptionsFromK6Env(process.env), 'K6_PROMETHEUS_RW_SERVER_URL');
      else throw new UsageError(`invalid --out: expected json=FILE (k6's JSON lines, FILE.gz gzipped) or experimental-prometheus-rw, got ${JSON.stringify(o)}`);
    }
  } catch (err) {
    process.stderr.write(`capacity-test k6: ${(err as Error).message}\n`);
    return K6_EXIT.invalidConfig;
  }
  const outDir = flags.runDir ?? join('reports', newRunId(script));
  // every thread's samples, put into k6's file after the run (src/run/k6-json-out.ts)
  const samplesDir = jsonOut === undefined ? undefined : join(resolve(outDir), '.k6-json-parts');
  const controller = new AbortController();
  const onSigint = () => { if (controller.signal.aborted) process.exit(K6_EXIT.externalAbort); controller.abort('interrupted (Ctrl-C)'); };
  process.on('SIGINT', onSigint);
  let run: { runDir: string; result: EngineResult };
  try {
    run = await runScenarioToDir({
      scenarioFile: script, env, segment, outDir, signal: controller.signal, command: `k6 run ${script}`,
      workers: flags.workers === undefined ? undefined : Number(flags.workers),
      observers: [...(flags.quiet ? [] : [consoleProgress()]), ...(remote ? [remote.observe] : [])],
      ...(samplesDir ? { samplesDir } : {}),
    });
  } catch (err) {
    process.stderr.write(`capacity-test k6: ${err instanceof CapacityTestError || err instanceof K6TransformError ? err.message : (err as Error).stack}\n`);
    await remote?.close();
    if (samplesDir) rmSync(samplesDir, { recursive: true, force: true });
    return k6ExitOf(err);
  } finally {
    process.off('SIGINT', onSigint);
  }
  const { runDir, result } = run;
  if (remote) process.stderr.write(`${formatRemoteWriteStats(await remote.close())}\n`);
  if (jsonOut !== undefined && samplesDir) {
    try {
      await writeK6Json(samplesDir, jsonOut, result.options.thresholds as Parameters<typeof writeK6Json>[2]);
    } catch (err) {
      process.stderr.write(`capacity-test k6: --out json=${jsonOut} could not be written: ${(err as Error).message}\n`);
    }
  }
  for (const e of result.iterationErrors.slice(0, 5)) process.stderr.write(`ERRO ×${e.count} ${e.message}${e.location ? ` at ${e.location}` : ''}\n`);
  try {
    await buildReportFromRunDir(runDir, { lang: 'en' });
  } catch (err) {
    process.stderr.write(`capacity-test k6: the report of ${runDir} could not be built: ${(err as Error).message}\n`);
  }
  const data = summaryData({
    totals: result.totals, thresholds: result.thresholds as ThresholdsResult, testRunDurationMs: result.endedAtMs - result.startedAtMs,
    trendStats, isStdOutTTY: Boolean(process.stdout.isTTY), isStdErrTTY: Boolean(process.stderr.isTTY),
  });
  const text = summaryText(data);
  writeFileSync(join(runDir, 'k6-summary.json'), JSON.stringify(data, null, 2) + '\n');
  writeFileSync(join(runDir, 'k6-summary.txt'), text);
  if (flags.summaryExport) write(flags.summaryExport, JSON.stringify(summaryExport(data), null, 2) + '\n');
  let outputs: Record<string, unknown> | null;
  try {
    outputs = await handleSummary(script, env, data);
  } catch (err) {
    process.stderr.write(`capacity-test k6: handleSummary() failed: ${(err as Error).message}\n`);
    outputs = null;
  }
  if (outputs) {
    for (const [where, content] of Object.entries(outputs)) {
      if (where === 'stdout') process.stdout.write(String(content));
      else if (where === 'stderr') process.stderr.write(String(content));
      else write(where, content);
    }
  } else if (flags.summary) {
    process.stdout.write(text);
  }
  process.stdout.write(`\nrun directory (report.html, k6-summary.txt): ${runDir}\n`);
  if (result.aborted) process.stderr.write(`aborted: ${result.abortReason}\n`);
  return k6ExitOfRun(result, controller.signal.aborted);
}

const collect = (v: string, acc: string[]) => [...acc, v];

export function registerK6(program: Command): void {
  const k6 = program.command('k6').description("run k6 scripts unchanged, with k6's flags and exit codes");
  k6.command('run')
    .description('run a k6 script (JavaScript or TypeScript) on our engine')
    .argument('<script>', 'the k6 script')
    .option('-u, --vus <n>', 'virtual users (replaces the script\'s scenarios, as in k6)')
    .option('-d, --duration <d>', 'test duration, e.g. 30s, 5m')
    .option('-i, --iterations <n>', 'iterations shared by the VUs')
    .option('-s, --stage <d:target>', 'a ramping stage, e.g. 30s:10 (repeatable)', collect, [] as string[])
    .option('-e, --env <K=V>', 'a value for __ENV (repeatable)', collect, [] as string[])
    .option('--tag <K=V>', 'a tag on every metric (repeatable)', collect, [] as string[])
    .option('--summary-export <file>', "write k6's legacy summary export (JSON)")
    .option('--summary-trend-stats <stats>', 'trend stats of the summary, e.g. avg,p(95),p(99.9)')
    .option('-o, --out <spec>', "json=FILE (k6's JSON lines; FILE.gz gzipped) or experimental-prometheus-rw (K6_PROMETHEUS_RW_* settings); repeatable", collect, [] as string[])
    .option('--execution-segment <from:to>', 'this instance\'s equal share of the test, e.g. 1/2:1')
    .option('-q, --quiet', 'no progress')
    .option('--no-summary', 'no end-of-test summary')
    .option('--run-dir <dir>', 'capacity-test: our run directory (default reports/<run-id>/)')
    .option('--workers <n>', 'capacity-test: worker threads')
    .addHelpText('after', '\nExit codes (k6\'s): 0 ok · 99 thresholds failed · 100 setup timeout · 104 invalid flags or options · 105 interrupted · 107 script error · 108 test.abort()\n')
    .action(async (script: string, flags: Flags) => {
      const code = await k6RunCommand(script, flags);
      if (code !== 0) process.exitCode = code;
    });
}
