/**
 * `capacity-test merge`: the run directories of the segments of one test (`run --segment i/n`, on
 * one host or many) become one run directory. Exact: the 1-second HDR windows are added, never
 * averaged, so a merged p95 is the p95 of every sample of every segment; thresholds are evaluated
 * again on the merged windows, since a threshold that passes on each half can fail on the whole.
 * The windows are streamed from the segments' files to the merged one (merge-stream.ts): a merge of
 * 24-hour segments holds one second of windows, not the run.
 */
import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { UsageError } from '../contracts/errors.js';
import { parseSegment } from '../contracts/segment.js';
import { encodeWindows, windowBatches } from '../metrics/codec.js';
import { SeriesTotals } from '../metrics/totals.js';
import { TREND_SCALE, type EncodedWindow, type MetricsMeta } from '../metrics/types.js';
import { evaluateThresholds, parseThresholds, type ThresholdDef, type ThresholdsInput, type ThresholdsResult } from '../thresholds/index.js';
import { mergeWindowStreams, writeMergedWindows } from './merge-stream.js';
import type { RunnerRecord } from '../assess/index.js';
import { metricsMeta, RUN_FILES, type RunInfo } from '../rundir/run-dir.js';
import { windowsFileOf, windowsFileText, type WindowsFile } from '../rundir/windows-file.js';

export interface SegmentRun {
  dir: string;
  runInfo: RunInfo;
}

export interface MergePlanEntry extends SegmentRun {
  /** segment index, 0-based, and count */
  index: number;
  count: number;
  /** whole seconds to add to this run's windows so they share the merged start */
  shiftSeconds: number;
}

export interface MergeOptions {
  /** merge even when some segments of the test are missing (the result is then not the whole test) */
  allowPartial?: boolean;
  /** the command line, kept in run.json */
  command?: string;
  /** more for run.json `extra` */
  extra?: Record<string, unknown>;
  /**
   * The runners of the test, described once the segments are planned (src/k8s/runners.ts): kept in
   * run.json `extra.runners`, each with the shift the merge gave its seconds.
   */
  runners?: (plan: readonly MergePlanEntry[]) => Promise<RunnerRecord[]>;
}

/** A run's segment as run.json records it: "i/n", 1 ≤ i ≤ n, as `run --segment` writes it (src/contracts/segment.ts). */
export function runSegment(segment: string, dir: string): { i: number; n: number } {
  try {
    const s = parseSegment(segment, `run ${dir}`);
    return { i: s.index, n: s.count };
  } catch {
    throw new UsageError(`invalid run ${dir}: expected run.json segment "i/n" with 1 ≤ i ≤ n (as run --segment writes it), got ${JSON.stringify(segment)}`);
  }
}

/** Canonical JSON (keys sorted) so option objects compare by content, not key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** Pure: check that the runs are distinct segments of one test and work out how to align them. */
export function planMerge(runs: readonly SegmentRun[], opts: Pick<MergeOptions, 'allowPartial'> = {}): MergePlanEntry[] {
  if (runs.length === 0) throw new UsageError('invalid merge: expected at least one run directory, got none');
  const first = runs[0];
  const parsed = runs.map((r) => {
    if (r.runInfo.segment === null || r.runInfo.segment === undefined) {
      // One unsegmented run is the whole test already; with others it would count twice.
      if (runs.length === 1) return { ...r, i: 1, n: 1 };
      throw new UsageError(`invalid run ${r.dir}: expected a segment of a test (run --segment i/n), got a whole run (segment null)`);
    }
    return { ...r, ...runSegment(r.runInfo.segment, r.dir) };
  });
  const ref = parsed[0];
  const refScenario = basename(first.runInfo.scenario ?? '');
  const refOptions = canonical(first.runInfo.options);
  const seen = new Map<number, string>();
  for (const p of parsed) {
    if (p.n !== ref.n) {
      throw new UsageError(`invalid run ${p.dir}: expected a segment of ${ref.n} (as ${ref.dir}), got segment ${p.runInfo.segment}`);
    }
    const index = p.i - 1;
    const other = seen.get(index);
    if (other !== undefined) {
      throw new UsageError(`invalid run ${p.dir}: expected distinct segments, got segment ${p.runInfo.segment} twice (also in ${other})`);
    }
    seen.set(index, p.dir);
    if (basename(p.runInfo.scenario ?? '') !== refScenario) {
      throw new UsageError(`invalid run ${p.dir}: expected a segment of the same scenario as ${ref.dir} (${refScenario}), got ${basename(p.runInfo.scenario ?? '')}`);
    }
    if (canonical(p.runInfo.options) !== refOptions) {
      throw new UsageError(`invalid run ${p.dir}: expected the same options (scenarios, thresholds) as ${ref.dir}, got different ones`);
    }
    if (!Number.isFinite(p.runInfo.startedAtMs)) {
      throw new UsageError(`invalid run ${p.dir}: expected run.json startedAtMs (epoch ms), got ${JSON.stringify(p.runInfo.startedAtMs)}`);
    }
  }
  if (seen.size !== ref.n && !opts.allowPartial) {
    const missing = [...Array(ref.n).keys()].filter((k) => !seen.has(k)).map((k) => `${k + 1}/${ref.n}`);
    throw new UsageError(`invalid merge: expected all ${ref.n} segments of the test, got ${seen.size} (missing ${missing.join(', ')}; --allow-partial merges them anyway)`);
  }
  const start = Math.min(...parsed.map((p) => p.runInfo.startedAtMs));
  return parsed
    .map((p) => ({
      dir: p.dir, runInfo: p.runInfo,
      index: p.i - 1, count: p.n,
      // `--start-at` gives every segment the same second 0; otherwise align on the nearest whole second.
      shiftSeconds: Math.round((p.runInfo.startedAtMs - start) / 1000),
    }))
    .sort((a, b) => a.index - b.index);
}

