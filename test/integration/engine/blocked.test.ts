import { afterEach, describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { runEngine } from '../../../src/engine/index.js';
import { consoleProgress } from '../../../src/cli/progress-printer.js';
import { MetricsQuery, statistic } from '../../../src/metrics/index.js';
import { startCountingServer, writeScenario, type CountingServer } from './helpers.js';

let server: CountingServer | undefined;
afterEach(async () => { await server?.close(); server = undefined; });

describe('time queued for a connection inside the generator (http_req_blocked)', () => {
  it('is recorded apart from http_req_duration, so a connection cap cannot pass for a fast target', async () => {
    server = await startCountingServer((_req, res) => setTimeout(() => res.end('ok'), 40));
    // 4 VUs share one connection: each request waits for up to three others before it is sent.
    const file = writeScenario(`
      export const options = { connectionsPerOrigin: 1, scenarios: { s: { executor: 'constant-vus', vus: 4, duration: '1s' } } };
      export default async function (vu) { await vu.http.get(vu.env.TARGET + '/slow'); }`, 'blocked.js');
    const result = await runEngine({ scenarioFile: file, env: { TARGET: server.url }, workers: 1 });
    const q = new MetricsQuery(result.windows);
    const blockedP95 = statistic(q.aggregate('http_req_blocked'), 'p(95)')!;
    const durationP95 = statistic(q.aggregate('http_req_duration'), 'p(95)')!;
    expect(durationP95).toBeGreaterThanOrEqual(35);
    // the queue ahead of a request is about three service times
    expect(blockedP95).toBeGreaterThan(durationP95);
    expect(statistic(q.aggregate('http_req_blocked'), 'count')).toBe(statistic(q.aggregate('http_reqs'), 'count'));
  });

  it('warns once, naming the connection cap, when requests wait long for a connection', async () => {
    server = await startCountingServer((_req, res) => setTimeout(() => res.end('ok'), 60));
    const file = writeScenario(`
      export const options = { connectionsPerOrigin: 1, scenarios: { s: { executor: 'constant-vus', vus: 4, duration: '2s' } } };
      export default async function (vu) { await vu.http.get(vu.env.TARGET + '/slow'); }`, 'blocked-warn.js');
    const log = new PassThrough();
    let text = '';
    log.on('data', (d: Buffer) => { text += d.toString(); });
    await runEngine({ scenarioFile: file, env: { TARGET: server.url }, workers: 1, observers: [consoleProgress({ log })] });
    const warnings = text.split('\n').filter((l) => l.includes('for one of the 1 connections per origin'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/raise options\.connectionsPerOrigin/);
  });
});
