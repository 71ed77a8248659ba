/**
 * Smoke: one person does every journey once (browse, register and order, check status, come back and
 * order again). Env: TARGET (a portal in --test-mode), SEED.
 */
import type { VU } from 'capacity-test';
import { DEFAULTS } from '../src/profile/index.js';
import { citizens } from './lib/citizens.js';
import { scenarioEnv } from './lib/engine.js';
import { browser, newUser, returningUser, statusChecker, type JourneyName, type SharedData } from './lib/journeys.js';
import { engineToolkit } from './lib/engine.js';
import { Pools } from './lib/journeys.js';

const env = scenarioEnv();
export const options = {
  scenarios: { smoke: { executor: 'per-vu-iterations' as const, vus: 1, iterations: 1, exec: 'smoke', maxDuration: '60s' } },
  thresholds: { checks: ['rate==1'], http_req_failed: ['rate==0'], journey_abandoned: ['count==0'] },
};

const c = citizens({ profile: DEFAULTS, timeScale: 50 }, env);
// Everyone orders in a smoke test, and nobody is impatient.
const cfg = { ...c.cfg, orderProbability: 1 };
const tk = engineToolkit();
const pools = new Pools();

export const setup = c.setup;

export async function smoke(vu: VU, data: unknown): Promise<void> {
  const shared = data as SharedData;
  const steps: [JourneyName, typeof newUser][] = [['browser', browser], ['newUser', newUser], ['statusChecker', statusChecker]];
  for (const [name, fn] of steps) {
    const outcome = await fn(vu, tk, cfg, shared, pools);
    tk.check(outcome, { [`${name} completed`]: (o) => o === 'completed' });
  }
  // returningUser needs someone who registered without ordering: a second new user who only browses
  await newUser({ ...vu, iterationInTest: vu.iterationInTest + 1_000_000 }, tk, { ...cfg, orderProbability: 0 }, shared, pools);
  const back = await returningUser(vu, tk, cfg, shared, pools);
  tk.check(back, { 'returningUser completed': (o) => o === 'completed' });
}
export default smoke;
