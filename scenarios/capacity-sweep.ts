/**
 * Stepped arrival rates for the knee and the USL fit: each iteration is ONE request, so throughput per
 * second reads straight off the metrics. Env: TARGET, FROM (default 20/s), TO (200/s), STEPS (5),
 * STEP_DURATION (seconds, 15), EXEC = register (the write that crashed on launch day) | shops.
 */
import type { VU } from 'capacity-test';
import { MOBILE_SPACES, mobileFor } from '../src/data/mobile.js';
import { sloThresholds } from '../src/profile/slo.js';
import { fetchGetter, probeTarget, targetOf } from './lib/config.js';
import { engineToolkit, scenarioEnv, vuGetter } from './lib/engine.js';
import { sweepScenarios } from './lib/steps.js';

const env = scenarioEnv();
const target = targetOf(env);
const seed = Number(env.SEED ?? '1');
const exec = env.EXEC ?? 'register';
export const options = {
  scenarios: sweepScenarios({
    from: Number(env.FROM ?? 20), to: Number(env.TO ?? 200), steps: Number(env.STEPS ?? 5),
    stepSeconds: Number(env.STEP_DURATION ?? 15), exec,
  }),
  thresholds: sloThresholds(undefined, [exec === 'shops' ? 'GET /api/v1/shops' : 'POST /api/v1/register']),
};
const tk = engineToolkit();

export async function setup(vu?: VU) { return probeTarget(target, vuGetter(vu) ?? fetchGetter()); }

export async function register(vu: VU): Promise<void> {
  // iterationInTest restarts in each step's scenario: the step number keeps the numbers apart.
  const step = Number(/(\d+)$/.exec(vu.scenario)?.[1] ?? 0);
  const mobile = mobileFor(seed, MOBILE_SPACES.other + step * 10_000_000 + vu.iterationInTest);
  const res = await vu.http.post(`${target}/api/v1/register`, { json: { mobile, name: 'Sweep Probe', district: 'Raipur' } },
    { headers: { 'Idempotency-Key': `ct-${seed}-sweep-${step}-${vu.iterationInTest}` }, tags: { name: 'POST /api/v1/register' }, timeout: '10s' });
  tk.check(res, { 'registered': (r) => r.status === 201 });
}

export async function shops(vu: VU): Promise<void> {
  const res = await vu.http.get(`${target}/api/v1/shops?district=Raipur`, { tags: { name: 'GET /api/v1/shops' }, timeout: '10s' });
  tk.check(res, { 'shops listed': (r) => r.status === 200 });
}

export default register;
