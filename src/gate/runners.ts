/**
 * The gate's view of the runners of a distributed test (summary.json `runners`, written by a merge of
 * `capacity-test k8s` segments): one verdict across runners needs every runner's seconds, so a runner
 * missing seconds (killed, aborted, never started) fails the gate with its name and the seconds it
 * lacks; a runner whose generator was saturated is said, not failed (its seconds are shaded apart).
 * Pure.
 */
import type { VerdictDraft } from './compare.js';
import { onMergedClock, secondRanges as ranges, type RunnerRecord } from '../assess/runners.js';

export type { RunnerRecord } from '../assess/runners.js';

/** "runner 2/3 (pod ct-x-runners-1, 10.0.0.3)" */
export function runnerLabel(r: Pick<RunnerRecord, 'segment' | 'host'>): string {
  const where = [r.host?.pod, r.host?.ip].filter(Boolean).join(', ');
  return `runner ${r.segment}${where ? ` (${where})` : ''}`;
}

export { ranges as secondRanges };

export function runnerVerdicts(runners: readonly RunnerRecord[] | undefined): VerdictDraft[] {
  if (!runners?.length) return [];
  const out: VerdictDraft[] = [];
  for (const r of runners) {
    const scope = runnerLabel(r);
    // seconds of the merged run, as its report's charts and sentences give them
    const merged = (seconds: readonly number[]) => onMergedClock(r, seconds);
    if (r.status !== 'complete') {
      const missing = r.status === 'missing' ? 'all its seconds'
        : r.missingSeconds.length ? `seconds ${ranges(merged(r.missingSeconds))}` : 'its last seconds';
      out.push({ scope, metric: 'run', status: 'fail', baseline: r.plannedSeconds, current: r.secondsWritten, delta: null, limit: 'every planned second',
        message: `missing ${missing}: ${r.reason ?? r.status}; the merged figures do not cover the whole test` });
    }
    if (r.saturatedSeconds.length) {
      out.push({ scope, metric: 'generator', status: 'info', baseline: null, current: r.saturatedSeconds.length, delta: null, limit: '0 s',
        message: `its generator was saturated for ${r.saturatedSeconds.length} s (${ranges(merged(r.saturatedSeconds.slice(0, 20)))}${r.saturatedSeconds.length > 20 ? ', …' : ''}): those seconds are the generator's, not the system's` });
    }
  }
  return out;
}
