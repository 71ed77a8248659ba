import { describe, expect, it } from 'vitest';
import { createSimClock, formatHHMMSS, isOpen, parseHHMM } from '../../../mock-portal/src/clock.js';
import { estimateKnee, resolveConfig } from '../../../mock-portal/src/config.js';
import { FlagError, parsePortalArgs } from '../../../mock-portal/src/cli-args.js';
import { buildShops, DISTRICTS } from '../../../mock-portal/src/data/chhattisgarh.js';
import { percentile } from '../../../mock-portal/src/domain/reconcile.js';
import { canonical, fingerprint, storable } from '../../../mock-portal/src/infra/idempotency.js';
import { RateLimiter, WaitingRoom } from '../../../mock-portal/src/infra/waiting-room.js';
import { OrderBody, topupBody } from '../../../mock-portal/src/http/schemas.js';
const TopupBody = topupBody(10_000_000);
import { parse } from '../../../mock-portal/src/http/validate.js';
import { toPortalArgv } from '../../../src/cli/portal.js';

describe('simulated clock', () => {
  it('runs `speed` times faster than the wall clock from its start', () => {
    let wall = 1_000;
    const c = createSimClock(parseHHMM('08:55'), 30, () => wall);
    expect(formatHHMMSS(c.nowMs())).toBe('08:55:00');
    wall += 10_000; // 10 real seconds = 5 simulated minutes
    expect(formatHHMMSS(c.nowMs())).toBe('09:00:00');
  });
  it('once aligned, reads the given time at the given wall time and runs on from there', () => {
    let wall = 1_000;
    const c = createSimClock(parseHHMM('08:55'), 20, () => wall);
    wall += 3_200; // a setup and warm-up of 3.2 s: the day is 64 s ahead of a plan starting now
    expect(formatHHMMSS(c.nowMs())).toBe('08:56:04');
    c.align(parseHHMM('08:55'), wall + 500);
    expect(formatHHMMSS(c.nowMs())).toBe('08:54:50'); // before the aligned instant, earlier
    wall += 500;
    expect(formatHHMMSS(c.nowMs())).toBe('08:55:00');
    wall += 3_000;
    expect(formatHHMMSS(c.nowMs())).toBe('08:56:00');
  });
  it('opens the booking window at 09:00 and closes it at 17:00', () => {
    const w = { opensMs: parseHHMM('09:00'), closesMs: parseHHMM('17:00') };
    expect(isOpen(parseHHMM('08:59'), w)).toBe(false);
    expect(isOpen(parseHHMM('09:00'), w)).toBe(true);
    expect(isOpen(parseHHMM('16:59'), w)).toBe(true);
    expect(isOpen(parseHHMM('17:00'), w)).toBe(false);
  });
  it('refuses a malformed time', () => { expect(() => parseHHMM('9am')).toThrow(/HH:MM/); });
});

describe('domain data', () => {
  it('Raipur has 22 shops by default; every district of Chhattisgarh has shops', () => {
    const c = resolveConfig();
    const shops = buildShops(c.shopsPerDistrict, c.defaultShopsPerDistrict);
    expect(shops.filter((s) => s.district === 'Raipur')).toHaveLength(22);
    for (const d of DISTRICTS) expect(shops.some((s) => s.district === d)).toBe(true);
    expect(new Set(shops.map((s) => s.id)).size).toBe(shops.length);
  });
});

describe('capacity model', () => {
  it('as-built knee is bounded by request-path CPU; resilient by its admission rate', () => {
    const ab = estimateKnee(resolveConfig({ mode: 'as-built' }));
    expect(ab.kneeRps).toBe(ab.cpuBoundRps);
    expect(ab.kneeRps).toBeGreaterThan(100);
    expect(ab.kneeRps).toBeLessThan(1000);
    // the gateway call holding a connection makes top-ups the first thing to choke the shared pool
    expect(ab.topupPoolBoundRps!).toBeLessThan(ab.poolBoundRps!);
    const r = estimateKnee(resolveConfig({ mode: 'resilient' }));
    expect(r.kneeRps).toBe(r.admissionBoundRps);
  });
  it('an override replaces one default and keeps the rest', () => {
    const c = resolveConfig({ mode: 'as-built', capacity: { dbPoolSize: 3 }, db: undefined });
    expect(c.capacity.dbPoolSize).toBe(3);
    expect(c.capacity.cpuMsPerRequest).toBe(resolveConfig({ mode: 'as-built' }).capacity.cpuMsPerRequest);
    expect(c.db).toBe(':memory:');
  });
});

