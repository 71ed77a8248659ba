/**
 * Run a scenario with the engine and write its run directory (docs/contracts.md#run-directory): run.json,
 * metrics/meta.json and metrics/windows.jsonl.gz. run.json is written at the start; windows are
 * appended to a plain v2 file each second, in second order (rundir/window-log.ts) (memory stays flat however long the run) and
 * compressed at the end, or synchronously if the process exits early, so an interrupted run keeps
 * its partial results.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip, gzipSync } from 'node:zlib';
import { runEngine, type EngineResult, type EngineRunOptions } from '../engine/index.js';
import { VERSION } from '../version.js';
import { metricsMeta, RUN_FILES, type RunInfo } from '../rundir/run-dir.js';
import { WindowLog } from '../rundir/window-log.js';

export interface RunScenarioOptions extends EngineRunOptions {
  outDir: string;
  command: string;
  extra?: Partial<RunInfo>;
}

function gitCommit(): string | null {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || null;
  } catch { return null; }
}

// A run id that sorts by time and names the scenario: 20261128-120501-citizens (src/contracts/run-id.ts).
export { newRunId } from '../contracts/run-id.js';

function writeMetricsMeta(runDir: string, startedAtMs: number): void {
  mkdirSync(join(runDir, RUN_FILES.metricsDir), { recursive: true });
  writeFileSync(join(runDir, RUN_FILES.metricsMeta), JSON.stringify(metricsMeta(startedAtMs), null, 2) + '\n');
}

function writeRunInfo(runDir: string, info: RunInfo): void {
  writeFileSync(join(runDir, RUN_FILES.run), JSON.stringify(info, null, 2) + '\n');
}

/**
 * A run refused before its load started (a bad scenario: exit 2; setup() found the target down: exit 3)
 * leaves no half run directory: what this run wrote goes, and the directory too when the run made it.
 */
function removeUnstartedRun(runDir: string, existed: boolean): void {
  if (!existed) { rmSync(runDir, { recursive: true, force: true }); return; }
  for (const f of [RUN_FILES.run, RUN_FILES.metricsDir]) rmSync(join(runDir, f), { recursive: true, force: true });
}

/**
 * esbuild runs as a child process in the terminal's process group, so a Ctrl-C reaches it too ("The
 * service is no longer running" in the report step). Everything the run bundles is bundled before its load
 * starts — the scenario by the engine, the report's what-if panel here (kept in memory) — and the service
 * is stopped once the load starts.
 */
async function bundleBeforeLoad(): Promise<void> {
  const { bundleWhatIf } = await import('../report/whatif-panel.js');
  await bundleWhatIf();
}
async function stopBundler(): Promise<void> {
  const esbuild = await import('esbuild');
  await esbuild.stop();
}

export async function runScenarioToDir(o: RunScenarioOptions): Promise<{ runDir: string; result: EngineResult; runInfo: RunInfo }> {
  const runDir = resolve(o.outDir);
  const existed = existsSync(runDir);
  await bundleBeforeLoad();
  mkdirSync(join(runDir, RUN_FILES.metricsDir), { recursive: true });
  const began = new Date();
  const runInfo: RunInfo = {
    id: basename(runDir),
    command: o.command,
    scenario: o.scenarioFile,
    target: o.env.TARGET ?? o.env.BASE_URL ?? null,
    startedAt: began.toISOString(),
    startedAtMs: o.startAt ?? began.getTime(),
    endedAt: null,
    durationSeconds: null,
    plannedDurationSeconds: null,
    engine: { name: 'capacity-test', version: VERSION },
    workers: o.workers ?? 0,
    segment: o.segment ? `${o.segment.index}/${o.segment.count}` : null,
    gitCommit: gitCommit(),
    portalMode: null,
    seed: null,
    aborted: false,
    abortReason: null,
    options: null,
    profile: null,
    extra: {},
    ...o.extra,
  };
  writeRunInfo(runDir, runInfo);

  // Windows as they come, and a synchronous last write if the process is made to exit mid-run.
  const windowLog = new WindowLog(join(runDir, RUN_FILES.windowsLog));
  const windowsPath = join(runDir, RUN_FILES.windows);
  let startedAtMs: number | null = null;
  let complete = false;
  const onExit = () => {
    // an exit while the log is being compressed at the end (a second Ctrl-C) still leaves a whole file
    if (windowLog.finished) return;
    if (startedAtMs === null) { if (!complete) removeUnstartedRun(runDir, existed); return; }
    writeMetricsMeta(runDir, startedAtMs);
    windowLog.finishSync(windowsPath);
    writeRunInfo(runDir, { ...runInfo, startedAtMs, aborted: true, abortReason: 'the process exited during the run', endedAt: new Date().toISOString() });
  };
  process.on('exit', onExit);
  try {
    const result = await runEngine({
      // the windows go to the run directory as they come; sweep keeps them too, for its step analysis
      retainWindows: false,
      ...o,
      onStart: (info) => {
        startedAtMs = info.startedAtMs;
        void stopBundler();
        Object.assign(runInfo, {
          startedAtMs: info.startedAtMs, startedAt: new Date(info.startedAtMs).toISOString(),
          plannedDurationSeconds: info.plannedDurationSeconds, workers: info.workers, options: info.options,
        });
        writeRunInfo(runDir, runInfo);
        o.onStart?.(info);
      },
      onWindows: (ws) => {
        windowLog.append(ws);
        o.onWindows?.(ws);
      },
    });
    complete = true;
    const ended = new Date(result.endedAtMs);
    const finalInfo: RunInfo = {
      ...runInfo,
      startedAt: new Date(result.startedAtMs).toISOString(),
      startedAtMs: result.startedAtMs,
      endedAt: ended.toISOString(),
      durationSeconds: Math.round((result.endedAtMs - result.startedAtMs) / 100) / 10,
      plannedDurationSeconds: result.plannedDurationSeconds,
      workers: result.workers,
      aborted: result.aborted,
      abortReason: result.abortReason,
      options: result.options,
      extra: {
        ...runInfo.extra,
        saturatedSeconds: result.saturatedSeconds,
        saturation: result.saturation,
        iterationErrors: result.iterationErrors,
        thresholds: result.thresholds,
      },
    };
    writeMetricsMeta(runDir, result.startedAtMs);
    await windowLog.finish(windowsPath);
    writeRunInfo(runDir, finalInfo);
    return { runDir, result, runInfo: finalInfo };
  } catch (err) {
    if (startedAtMs === null) removeUnstartedRun(runDir, existed);
    // a run that failed midway keeps what it measured, and says it did not finish
    else if (!existsSync(windowsPath)) {
      writeMetricsMeta(runDir, startedAtMs);
      windowLog.finishSync(windowsPath);
      writeRunInfo(runDir, { ...runInfo, startedAtMs, aborted: true, abortReason: `the run failed: ${(err as Error).message ?? String(err)}`, endedAt: new Date().toISOString() });
    }
    throw err;
  } finally {
    complete = true;
    process.off('exit', onExit);
  }
}
