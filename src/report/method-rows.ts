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

/** How the view shows a run-table value: code (ids, paths, commands), a number, an instant, the portal's mode. */
export type RunValueKind = 'code' | 'number' | 'instant' | 'portalMode';
export interface RunRow { key: string; value: string | number; kind: RunValueKind }

export function runRows(r: RunInfo, s: Summary): RunRow[] {
  const g = s.generator;
  const rows: Array<[string, unknown, RunValueKind]> = [
    ['method.runId', r.id, 'code'], ['method.command', r.command, 'code'], ['method.scenario', r.scenario, 'code'], ['method.target', r.target, 'code'],
    ['method.portalMode', r.portalMode ?? (r.target ? 'none' : null), 'portalMode'], ['method.started', r.startedAt, 'instant'], ['method.duration', s.run.durationSeconds, 'number'],
    ['method.engine', `${r.engine.name} ${r.engine.version}`, 'code'], ['method.workers', r.workers, 'number'], ['method.segment', r.segment, 'code'],
    ['method.gitCommit', r.gitCommit, 'code'], ['method.seed', r.seed, 'number'],
    ['method.dropped', g.droppedIterations, 'number'], ['method.scheduleLag', g.scheduleLagP99Ms, 'number'], ['method.loopLag', g.eventLoopLagP99Ms, 'number'],
    ['method.cpuMax', g.cpuPercentMax, 'number'], ['method.saturated', Array.isArray(g.saturatedSeconds) ? g.saturatedSeconds.length : g.saturatedSeconds, 'number'],
  ];
  return rows.filter(([, v]) => v !== null && v !== undefined && v !== '')
    .map(([key, v, kind]) => ({ key, kind, value: typeof v === 'number' ? Math.round(v * 100) / 100 : String(v) }));
}