describe('portal flags', () => {
  it('parses the flags launch-day passes', () => {
    const a = parsePortalArgs(['--port', '0', '--mode', 'as-built', '--test-mode', '--clock', '08:55', '--clock-speed', '30', '--db', 'x.db', '--admin-token', 'abcdefgh'], {});
    expect(a.port).toBe(0);
    expect(a.config).toMatchObject({ mode: 'as-built', testMode: true, clock: '08:55', clockSpeed: 30, db: 'x.db', adminToken: 'abcdefgh' });
  });
  it('test mode is off by default and the admin token may come from PORTAL_ADMIN_TOKEN', () => {
    const a = parsePortalArgs([], { PORTAL_ADMIN_TOKEN: 'from-env-123' });
    expect(a.config.testMode).toBe(false);
    expect(a.config.adminToken).toBe('from-env-123');
  });
  it.each([
    [['--port', '70000'], '--port'], [['--port', 'x'], '--port'], [['--mode', 'fast'], '--mode'], [['--clock', '25:00'], '--clock'],
    [['--clock-speed', '0'], '--clock-speed'], [['--pool-size', '1.5'], '--pool-size'], [['--nope'], 'nope'],
  ])('a bad flag %j is refused naming %s', (argv, name) => {
    expect(() => parsePortalArgs(argv as string[], {})).toThrow(FlagError);
    expect(() => parsePortalArgs(argv as string[], {})).toThrow(name);
  });
  it('the portal command hands its flags to the same parser', () => {
    expect(toPortalArgv({ port: '0', testMode: true, clock: '10:00' })).toEqual(['--port', '0', '--test-mode', '--clock', '10:00']);
  });
});

describe('input validation messages name the field', () => {
  it.each([
    [TopupBody, { amountPaise: 1.5 }, /^invalid amountPaise: expected a positive integer of paise, got 1.5$/],
    [TopupBody, { amountPaise: 5, extra: 1 }, /unknown field "extra"/],
    [OrderBody, { shopId: 's', items: [{ sku: 'a', qty: 0 }] }, /^invalid items\.0\.qty/],
  ])('%#', (schema, input, message) => {
    expect(() => parse(schema, input)).toThrow(message);
  });
});

describe('idempotency helpers', () => {
  it('the fingerprint ignores key order but not values', () => {
    expect(canonical({ b: 1, a: [1, { d: 2, c: 3 }] })).toBe(canonical({ a: [1, { c: 3, d: 2 }], b: 1 }));
    expect(fingerprint('POST', '/x', { a: 1 })).not.toBe(fingerprint('POST', '/x', { a: 2 }));
  });
  it('429 and 503 are never stored', () => {
    expect(storable(429)).toBe(false);
    expect(storable(503)).toBe(false);
    expect(storable(402)).toBe(true);
    expect(storable(202)).toBe(true);
  });
});

describe('admission', () => {
  it('the waiting room admits the burst, queues within the wait limit, refuses beyond with position and ETA', async () => {
    let now = 0;
    const room = new WaitingRoom({ admitPerSecond: 10, burst: 2, maxWaiting: 100, maxWaitMs: 250 }, () => now);
    await room.enter();
    await room.enter();
    const queued = [room.enter(), room.enter()]; // 0.1 s and 0.2 s away
    expect(room.size).toBe(2);
    expect(() => room.enter()).toThrow(/busy/);
    try { room.enter(); } catch (e) { expect((e as { extra: { position: number } }).extra.position).toBe(3); }
    now += 1000;
    await Promise.all(queued);
    expect(room.admitted).toBe(4);
    room.close();
  });
  it('the per-user limiter gives a wait in seconds once the bucket is empty', () => {
    let now = 0;
    const rl = new RateLimiter(2, () => now);
    expect(rl.take('u')).toBe(0);
    expect(rl.take('u')).toBe(0);
    expect(rl.take('u')).toBeCloseTo(0.5);
    expect(rl.take('v')).toBe(0);
    now += 500;
    expect(rl.take('u')).toBe(0);
  });
});

describe('percentile', () => {
  it('is nearest-rank and null for no data', () => {
    expect(percentile([], 95)).toBeNull();
    expect(percentile([5, 1, 3, 2, 4], 50)).toBe(3);
    expect(percentile(Array.from({ length: 100 }, (_, i) => i + 1), 95)).toBe(95);
  });
});
