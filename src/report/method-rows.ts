import type { RunInfo } from '../rundir/run-dir.js';
import type { Summary } from '../contracts/summary.js';

/** Profile parameters: `{ value, source }` leaves become rows with their source; other leaves show as is. */
export function profileRows(profile: unknown): Array<{ name: string; value: string; source: string | null }> {
  const rows: Array<{ name: string; value: string; source: string | null }> = [];
  const walk = (v: unknown, path: string) => {
    if (rows.length >= 80) return;
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const o = v as Record<string, unknown>;
      if ('value' in o && ('source' in o || 'sources' in o)) {
        rows.push({ name: path, value: show(o.value), source: show(o.source ?? o.sources) });
        return;
      }
      for (const [k, x] of Object.entries(o)) walk(x, path ? `${path}.${k}` : k);
      return;
    }
    rows.push({ name: path, value: show(v), source: null });
  };
  if (profile !== null && profile !== undefined) walk(profile, '');
  return rows;
}

function show(v: unknown): string {
  if (typeof v === 'string') return v;
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 200 ? s.slice(0, 197) + '…' : s;
}

/** Which figure of the run rows each of our own metrics gives (what k6's results lack: run.json extra.notRecorded). */
const FIGURE_OF: Readonly<Record<string, readonly string[]>> = {
  schedule_lag: ['method.scheduleLag', 'method.saturated'],
  generator_cpu: ['method.cpuMax'],
  generator_event_loop_lag: ['method.loopLag'],
};

/**
 * A run row: `value` as shown, or `valueKey` an i18n key shown instead (a figure the run's generator did
 * not record: "not recorded by k6", never a zero).
 */
export interface RunRow { key: string; value: string; valueKey?: string }

export function runRows(r: RunInfo, s: Summary): RunRow[] {
  const g = s.generator;
  const notRecorded = new Set((Array.isArray(r.extra?.notRecorded) ? (r.extra.notRecorded as string[]) : []).flatMap((m) => FIGURE_OF[m] ?? []));
  const rows: Array<[string, unknown]> = [
    ['method.runId', r.id], ['method.command', r.command], ['method.scenario', r.scenario], ['method.target', r.target],
    ['method.portalMode', r.portalMode], ['method.started', r.startedAt], ['method.duration', s.run.durationSeconds],
    ['method.engine', `${r.engine.name} ${r.engine.version}`], ['method.workers', r.workers], ['method.segment', r.segment],
    ['method.gitCommit', r.gitCommit], ['method.seed', r.seed],
    ['method.dropped', g.droppedIterations], ['method.scheduleLag', g.scheduleLagP99Ms], ['method.loopLag', g.eventLoopLagP99Ms],
    ['method.cpuMax', g.cpuPercentMax], ['method.saturated', Array.isArray(g.saturatedSeconds) ? g.saturatedSeconds.length : g.saturatedSeconds],
  ];
  const k6 = r.extra?.source === 'k6';
  if (k6) rows.unshift(['method.source', 'k6 --out json']);
  // k6 writes dropped_iterations only as iterations drop: none in its results means none dropped, or no arrival-rate executor
  return rows.map(([key, v]): RunRow => notRecorded.has(key)
    ? { key, value: '', valueKey: 'method.notRecordedByK6' }
    : k6 && key === 'method.dropped' && (v === null || v === undefined) ? { key, value: '', valueKey: 'method.noDropsInK6' }
    : { key, value: v === null || v === undefined ? '' : typeof v === 'number' ? String(Math.round(v * 100) / 100) : String(v) });
}
