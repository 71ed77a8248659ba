import { onMergedClock, secondSpans, type RunnerRecord } from '../assess/index.js';
import { formatNumber } from './format.js';
import type { RunnersStringKey } from './i18n-runners.js';

/**
 * The runners of a distributed test as the report tells them (summary.json `runners`): one row per
 * runner, and the sentences above the table — how many runners, whether they all finished, and each
 * runner that is missing seconds or whose generator fell behind, by its segment. Language-neutral:
 * string keys and figures already formatted; the page words them (runners-section.ts). Pure.
 */
export type RunnerStatus = 'finished' | 'missingSeconds' | 'missing';

export interface RunnerRow {
  segment: string;
  /** pod · address · node, as recorded (null: none recorded) */
  host: string | null;
  status: RunnerStatus;
  secondsWritten: number;
  plannedSeconds: number | null;
  requests: number;
  droppedIterations: number;
  scheduleLagP99Ms: number | null;
  eventLoopLagP99Ms: number | null;
  saturatedSeconds: number;
}

/** A sentence: its key, and its values (a value that is itself words is a key). */
export interface RunnerSentence {
  key: RunnersStringKey;
  vars: Record<string, string | number | { key: RunnersStringKey }>;
  tone: 'good' | 'warn' | 'bad';
}

/** finished, missing seconds (killed or aborted: the gate fails it), or missing (no run directory at all). */
export function runnerStatus(r: Pick<RunnerRecord, 'status'>): RunnerStatus {
  return r.status === 'complete' ? 'finished' : r.status === 'missing' ? 'missing' : 'missingSeconds';
}

export function runnerRows(runners: readonly RunnerRecord[]): RunnerRow[] {
  return runners.map((r) => {
    const host = [r.host?.pod, r.host?.ip, r.host?.node].filter(Boolean).join(' · ');
    return {
      segment: r.segment, host: host || null, status: runnerStatus(r),
      secondsWritten: r.secondsWritten, plannedSeconds: r.plannedSeconds,
      requests: r.requests, droppedIterations: r.droppedIterations,
      scheduleLagP99Ms: r.scheduleLagP99Ms, eventLoopLagP99Ms: r.eventLoopLagP99Ms,
      saturatedSeconds: r.saturatedSeconds.length,
    };
  });
}

/** At most this many stretches of seconds are listed in a sentence (the charts show them all). */
const MAX_SPANS = 5;

/** "0:03–0:05, 0:09": a runner's seconds on the merged run's clock, as the charts label them. */
function when(r: RunnerRecord, seconds: readonly number[], label: (t: number) => string): string {
  const spans = secondSpans(onMergedClock(r, seconds));
  const shown = spans.slice(0, MAX_SPANS).map((s) => (s.from === s.to ? label(s.from) : `${label(s.from)}–${label(s.to)}`));
  return shown.join(', ') + (spans.length > MAX_SPANS ? ', …' : '');
}

/** The sentences above the runners table; `label` gives a second of the merged run as the charts do. */
export function runnerSentences(runners: readonly RunnerRecord[], label: (t: number) => string): RunnerSentence[] {
  if (runners.length === 0) return [];
  const n = formatNumber(runners.length);
  const finished = runners.filter((r) => r.status === 'complete').length;
  const out: RunnerSentence[] = [finished === runners.length
    ? { key: 'runners.allFinished', vars: { n }, tone: 'good' }
    : { key: 'runners.notAllFinished', vars: { n, f: formatNumber(finished) }, tone: 'bad' }];
  for (const r of runners) {
    const why = { key: r.status === 'aborted' ? 'runners.why.aborted' : 'runners.why.killed' } as const;
    if (r.status === 'missing') out.push({ key: 'runners.missing', vars: { segment: r.segment }, tone: 'bad' });
    else if (r.status !== 'complete' && r.missingSeconds.length) {
      out.push({ key: 'runners.missingSeconds', vars: { segment: r.segment, why, missing: formatNumber(r.missingSeconds.length), at: when(r, r.missingSeconds, label) }, tone: 'bad' });
    } else if (r.status !== 'complete') {
      out.push({ key: 'runners.stopped', vars: { segment: r.segment, why, written: formatNumber(r.secondsWritten) }, tone: 'bad' });
    }
  }
  const saturated = runners.filter((r) => r.saturatedSeconds.length > 0);
  for (const r of saturated) {
    out.push({ key: 'runners.saturated', vars: { segment: r.segment, n: formatNumber(r.saturatedSeconds.length), at: when(r, r.saturatedSeconds, label) }, tone: 'warn' });
  }
  if (saturated.length === 0) out.push({ key: 'runners.noneSaturated', vars: {}, tone: 'good' });
  return out;
}
