/**
 * Soak: an ordinary afternoon (the model's 14:00 minute, real rates, real think times) held for
 * DURATION (default 10m), to find leaks and slow drift. Env: TARGET, DURATION, RATE_FACTOR (default 1),
 * PROFILE_FILE, SEED, DATA_FILE, RETRY.
 */
import type { ConstantArrivalRate } from 'capacity-test';
import { JOURNEYS, SCENARIO_OF, parseClock, parseFigure, resolveProfile, dayModel } from '../src/profile/index.js';
import { sloThresholds } from '../src/profile/slo.js';
import { readProfileFile } from '../src/profile/text.js';
import { citizens } from './lib/citizens.js';
import { scenarioEnv } from './lib/engine.js';

const env = scenarioEnv();
const resolved = resolveProfile(env.PROFILE_FILE ? readProfileFile(env.PROFILE_FILE) : {});
const model = dayModel(resolved);
const at = Math.max(0, Math.min(model.minutes.length - 1, parseClock(env.AT ?? '14:00', 'AT') - model.startMinute));
const factor = env.RATE_FACTOR ? parseFigure(env.RATE_FACTOR, 'RATE_FACTOR') : 1;
const scenarios: Record<string, ConstantArrivalRate> = {};
for (const j of JOURNEYS) {
  const perMinute = model.rates[j][at] * factor;
  if (perMinute <= 0) continue;
  scenarios[SCENARIO_OF[j]] = {
    executor: 'constant-arrival-rate', rate: Math.round(perMinute * 1000) / 1000, timeUnit: '1m',
    duration: env.DURATION ?? '10m', preAllocatedVUs: Math.ceil(perMinute / 60 * 30) + 2, maxVUs: Math.ceil(perMinute / 60 * 120) + 10,
    exec: j, gracefulStop: '30s', tags: { journey: j },
  };
}
export const options = { scenarios, thresholds: sloThresholds(), description: `soak at the ${model.minutes[at].time} rate ×${factor}` };

export const { setup, newUser, returningUser, statusChecker, browser } = citizens({ profile: resolved.profile, timeScale: 1 }, env);
export default newUser;
