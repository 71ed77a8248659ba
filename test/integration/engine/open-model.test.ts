import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { runEngine } from '../../../src/engine/index.js';
import { runScenarioToDir } from '../../../src/run/run-scenario.js';
import { decodeWindows, MetricsQuery, statistic } from '../../../src/metrics/index.js';
import { startCountingServer, writeScenario, type CountingServer } from './helpers.js';

let server: CountingServer | undefined;
afterEach(async () => { await server?.close(); server = undefined; });

/**
 * Headroom in second t: the schedule lag stayed under 10 ms in t and the second before, so no
 * arrival of the plan can have slipped across a second boundary (a machine shared with other
 * load tests often has none; the totals below hold regardless).
 */
const headroom = (q: MetricsQuery, t: number) => {
  const lag = statistic(q.aggregate('schedule_lag', { from: Math.max(0, t - 1), to: t + 1 }), 'p(99)');
  return lag !== null && lag < 10;
};
const startedIn = (q: MetricsQuery, t: number) => q.windows('schedule_lag', { from: t, to: t + 1 }).reduce((a, w) => a + w.count, 0);
const startedAll = (q: MetricsQuery) => q.windows('schedule_lag').reduce((a, w) => a + w.count, 0);

const sum = (q: MetricsQuery, metric: string, filter: { tags?: Record<string, string>; from?: number; to?: number } = {}) =>
  q.windows(metric, filter).reduce((a, w) => a + w.sum, 0);

