import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli/main.js';
import { headline } from '../../../src/cli/run.js';
import { EnvironmentError } from '../../../src/contracts/errors.js';
import { CONNECT_BURST, CONNECT_RATE_PER_S, OriginPool, type Connection, type PooledRequest } from '../../../src/engine/connection-pool.js';
import { runEngine } from '../../../src/engine/index.js';
import { decodeWindows, MetricsQuery, statistic } from '../../../src/metrics/index.js';
import { runScenarioToDir } from '../../../src/run/run-scenario.js';
import { writeScenario } from './helpers.js';

let closeServer: (() => Promise<void>) | undefined;
afterEach(async () => { await closeServer?.(); closeServer = undefined; });

/** A loopback server that counts the connections it accepts and the requests in flight at once. */
async function startServer(delayMs: number, make: (h: Parameters<typeof createServer>[1]) => Server | HttpsServer = (h) => createServer(h)) {
  let connections = 0, inFlight = 0, maxInFlight = 0, requests = 0;
  const server = make((_req, res) => {
    requests += 1; inFlight += 1; maxInFlight = Math.max(maxInFlight, inFlight);
    const end = () => { inFlight -= 1; res.setHeader('content-type', 'application/json'); res.end('{"ok":true}'); };
    if (delayMs > 0) setTimeout(end, delayMs); else end();
  });
  server.on('connection', () => { connections += 1; });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  closeServer = () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); });
  return { port, stats: () => ({ connections, maxInFlight, requests }) };
}