function sameOrNull<T>(values: T[]): T | null {
  return values.every((v) => canonical(v) === canonical(values[0])) ? values[0] : null;
}

/** Pure: the run.json of the merged run. */
export function mergedRunInfo(plan: readonly MergePlanEntry[], id: string, command: string, thresholds: ThresholdsResult | null): RunInfo {
  const infos = plan.map((p) => p.runInfo);
  const first = infos[0];
  const startMs = Math.min(...infos.map((r) => r.startedAtMs));
  const ends = infos.map((r) => (r.endedAt ? Date.parse(r.endedAt) : NaN));
  const allEnded = ends.every((e) => Number.isFinite(e));
  const endMs = allEnded ? Math.max(...ends) : null;
  const durations = plan.map((p) => (p.runInfo.durationSeconds === null ? null : p.runInfo.durationSeconds + p.shiftSeconds));
  const aborted = plan.filter((p) => p.runInfo.aborted);
  const targets = [...new Set(infos.map((r) => r.target))];
  return {
    id,
    command,
    scenario: first.scenario,
    target: targets.length === 1 ? targets[0] : null,
    startedAt: new Date(startMs).toISOString(),
    startedAtMs: startMs,
    endedAt: endMs === null ? null : new Date(endMs).toISOString(),
    durationSeconds: endMs !== null ? (endMs - startMs) / 1000 : durations.every((d) => d !== null) ? Math.max(...(durations as number[])) : null,
    plannedDurationSeconds: sameOrNull(infos.map((r) => r.plannedDurationSeconds)),
    engine: first.engine,
    workers: infos.reduce((n, r) => n + (r.workers ?? 0), 0),
    segment: null,
    gitCommit: sameOrNull(infos.map((r) => r.gitCommit)),
    portalMode: sameOrNull(infos.map((r) => r.portalMode)),
    seed: sameOrNull(infos.map((r) => r.seed)),
    aborted: aborted.length > 0,
    abortReason: aborted.length ? aborted.map((p) => `${p.runInfo.segment}: ${p.runInfo.abortReason ?? 'aborted'}`).join('; ') : null,
    options: first.options,
    profile: first.profile,
    extra: {
      mergedFrom: plan.map((p) => ({
        dir: p.dir, id: p.runInfo.id, segment: p.runInfo.segment, startedAtMs: p.runInfo.startedAtMs,
        shiftSeconds: p.shiftSeconds, workers: p.runInfo.workers, target: p.runInfo.target,
      })),
      ...(plan.length < plan[0].count ? { partial: true, segmentsMerged: plan.length, segmentsOfTest: plan[0].count } : {}),
      ...(targets.length > 1 ? { targets } : {}),
      ...(thresholds ? { thresholds } : {}),
    },
  };
}

async function exists(path: string): Promise<boolean> {
  try { await access(path); return true; } catch { return false; }
}

/** A segment as read before its windows: run.json and where its windows are. */
export interface SegmentDir extends SegmentRun {
  windows: WindowsFile;
}

