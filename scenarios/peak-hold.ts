/**
 * The launch-day plan's busiest moment, held (src/profile/peak-hold.ts): each journey at the rate it had
 * when the day's arrivals peaked, for HOLD_SECONDS — what `capacity-test verify` offers a fleet.
 * Env as launch-day (TARGET, QUICK, SEED, PROFILE_FILE, SCALE, TIME_SCALE, DATA_FILE, RETRY), plus
 * HOLD_SECONDS (default 30).
 */
import { planFromEnv } from './lib/config.js';
import { citizens } from './lib/citizens.js';
import { readText, scenarioEnv } from './lib/engine.js';
import { peakHold } from '../src/profile/peak-hold.js';

const env = scenarioEnv();
export const plan = planFromEnv(env, readText);
const hold = peakHold(plan.options, Number(env.HOLD_SECONDS ?? '30'), { gracefulStop: '5s' });
export const options = { ...hold.options, description: `the peak of ${plan.description}, held ${env.HOLD_SECONDS ?? '30'} s at ${Math.round(hold.totalArrivalsPerSecond)} arrivals/s` };

export const { setup, newUser, returningUser, statusChecker, browser } = citizens(plan, env);
export default newUser;