/** A self-signed certificate for 127.0.0.1, made for this test with openssl. */
function selfSigned(): { key: Buffer; cert: Buffer } {
  const dir = mkdtempSync(join(tmpdir(), 'ct-engine-tls-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
  return { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) };
}

const count = (q: MetricsQuery, metric: string) => statistic(q.aggregate(metric), 'count') ?? 0;

describe('connection policy at default options', () => {
  it('serves a burst to a fast target on connections opened at a bounded rate, never one per request', async () => {
    const server = await startServer(0);
    // 300 requests at once, each VU one request: undici's Pool opened one connection for each
    const file = writeScenario(`
      export const options = { scenarios: { a: { executor: 'shared-iterations', vus: 300, iterations: 300 } } };
      export default async function (vu) { await vu.http.get(vu.env.TARGET + '/fast', { responseType: 'none' }); }`, 'burst.js');
    const t0 = Date.now();
    const result = await runEngine({ scenarioFile: file, env: { TARGET: `http://127.0.0.1:${server.port}` }, workers: 1 });
    const seconds = (Date.now() - t0) / 1000;
    const q = new MetricsQuery(result.windows);
    expect(count(q, 'http_reqs')).toBe(300);
    expect(server.stats().requests).toBe(300);
    // the bucket's burst plus its rate over the whole run (boot and warm-up included) bounds the connects
    expect(server.stats().connections).toBeLessThanOrEqual(CONNECT_BURST + CONNECT_RATE_PER_S * seconds);
    expect(server.stats().connections).toBeLessThan(300);
    // one connect per connection opened, recorded on the request that took it
    const connected = q.windows('http_req_connecting').reduce((a, w) => a + w.count, 0);
    expect(connected).toBe(300);
  });

  it('keeps opening connections while requests wait, to at least 64 even where the shortest hold asks for fewer (a fast target with a long tail)', async () => {
    // every second request answered after 40 ms, the others at once: the shortest hold is ~0.1 ms,
    // so Little's law on it asks for ~9 connections while the slow half alone keeps ~20 busy
    let n = 0;
    const server = await startServer(0, (h) => createServer((req, res) => { if (++n % 2 === 0) setTimeout(() => h!(req, res), 40); else h!(req, res); }));
    const pool = new OriginPool(`http://127.0.0.1:${server.port}`, { connections: 1024, idleTimeoutMs: 30_000 });
    let open = 0;
    const answered = await new Promise<number>((resolve) => {
      let done = 0;
      const request = (): PooledRequest & { onComplete(): void } => {
        let conn: Connection | null = null;
        const finish = () => { open = Math.max(open, pool.stats.open); if (conn) pool.release(conn); if (++done === 600) resolve(done); };
        return {
          options: { path: '/mixed', method: 'GET' },
          assigned: (c) => { conn = c; },
          onConnect: () => undefined, onHeaders: () => true, onData: () => true, onComplete: finish, onError: finish,
        } as PooledRequest & { onComplete(): void };
      };
      // 100 a batch every 10 ms: a queue that lasts, with fast answers among it
      let batches = 0;
      const timer = setInterval(() => { for (let i = 0; i < 100; i++) pool.dispatch(request()); if (++batches === 6) clearInterval(timer); }, 10);
    });
    await pool.close();
    expect(answered).toBe(600);
    expect(open).toBeGreaterThanOrEqual(64);
    // opened only while requests waited, at the bounded rate: never one per request
    expect(server.stats().connections).toBeLessThan(300);
  });

  it('gives a slow target every request in flight: its queue shows at the target, not in the generator', async () => {
    const server = await startServer(150);
    const file = writeScenario(`
      export const options = { scenarios: { a: { executor: 'constant-vus', vus: 40, duration: '2s' } } };
      export default async function (vu) { await vu.http.get(vu.env.TARGET + '/slow'); }`, 'slow.js');
    const result = await runEngine({ scenarioFile: file, env: { TARGET: `http://127.0.0.1:${server.port}` }, workers: 1 });
    const q = new MetricsQuery(result.windows);
    // 40 VUs, each waiting 150 ms for its answer: the target sees all 40 at once
    expect(server.stats().maxInFlight).toBe(40);
    expect(server.stats().connections).toBe(40);
    expect(statistic(q.aggregate('http_req_duration'), 'p(50)')!).toBeGreaterThanOrEqual(140);
    // blocked is the wait for a connection slot only: once the 40 are open no request waits for one
    expect(statistic(q.aggregate('http_req_blocked'), 'p(50)')!).toBeLessThan(statistic(q.aggregate('http_req_duration'), 'p(50)')!);
  });
});

describe("k6's request timings", () => {
  it('records connecting and tls_handshaking on the first request of an HTTPS connection only, and sending, waiting, receiving on every request', async () => {
    const tls = selfSigned();
    const server = await startServer(0, (h) => createHttpsServer({ key: tls.key, cert: tls.cert }, h));
    const file = writeScenario(`
      export const options = { insecureSkipTLSVerify: true, scenarios: { a: { executor: 'per-vu-iterations', vus: 1, iterations: 20 } } };
      export default async function (vu) {
        const r = await vu.http.get(vu.env.TARGET + '/tls');
        if (r.status !== 200) throw new Error('status ' + r.status + ' ' + r.error);
      }`, 'tls.js');
    const result = await runEngine({ scenarioFile: file, env: { TARGET: `https://127.0.0.1:${server.port}` }, workers: 1 });
    const q = new MetricsQuery(result.windows);
    expect(result.iterationErrors).toEqual([]);
    expect(count(q, 'http_reqs')).toBe(20);
    expect(server.stats().connections).toBe(1);
    for (const m of ['http_req_blocked', 'http_req_connecting', 'http_req_tls_handshaking', 'http_req_sending', 'http_req_waiting', 'http_req_receiving']) {
      expect(count(q, m), m).toBe(20);
    }
    // one connection: one connect and one handshake, the other 19 requests reuse it
    expect(statistic(q.aggregate('http_req_tls_handshaking'), 'max')!).toBeGreaterThan(0);
    expect(statistic(q.aggregate('http_req_tls_handshaking'), 'p(90)')).toBe(0);
    expect(statistic(q.aggregate('http_req_connecting'), 'max')!).toBeGreaterThan(0);
    expect(statistic(q.aggregate('http_req_connecting'), 'p(90)')).toBe(0);
    expect(statistic(q.aggregate('http_req_waiting'), 'min')!).toBeGreaterThan(0);
    // duration = sending + waiting + receiving, as k6 defines it (sums over the run, HDR-rounded)
    const sumOf = (m: string) => q.windows(m).reduce((a, w) => a + w.sum, 0);
    const parts = sumOf('http_req_sending') + sumOf('http_req_waiting') + sumOf('http_req_receiving');
    expect(Math.abs(sumOf('http_req_duration') - parts)).toBeLessThanOrEqual(sumOf('http_req_duration') * 0.01 + 0.05);
  });

  it('refuses a self-signed certificate unless insecureSkipTLSVerify is set', async () => {
    const tls = selfSigned();
    const server = await startServer(0, (h) => createHttpsServer({ key: tls.key, cert: tls.cert }, h));
    const file = writeScenario(`
      export const options = { scenarios: { a: { executor: 'per-vu-iterations', vus: 1, iterations: 1 } } };
      export default async function (vu) { await vu.http.get(vu.env.TARGET + '/tls'); }`, 'tls-strict.js');
    const result = await runEngine({ scenarioFile: file, env: { TARGET: `https://127.0.0.1:${server.port}` }, workers: 1 });
    const q = new MetricsQuery(result.windows);
    expect(q.windows('http_reqs', { tags: { status: '0' } }).reduce((a, w) => a + w.sum, 0)).toBe(1);
    expect(server.stats().requests).toBe(0);
  });
});

describe('failures as the README says', () => {
  it('stops a run whose target refuses every connection after its first seconds: exit 3, one line naming the target, partial results kept', async () => {
    // a port with nothing listening
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const file = writeScenario(`
      export const options = { scenarios: { a: { executor: 'constant-arrival-rate', rate: 20, timeUnit: '1s', duration: '30s', preAllocatedVUs: 5, maxVUs: 20 } } };
      export default async function (vu) { await vu.http.get(vu.env.TARGET + '/api'); }`, 'refused.js');
    const outDir = mkdtempSync(join(tmpdir(), 'ct-refused-'));
    const t0 = Date.now();
    const err = await runScenarioToDir({ scenarioFile: file, env: { TARGET: `http://127.0.0.1:${port}` }, workers: 1, outDir, command: 'test' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EnvironmentError);
    const message = (err as Error).message;
    expect(message.split('\n')).toHaveLength(1);
    expect(message).toContain(`GET http://127.0.0.1:${port}/api`);
    expect(message).toMatch(/target unreachable: .*connection refused/);
    expect(Date.now() - t0).toBeLessThan(20_000);
    const run = JSON.parse(readFileSync(join(outDir, 'run.json'), 'utf8'));
    expect(run.aborted).toBe(true);
    expect(existsSync(join(outDir, 'metrics/windows.jsonl.gz'))).toBe(true);
    const q = new MetricsQuery(decodeWindows(readFileSync(join(outDir, 'metrics/windows.jsonl.gz'))));
    expect(q.windows('http_reqs', { tags: { error_code: '1212' } }).reduce((a, w) => a + w.sum, 0)).toBeGreaterThan(0);
    // through the CLI: exit 3
    expect(await main(['node', 'capacity-test', 'run', file, '--quiet', '--env', `TARGET=http://127.0.0.1:${port}`, '--out', mkdtempSync(join(tmpdir(), 'ct-refused-'))])).toBe(3);
  });

  it('never prints the p95 of requests without an expected response as the latency: it says which requests it shows', async () => {
    const server = await startServer(0, (h) => createServer((req, res) => { res.statusCode = 503; h!(req, res); }));
    const file = writeScenario(`
      export const options = { scenarios: { a: { executor: 'per-vu-iterations', vus: 1, iterations: 10 } } };
      export default async function (vu) { await vu.http.get(vu.env.TARGET + '/busy'); }`, 'all-503.js');
    const result = await runEngine({ scenarioFile: file, env: { TARGET: `http://127.0.0.1:${server.port}` }, workers: 1 });
    const line = headline(result);
    expect(line).not.toMatch(/p95 \d/);
    expect(line).toContain('p95 – (no response with an expected status)');
    expect(line).toContain('failed 100.00%');
  });

  it('charges schedule lag to the second the arrival was due: a generator frozen in second 3 shows its lag in second 3', async () => {
    const server = await startServer(0);
    const file = writeScenario(`
      export const options = { scenarios: { a: { executor: 'constant-arrival-rate', rate: 20, timeUnit: '1s', duration: '6s', preAllocatedVUs: 5, maxVUs: 20 } } };
      export default async function (vu) {
        // arrival 60 is due at 3.0 s: it freezes the worker's thread for 1.5 s
        if (vu.iterationInTest === 60) { const end = Date.now() + 1500; while (Date.now() < end) { /* frozen */ } }
        await vu.http.get(vu.env.TARGET + '/f', { responseType: 'none' });
      }`, 'frozen.js');
    const result = await runEngine({ scenarioFile: file, env: { TARGET: `http://127.0.0.1:${server.port}` }, workers: 1 });
    const q = new MetricsQuery(result.windows);
    const lagMax = (t: number) => statistic(q.aggregate('schedule_lag', { from: t, to: t + 1 }), 'max') ?? 0;
    // arrivals due at 3.05 … 3.95 s started when the thread came back, at 4.5 s: up to ~1.45 s late
    expect(lagMax(3)).toBeGreaterThan(1000);
    expect(result.saturatedSeconds).toContain(3);
    // every due arrival of second 3 is counted in second 3
    expect(q.windows('schedule_lag', { from: 3, to: 4 }).reduce((a, w) => a + w.count, 0)).toBe(20);
    expect(statistic(q.aggregate('planned_iterations', { from: 3, to: 4 }), 'count')).toBe(20);
  });
});
