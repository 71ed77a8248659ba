import { describe, expect, it } from 'vitest';
import * as esbuild from 'esbuild';
import { fleetAdmitRate, waitingRoom, whatIf } from '../../../src/analysis/whatif.js';
import { sizeServers } from '../../../src/analysis/sizing.js';

// Launch day: 3 lakh registrations, 26% in the first hour (CoWIN's ratio), ~48 calls each.
const launch = { registrationsPerDay: 300_000, firstHourShare: 0.26, headroom: 0.33, perInstanceRps: 500, callsPerRegistration: 48 };

describe('what-if panel', () => {
  it('turns the day into a first-hour peak and sizes it with the same Erlang C as the CLI', () => {
    const r = whatIf(launch);
    expect(r.peakRegistrationsPerSecond).toBeCloseTo(300_000 * 0.26 / 3600, 10);
    expect(r.peakDemandRps).toBeCloseTo(1040, 6);
    const s = sizeServers({ rate: 1040, serviceMs: 2, maxWaitMs: 1000, quantile: 0.95, headroom: 0.33 });
    expect(r.instancesWithoutHeadroom).toBe(s.servers);
    expect(r.instancesNeeded).toBe(s.serversWithHeadroom);
    expect(r.longestQueue).toBe(0);
    expect(r.longestWaitSeconds).toBe(0);
  });

  it('shows the waiting room a too-small fleet would need', () => {
    const r = whatIf({ ...launch, instances: 1 });
    // One instance admits 500 / 1.33 / 48 ≈ 7.83 registrations/s against 21.67 arriving.
    const admit = 500 / 1.33 / 48;
    expect(r.admitRatePerSecond).toBeCloseTo(admit, 10);
    expect(r.longestQueue).toBeCloseTo((300_000 * 0.26 / 3600 - admit) * 3600, 6);
    expect(r.longestWaitSeconds).toBeCloseTo(r.longestQueue / admit, 6);
    expect(r.utilization).toBeCloseTo(1040 / 500, 10);
  });

  it('takes a waiting room’s admission rate as given instead of the fleet’s', () => {
    const r = whatIf({ ...launch, admitRatePerSecond: 20 });
    expect(r.admitRatePerSecond).toBe(20);
    expect(r.longestQueue).toBeCloseTo((300_000 * 0.26 / 3600 - 20) * 3600, 6);
    expect(r.longestWaitSeconds).toBeCloseTo(r.longestQueue / 20, 6);
    expect(() => whatIf({ ...launch, admitRatePerSecond: 0 })).toThrow(/invalid admit rate \(per second\): .*got 0/);
  });

  it('grows the waiting room at the difference of arrivals and admissions, and empties it when admissions keep up', () => {
    expect(waitingRoom({ arrivalsPerSecond: 30, admitRatePerSecond: 10 })).toEqual({ queued: 72_000, longestWaitSeconds: 7200 });
    expect(waitingRoom({ arrivalsPerSecond: 30, admitRatePerSecond: 10, seconds: 60 })).toEqual({ queued: 1200, longestWaitSeconds: 120 });
    expect(waitingRoom({ arrivalsPerSecond: 9, admitRatePerSecond: 10 })).toEqual({ queued: 0, longestWaitSeconds: 0 });
    expect(fleetAdmitRate(2, 500, 0.25, 40)).toBe(20);
  });

  it('needs more instances when the first hour takes a bigger share', () => {
    expect(whatIf({ ...launch, firstHourShare: 0.6 }).instancesNeeded).toBeGreaterThan(whatIf(launch).instancesNeeded);
  });

  it('refuses bad inputs naming them', () => {
    expect(() => whatIf({ ...launch, firstHourShare: 1.5 })).toThrow(/invalid first-hour share/);
    expect(() => whatIf({ ...launch, instances: 0 })).toThrow(/invalid instances: expected an integer >= 1, got 0/);
  });

  it('bundles for a browser page without any node builtin', async () => {
    const out = await esbuild.build({
      entryPoints: ['src/analysis/whatif.ts'], bundle: true, write: false, platform: 'browser', format: 'esm', logLevel: 'silent',
    });
    const code = out.outputFiles[0].text;
    expect(code).toContain('function whatIf');
    expect(code).not.toMatch(/from\s+["']node:|require\(["'](fs|path|os|node:)/);
  });
});
