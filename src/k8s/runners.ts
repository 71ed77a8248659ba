/**
 * Each runner of a distributed test, as its run directory tells it: which segment, on which host, how
 * many of its planned seconds it wrote, whether it finished, and its own generator health (a saturated
 * runner is named: its seconds are the generator's, not the system's). The merge keeps the list in
 * run.json `extra.runners`, the summary as `runners`, and the gate fails on a runner that is missing
 * seconds (src/gate/runners.ts).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { statistic } from '../metrics/index.js';
import { assessRunDir } from '../assess/read.js';
import { formatSegment } from '../contracts/segment.js';
import { RUN_FILES } from '../rundir/index.js';
import type { RunnerRecord } from '../assess/runners.js';

export { secondRanges, type RunnerRecord } from '../assess/runners.js';

/** The run directory of segment i (1-based) of a test under its results folder. */
export function segmentDir(results: string, i: number): string {
  return join(results, 'runs', `segment-${i}`);
}

interface HostInfo { pod: string | null; ip: string | null; node: string | null }

/** The record of a runner that wrote no run directory (never started, or not given to the merge). */
export function missingRunner(index: number, count: number, reason: string): RunnerRecord {
  return {
    segment: formatSegment({ index: index + 1, count }), index, dir: null, host: null, status: 'missing', reason,
    plannedSeconds: null, secondsWritten: 0, missingSeconds: [], saturatedSeconds: [],
    requests: 0, droppedIterations: 0, scheduleLagP99Ms: null, eventLoopLagP99Ms: null,
  };
}

/** One runner's record from its run directory under the test's results, or a 'missing' record when it wrote none. */
export async function describeRunner(results: string, index: number, count: number): Promise<RunnerRecord> {
  const dir = segmentDir(results, index + 1);
  if (!existsSync(join(dir, RUN_FILES.run))) return missingRunner(index, count, 'no run directory: the runner never started its run');
  return describeRunDir(dir, index, count);
}

/** One runner's record from the run directory it wrote (segment index+1 of count). */
export async function describeRunDir(dir: string, index: number, count: number): Promise<RunnerRecord> {
  const segment = formatSegment({ index: index + 1, count });
  const { runInfo, digest } = await assessRunDir(dir);
  const planned = runInfo.plannedDurationSeconds === null ? null : Math.ceil(runInfo.plannedDurationSeconds);
  const ps = digest.perSecond;
  const written = (t: number) => !Number.isNaN(ps.vus.get(t)) || ps.requests.get(t) > 0 || ps.planned.get(t) > 0 || ps.iterations.get(t) > 0;
  let secondsWritten = 0;
  const horizon = Math.max(digest.seconds, planned ?? 0);
  const missingSeconds: number[] = [];
  for (let t = 0; t < horizon; t++) {
    if (written(t)) secondsWritten++;
    else if (planned !== null && t < planned) missingSeconds.push(t);
  }
  const ended = runInfo.endedAt !== null;
  const status: RunnerRecord['status'] = !ended ? 'killed' : runInfo.aborted ? 'aborted' : 'complete';
  const reason = status === 'killed' ? 'its process ended during the run (run.json has no end: killed)'
    : status === 'aborted' ? `aborted: ${runInfo.abortReason ?? 'no reason given'}` : null;
  const host = (runInfo.extra?.runner as { host?: HostInfo } | undefined)?.host ?? null;
  const t = digest.totals;
  return {
    segment, index, dir, host, status, reason,
    plannedSeconds: planned,
    secondsWritten,
    // a runner that finished wrote every second it had (a quiet second of its share is not a gap)
    missingSeconds: status === 'complete' ? [] : missingSeconds,
    saturatedSeconds: digest.lagSaturatedSeconds,
    requests: statistic(t.aggregate('http_reqs'), 'count') ?? 0,
    droppedIterations: statistic(t.aggregate('dropped_iterations'), 'count') ?? 0,
    scheduleLagP99Ms: statistic(t.aggregate('schedule_lag'), 'p(99)'),
    eventLoopLagP99Ms: statistic(t.aggregate('generator_event_loop_lag'), 'p(99)'),
  };
}

/** Every runner 0..count-1 of the test, and the run directories that exist (what is merged). */
export async function describeRunners(results: string, count: number): Promise<RunnerRecord[]> {
  const out: RunnerRecord[] = [];
  for (let i = 0; i < count; i++) out.push(await describeRunner(results, i, count));
  return out;
}

/**
 * Every segment 1..n of a merge (`capacity-test merge` of `run --segment` runs): the run directories
 * merged described as runners, a segment not among them as missing; none for one whole run.
 */
export async function describeMergedRuns(plan: ReadonlyArray<{ dir: string; index: number; count: number; runInfo: { segment: string | null } }>): Promise<RunnerRecord[]> {
  // one whole run (no segment) "merged" is no distributed test: no runners
  if (plan.length === 1 && (plan[0].runInfo.segment ?? null) === null) return [];
  const count = plan[0]?.count ?? 0;
  const out: RunnerRecord[] = [];
  for (let i = 0; i < count; i++) {
    const p = plan.find((e) => e.index === i);
    out.push(p ? await describeRunDir(p.dir, i, count) : missingRunner(i, count, 'not among the run directories merged'));
  }
  // a missing segment had the plan of the others (one scenario, the same options: planMerge checks)
  const planned = out.find((r) => r.plannedSeconds !== null)?.plannedSeconds ?? null;
  for (const r of out) if (r.status === 'missing') r.plannedSeconds = planned;
  return out;
}

/** Segment directories present under results/runs that do not belong to 1..count (refused: another test's). */
export function strayRunDirs(results: string, count: number): string[] {
  const runs = join(results, 'runs');
  if (!existsSync(runs)) return [];
  const ok = new Set(Array.from({ length: count }, (_, i) => `segment-${i + 1}`));
  return readdirSync(runs).filter((d) => !ok.has(d));
}
