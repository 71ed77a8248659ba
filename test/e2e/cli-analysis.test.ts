import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildPrivateCli, runCli } from './cli-analysis-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'ct-analysis-'));

let built: ReturnType<typeof buildPrivateCli>;
const cli = (...args: string[]) => runCli(built.bin, args);
function file(name: string, text: string) { const p = join(dir, name); writeFileSync(p, text); return p; }

// The Cisco benchmark of Schwartz, "Practical Scalability Analysis with the USL" (2015): published
// σ = 0.02671591, κ = 7.690945e-4, λ = 995.6486.
const CISCO = [955.16, 1878.91, 2688.01, 3548.68, 4315.54, 5130.43, 5931.37, 6531.08, 7219.8, 7867.61, 8278.71, 8646.7,
  9047.84, 9426.55, 9645.37, 9897.24, 10097.6, 10240.5, 10532.39, 10798.52, 11151.43, 11518.63, 11806, 12089.37,
  12075.41, 12177.29, 12211.41, 12158.93, 12155.27, 12118.04, 12140.4, 12074.39];

beforeAll(() => { built = buildPrivateCli(); }, 180_000);
afterAll(() => built?.cleanup());

describe('capacity-test usl', () => {
  it('prints exactly {sigma,kappa,lambda,nMax,xMax,r2} with the published Cisco coefficients', () => {
    const csv = file('cisco.csv', 'concurrency,throughput\n' + CISCO.map((x, i) => `${i + 1},${x}`).join('\n') + '\n');
    const r = cli('usl', csv);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(['sigma', 'kappa', 'lambda', 'nMax', 'xMax', 'r2']);
    expect(out.sigma).toBeCloseTo(0.02671591, 5);
    expect(out.kappa).toBeCloseTo(7.690945e-4, 7);
    expect(out.lambda).toBeCloseTo(995.6486, 0);
    expect(Math.floor(out.nMax)).toBe(35);
  });

  it('accepts a file without a header', () => {
    const r = cli('usl', file('nohead.csv', '1,1\n2,1.8868\n4,3.0769\n6,3.5294\n8,3.5398\n10,3.3557\n'));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).sigma).toBeCloseTo(0.02, 3);
  });

  it('exits 2 naming the line of a bad row', () => {
    const r = cli('usl', file('bad.csv', 'concurrency,throughput\n1,10\n2,19\nthree,27\n4,35\n5,42\n6,48\n'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/invalid line 4 of .*bad\.csv: .*got "three,27"/);
  });

  it('exits 2 with fewer than 6 points and for a missing file', () => {
    expect(cli('usl', file('few.csv', '1,10\n2,19\n3,27\n')).code).toBe(2);
    const r = cli('usl', join(dir, 'nope.csv'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/nope\.csv/);
  });
});

describe('capacity-test size', () => {
  it('prints {servers, pWait, pExceed, utilization} and the headroom figures apart', () => {
    const r = cli('size', '--rate', '100', '--service-ms', '50', '--max-wait-ms', '0', '--quantile', '0.9', '--headroom', '0.33');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ servers: 9, serversWithHeadroom: 12, headroom: 0.33 });
    expect(out.pWait).toBeCloseTo(0.0805103, 6);
    expect(out.pExceed).toBeLessThanOrEqual(0.1);
    expect(out.utilization).toBeCloseTo(5 / 9, 10);
  });

  it('lowers the server count when some wait is allowed', () => {
    const r = cli('size', '--rate', '100', '--service-ms', '50', '--max-wait-ms', '100', '--quantile', '0.9');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).servers).toBeLessThan(9);
  });

  it('exits 2 naming a bad or missing value', () => {
    const bad = cli('size', '--rate', 'lots', '--service-ms', '50', '--max-wait-ms', '0', '--quantile', '0.9');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/invalid --rate: expected a number, got "lots"/);
    const q = cli('size', '--rate', '10', '--service-ms', '50', '--max-wait-ms', '0', '--quantile', '1.5');
    expect(q.code).toBe(2);
    expect(q.stderr).toMatch(/invalid quantile: .*got 1\.5/);
    expect(cli('size', '--rate', '10').code).toBe(2);
  });

  // 100 people a second for the first hour, 10 requests each, an instance serving 200 requests a second
  const base = ['size', '--rate', '1000', '--service-ms', '5', '--max-wait-ms', '800', '--quantile', '0.95', '--headroom', '0.33', '--calls-per-person', '10'];

  it('answers the waiting-room question for a fleet with the what-if panel’s maths', async () => {
    const { whatIf } = await import('../../src/analysis/whatif.js');
    const r = cli(...base, '--instances', '3');
    expect(r.code).toBe(0);
    const room = JSON.parse(r.stdout).waitingRoom;
    const w = whatIf({ registrationsPerDay: 100 * 3600, firstHourShare: 1, headroom: 0.33, perInstanceRps: 200, callsPerRegistration: 10, maxWaitMs: 800, quantile: 0.95, instances: 3 });
    expect(room).toEqual({ fleet: 3, arrivalsPerSecond: 100, admitRatePerSecond: w.admitRatePerSecond, queuedAfterFirstHour: w.longestQueue, longestWaitSeconds: w.longestWaitSeconds, utilization: w.utilization });
    // 3 × 200 / 1.33 / 10 ≈ 45.1 people/s let in against 100 arriving: ~1.98 lakh still queued after the hour
    expect(room.queuedAfterFirstHour).toBeCloseTo((100 - 600 / 1.33 / 10) * 3600, 6);
    expect(room.longestWaitSeconds).toBeGreaterThan(3600);
  });

  it('answers it for a waiting room’s admission rate, and says nobody waits when it keeps up', () => {
    const slow = JSON.parse(cli(...base, '--admit-rate', '80').stdout).waitingRoom;
    expect(slow).toMatchObject({ fleet: null, admitRatePerSecond: 80, queuedAfterFirstHour: 20 * 3600, longestWaitSeconds: 900, utilization: null });
    const fast = JSON.parse(cli(...base, '--admit-rate', '120').stdout).waitingRoom;
    expect(fast).toMatchObject({ queuedAfterFirstHour: 0, longestWaitSeconds: 0 });
    expect(JSON.parse(cli(...base).stdout).waitingRoom).toBeUndefined();
  });

  it('exits 2 naming a bad fleet, a bad admission rate, or both given', () => {
    const both = cli(...base, '--instances', '3', '--admit-rate', '80');
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/either --instances or --admit-rate/);
    expect(cli(...base, '--instances', '2.5').stderr).toMatch(/invalid --instances: expected a whole number of instances >= 1, got 2\.5/);
    expect(cli(...base, '--admit-rate', '0').stderr).toMatch(/invalid --admit-rate: expected people let in per second, > 0, got 0/);
  });
});