describe('open model (arrival-rate executors)', () => {
  it('starts the planned arrivals each second within 2% when the generator has headroom', async () => {
    server = await startCountingServer();
    // 100 arrivals/s for 4 s: arrival k is planned at k × 10 ms, so every second plans exactly 100.
    const file = writeScenario(`
      export const options = { scenarios: { flat: { executor: 'ramping-arrival-rate', startRate: 100, timeUnit: '1s',
        preAllocatedVUs: 20, maxVUs: 50, stages: [{ duration: '4s', target: 100 }] } } };
      export default async function (vu) { await vu.http.get(vu.env.TARGET + '/a'); }`, 'flat.js');
    const result = await runEngine({ scenarioFile: file, env: { TARGET: server.url }, workers: 1, quiet: true });
    const q = new MetricsQuery(result.windows);
    expect(sum(q, 'planned_iterations')).toBe(400);
    for (let t = 0; t < 4; t++) {
      expect(sum(q, 'planned_iterations', { from: t, to: t + 1 })).toBe(100);
      if (!headroom(q, t)) continue;
      // started iterations of second t (each records its schedule lag when it starts)
      expect(Math.abs(startedIn(q, t) - 100), `second ${t}: started ${startedIn(q, t)}`).toBeLessThanOrEqual(2);
    }
    // whatever the load: every planned arrival started or was dropped and counted, none was added
    expect(startedAll(q) + sum(q, 'dropped_iterations')).toBe(400);
    expect(server.count()).toBe(sum(q, 'http_reqs'));
    expect(server.count()).toBe(400 - sum(q, 'dropped_iterations'));
  });

  it('follows a ramp second by second: 0 → 100/s over 2 s then 100/s plans 25, 75, 100 starts', async () => {
    server = await startCountingServer();
    const file = writeScenario(`
      export const options = { scenarios: { ramp: { executor: 'ramping-arrival-rate', startRate: 0, timeUnit: '1s',
        preAllocatedVUs: 10, maxVUs: 50, stages: [{ duration: '2s', target: 100 }, { duration: '1s', target: 100 }] } } };
      export default async function (vu) { await vu.http.get(vu.env.TARGET + '/r'); }`, 'ramp.js');
    const result = await runEngine({ scenarioFile: file, env: { TARGET: server.url }, workers: 1, quiet: true });
    const q = new MetricsQuery(result.windows);
    const expected = [25, 75, 100];
    expected.forEach((n, t) => {
      expect(sum(q, 'planned_iterations', { from: t, to: t + 1 })).toBe(n);
      if (!headroom(q, t)) return;
      expect(Math.abs(startedIn(q, t) - n), `second ${t}`).toBeLessThanOrEqual(Math.max(1, n * 0.02));
    });
    expect(startedAll(q) + sum(q, 'dropped_iterations')).toBe(200);
    expect(server.count()).toBe(200 - sum(q, 'dropped_iterations'));
  });

  it('drops and counts iterations against a stalled server and never runs past duration + gracefulStop', async () => {
    server = await startCountingServer(() => { /* never answers */ });
    // 20/s for 2 s = 40 arrivals; 2 VUs at most, each stuck in its first request.
    const file = writeScenario(`
      export const options = { scenarios: { stall: { executor: 'constant-arrival-rate', rate: 20, timeUnit: '1s', duration: '2s',
        preAllocatedVUs: 2, maxVUs: 2, gracefulStop: '1s' } } };
      export default async function (vu) { await vu.http.get(vu.env.TARGET + '/stall'); }`, 'stall.js');
    const result = await runEngine({ scenarioFile: file, env: { TARGET: server.url }, workers: 1, quiet: true });
    const q = new MetricsQuery(result.windows);
    expect(sum(q, 'planned_iterations')).toBe(40);
    expect(sum(q, 'dropped_iterations')).toBe(38);
    expect(sum(q, 'iterations')).toBe(0); // both were interrupted at the hard end
    expect(q.windows('schedule_lag').reduce((a, w) => a + w.count, 0)).toBe(2);
    // planned 2 s + gracefulStop 1 s, plus the end of the run's own bookkeeping
    expect(result.endedAtMs - result.startedAtMs).toBeLessThan(3000 + 1500);
    // The stalled target, not the generator, left the plan undelivered: its drops are the target's doing.
    // A second is called generator-saturated only on its own schedule lag (on a busy test machine the two
    // arrivals that did start in second 0 can start late), never because arrivals were dropped.
    expect(result.saturation.filter((x) => x.cause === 'dropped').length).toBeGreaterThan(0);
    for (const s of result.saturatedSeconds) {
      expect(statistic(q.aggregate('schedule_lag', { from: s, to: s + 1 }), 'p(99)')!, `second ${s}`).toBeGreaterThan(50);
    }
  });

  it('keeps percentiles in metrics/ equal to those of the raw samples within HDR precision', async () => {
    server = await startCountingServer((_req, res) => { setTimeout(() => res.end('ok'), Math.random() * 20); });
    const rawFile = join(mkdtempSync(join(tmpdir(), 'ct-raw-')), 'raw.txt');
    const file = writeScenario(`
      import { appendFileSync } from 'node:fs';
      export const options = { scenarios: { s: { executor: 'constant-vus', vus: 8, duration: '2s' } } };
      export default async function (vu) {
        const r = await vu.http.get(vu.env.TARGET + '/p');
        appendFileSync(vu.env.RAW, r.timings.duration + '\\n');
      }`, 'raw.js');
    const outDir = mkdtempSync(join(tmpdir(), 'ct-run-'));
    const { runDir } = await runScenarioToDir({ scenarioFile: file, env: { TARGET: server.url, RAW: rawFile }, workers: 2, quiet: true, outDir, command: 'test' });
    const raw = readFileSync(rawFile, 'utf8').trim().split('\n').map(Number).sort((a, b) => a - b);
    const q = new MetricsQuery(decodeWindows(readFileSync(join(runDir, 'metrics/windows.jsonl.gz'))));
    expect(statistic(q.aggregate('http_req_duration'), 'count')).toBe(raw.length);
    for (const p of [50, 90, 95, 99]) {
      const exact = raw[Math.max(0, Math.ceil((p / 100) * raw.length) - 1)];
      const fromWindows = statistic(q.aggregate('http_req_duration'), `p(${p})`)!;
      // 3 significant digits: within 0.1% of the value, plus the µs the trend is recorded in
      expect(Math.abs(fromWindows - exact)).toBeLessThanOrEqual(exact * 0.001 + 0.001);
    }
    expect(JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')).workers).toBe(2);
  });
});
