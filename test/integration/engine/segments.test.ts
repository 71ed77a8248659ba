import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runEngine } from '../../../src/engine/index.js';
import { mergeWindows, MetricsQuery, statistic } from '../../../src/metrics/index.js';
import { startCountingServer, writeScenario, type CountingServer } from './helpers.js';

let server: CountingServer | undefined;
afterEach(async () => { await server?.close(); server = undefined; });

describe('segments and workers', () => {
  it('runs 2 segments × 2 workers from one start; merged windows count what the server saw and keep exact percentiles', async () => {
    const ids: number[] = [];
    server = await startCountingServer((req, res) => {
      ids.push(Number(new URL(req.url!, 'http://x').searchParams.get('i')));
      setTimeout(() => res.end('ok'), Math.random() * 15);
    });
    const rawFile = join(mkdtempSync(join(tmpdir(), 'ct-raw-')), 'raw.txt');
    const file = writeScenario(`
      import { appendFileSync } from 'node:fs';
      export const options = { scenarios: { a: { executor: 'ramping-arrival-rate', startRate: 20, timeUnit: '1s', preAllocatedVUs: 8, maxVUs: 40,
        stages: [{ duration: '2s', target: 60 }] } } };
      export default async function (vu) {
        const r = await vu.http.get(vu.env.TARGET + '/s?i=' + vu.iterationInTest);
        appendFileSync(vu.env.RAW, r.timings.duration + '\\n');
      }`, 'seg.js');
    const startAt = Date.now() + 1500;
    const env = { TARGET: server.url, RAW: rawFile };
    const [a, b] = await Promise.all([1, 2].map((index) =>
      runEngine({ scenarioFile: file, env, workers: 2, segment: { index, count: 2 }, startAt })));
    expect(a.startedAtMs).toBe(startAt);
    expect(a.segment).toBe('1/2');
    const q = new MetricsQuery(mergeWindows([...a.windows, ...b.windows]));
    // the plan of the whole test: integral of 20 → 60 over 2 s = 80 arrivals
    expect(q.windows('planned_iterations').reduce((s, w) => s + w.sum, 0)).toBe(80);
    const dropped = q.windows('dropped_iterations').reduce((s, w) => s + w.sum, 0);
    expect(statistic(q.aggregate('http_reqs'), 'count')).toBe(server.count());
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(80 - dropped);
    const raw = readFileSync(rawFile, 'utf8').trim().split('\n').map(Number).sort((x, y) => x - y);
    expect(raw.length).toBe(server.count());
    for (const p of [50, 95, 99]) {
      const exact = raw[Math.max(0, Math.ceil((p / 100) * raw.length) - 1)];
      const merged = statistic(q.aggregate('http_req_duration'), `p(${p})`)!;
      expect(Math.abs(merged - exact)).toBeLessThanOrEqual(exact * 0.001 + 0.001);
    }
  });
});
