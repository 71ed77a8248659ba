import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  DEFAULTS, JOURNEYS, dayModel, launchDayPlan, minutesToStages, modelOf, parseProfileInput, resolveProfile,
  stagesIntegral, stagesDurationMs, parseClock,
} from '../../../src/profile/index.js';
import { UsageError } from '../../../src/contracts/errors.js';
import { sloThresholds } from '../../../src/profile/slo.js';
import type { RampingArrivalRate } from '../../../src/scenario-api/types.js';

describe('the day model', () => {
  it('spreads exactly the day\'s registrations over the booking day, minute by minute', () => {
    const m = modelOf();
    expect(m.minutes.reduce((s, r) => s + r.registrations, 0)).toBe(300_000);
    expect(m.minutes[0].time).toBe('08:45');
    expect(m.minutes[m.minutes.length - 1].time).toBe('16:59');
    for (const j of JOURNEYS) expect(m.minutes.reduce((s, r) => s + r.arrivals[j], 0)).toBe(m.totals[j]);
  });

  it('puts the peak at opening, the first hour\'s share in hour 1 and 60% within 3 hours', () => {
    const m = modelOf();
    expect(m.peak.time).toBe('09:00');
    const at = (hhmm: string) => m.minutes.findIndex((r) => r.time === hhmm);
    const sum = (a: number, b: number) => m.minutes.slice(a, b).reduce((s, r) => s + r.registrations, 0);
    expect(sum(at('09:00'), at('10:00')) / 300_000).toBeCloseTo(0.26, 3);
    expect(sum(at('09:00'), at('12:00')) / 300_000).toBeCloseTo(0.60, 3);
    // 09:00 runs at about spikePeakFactor (4×) the first hour's average rate
    expect(m.peak.registrationsPerMinute / (0.26 * 300_000 / 60)).toBeGreaterThan(3.3);
  });

  it('ramps up monotonically before opening and down monotonically after the peak', () => {
    const m = modelOf();
    const regs = m.minutes.map((r) => r.registrations);
    const peak = regs.indexOf(Math.max(...regs));
    for (let i = 1; i <= peak; i++) expect(regs[i]).toBeGreaterThanOrEqual(regs[i - 1]);
    for (let i = peak + 1; i < regs.length; i++) expect(regs[i]).toBeLessThanOrEqual(regs[i - 1] + 1); // +1: whole-number rounding
  });

  it('keeps totals for any registrations, booking window and spike, and the peak at opening', () => {
    fc.assert(fc.property(
      fc.integer({ min: 1000, max: 20_000_000 }), fc.integer({ min: 6, max: 10 }), fc.integer({ min: 8, max: 13 }),
      fc.double({ min: 1, max: 5, noNaN: true }), fc.integer({ min: 3, max: 30 }),
      (registrations, openHour, hours, spikePeakFactor, spikeMinutes) => {
        const close = Math.min(23, openHour + hours);
        const input = parseProfileInput({
          registrations, orders: Math.floor(registrations / 10), bookingOpens: `${String(openHour).padStart(2, '0')}:00`, bookingCloses: `${close}:00`,
          spikePeakFactor, spikeMinutes,
        });
        const m = dayModel(resolveProfile(input));
        expect(m.minutes.reduce((s, r) => s + r.registrations, 0)).toBe(registrations);
        const regs = m.rates.newUser;
        const openIndex = parseClock(input.bookingOpens!) - m.startMinute;
        expect(Math.abs(regs.indexOf(Math.max(...regs)) - openIndex)).toBeLessThanOrEqual(spikePeakFactor < 1.2 ? 60 : 0);
      }), { numRuns: 60 });
  });

  it('refuses bad inputs naming them', () => {
    expect(() => parseProfileInput({ registrations: 'lots' }) && resolveProfile(parseProfileInput({ registrations: 'lots' }))).toThrow(/invalid registrations/);
    expect(() => parseProfileInput({ firstHourShare: 1.5 })).toThrow(/firstHourShare/);
    expect(() => parseProfileInput({ bookingOpens: '9am' })).toThrow(/bookingOpens/);
    expect(() => parseProfileInput({ registration: 5 })).toThrow(UsageError);
    expect(() => resolveProfile(parseProfileInput({ bookingOpens: '09:00', bookingCloses: '10:00' }))).toThrow(/invalid booking window/);
    expect(() => resolveProfile(parseProfileInput({ firstHourShare: 0.7, firstThreeHoursShare: 0.6 }))).toThrow(/firstThreeHoursShare/);
    expect(() => dayModel(resolveProfile(parseProfileInput({ spikePeakFactor: 50 })))).toThrow(/invalid spikePeakFactor/);
  });

  it('gives every default a source that names its origin and its section of docs/sources.md', () => {
    for (const [k, p] of Object.entries(DEFAULTS)) expect(p.source, k).toMatch(/\(docs\/sources\.md#[a-z0-9-]+\)$/);
    expect(DEFAULTS.registrations.source).toMatch(/news report, Raipur, Monday 10 May 2021.*docs\/sources\.md#registrations/);
    expect(DEFAULTS.firstHourShare.source).toMatch(/CoWIN/);
  });
});

describe('stages', () => {
  it('preserve totals under any compression and scale (within 1%)', () => {
    fc.assert(fc.property(
      fc.array(fc.double({ min: 0, max: 10_000, noNaN: true }), { minLength: 1, maxLength: 120 }),
      fc.double({ min: 1, max: 60, noNaN: true }), fc.double({ min: 0.001, max: 1, noNaN: true }),
      (perMinute, timeScale, scale) => {
        const sp = minutesToStages(perMinute, timeScale, scale);
        const want = perMinute.reduce((s, x) => s + x, 0) * scale;
        const got = stagesIntegral(sp.startRate, sp.stages);
        expect(Math.abs(got - want)).toBeLessThanOrEqual(Math.max(0.01 * want, 0.01));
        expect(stagesDurationMs(sp.stages)).toBeCloseTo(perMinute.length * Math.round(60_000 / timeScale), -2);
      }), { numRuns: 200 });
  });

  it('preserve the whole day\'s registrations after compression and scaling', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 60 }), fc.double({ min: 0.0005, max: 1, noNaN: true }), (timeScale, scale) => {
      const m = modelOf();
      const sp = minutesToStages(m.rates.newUser, timeScale, scale);
      expect(stagesIntegral(sp.startRate, sp.stages) / scale).toBeGreaterThan(300_000 * 0.99);
      expect(stagesIntegral(sp.startRate, sp.stages) / scale).toBeLessThan(300_000 * 1.01);
    }), { numRuns: 30 });
  });
});

