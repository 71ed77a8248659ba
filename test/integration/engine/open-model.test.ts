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
 * What the generator did, per arrival: the scenario writes each iteration's iterationInTest and the
 * epoch ms it began. Arrival k of a plan is due at `due(k)` ms after the start (closed form, computed
 * here independently of the engine's schedule), so for every second we know how many arrivals were
 * due, how many of those began, how late, and how many began only after the second was over. The
 * engine's per-second figures must equal that bookkeeping on an idle machine and on a busy one alike.
 */
const RAW_SCENARIO_BODY = `
      import { appendFileSync } from 'node:fs';
      export default async function (vu) {
        appendFileSync(vu.env.RAW, vu.iterationInTest + ' ' + (performance.timeOrigin + performance.now()) + '\\n');
        await vu.http.get(vu.env.TARGET + '/a');
      }`;

interface Begun { k: number; at: number }
const readBegun = (file: string): Begun[] => readFileSync(file, 'utf8').trim().split('\n').filter(Boolean)
  .map((l) => { const [k, at] = l.split(' ').map(Number); return { k, at }; });

/** Arrivals due in second t that began in a later second: late enough to cross the boundary. */
const crossedOut = (begun: readonly Begun[], startAt: number, due: (k: number) => number, t: number) =>
  begun.filter((b) => Math.floor(due(b.k) / 1000) === t && Math.floor((b.at - startAt) / 1000) > t).length;

const lagMax = (q: MetricsQuery, t: number) => statistic(q.aggregate('schedule_lag', { from: t, to: t + 1 }), 'max') ?? 0;
/** arrivals due in second t that started (each records its schedule lag, in the second it was due) */
const startedIn = (q: MetricsQuery, t: number) => q.windows('schedule_lag', { from: t, to: t + 1 }).reduce((a, w) => a + w.count, 0);
const startedAll = (q: MetricsQuery) => q.windows('schedule_lag').reduce((a, w) => a + w.count, 0);

const sum = (q: MetricsQuery, metric: string, filter: { tags?: Record<string, string>; from?: number; to?: number } = {}) =>
  q.windows(metric, filter).reduce((a, w) => a + w.sum, 0);

describe('open model (arrival-rate executors)', () => {
  it('starts in each second the arrivals due in it, less those that began late past its end (measured per arrival)', async () => {
    server = await startCountingServer();
    // 100 arrivals/s for 4 s: arrival k is due at k × 10 ms, so every second plans exactly 100.
    const raw = join(mkdtempSync(join(tmpdir(), 'ct-begun-')), 'begun.txt');
    const file = writeScenario(`
      export const options = { scenarios: { flat: { executor: 'ramping-arrival-rate', startRate: 100, timeUnit: '1s',
        preAllocatedVUs: 20, maxVUs: 50, stages: [{ duration: '4s', target: 100 }] } } };${RAW_SCENARIO_BODY}`, 'flat.js');
    const result = await runEngine({ scenarioFile: file, env: { TARGET: server.url, RAW: raw }, workers: 1 });
    const q = new MetricsQuery(result.windows);
    const begun = readBegun(raw);
    const due = (k: number) => k * 10;
    expect(sum(q, 'planned_iterations')).toBe(400);
    // every arrival began once, never before it was due
    expect(new Set(begun.map((b) => b.k)).size).toBe(begun.length);
    for (const b of begun) expect(b.at - result.startedAtMs, `arrival ${b.k}`).toBeGreaterThanOrEqual(due(b.k) - 1);
    for (let t = 0; t < 4; t++) {
      expect(sum(q, 'planned_iterations', { from: t, to: t + 1 })).toBe(100);
      // the engine's count of second t (schedule lag is charged to the second an arrival was due in)
      // is what began of the arrivals due in t, late ones included
      expect(startedIn(q, t), `second ${t}`).toBe(begun.filter((b) => Math.floor(due(b.k) / 1000) === t).length);
      // and its lag is the lateness the scenario saw, to the ms
      const lateness = Math.max(0, ...begun.filter((b) => Math.floor(due(b.k) / 1000) === t).map((b) => b.at - result.startedAtMs - due(b.k)));
      expect(lagMax(q, t), `second ${t}`).toBeLessThanOrEqual(lateness * 1.002 + 1);
      // and what is missing from the plan of second t is what began late, past its end (or was dropped)
      const late = crossedOut(begun, result.startedAtMs, due, t);
      const dropped = sum(q, 'dropped_iterations', { from: t, to: t + 1 });
      expect(100 - late - dropped, `second ${t}`).toBe(begun.filter((b) => Math.floor(due(b.k) / 1000) === t && Math.floor((b.at - result.startedAtMs) / 1000) === t).length);
    }
    // whatever the load: every planned arrival started or was dropped and counted, none was added
    expect(startedAll(q) + sum(q, 'dropped_iterations')).toBe(400);
    expect(begun.length).toBe(startedAll(q));
    expect(server.count()).toBe(sum(q, 'http_reqs'));
    expect(server.count()).toBe(400 - sum(q, 'dropped_iterations'));
  });

  it('follows a ramp second by second: 0 → 100/s over 2 s then 100/s plans 25, 75, 100 starts', async () => {
    server = await startCountingServer();
    const raw = join(mkdtempSync(join(tmpdir(), 'ct-begun-')), 'begun.txt');
    const file = writeScenario(`
      export const options = { scenarios: { ramp: { executor: 'ramping-arrival-rate', startRate: 0, timeUnit: '1s',
        preAllocatedVUs: 10, maxVUs: 50, stages: [{ duration: '2s', target: 100 }, { duration: '1s', target: 100 }] } } };${RAW_SCENARIO_BODY}`, 'ramp.js');
    const result = await runEngine({ scenarioFile: file, env: { TARGET: server.url, RAW: raw }, workers: 1 });
    const q = new MetricsQuery(result.windows);
    const begun = readBegun(raw);
    // the rate rises by 50/s each second: k arrivals are due by √(k/25) s; then 100/s from k = 100 at 2 s
    const due = (k: number) => (k < 100 ? Math.sqrt(k / 25) * 1000 : 2000 + (k - 100) * 10);
    const expected = [25, 75, 100];
    for (const b of begun) expect(b.at - result.startedAtMs, `arrival ${b.k}`).toBeGreaterThanOrEqual(due(b.k) - 1);
    expected.forEach((n, t) => {
      expect(sum(q, 'planned_iterations', { from: t, to: t + 1 })).toBe(n);
      expect(startedIn(q, t), `second ${t}`).toBe(begun.filter((b) => Math.floor(due(b.k) / 1000) === t).length);
      const late = crossedOut(begun, result.startedAtMs, due, t);
      const dropped = sum(q, 'dropped_iterations', { from: t, to: t + 1 });
      expect(n - late - dropped, `second ${t}`).toBe(begun.filter((b) => Math.floor(due(b.k) / 1000) === t && Math.floor((b.at - result.startedAtMs) / 1000) === t).length);
    });
    expect(startedAll(q) + sum(q, 'dropped_iterations')).toBe(200);
    expect(server.count()).toBe(200 - sum(q, 'dropped_iterations'));
  });

  it('frees the VU of a synchronous iteration at once: one VU serves 2,000 arrivals/s, throwing ones counted as errors', async () => {
    // however late a timer fires and however many arrivals are then due together, each ends before the next starts
    const file = writeScenario(`
      export const options = { scenarios: { a: { executor: 'constant-arrival-rate', rate: 2000, timeUnit: '1s', duration: '1s', preAllocatedVUs: 1, maxVUs: 1 } } };
      export default function (vu) { if (vu.iterationInTest % 10 === 0) throw new Error('every tenth'); }`, 'sync.js');
    const result = await runEngine({ scenarioFile: file, env: {}, workers: 1 });
    const q = new MetricsQuery(result.windows);
    expect(statistic(q.aggregate('dropped_iterations'), 'count') ?? 0).toBe(0);
    expect(statistic(q.aggregate('iterations'), 'count')).toBe(2000);
    expect(result.iterationErrors).toEqual([expect.objectContaining({ message: 'every tenth', count: 200 })]);
  });

  it('drops and counts iterations against a stalled server and never runs past duration + gracefulStop', async () => {
    server = await startCountingServer(() => { /* never answers */ });
    // 20/s for 2 s = 40 arrivals; 2 VUs at most, each stuck in its first request.
    const file = writeScenario(`
      export const options = { scenarios: { stall: { executor: 'constant-arrival-rate', rate: 20, timeUnit: '1s', duration: '2s',
        preAllocatedVUs: 2, maxVUs: 2, gracefulStop: '1s' } } };
      export default async function (vu) { await vu.http.get(vu.env.TARGET + '/stall'); }`, 'stall.js');
    const result = await runEngine({ scenarioFile: file, env: { TARGET: server.url }, workers: 1 });
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
    const { runDir } = await runScenarioToDir({ scenarioFile: file, env: { TARGET: server.url, RAW: rawFile }, workers: 2, outDir, command: 'test' });
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
