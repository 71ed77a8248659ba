import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createPortal } from '../../../mock-portal/src/app.js';
import { EngineEvents } from '../../../src/engine/events.js';
import { alignPortalClock, portalClock } from '../../../src/run/portal-clock.js';
import { ADMIN, call } from '../portal/helper.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => { for (const c of closers.splice(0)) await c(); });

async function portalAt(clock: string, speed: number, wallNow: () => number): Promise<string> {
  const p = createPortal({ db: ':memory:', testMode: true, clock, clockSpeed: speed, adminToken: ADMIN }, { autoTick: false, wallNow });
  const server = createServer(p.app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  closers.push(async () => { await new Promise((r) => server.close(r)); await p.close(); });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const start = (events: EngineEvents, startedAtMs: number) =>
  events.emit('start', { startedAtMs, plannedDurationSeconds: 60, workers: 1, options: {}, connectionsPerOrigin: 1 });

describe('launch-day: the embedded portal on the plan\'s clock', () => {
  it('at the engine\'s second 0 the portal reads the plan\'s first time, however long setup and warm-up took', async () => {
    let wall = 1_796_000_000_000;
    const url = await portalAt('08:55', 20, () => wall);
    wall += 3_200; // the scenario's setup and the workers' boot: unaligned, the day runs 64 s ahead (the 09:01:04 at 09:00 once reported)
    expect((await call(url, 'GET', '/api/v1/clock')).body.time).toBe('08:56:04');
    const events = new EngineEvents();
    const aligned = alignPortalClock(8 * 60 + 55, portalClock(url, ADMIN));
    aligned.observer(events);
    const startedAtMs = wall + 700; // the engine announces its common start before it comes (the warm-up)
    start(events, startedAtMs);
    await aligned.done();
    wall = startedAtMs;
    expect((await call(url, 'GET', '/api/v1/clock')).body.time).toBe('08:55:00');
    wall = startedAtMs + 15_000; // 15 s at ×20: five simulated minutes on, booking opens
    expect((await call(url, 'GET', '/api/v1/clock')).body).toMatchObject({ time: '09:00:00', bookingOpen: true });
  });

  it('a portal started again after a crash gets the same alignment, to the second', async () => {
    let wall = 1_796_000_000_000;
    const first = await portalAt('08:55', 20, () => wall);
    const events = new EngineEvents();
    const aligned = alignPortalClock(8 * 60 + 55, portalClock(first, ADMIN));
    aligned.observer(events);
    const startedAtMs = wall + 500;
    start(events, startedAtMs);
    await aligned.done();
    wall = startedAtMs + 10_750; // 10.75 s in at ×20: 08:58:35 on the plan's clock
    const again = await portalAt('08:58', 20, () => wall); // started at the minute the day has reached
    await aligned.resend(portalClock(again, ADMIN));
    expect((await call(again, 'GET', '/api/v1/clock')).body.time).toBe('08:58:35');
    expect((await call(first, 'GET', '/api/v1/clock')).body.time).toBe('08:58:35');
  });

  it('a portal that refuses leaves its clock as it was, and the note says the report is on the portal\'s own clock', async () => {
    let wall = 1_796_000_000_000;
    const url = await portalAt('08:55', 20, () => wall);
    const lines: string[] = [];
    const events = new EngineEvents();
    const aligned = alignPortalClock(8 * 60 + 55, portalClock(url, 'not-the-token'), (l) => lines.push(l));
    aligned.observer(events);
    wall += 1_000;
    start(events, wall + 500);
    await aligned.done();
    expect(lines).toEqual([expect.stringMatching(/^note: the portal's clock could not be set to the plan's \(POST \/admin\/clock answered 401/)]);
    expect((await call(url, 'GET', '/api/v1/clock')).body.time).toBe('08:55:20');
  });

  it('refuses a body that is not a time and an instant, naming the field', async () => {
    const url = await portalAt('08:55', 20, () => 1_796_000_000_000);
    const r = await call(url, 'POST', '/admin/clock', { token: ADMIN, body: { simulatedMs: '08:55', atEpochMs: 1 } });
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.body)).toMatch(/simulatedMs/);
  });
});
