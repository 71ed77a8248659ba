/**
 * k6's `--out json` results (one runner's file, or several runners' files of one test) → a run
 * directory (docs/contracts.md#run-directory) that `report`, `merge` and `gate` read as any run:
 * 1-second HDR windows per metric and tag set (src/k6/ndjson), thresholds from the Metric lines
 * re-evaluated on them, and run.json saying what k6 does not record (extra.notRecorded).
 *
 * Streamed: each file is read through gunzip (when gzipped) a chunk at a time, its windows handed on
 * as its seconds pass, the files added up second by second (merge-stream.ts) and written as they
 * come, so a file of any size is read in a few seconds' worth of memory.
 */
import { createReadStream } from 'node:fs';
import { access, open, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { createGunzip, gunzipSync } from 'node:zlib';
import { UsageError } from '../contracts/errors.js';
import { K6ResultsLineError, K6WindowBuilder, NOT_RECORDED_BY_K6, parseK6Line, type K6BuilderOptions } from '../k6/ndjson/index.js';
import { lineBatches, type EncodedWindow } from '../metrics/index.js';
import { SeriesTotals } from '../metrics/totals.js';
import { metricsMeta, RUN_FILES, type RunInfo } from '../rundir/run-dir.js';
import { evaluateThresholds, parseThresholds, type ThresholdsInput, type ThresholdsResult } from '../thresholds/index.js';
import { VERSION } from '../version.js';
import { mergeWindowStreams, writeMergedWindows } from './merge-stream.js';

const GZIP_MAGIC = [0x1f, 0x8b];

async function firstBytes(path: string, n: number): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await fh.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

const isGzip = (b: Buffer) => b.length >= 2 && b[0] === GZIP_MAGIC[0] && b[1] === GZIP_MAGIC[1];

/**
 * True when `path` is a file of k6's `--out json` (plain or gzip): its first line is a Metric or Point
 * object. A summary.json (pretty-printed: its first line is `{`) or a directory is not.
 */
export async function isK6ResultsFile(path: string): Promise<boolean> {
  let head: Buffer;
  try {
    head = await firstBytes(path, 64 * 1024);
  } catch {
    return false; // a directory, or no such file: for the caller's own message
  }
  let text: string;
  if (isGzip(head)) {
    try {
      // a partial gzip stream: gunzip what the first bytes hold
      text = gunzipSync(head, { finishFlush: 2 /* Z_SYNC_FLUSH */ }).toString('utf8');
    } catch { return false; }
  } else text = head.toString('utf8');
  const nl = text.indexOf('\n');
  const first = (nl >= 0 ? text.slice(0, nl) : text).trim();
  try {
    const v = JSON.parse(first) as { type?: unknown; metric?: unknown };
    return (v.type === 'Metric' || v.type === 'Point') && typeof v.metric === 'string';
  } catch {
    return false;
  }
}

/** The text of a results file as it comes, gunzipped when its first bytes say gzip (whatever its name). */
async function* fileText(path: string): AsyncGenerator<string> {
  const head = await firstBytes(path, 2);
  if (head.length === 0) return; // a runner that recorded nothing: k6 writes an empty file
  const gz = isGzip(head);
  const bytes = createReadStream(path, { highWaterMark: 256 * 1024 });
  const text = gz ? bytes.pipe(createGunzip({ chunkSize: 256 * 1024 })) : bytes;
  if (gz) bytes.on('error', (e) => text.destroy(e));
  text.setEncoding('utf8');
  try {
    yield* text as AsyncIterable<string>;
  } finally {
    bytes.destroy();
    text.destroy();
  }
}

function badFile(path: string, err: unknown): UsageError {
  if (err instanceof UsageError) return err;
  const e = err as NodeJS.ErrnoException;
  const why = e.code === 'ENOENT' ? 'no such file' : e instanceof K6ResultsLineError ? e.message : e.code === 'Z_DATA_ERROR' || /incorrect header|unexpected end/i.test(e.message) ? `a broken gzip stream (${e.message})` : e.message;
  return new UsageError(`invalid k6 results ${path}: ${why}`);
}

/** Epoch ms of the first Point of a file (the runners' common second 0 is the earliest of them). */
async function firstPointMs(path: string): Promise<number> {
  let lineNo = 0;
  try {
    for await (const lines of lineBatches(fileText(path))) {
      for (const text of lines) {
        const line = parseK6Line(text, ++lineNo);
        if (line?.type === 'Point') return line.time;
      }
    }
  } catch (err) {
    throw badFile(path, err);
  }
  return NaN;
}

/** One file's windows as they are read, in batches (one per chunk of text). */
async function* fileWindows(path: string, builder: K6WindowBuilder): AsyncGenerator<EncodedWindow[]> {
  let lineNo = 0;
  try {
    for await (const lines of lineBatches(fileText(path))) {
      for (const text of lines) {
        lineNo++;
        const line = parseK6Line(text, lineNo);
        if (line) builder.add(line, lineNo);
      }
      const ws = builder.take();
      if (ws.length) yield ws;
    }
  } catch (err) {
    throw badFile(path, err);
  }
  const ws = builder.end();
  if (ws.length) yield ws;
}

/** Union of several files' thresholds (each runner's file carries the same script's). */
function unionThresholds(list: readonly ThresholdsInput[]): ThresholdsInput {
  const out: Record<string, string[]> = {};
  for (const t of list) {
    for (const [k, v] of Object.entries(t)) out[k] = [...new Set([...(out[k] ?? []), ...(v as string[])])];
  }
  return out;
}

export interface K6ImportResult {
  runInfo: RunInfo;
  thresholds: ThresholdsResult;
  points: number;
  late: number;
}

export interface K6ImportOptions extends Partial<Pick<K6BuilderOptions, 'reorderSeconds'>> {
  command?: string;
}

async function exists(path: string): Promise<boolean> {
  try { await access(path); return true; } catch { return false; }
}

/**
 * Read k6 results files into the run directory `outDir` (which must not hold a run yet). Several
 * files are several runners of one test: their windows are added second by second (exact, HDR),
 * aligned on the earliest first point.
 */
export async function importK6Results(files: readonly string[], outDir: string, o: K6ImportOptions = {}): Promise<K6ImportResult> {
  if (files.length === 0) throw new UsageError('invalid k6 results: expected at least one file, got none');
  const out = resolve(outDir);
  if (await exists(join(out, RUN_FILES.run))) throw new UsageError(`invalid --out ${outDir}: expected a new directory, got one that already holds a run.json`);
  const starts = await Promise.all(files.map(firstPointMs));
  const known = starts.filter((s) => Number.isFinite(s));
  if (known.length === 0) throw new UsageError(`invalid k6 results ${files.join(', ')}: expected Point lines (samples), got none`);
  const startedAtMs = Math.floor(Math.min(...known) / 1000) * 1000;
  const builders = files.map(() => new K6WindowBuilder({ startedAtMs, reorderSeconds: o.reorderSeconds }));
  const totals = new SeriesTotals();
  const rows = mergeWindowStreams(files.map((f, k) => fileWindows(f, builders[k])), totals);
  await writeMergedWindows(out, rows);
  // a threshold our syntax does not read is left out and named in run.json, the rest still judged
  const thresholdsInput: ThresholdsInput = {};
  const notRead: Array<{ metric: string; thresholds: string[]; reason: string }> = [];
  for (const [key, list] of Object.entries(unionThresholds(builders.map((b) => b.thresholds())))) {
    try { parseThresholds({ [key]: list }); thresholdsInput[key] = list; } catch (err) { notRead.push({ metric: key, thresholds: list as string[], reason: (err as Error).message }); }
  }
  const thresholds: ThresholdsResult = evaluateThresholds(parseThresholds(thresholdsInput), totals);
  const endMs = Math.max(...builders.map((b) => b.lastMs));
  const has = (m: string) => totals.kindOf(m) !== undefined;
  const points = builders.reduce((n, b) => n + b.points, 0);
  const late = builders.reduce((n, b) => n + b.late, 0);
  const runInfo: RunInfo = {
    id: basename(out),
    command: o.command ?? `report ${files.join(' ')} --out ${outDir}`,
    scenario: files.length === 1 ? basename(files[0]) : `${files.length} k6 results files`,
    target: null,
    startedAt: new Date(startedAtMs).toISOString(),
    startedAtMs,
    endedAt: new Date(endMs).toISOString(),
    durationSeconds: Math.max(1, Math.ceil((endMs - startedAtMs) / 1000)),
    plannedDurationSeconds: null,
    engine: { name: 'capacity-test', version: VERSION },
    workers: files.length,
    segment: null,
    gitCommit: null,
    portalMode: null,
    seed: null,
    aborted: false,
    abortReason: null,
    options: Object.keys(thresholdsInput).length ? { thresholds: thresholdsInput } : null,
    profile: null,
    extra: {
      source: 'k6',
      k6Files: files.map((f, k) => ({ file: resolve(f), points: builders[k].points, late: builders[k].late, firstPointMs: starts[k] })),
      // what k6 does not measure: the report says "not recorded by k6" rather than showing a zero
      notRecorded: NOT_RECORDED_BY_K6.filter((m) => !has(m)),
      ...(late ? { lateSamples: late } : {}),
      ...(notRead.length ? { thresholdsNotRead: notRead } : {}),
      ...(builders.some((b) => b.submetricsWithoutThresholds().length) ? { submetricsWithoutThresholds: [...new Set(builders.flatMap((b) => b.submetricsWithoutThresholds()))] } : {}),
      thresholds,
    },
  };
  await writeFile(join(out, RUN_FILES.metricsMeta), JSON.stringify(metricsMeta(startedAtMs), null, 2) + '\n');
  await writeFile(join(out, RUN_FILES.run), JSON.stringify(runInfo, null, 2) + '\n');
  return { runInfo, thresholds, points, late };
}
