import type { RunInfo, ServerMetricsFile } from '../rundir/run-dir.js';

function hms(totalSeconds: number, withSeconds: boolean): string {
  const s = ((Math.floor(totalSeconds) % 86400) + 86400) % 86400;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(Math.floor(s / 3600))}:${p(Math.floor((s % 3600) / 60))}${withSeconds ? ':' + p(s % 60) : ''}`;
}

function parseClock(s: unknown): number | null {
  if (typeof s !== 'string') return null;
  const m = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(s.trim());
  return m ? Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3] ?? 0) : null;
}

/**
 * x labels: simulated time of day when the portal's clock or the run's compression is known, else run time.
 * `clock` says whose: the portal's, as its /api/v1/clock read during the run (launch-day sets the embedded
 * portal's to the plan's), or the plan's, counted from its start at the time scale; null for run time.
 */
export function timeLabeller(runInfo: RunInfo, server: ServerMetricsFile | null): { simulated: boolean; clock: 'portal' | 'plan' | null; label: (t: number) => string } {
  const clock = (server?.clock ?? []).map((c) => ({ t: c.t, s: parseClock(c.simulated) })).filter((c): c is { t: number; s: number } => c.s !== null).sort((a, b) => a.t - b.t);
  const scale = typeof runInfo.extra?.timeScale === 'number' && runInfo.extra.timeScale > 0 ? runInfo.extra.timeScale : 1;
  if (clock.length > 0) {
    return { simulated: true, clock: 'portal', label: (t) => {
      let c = clock[0];
      for (const x of clock) { if (x.t <= t) c = x; else break; }
      return hms(c.s + (t - c.t) * scale, scale < 60);
    } };
  }
  const start = parseClock(runInfo.extra?.simulatedStart);
  if (start !== null) return { simulated: true, clock: 'plan', label: (t) => hms(start + t * scale, scale < 60) };
  return { simulated: false, clock: null, label: (t) => `${Math.floor(t / 60)}:${String(t % 60).padStart(2, '0')}` };
}
