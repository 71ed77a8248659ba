import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineEvents } from '../../../src/engine/events.js';
import { faultTimeline } from '../../../src/profile/faults.js';
import { portalFaults, scheduleFaults } from '../../../src/run/fault-schedule.js';
import { ADMIN, call, startTestPortal, type TestPortal } from '../portal/helper.js';

let p: TestPortal;
beforeAll(async () => { p = await startTestPortal(); });
afterAll(async () => { await p.close(); });

/** wall time of one request, ms */
async function timed(method: string, path: string): Promise<number> {
  const t0 = performance.now();
  await call(p.url, method, path, method === 'POST' ? { body: {} } : {});
  return performance.now() - t0;
}

describe('faults on the timeline, sent to a real portal', () => {
  it('delays only the method and path prefix named: POST /api/v1/register, not GET /api/v1/districts nor a GET under it', async () => {
    await call(p.url, 'POST', '/admin/faults', { token: ADMIN, body: { latencyMs: 1500, latencyRoute: '/api/v1/register', latencyMethod: 'POST' } });
    try {
      expect(await timed('POST', '/api/v1/register')).toBeGreaterThanOrEqual(1490);
      expect(await timed('GET', '/api/v1/register')).toBeLessThan(1490);
      expect(await timed('GET', '/api/v1/districts')).toBeLessThan(1490);
    } finally {
      await call(p.url, 'POST', '/admin/faults', { token: ADMIN, body: { latencyMs: 0, latencyRoute: '', latencyMethod: '' } });
    }
    expect(await timed('POST', '/api/v1/register')).toBeLessThan(1490);
    expect((await call(p.url, 'POST', '/admin/faults', { token: ADMIN, body: { latencyMethod: 'post' } })).status).toBe(400);
  });

  it('applies each fault at its second of the run and takes it away at its end, recording both', async () => {
    // a 20-minute day at ×600 is 2 s: 08:56 for 30 s simulated is 0.1–0.15 s
    const steps = faultTimeline([
      { at: '08:56', for: '30s', latencyMs: 120, route: 'POST /api/v1/register' },
      { at: '08:57', for: '1m', errorRate: 1 },
    ], { simulatedStart: '08:55', timeScale: 600, realSeconds: 2 });
    const seen: unknown[] = [];
    const post = portalFaults(p.url, ADMIN);
    const schedule = scheduleFaults(steps, async (body) => { seen.push(body); await post(body); });
    const events = new EngineEvents();
    schedule.observer(events);
    const startedAtMs = Date.now();
    events.emit('start', { startedAtMs, plannedDurationSeconds: 2, workers: 1, options: {}, connectionsPerOrigin: 1 });
    await new Promise((r) => setTimeout(r, 130));
    const during = (await call(p.url, 'GET', '/api/v1/admin/config', { token: ADMIN })).body.faults;
    expect(during).toMatchObject({ latencyMs: 120, latencyRoute: '/api/v1/register', latencyMethod: 'POST' });
    await new Promise((r) => setTimeout(r, 200));
    const records = await schedule.finish();
    expect(seen).toEqual([steps[0].set, steps[0].clear, steps[1].set, steps[1].clear]);
    expect(records[0].appliedAtSecond).toBeGreaterThanOrEqual(0.1);
    expect(records[0].clearedAtSecond).toBeGreaterThanOrEqual(0.15);
    expect(records[1]).toMatchObject({ kind: 'errors', error: null });
    expect(records[1].clearedAtSecond).toBeGreaterThanOrEqual(0.2);
    expect((await call(p.url, 'GET', '/api/v1/admin/config', { token: ADMIN })).body.faults).toMatchObject({ latencyMs: 0, errorRate: 0 });
  });

  it('clears at the end of the run a fault whose end had not come, and records a refusal in plain words', async () => {
    const steps = faultTimeline([{ at: '08:55', dbStallMs: 30 }], { simulatedStart: '08:55', timeScale: 600, realSeconds: 100 });
    const schedule = scheduleFaults(steps, portalFaults(p.url, ADMIN));
    const events = new EngineEvents();
    schedule.observer(events);
    events.emit('start', { startedAtMs: Date.now(), plannedDurationSeconds: 100, workers: 1, options: {}, connectionsPerOrigin: 1 });
    await new Promise((r) => setTimeout(r, 100));
    const [r] = await schedule.finish();
    expect(r.appliedAtSecond).not.toBeNull();
    expect(r.clearedAtSecond).not.toBeNull();
    expect((await call(p.url, 'GET', '/api/v1/admin/config', { token: ADMIN })).body.faults.dbStallMs).toBe(0);

    const refused = scheduleFaults(steps, portalFaults(p.url, 'not-the-token'));
    const ev2 = new EngineEvents();
    refused.observer(ev2);
    ev2.emit('start', { startedAtMs: Date.now(), plannedDurationSeconds: 100, workers: 1, options: {}, connectionsPerOrigin: 1 });
    await new Promise((r2) => setTimeout(r2, 100));
    const [bad] = await refused.finish();
    expect(bad.appliedAtSecond).toBeNull();
    expect(bad.error).toMatch(/could not start it: POST \/admin\/faults answered 40[13]/);
  });
});
