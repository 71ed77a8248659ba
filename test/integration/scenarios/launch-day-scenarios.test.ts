import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runEngine } from '../../../src/engine/index.js';
import { launchDayPlan, parseStageDuration, type ProfileInput } from '../../../src/profile/index.js';
import type { RampingArrivalRate } from '../../../src/scenario-api/types.js';
import { startHttpFakePortal } from './http-fake-portal.js';

const SCENARIOS = join(import.meta.dirname, '..', '..', '..', 'scenarios');
// Only new users, so the server's register count is the arrival count of one scenario.
const ONLY_NEW_USERS: ProfileInput = { browsersPerRegistration: 0, statusChecksPerOrder: 0, returningShareOfOrders: 0, orders: 0, thinkSeconds: 0 };

function profileFile(p: ProfileInput): string {
  const file = join(mkdtempSync(join(tmpdir(), 'ct-profile-')), 'profile.json');
  writeFileSync(file, JSON.stringify(p));
  return file;
}

let close: (() => Promise<void>) | undefined;
afterEach(async () => { await close?.(); close = undefined; });

describe('spike-9am against a portal on loopback', () => {
  it('arrives, stage by stage, within 5% of the plan, counted by the server, and surfaces dropped iterations', async () => {
    const portal = await startHttpFakePortal();
    close = portal.close;
    const env = { TARGET: portal.url, FROM: '08:59', TO: '09:03', TIME_SCALE: '10', SCALE: '0.05', SEED: '5', PROFILE_FILE: profileFile(ONLY_NEW_USERS) };
    const result = await runEngine({ scenarioFile: join(SCENARIOS, 'spike-9am.ts'), env, workers: 1 });
    const plan = launchDayPlan({ profile: ONLY_NEW_USERS, from: '08:59', to: '09:03', timeScale: 10, scale: 0.05 });
    const sc = plan.options.scenarios!.newUsers as RampingArrivalRate;
    expect(Object.keys(plan.options.scenarios!)).toEqual(['newUsers']);
    // Planned arrivals per simulated minute (6 s of real time each): integrate the stages minute by minute.
    const minuteMs = 6000;
    const planned = [0, 0, 0, 0];
    let t = 0;
    let level = sc.startRate ?? 0;
    for (const st of sc.stages) {
      const d = parseStageDuration(st.duration);
      planned[Math.min(3, Math.floor((t + d / 2) / minuteMs))] += (d * (level + st.target)) / 2 / 60_000;
      t += d;
      level = st.target;
    }
    const registers = portal.received.filter((r) => r.method === 'POST' && r.path === '/api/v1/register');
    const achieved = [0, 0, 0, 0];
    for (const r of registers) achieved[Math.min(3, Math.max(0, Math.floor((r.at - result.startedAtMs) / minuteMs)))]++;
    for (let k = 0; k < 4; k++) expect(Math.abs(achieved[k] - planned[k]), `minute ${k}: planned ${planned[k].toFixed(1)}, got ${achieved[k]}`).toBeLessThanOrEqual(Math.max(2, 0.05 * planned[k]));
    // dropped_iterations is a metric of the run, present (0 or more), never hidden
    const dropped = result.windows.filter((w) => w.metric === 'dropped_iterations').reduce((s, w) => s + w.count, 0);
    const iterations = result.windows.filter((w) => w.metric === 'iterations').reduce((s, w) => s + w.count, 0);
    expect(iterations + dropped).toBeGreaterThanOrEqual(Math.floor(planned.reduce((a, b) => a + b, 0)) - 2);
    expect(registers.length).toBe(iterations);
  });
});

describe('retries against a portal that fails', () => {
  async function runWith(retry: 'naive' | 'polite') {
    // Every order fails once with 503 and Retry-After: 1, then succeeds.
    const portal = await startHttpFakePortal({
      fail: ({ method, path, attempt }) => (method === 'POST' && path === '/api/v1/orders' && attempt === 0 ? { status: 503, headers: { 'Retry-After': '1' } } : undefined),
    });
    close = portal.close;
    const profile: ProfileInput = { ...ONLY_NEW_USERS, orders: 300_000, returningShareOfOrders: 0, retryProbability: 1, statusPolls: 0 };
    const env = { TARGET: portal.url, FROM: '09:00', TO: '09:01', TIME_SCALE: '10', SCALE: '0.002', SEED: '9', RETRY: retry, PROFILE_FILE: profileFile(profile) };
    const result = await runEngine({ scenarioFile: join(SCENARIOS, 'spike-9am.ts'), env, workers: 1 });
    await portal.close();
    close = undefined;
    const orders = portal.received.filter((r) => r.method === 'POST' && r.path === '/api/v1/orders');
    const byKey = new Map<string, number[]>();
    for (const o of orders) byKey.set(o.key!, [...(byKey.get(o.key!) ?? []), o.at]);
    const iterations = result.windows.filter((w) => w.metric === 'iterations').reduce((s, w) => s + w.count, 0);
    return { orders, byKey, iterations };
  }

  it('naive: retries at once, so the server sees more order requests than people ordering', async () => {
    const { orders, byKey, iterations } = await runWith('naive');
    expect(iterations).toBeGreaterThan(3);
    expect(byKey.size).toBe(iterations);
    expect(orders.length).toBe(2 * byKey.size);
    for (const at of byKey.values()) expect(at[1] - at[0]).toBeLessThan(500);
  });

  it('polite: honours Retry-After, seen as the spacing on the server side', async () => {
    const { byKey } = await runWith('polite');
    expect(byKey.size).toBeGreaterThan(3);
    for (const at of byKey.values()) {
      expect(at).toHaveLength(2);
      expect(at[1] - at[0]).toBeGreaterThanOrEqual(990);
    }
  });
});
