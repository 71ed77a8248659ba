/**
 * Launch day, replayed: the traffic model (src/profile) turns 3 lakh registrations and a 9 a.m.
 * opening into arrivals per journey, compressed by TIME_SCALE and scaled by SCALE.
 * Env: TARGET (required), QUICK=1, SEED, PROFILE_FILE, SCALE, TIME_SCALE, DATA_FILE, RETRY=naive|polite.
 */
import { planFromEnv } from './lib/config.js';
import { citizens } from './lib/citizens.js';
import { readText, scenarioEnv } from './lib/engine.js';

const env = scenarioEnv();
export const plan = planFromEnv(env, readText);
export const options = { ...plan.options, description: plan.description };

export const { setup, newUser, returningUser, statusChecker, browser } = citizens(plan, env);
export default newUser;
