/**
 * The 9 a.m. spike alone: 08:57–09:07 of the modelled day at ×10 (one minute of load), scaled to this
 * machine. Env as launch-day, plus FROM / TO (HH:MM) to move the window.
 */
import { planFromEnv } from './lib/config.js';
import { citizens } from './lib/citizens.js';
import { readText, scenarioEnv } from './lib/engine.js';

const env = scenarioEnv();
export const plan = planFromEnv(env, readText, {
  from: env.FROM ?? '08:57', to: env.TO ?? '09:07',
  timeScale: env.TIME_SCALE ? Number(env.TIME_SCALE) : 10,
});
export const options = { ...plan.options, description: `the 9 a.m. spike: ${plan.description}` };

export const { setup, newUser, returningUser, statusChecker, browser } = citizens(plan, env);
export default newUser;
