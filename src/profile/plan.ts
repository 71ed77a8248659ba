import type { Options, RampingArrivalRate } from '../scenario-api/types.js';
import { invalid } from '../contracts/errors.js';
import { JOURNEYS, type Journey, type ResolvedProfile } from './defaults.js';
import { formatClock, parseClock } from './figures.js';
import { dayModel, type DayModel } from './model.js';
import { resolveProfile, parseProfileInput, type ProfileInput } from './schema.js';
import { minutesToStages, stagesIntegral, TIME_UNIT } from './stages.js';
import { sloThresholds } from './slo.js';
import { readProfileFile } from './text.js';
import { faultTimeline, type FaultStep } from './faults.js';

export interface PlanInput {
  quick?: boolean;
  profile?: ProfileInput;
  /** a JSON or YAML profile file, read when `profile` is not given */
  profileFile?: string;
  /** fraction of the real number of people (default: 1 / timeScale, so arrival rates are the real ones) */
  scale?: number;
  /** simulated seconds per real second (the portal's --clock-speed) */
  timeScale?: number;
  /** the simulated window to replay, HH:MM (default: 15 min before opening to 75 after; --quick 5 to 15) */
  from?: string;
  to?: string;
  /** arrivals per second this machine takes (default MACHINE_BUDGET); the plan scales down to fit */
  budget?: number;
}

export interface LaunchDayPlan {
  options: Options;
  description: string;
  simulatedStart: string;
  simulatedEnd: string;
  timeScale: number;
  scale: number;
  /** real, uncompressed request rate at the peak of the day (no retries) */
  peakDemandRps: number;
  /** arrivals per second the test generates at its peak */
  testPeakArrivalsPerSecond: number;
  realDurationSeconds: number;
  plannedArrivals: Record<Journey, number>;
  profile: ResolvedProfile;
  /** the profile's faults, in real seconds of the run (empty when it schedules none) */
  faults: FaultStep[];
}

/** Scenario names in options.scenarios and the exec function each runs. */
export const SCENARIO_OF: Record<Journey, string> = {
  newUser: 'newUsers', returningUser: 'returningUsers', statusChecker: 'statusCheckers', browser: 'browsers',
};

/** What this 2-core machine's generator and portal (one core each) take, in arrivals per second. */
/** ~1 KB per idle VU (docs/measurements.md): 5,000 per journey stays well inside memory. */
export const MAX_VUS_PER_SCENARIO = 5000;

export const MACHINE_BUDGET = { quick: 120, full: 200 } as const;

const WINDOWS = {
  // 08:45–10:15 by default: the build-up, the 09:00 spike and its decay; ×15 → 6 minutes of load.
  full: { before: 15, after: 75, timeScale: 15 },
  // 08:55–09:15 for --quick: ×20 → 60 s of load.
  quick: { before: 5, after: 15, timeScale: 20 },
} as const;

