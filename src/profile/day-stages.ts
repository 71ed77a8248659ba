import type { RampingArrivalRate } from '../scenario-api/types.js';
import { invalid } from '../contracts/errors.js';
import { JOURNEYS, type Journey } from './defaults.js';
import { formatClock } from './figures.js';
import { dayModel } from './model.js';
import { launchDayPlan, SCENARIO_OF } from './plan.js';
import { parseProfileInput, resolveProfile, type ProfileInput } from './schema.js';

export interface DayStagesInput {
  profile?: ProfileInput;
  /** the simulated window, HH:MM (default: the whole modelled day) */
  from?: string;
  to?: string;
  /** simulated seconds per real second (default 1: real time) */
  timeScale?: number;
  /** fraction of the real people (default 1: the real rate) */
  scale?: number;
}

export interface DayStages {
  from: string;
  to: string;
  timeScale: number;
  scale: number;
  /** each journey with arrivals in the window: a k6 ramping-arrival-rate scenario running its exec function */
  scenarios: Partial<Record<Journey, RampingArrivalRate>>;
}

/**
 * The traffic model's arrival curves as k6 `ramping-arrival-rate` scenarios, for people who keep their own
 * scenario files: by default the whole modelled day at the real rate, in real time (what launch-day
 * compresses and scales down to fit one machine). The same stages launch-day runs (launchDayPlan).
 */
export function dayStages(input: DayStagesInput = {}): DayStages {
  const model = dayModel(resolveProfile(parseProfileInput(input.profile ?? {})));
  const from = input.from ?? formatClock(model.startMinute);
  const to = input.to ?? formatClock(model.startMinute + model.minutes.length);
  const timeScale = input.timeScale ?? 1;
  const scale = input.scale ?? 1;
  const plan = launchDayPlan({ profile: input.profile, from, to, timeScale, scale });
  const scenarios: DayStages['scenarios'] = {};
  for (const j of JOURNEYS) {
    const s = plan.options.scenarios?.[SCENARIO_OF[j]];
    if (s) scenarios[j] = s as RampingArrivalRate;
  }
  return { from, to, timeScale, scale, scenarios };
}

/** One journey's scenario, or a message naming the journeys there are. */
export function journeyStages(stages: DayStages, journey: string): RampingArrivalRate {
  if (!(JOURNEYS as readonly string[]).includes(journey)) throw invalid('--journey', `one of ${JOURNEYS.join(', ')}`, journey);
  const s = stages.scenarios[journey as Journey];
  if (!s) throw invalid('--journey', `a journey with arrivals between ${stages.from} and ${stages.to}`, journey);
  return s;
}
