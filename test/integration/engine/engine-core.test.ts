import { afterEach, describe, expect, it } from 'vitest';
import { runEngine } from '../../../src/engine/index.js';
import { MetricsQuery, statistic } from '../../../src/metrics/index.js';
import { startCountingServer, writeScenario, type CountingServer } from './helpers.js';

let server: CountingServer | undefined;
afterEach(async () => { await server?.close(); server = undefined; });

const total = (q: MetricsQuery, metric: string, tags?: Record<string, string>) => statistic(q.aggregate(metric, { tags }), 'count') ?? 0;

describe('engine core against a counting server', () => {
  it('records exactly the requests the server received, with k6 metric names and name tags', async () => {
    server = await startCountingServer();
    const file = writeScenario(`
      import { check, type VU } from 'capacity-test';
      export const options = { scenarios: { s: { executor: 'constant-vus', vus: 4, duration: '2s' } } };
      export default async function (vu: VU) {
        const res = await vu.http.get(vu.env.TARGET + '/hello', { tags: { name: 'GET /hello' } });
        check(res, { 'is 200': (r) => r.status === 200 });
      }`);
    const result = await runEngine({ scenarioFile: file, env: { TARGET: server.url }, workers: 1 });
    const q = new MetricsQuery(result.windows);
    expect(total(q, 'http_reqs'), 'http_reqs vs server').toBe(server.count());
    expect(total(q, 'http_reqs', { name: 'GET /hello', method: 'GET', status: '200', scenario: 's' })).toBe(server.count());
    expect(server.count()).toBeGreaterThan(10);
    expect(statistic(q.aggregate('checks', { tags: { check: 'is 200' } }), 'rate')).toBe(1);
    expect(total(q, 'iterations'), 'iterations vs server').toBe(server.count());
    expect(statistic(q.aggregate('http_req_failed'), 'rate')).toBe(0);
    expect(result.aborted).toBe(false);
    // constant-vus: 4 VUs in every second of the plan (sampled once a second)
    const vus = q.windows('vus', { from: 0, to: 2 });
    expect(vus.length).toBeGreaterThan(0);
    // sampled once a second; a sample the busy machine delays past the end may see VUs leaving
    expect(Math.max(...vus.map((w) => w.max)), 'vus gauge').toBe(4);
    expect(vus.every((w) => w.max <= 4)).toBe(true);
  });
});