export function launchDayPlan(input: PlanInput = {}): LaunchDayPlan {
  const profileInput = parseProfileInput(input.profile ?? (input.profileFile ? readProfileFile(input.profileFile) : {}));
  const resolved = resolveProfile(profileInput);
  const model = dayModel(resolved);
  const w = input.quick ? WINDOWS.quick : WINDOWS.full;
  const timeScale = input.timeScale ?? w.timeScale;
  if (!(timeScale > 0) || !Number.isFinite(timeScale)) throw invalid('time scale', 'a positive number', timeScale);
  if (input.scale !== undefined && !(input.scale > 0 && input.scale <= 1)) throw invalid('scale', 'a fraction in (0, 1]', input.scale);

  const open = parseClock(resolved.profile.bookingOpens.value, 'bookingOpens');
  const from = input.from ? parseClock(input.from, 'from') : resolved.replayFrom ? parseClock(resolved.replayFrom, 'replayFrom') : (resolved.measured ? model.startMinute : open - w.before);
  const to = input.to ? parseClock(input.to, 'to') : resolved.replayTo ? parseClock(resolved.replayTo, 'replayTo') : (resolved.measured ? model.startMinute + model.minutes.length : open + w.after);
  const i0 = Math.max(0, from - model.startMinute);
  const i1 = Math.min(model.minutes.length, to - model.startMinute);
  if (i1 <= i0) throw invalid('replay window', `minutes inside the modelled day ${formatClock(model.startMinute)}–${formatClock(model.startMinute + model.minutes.length)}`, `${formatClock(from)}–${formatClock(to)}`);

  const budget = input.budget ?? (input.quick ? MACHINE_BUDGET.quick : MACHINE_BUDGET.full);
  let scale = input.scale ?? 1 / timeScale;
  let cappedBy: string | undefined;
  // Arrivals scale linearly with `scale`, so one correction brings the plan's peak onto the budget.
  const peakAt = (s: number) => JOURNEYS.reduce((sum, j) => sum + minutesToStages(model.rates[j].slice(i0, i1), timeScale, s).peakTarget / 60, 0);
  const wouldPeak = peakAt(scale);
  if (input.scale === undefined && wouldPeak > budget) {
    scale = (scale * budget) / wouldPeak;
    cappedBy = `scaled down to fit this machine: at most ${budget} arrivals/s`;
  }
  const rateFactor = scale * timeScale;

  const scenarios: Options['scenarios'] = {};
  const plannedArrivals = {} as Record<Journey, number>;
  let testPeak = 0;
  const realSecondsPerStep = resolved.profile.thinkSeconds.value / timeScale + 0.2;
  for (const j of JOURNEYS) {
    const perMinute = model.rates[j].slice(i0, i1);
    if (perMinute.every((x) => x === 0)) { plannedArrivals[j] = 0; continue; }
    const sp = minutesToStages(perMinute, timeScale, scale);
    plannedArrivals[j] = stagesIntegral(sp.startRate, sp.stages);
    const peakPerSecond = sp.peakTarget / 60;
    testPeak += peakPerSecond;
    const steps = Math.ceil(model.callsPerJourney[j]);
    // Little's law with a margin; maxVUs leaves room for a whole client timeout of slow answers at the
    // peak (people keep arriving when the server stalls), then drops are counted, not hidden.
    const pre = Math.ceil(peakPerSecond * steps * realSecondsPerStep * 1.5) + 5;
    // (never below preAllocatedVUs: at the real rate the pre-allocation alone can pass the cap, and k6 refuses maxVUs < preAllocatedVUs)
    const max = Math.max(pre, Math.min(MAX_VUS_PER_SCENARIO, Math.max(pre * 4, Math.ceil(peakPerSecond * resolved.profile.clientTimeoutSeconds.value))));
    const sc: RampingArrivalRate = {
      executor: 'ramping-arrival-rate', startRate: sp.startRate, timeUnit: TIME_UNIT,
      preAllocatedVUs: pre, maxVUs: max, stages: sp.stages, exec: j, gracefulStop: '30s', tags: { journey: j },
    };
    scenarios[SCENARIO_OF[j]] = sc;
  }

  const minutes = i1 - i0;
  const realSeconds = (minutes * 60) / timeScale;
  const simStart = formatClock(model.startMinute + i0);
  const simEnd = formatClock(model.startMinute + i1);
  const spikeEnd = formatClock(open + resolved.profile.spikeMinutes.value);
  const rateWords = Math.abs(rateFactor - 1) < 1e-9 ? 'the real rate' : `${(rateFactor * 100).toFixed(rateFactor < 0.1 ? 1 : 0)}% of the real rate`;
  const description =
    `${simStart}–${simEnd} (${minutes} simulated minutes) at ×${fmt(timeScale)} in ${fmtDuration(realSeconds)}, ` +
    `1 in ${fmt(1 / scale)} people, so arrivals come at ${rateWords}` +
    (resolved.measured ? '' : `: the ${resolved.profile.bookingOpens.value}–${spikeEnd} spike peaks at ${Math.round(testPeak)} arrivals/s`) +
    (cappedBy ? ` (${cappedBy})` : '');

  return {
    options: {
      scenarios,
      thresholds: sloThresholds(),
      simulatedClock: { start: simStart, speed: timeScale },
    },
    description,
    simulatedStart: simStart,
    simulatedEnd: simEnd,
    timeScale,
    scale,
    peakDemandRps: model.peak.requestsPerSecond,
    testPeakArrivalsPerSecond: testPeak,
    realDurationSeconds: realSeconds,
    plannedArrivals,
    profile: resolved.profile,
    faults: faultTimeline(profileInput.faults, { simulatedStart: simStart, timeScale, realSeconds }),
  };
}

export function modelOf(profile?: ProfileInput): DayModel {
  return dayModel(resolveProfile(parseProfileInput(profile ?? {})));
}

function range(a: number, b: number): number[] { return Array.from({ length: b - a }, (_, k) => a + k); }
function fmt(x: number): string { return Number.isInteger(x) ? String(x) : x.toFixed(2).replace(/\.?0+$/, ''); }
function fmtDuration(s: number): string { return s >= 120 ? `${fmt(s / 60)} min` : `${fmt(s)} s`; }
