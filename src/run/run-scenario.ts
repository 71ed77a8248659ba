/**
 * Run a scenario with the engine and write its run directory (DESIGN.md §3.3): run.json,
 * metrics/meta.json and metrics/windows.jsonl.gz. run.json is written at the start; windows are
 * kept as they come and written synchronously if the process exits early, so an interrupted run
 * keeps its partial results.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { encodeWindows, SIGNIFICANT_DIGITS, TREND_SCALE, WINDOWS_FORMAT, type EncodedWindow, type MetricsMeta } from '../metrics/index.js';
import { runEngine, type EngineResult, type EngineRunOptions } from '../engine/index.js';
import { VERSION } from '../version.js';
import { RUN_FILES, type RunInfo } from './run-dir.js';

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

/** A run id that sorts by time and names the scenario: 20261128-120501-citizens. */
export function newRunId(scenarioFile: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const name = basename(scenarioFile).replace(/\.[cm]?[jt]s$/, '').replace(/[^A-Za-z0-9_-]+/g, '-');
  return `${stamp}-${name}`;
}

function writeMetrics(runDir: string, startedAtMs: number, windows: readonly EncodedWindow[]): void {
  mkdirSync(join(runDir, RUN_FILES.metricsDir), { recursive: true });
  const meta: MetricsMeta = { schemaVersion: 1, startedAt: startedAtMs, windowSeconds: 1, trendScale: TREND_SCALE, significantDigits: SIGNIFICANT_DIGITS, windowsFormat: WINDOWS_FORMAT };
  writeFileSync(join(runDir, RUN_FILES.metricsMeta), JSON.stringify(meta, null, 2) + '\n');
  writeFileSync(join(runDir, RUN_FILES.windows), encodeWindows(windows));
}

function writeRunInfo(runDir: string, info: RunInfo): void {
  writeFileSync(join(runDir, RUN_FILES.run), JSON.stringify(info, null, 2) + '\n');
}

export async function runScenarioToDir(o: RunScenarioOptions): Promise<{ runDir: string; result: EngineResult; runInfo: RunInfo }> {
  const runDir = resolve(o.outDir);
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
  const partialPath = join(runDir, RUN_FILES.metricsDir, 'windows.partial.jsonl');
  const received: EncodedWindow[] = [];
  let startedAtMs: number | null = null;
  let complete = false;
  const onExit = () => {
    if (complete || startedAtMs === null) return;
    writeMetrics(runDir, startedAtMs, received);
    rmSync(partialPath, { force: true });
    writeRunInfo(runDir, { ...runInfo, startedAtMs, aborted: true, abortReason: 'the process exited during the run', endedAt: new Date().toISOString() });
  };
  process.on('exit', onExit);
  try {
    const result = await runEngine({
      ...o,
      onStart: (info) => {
        startedAtMs = info.startedAtMs;
        Object.assign(runInfo, {
          startedAtMs: info.startedAtMs, startedAt: new Date(info.startedAtMs).toISOString(),
          plannedDurationSeconds: info.plannedDurationSeconds, workers: info.workers, options: info.options,
        });
        writeRunInfo(runDir, runInfo);
        o.onStart?.(info);
      },
      onWindows: (ws) => {
        for (const w of ws) received.push(w);
        // Plain lines, appended each second: survive even a kill -9 (removed once the run completes).
        if (ws.length > 0) appendFileSync(partialPath, ws.map((w) => JSON.stringify(w)).join('\n') + '\n');
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
    writeMetrics(runDir, result.startedAtMs, result.windows);
    writeRunInfo(runDir, finalInfo);
    rmSync(partialPath, { force: true });
    return { runDir, result, runInfo: finalInfo };
  } finally {
    complete = true;
    process.off('exit', onExit);
  }
}
