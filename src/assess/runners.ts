/**
 * The runners of a distributed test as a merged run keeps them (run.json `extra.runners`, written by
 * src/k8s/runners.ts): read once here into summary.json `runners`, which the gate and the report read.
 * Pure.
 */
import { z } from 'zod';
import { UsageError } from '../contracts/errors.js';
import { runnerRecordSchema, type RunnerRecord } from '../contracts/summary.js';
import type { RunInfo } from '../rundir/run-dir.js';

export type { RunnerRecord } from '../contracts/summary.js';

/** run.json `extra.runners`, checked; null when the run is not a merge of runners. */
export function runnersOfRunInfo(runInfo: Pick<RunInfo, 'extra'>): RunnerRecord[] | null {
  const raw = runInfo.extra?.runners;
  if (raw === undefined) return null;
  const parsed = z.array(runnerRecordSchema).safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UsageError(`invalid run.json extra.runners: expected ${issue.path.join('.') || 'a list of runners'} ${issue.message.toLowerCase()}`);
  }
  return parsed.data;
}

/** Consecutive seconds as inclusive spans: [3, 4, 5, 9] → [{3–5}, {9–9}] (seconds sorted, as the records keep them). */
export function secondSpans(seconds: readonly number[]): Array<{ from: number; to: number }> {
  const out: Array<{ from: number; to: number }> = [];
  for (const s of seconds) {
    const last = out.at(-1);
    if (last && s === last.to + 1) last.to = s;
    else out.push({ from: s, to: s });
  }
  return out;
}

/** "3–5, 9": the seconds as a reader scans them. */
export function secondRanges(seconds: readonly number[]): string {
  return secondSpans(seconds).map((r) => (r.from === r.to ? String(r.from) : `${r.from}–${r.to}`)).join(', ');
}

/** Seconds of a runner's own run (its saturated or missing seconds) on the merged run's clock: moved by the merge's shift. */
export function onMergedClock(r: Pick<RunnerRecord, 'shiftSeconds'>, seconds: readonly number[]): number[] {
  return seconds.map((s) => s + (r.shiftSeconds ?? 0));
}
