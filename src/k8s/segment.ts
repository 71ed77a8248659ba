/**
 * What one runner pod does (`capacity-test k8s-segment`): run segment JOB_COMPLETION_INDEX + 1 of N
 * of the bundled scenario from the shared start into `<results>/runs/segment-<i>/`, with who it is
 * (pod, address, node) in run.json. Its own thresholds are not its verdict (the merge evaluates them
 * once, on every runner's windows), so a failed threshold exits 0; a segment that already has a run
 * directory is refused, never run again on top of the seconds it wrote.
 */
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { ExitCode, UsageError, invalid } from '../contracts/errors.js';
import { RUN_FILES } from '../rundir/index.js';
import { runScenarioToDir } from '../run/run-scenario.js';
import { segmentDir } from './runners.js';

export interface SegmentOptions {
  bundle: string;
  count: number;
  startAtMs: number;
  results: string;
  env: Record<string, string>;
  /** the process environment: JOB_COMPLETION_INDEX, POD_NAME, POD_IP, NODE_NAME */
  processEnv: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  write?: (line: string) => void;
}

/** JOB_COMPLETION_INDEX (0-based, set by Kubernetes on each pod of an Indexed Job). */
export function completionIndex(env: NodeJS.ProcessEnv, count: number): number {
  const raw = env.JOB_COMPLETION_INDEX;
  if (raw === undefined || !/^\d+$/.test(raw.trim()) || Number(raw) >= count) {
    throw invalid('JOB_COMPLETION_INDEX', `an index from 0 to ${count - 1} (set by an Indexed Job)`, raw ?? 'nothing');
  }
  return Number(raw);
}

export async function runSegment(o: SegmentOptions): Promise<number> {
  const index = completionIndex(o.processEnv, o.count);
  const dir = segmentDir(o.results, index + 1);
  if (existsSync(join(dir, RUN_FILES.run))) {
    throw new UsageError(`invalid segment ${index + 1}/${o.count}: expected a segment not run yet, got ${dir} holding a run.json (a second run would add its seconds on top of the first)`);
  }
  const host = { pod: o.processEnv.POD_NAME ?? hostname(), ip: o.processEnv.POD_IP ?? null, node: o.processEnv.NODE_NAME ?? null };
  const { result } = await runScenarioToDir({
    scenarioFile: o.bundle, env: o.env, segment: { index: index + 1, count: o.count }, startAt: o.startAtMs,
    signal: o.signal, outDir: dir,
    command: `k8s-segment ${o.bundle} --count ${o.count} --start-at ${o.startAtMs} (index ${index})`,
    extra: { extra: { runner: { index, host } } },
  });
  const write = o.write ?? ((l: string) => process.stdout.write(l + '\n'));
  write(`segment ${index + 1}/${o.count} on ${host.pod}${host.ip ? ` (${host.ip})` : ''}: ${dir}${result.aborted ? ` · aborted: ${result.abortReason}` : ''}`);
  // stopped from outside (SIGTERM, Ctrl-C): 4; anything else the merge judges, on every runner at once
  return o.signal?.aborted ? ExitCode.aborted : ExitCode.ok;
}
