import { formatDuration, parseDuration } from '../contracts/duration.js';
import type { Stage } from '../scenario-api/types.js';

/**
 * Per-minute arrivals → `ramping-arrival-rate` stages (timeUnit 1 minute of real time).
 * Each simulated minute lasts 60 s / timeScale of real time and carries `scale` × its arrivals.
 * A minute is a short ramp (rampMs) to its rate then a hold; the rate is solved so that the ramp plus the
 * hold carry exactly the minute's arrivals, so totals survive compression and scaling.
 */
export interface StagePlan { startRate: number; stages: Stage[]; timeUnitMs: number; peakTarget: number }

export const TIME_UNIT = '1m';
const TIME_UNIT_MS = 60_000;

export { formatDuration };

/** Milliseconds of a stage's duration (k6's rules: src/contracts/duration.ts). */
export function parseStageDuration(d: string | number): number {
  return parseDuration(d, 'stage duration');
}

export function minutesToStages(perMinute: number[], timeScale: number, scale: number): StagePlan {
  if (!(timeScale > 0) || !(scale > 0)) throw new Error('timeScale and scale must be positive');
  const minuteMs = Math.round(60_000 / timeScale);
  // Short ramps keep the overshoot that pays for each ramp small (a few %) at the steepest step.
  const rampMs = Math.max(1, Math.min(500, Math.round(minuteMs / 20)));
  const holdMs = minuteMs - rampMs;
  const stages: Stage[] = [];
  let prev = 0; // rate in arrivals per ms
  let peak = 0;
  for (const n of perMinute) {
    const want = n * scale; // arrivals this minute must carry
    // ramp: rampMs·(prev + r)/2, hold: holdMs·r  →  r = (want − rampMs·prev/2) / (rampMs/2 + holdMs)
    let r = (want - (rampMs * prev) / 2) / (rampMs / 2 + holdMs);
    let ramp = rampMs;
    if (r < 0) {
      // A steep fall: ramp down faster so the ramp alone carries the minute's arrivals.
      r = 0;
      ramp = Math.max(1, Math.min(rampMs, Math.round((2 * want) / prev)));
    }
    const target = round(r * TIME_UNIT_MS);
    stages.push({ duration: formatDuration(ramp), target }, { duration: formatDuration(minuteMs - ramp), target });
    prev = target / TIME_UNIT_MS;
    peak = Math.max(peak, target);
  }
  return { startRate: 0, stages: mergeFlat(stages, 0), timeUnitMs: TIME_UNIT_MS, peakTarget: peak };
}

function round(x: number): number { return Math.round(x * 1e4) / 1e4; }

/** Consecutive stages that hold one rate become one stage (hours 2–3 are flat). */
function mergeFlat(stages: Stage[], startRate: number): Stage[] {
  const out: Stage[] = [];
  let level = startRate;
  for (const s of stages) {
    const last = out[out.length - 1];
    if (last && s.target === level && last.target === level && lastWasFlat(out, startRate)) {
      last.duration = formatDuration(parseStageDuration(last.duration) + parseStageDuration(s.duration));
    } else out.push({ ...s });
    level = s.target;
  }
  return out;
}

function lastWasFlat(out: Stage[], startRate: number): boolean {
  const before = out.length >= 2 ? out[out.length - 2].target : startRate;
  return before === out[out.length - 1].target;
}

/** Planned arrivals of a ramping-arrival-rate plan (the area under its piecewise-linear rate). */
export function stagesIntegral(startRate: number, stages: Stage[], timeUnitMs = TIME_UNIT_MS): number {
  let level = startRate;
  let total = 0;
  for (const s of stages) {
    total += (parseStageDuration(s.duration) * (level + s.target)) / 2 / timeUnitMs;
    level = s.target;
  }
  return total;
}

export function stagesDurationMs(stages: Stage[]): number {
  return stages.reduce((s, st) => s + parseStageDuration(st.duration), 0);
}
