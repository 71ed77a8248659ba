import type { RunInfo } from '../rundir/run-dir.js';
import type { Summary } from '../contracts/summary.js';

export interface ProfileRow {
  /** the parameter's path in the profile (`registrations`, `journeys.newUser`) */
  name: string;
  /** the value as recorded, shown as text */
  value: string;
  /** the value itself, for the view to format (₹, lakh, %) */
  raw: unknown;
  source: string | null;
}

/** Profile parameters: `{ value, source }` leaves become rows with their source; other leaves show as is. */
export function profileRows(profile: unknown): ProfileRow[] {
  const rows: ProfileRow[] = [];
  const walk = (v: unknown, path: string) => {
    if (rows.length >= 80) return;
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const o = v as Record<string, unknown>;
      if ('value' in o && ('source' in o || 'sources' in o)) {
        rows.push({ name: path, value: show(o.value), raw: o.value, source: show(o.source ?? o.sources) });
        return;
      }
      for (const [k, x] of Object.entries(o)) walk(x, path ? `${path}.${k}` : k);
      return;
    }
    rows.push({ name: path, value: show(v), raw: v, source: null });
  };
  if (profile !== null && profile !== undefined) walk(profile, '');
  return rows;
}

function show(v: unknown): string {
  if (typeof v === 'string') return v;
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 200 ? s.slice(0, 197) + '…' : s;
}

/**
 * How the view shows a run-table value: code (ids, paths, commands), a number, an instant, the portal's
 * mode, or `label`: `value` is an i18n key (a figure the run's generator did not record, "not recorded by
 * k6", never a zero).
 */
export type RunValueKind = 'code' | 'number' | 'instant' | 'portalMode' | 'label';
export interface RunRow { key: string; value: string | number; kind: RunValueKind }

/** Which figures of the run table each of our own metrics gives (what k6's results lack: run.json extra.notRecorded). */
const FIGURES_OF: Readonly<Record<string, readonly string[]>> = {
  schedule_lag: ['method.scheduleLag', 'method.saturated'],
  generator_cpu: ['method.cpuMax'],
  generator_event_loop_lag: ['method.loopLag'],
};

export function runRows(r: RunInfo, s: Summary): RunRow[] {
  const g = s.generator;
  const k6 = r.extra?.source === 'k6';
  const notRecorded = new Set((Array.isArray(r.extra?.notRecorded) ? (r.extra.notRecorded as string[]) : []).flatMap((m) => FIGURES_OF[m] ?? []));
  const rows: Array<[string, unknown, RunValueKind]> = [
    ...(k6 ? [['method.source', 'k6 --out json', 'code'] as [string, unknown, RunValueKind]] : []),
    ['method.runId', r.id, 'code'], ['method.command', r.command, 'code'], ['method.scenario', r.scenario, 'code'], ['method.target', r.target, 'code'],
    ['method.portalMode', r.portalMode ?? (r.target ? 'none' : null), 'portalMode'], ['method.started', r.startedAt, 'instant'], ['method.duration', s.run.durationSeconds, 'number'],
    ['method.engine', `${r.engine.name} ${r.engine.version}`, 'code'], ['method.workers', r.workers, 'number'], ['method.segment', r.segment, 'code'],
    ['method.gitCommit', r.gitCommit, 'code'], ['method.seed', r.seed, 'number'],
    ['method.dropped', g.droppedIterations, 'number'], ['method.scheduleLag', g.scheduleLagP99Ms, 'number'], ['method.loopLag', g.eventLoopLagP99Ms, 'number'],
    ['method.cpuMax', g.cpuPercentMax, 'number'], ['method.saturated', Array.isArray(g.saturatedSeconds) ? g.saturatedSeconds.length : g.saturatedSeconds, 'number'],
  ];
  for (const row of rows) {
    if (notRecorded.has(row[0])) { row[1] = 'method.notRecordedByK6'; row[2] = 'label'; }
    // k6 writes dropped_iterations only as iterations drop: none in its results means none dropped, or no arrival-rate executor
    else if (k6 && row[0] === 'method.dropped' && row[1] === null) { row[1] = 'method.noDropsInK6'; row[2] = 'label'; }
  }
  return rows.filter(([, v]) => v !== null && v !== undefined && v !== '')
    .map(([key, v, kind]) => ({ key, kind, value: typeof v === 'number' ? Math.round(v * 100) / 100 : String(v) }));
}
