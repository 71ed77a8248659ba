import { statistic, type MetricsSource } from '../metrics/index.js';
import type { RunInfo } from '../rundir/run-dir.js';
import type { Summary } from '../contracts/summary.js';
import type { CapacityPoint, RunDigest } from '../assess/index.js';
import type { FirstBreak } from './model-types.js';
import type { WhatIfDefaults } from './whatif-panel.js';

export function concurrency(p: CapacityPoint): number {
  return (p.throughputRps * p.meanLatencyMs) / 1000;
}

export function uslParams(u: unknown): { sigma: number; kappa: number; lambda: number } | null {
  if (!u || typeof u !== 'object') return null;
  const { sigma, kappa, lambda } = u as Record<string, unknown>;
  return typeof sigma === 'number' && typeof kappa === 'number' && typeof lambda === 'number' ? { sigma, kappa, lambda } : null;
}

/** The earliest load level where one endpoint left the SLO, and the load offered then. */
export function firstBreak(d: RunDigest, names: string[], points: CapacityPoint[], slo: { p95Ms: number; errorRate: number }, label: (t: number) => string): FirstBreak | null {
  if (points.length === 0) return null;
  const levelAt = new Map(d.levels.map((l) => [l.from, l]));
  let best: FirstBreak & { t: number; ratio: number } | null = null;
  for (const name of names) {
    for (const p of points) {
      const e = levelAt.get(p.t)?.endpoints.get(name);
      const outcomes = e?.outcomes ?? 0;
      if (outcomes < 5) continue;
      const p95 = e!.p95Ms;
      const er = e!.errors / outcomes;
      const lat = p95 !== null && p95 > slo.p95Ms ? p95 / slo.p95Ms : 0;
      const err = er > slo.errorRate ? er / Math.max(slo.errorRate, 1e-9) : 0;
      if (lat === 0 && err === 0) continue;
      const ratio = Math.max(lat, err);
      if (!best || p.t < best.t || (p.t === best.t && ratio > best.ratio)) {
        best = { endpoint: name, reason: lat >= err ? 'latency' : 'errors', value: lat >= err ? p95! : er, atRps: p.offeredRps, atLabel: label(p.t), t: p.t, ratio };
      }
      break;
    }
  }
  if (!best) return null;
  const { t: _t, ratio: _r, ...out } = best;
  return out;
}

/** A profile parameter by name anywhere in the profile: `{ value, source }` or a bare number. */
function findParam(profile: unknown, names: string[]): { value: number; source: string | null } | null {
  if (!profile || typeof profile !== 'object') return null;
  for (const [k, v] of Object.entries(profile as Record<string, unknown>)) {
    if (names.includes(k)) {
      if (typeof v === 'number') return { value: v, source: null };
      if (v && typeof v === 'object' && typeof (v as { value?: unknown }).value === 'number') {
        const src = (v as { source?: unknown }).source;
        return { value: (v as { value: number }).value, source: typeof src === 'string' ? src : null };
      }
    }
    const inner = findParam(v, names);
    if (inner) return inner;
  }
  return null;
}

/** The sizing the verdict states (summary.json capacity.sizing): the panel's defaults are read from it. */
export interface SizingFigures { rate: number; perInstanceRps: number; headroom: number; maxWaitMs: number; quantile: number }

/**
 * The what-if panel's defaults: the verdict's own sizing — per-instance capacity, headroom, allowed
 * wait and quantile — and a peak factor that makes the panel's peak, at its default registrations,
 * share and calls, the verdict's peak demand; so, untouched, the panel states the verdict's instance
 * count. Without a sizing (no sustained level), the most served within target and the launch peak
 * when one was recorded; without a peak, the first-hour average sizes the fleet.
 */
export function whatIfDefaults(runInfo: RunInfo, summary: Summary, q: MetricsSource,
  cap: { maxSustainableRps: number | null; peakDemandRps: number | null; sizing: SizingFigures | null },
  bestObserved: number | null, slo: { p95Ms: number }): WhatIfDefaults | null {
  const sizing = cap.sizing;
  const perInstanceRps = sizing?.perInstanceRps ?? cap.maxSustainableRps ?? bestObserved;
  if (perInstanceRps === null || perInstanceRps <= 0) return null;
  const requests = summary.overall.requests;
  const registrations = summary.business.registrations ?? 0;
  const journeys = Math.max(0, (statistic(q.aggregate('planned_iterations'), 'count') ?? 0) - (statistic(q.aggregate('dropped_iterations'), 'count') ?? 0))
    || (statistic(q.aggregate('iterations'), 'count') ?? 0);
  const over = registrations > 0 ? registrations : journeys;
  if (requests <= 0 || over <= 0) return null;
  const reg = findParam(runInfo.profile, ['registrations', 'registrationsPerDay']);
  const share = findParam(runInfo.profile, ['firstHourShare']);
  const registrationsPerDay = reg?.value ?? 300_000;
  const firstHourShare = share?.value ?? 0.26;
  const callsPerRegistration = requests / over;
  const firstHourAverageRps = ((registrationsPerDay * firstHourShare) / 3600) * callsPerRegistration;
  const peak = sizing?.rate ?? cap.peakDemandRps;
  return {
    registrationsPerDay,
    firstHourShare,
    headroom: sizing?.headroom ?? 0.33,
    perInstanceRps,
    callsPerRegistration,
    maxWaitMs: sizing?.maxWaitMs ?? slo.p95Ms,
    quantile: sizing?.quantile ?? 0.95,
    peakFactor: peak !== null && peak > 0 && firstHourAverageRps > 0 ? peak / firstHourAverageRps : null,
    sources: {
      registrationsPerDay: reg?.source ?? null,
      firstHourShare: share?.source ?? null,
      perInstanceRps: sizing || cap.maxSustainableRps !== null ? 'maxSustainable' : 'bestObserved',
      calls: { requests, over, kind: registrations > 0 ? 'registrations' : 'journeys' },
    },
  };
}