describe('launchDayPlan', () => {
  it('replays 08:45–10:15 at ×15 in 6 minutes at the real arrival rate by default', () => {
    const p = launchDayPlan({ quick: false });
    expect(p.simulatedStart).toBe('08:45');
    expect(p.simulatedEnd).toBe('10:15');
    expect(p.timeScale).toBe(15);
    expect(p.realDurationSeconds).toBe(360);
    expect(p.scale).toBeCloseTo(1 / 15);
    expect(p.description).toMatch(/08:45–10:15 .*×15.*real rate/);
    const m = modelOf();
    const window = m.rates.newUser.slice(0, 90).reduce((s, x) => s + x, 0);
    expect(p.plannedArrivals.newUser / p.scale / window).toBeCloseTo(1, 2);
    const sc = p.options.scenarios!.newUsers as RampingArrivalRate;
    expect(sc.executor).toBe('ramping-arrival-rate');
    expect(sc.exec).toBe('newUser');
    expect(stagesDurationMs(sc.stages)).toBeCloseTo(360_000, -3);
    expect(p.options.thresholds!.http_req_failed).toEqual(['rate<0.01']);
    expect(p.options.thresholds!['http_req_duration{name:POST /api/v1/orders}']).toEqual(['p(95)<2000']);
    expect(p.profile.registrations.value).toBe(300_000);
    expect(p.peakDemandRps).toBeGreaterThan(400);
  });

  it('keeps --quick near a minute and within the machine budget, saying when it scaled down', () => {
    const p = launchDayPlan({ quick: true });
    expect(p.realDurationSeconds).toBeGreaterThanOrEqual(55);
    expect(p.realDurationSeconds).toBeLessThanOrEqual(75);
    expect(p.testPeakArrivalsPerSecond).toBeLessThanOrEqual(120.5);
    if (p.scale * p.timeScale < 1) expect(p.description).toMatch(/scaled down/);
  });

  it('honours an explicit scale, time scale and profile, with their sources', () => {
    const p = launchDayPlan({ quick: true, scale: 0.01, timeScale: 10, profile: { registrations: '1lakh' } });
    expect(p.scale).toBe(0.01);
    expect(p.realDurationSeconds).toBe(120);
    expect(p.profile.registrations).toEqual({ value: 100_000, source: 'profile file' });
    expect(p.description).toMatch(/10% of the real rate/);
    expect(() => launchDayPlan({ scale: 2 })).toThrow(/invalid scale/);
    expect(() => launchDayPlan({ profile: { replayFrom: '20:00', replayTo: '21:00' } })).toThrow(/invalid replay window/);
  });
});

describe('SLO thresholds', () => {
  it('keep per-endpoint thresholds to the endpoints a scenario calls', () => {
    const t = sloThresholds(undefined, ['POST /api/v1/register']);
    expect(Object.keys(t)).toEqual(['http_req_failed', 'http_req_duration', 'checks', 'http_req_duration{name:POST /api/v1/register}']);
  });
});