/** Read run.json of one run directory and find its windows; every failure names the file. */
export async function readRunDir(dir: string): Promise<SegmentDir> {
  const runPath = join(dir, RUN_FILES.run);
  let runInfo: RunInfo;
  try {
    runInfo = JSON.parse(await readFile(runPath, 'utf8')) as RunInfo;
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
    throw new UsageError(`invalid run directory ${dir}: expected ${RUN_FILES.run}, got ${why}`);
  }
  if (!runInfo || typeof runInfo !== 'object' || typeof runInfo.startedAtMs !== 'number') {
    throw new UsageError(`invalid ${runPath}: expected a run.json with startedAtMs, got ${JSON.stringify(runInfo)?.slice(0, 80)}`);
  }
  const metaPath = join(dir, RUN_FILES.metricsMeta);
  if (await exists(metaPath)) {
    const meta = JSON.parse(await readFile(metaPath, 'utf8')) as Partial<MetricsMeta>;
    // Windows recorded with another scale would add up to nonsense: refuse rather than merge.
    if (meta.trendScale !== undefined && meta.trendScale !== TREND_SCALE) {
      throw new UsageError(`invalid ${metaPath}: expected trendScale ${TREND_SCALE}, got ${meta.trendScale}`);
    }
  }
  // a killed run (kill -9) left only its plain log: merged all the same, as `report` reads it
  const windows = windowsFileOf(dir);
  if (!windows) throw new UsageError(`invalid run directory ${dir}: expected ${RUN_FILES.windows}, got no such file`);
  return { dir, runInfo, windows };
}

/** A segment's windows as they are read, shifted to the merged start; a bad file is named (exit 2). */
async function* segmentWindows(segment: SegmentDir, shiftSeconds: number): AsyncGenerator<EncodedWindow[]> {
  try {
    yield* windowBatches(windowsFileText(segment.windows), shiftSeconds);
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
    throw new UsageError(`invalid run directory ${segment.dir}: expected ${segment.windows.name}, got ${why}`);
  }
}

/** meta.json, then run.json last: a directory holding a run.json is a whole run. */
async function writeRunFiles(dir: string, runInfo: RunInfo): Promise<void> {
  await writeFile(join(dir, RUN_FILES.metricsMeta), JSON.stringify(metricsMeta(runInfo.startedAtMs), null, 2) + '\n');
  await writeFile(join(dir, RUN_FILES.run), JSON.stringify(runInfo, null, 2) + '\n');
}

/** Write a run directory's run.json and metrics from windows in memory (what `report <run-dir>` rebuilds from). */
export async function writeRunDir(dir: string, runInfo: RunInfo, windows: readonly EncodedWindow[]): Promise<void> {
  await mkdir(join(dir, RUN_FILES.metricsDir), { recursive: true });
  await writeFile(join(dir, RUN_FILES.windows), encodeWindows(windows));
  await writeRunFiles(dir, runInfo);
}

/** Each merged runner with the whole seconds its windows were shifted by (a runner not merged has none). */
export function withShifts(runners: readonly RunnerRecord[], plan: readonly MergePlanEntry[]): RunnerRecord[] {
  return runners.map((r) => {
    const p = plan.find((e) => e.index === r.index);
    return p ? { ...r, shiftSeconds: p.shiftSeconds } : r;
  });
}

/** The thresholds of run.json `options.thresholds` (the same in every segment: planMerge checks). */
export function mergeThresholdDefs(plan: readonly MergePlanEntry[]): ThresholdDef[] {
  return parseThresholds(plan[0].runInfo.options?.thresholds as ThresholdsInput | undefined);
}

/**
 * Merge the segment run dirs into `outDir`, reading and writing the windows as streams (memory holds
 * one second of every series, however long the runs); thresholds are those of run.json
 * `options.thresholds`, evaluated on whole-run totals of the merged windows.
 */
export async function mergeRunDirs(dirs: string[], outDir: string, opts: MergeOptions = {}): Promise<{ runInfo: RunInfo; thresholds: ThresholdsResult }> {
  const out = resolve(outDir);
  if (dirs.some((d) => resolve(d) === out)) throw new UsageError(`invalid --out ${outDir}: expected a new directory, got one of the runs being merged`);
  if (await exists(join(out, RUN_FILES.run))) throw new UsageError(`invalid --out ${outDir}: expected a new directory, got one that already holds a run.json`);
  const segments: SegmentDir[] = [];
  for (const dir of dirs) segments.push(await readRunDir(dir));
  const plan = planMerge(segments, opts);
  const runners = opts.runners ? withShifts(await opts.runners(plan), plan) : null;
  const defs = mergeThresholdDefs(plan);
  const totals = new SeriesTotals();
  // planMerge refuses a directory given twice (the same segment twice), so a dir names one segment
  const rows = mergeWindowStreams(plan.map((p) => segmentWindows(segments.find((s) => s.dir === p.dir)!, p.shiftSeconds)), totals);
  await writeMergedWindows(out, rows);
  const thresholds = evaluateThresholds(defs, totals);
  const command = opts.command ?? `merge ${dirs.join(' ')} --out ${outDir}`;
  const runInfo = mergedRunInfo(plan, basename(out), command, thresholds);
  if (opts.extra) Object.assign(runInfo.extra, opts.extra);
  if (runners?.length) runInfo.extra.runners = runners;
  await writeRunFiles(out, runInfo);
  return { runInfo, thresholds };
}
