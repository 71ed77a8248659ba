import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeWindows, type EncodedWindow } from '../../src/metrics/index.js';
import { startCountingServer, writeScenario, type CountingServer } from '../integration/engine/helpers.js';
import { startPrometheus, type PrometheusServer } from '../helpers/prometheus.js';
import { startCli } from '../helpers/cli-async.js';

// two endpoints, one answering 503 to every third request: labels name, method, status and scenario differ
const SCENARIO = `
  export const options = {
    scenarios: { shoppers: { executor: 'constant-arrival-rate', rate: 30, timeUnit: '1s', duration: '4s', preAllocatedVUs: 5, maxVUs: 20 } },
  };
  export default async function (vu) {
    await vu.http.get(vu.env.TARGET + '/shops', { tags: { name: 'GET /shops' } });
    await vu.http.post(vu.env.TARGET + '/orders', { json: { n: 1 } }, { tags: { name: 'POST /orders' } });
  }`;

describe('--remote-write against a real Prometheus (remote write receiver on)', () => {
  let prom: PrometheusServer;
  let server: CountingServer;
  let out: string;
  let run: { code: number | null; stdout: string; stderr: string };
  let windows: EncodedWindow[];

  beforeAll(async () => {
    prom = await startPrometheus();
    let orders = 0;
    server = await startCountingServer((req, res) => {
      if (req.url?.startsWith('/orders') && ++orders % 3 === 0) { res.statusCode = 503; res.end('busy'); return; }
      res.setHeader('content-type', 'application/json'); res.end('{"ok":true}');
    });
    out = join(mkdtempSync(join(tmpdir(), 'ct-live-rw-')), 'run');
    const scenario = writeScenario(SCENARIO);
    run = await startCli(['run', scenario, '--quiet', '--workers', '1', '--env', `TARGET=${server.url}`,
      '--out', out, '--remote-write', prom.writeUrl], 90_000).done;
    windows = decodeWindows(readFileSync(join(out, 'metrics', 'windows.jsonl.gz')));
  }, 120_000);

  afterAll(async () => {
    await server?.close();
    await prom?.stop();
  });

  it('the run succeeds and says what it sent, with nothing dropped', () => {
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/remote write: \d+ samples in \d+ requests to http:\/\/127\.0\.0\.1:\d+\/api\/v1\/write; nothing dropped/);
  });

  it("Prometheus's count of k6_http_reqs_total equals the run's request count, overall and per label set", async () => {
    const runCount = windows.filter((w) => w.metric === 'http_reqs').reduce((n, w) => n + w.sum, 0);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(runCount).toBe(summary.overall.requests);
    expect(runCount).toBeGreaterThan(100);
    const total = await prom.query('sum(last_over_time(k6_http_reqs_total[1h]))');
    expect(Number(total[0].value[1])).toBe(runCount);

    const byLabels = await prom.query('last_over_time(k6_http_reqs_total[1h])');
    const expected = new Map<string, number>();
    for (const w of windows.filter((x) => x.metric === 'http_reqs')) {
      const key = `${w.tags.name} ${w.tags.method} ${w.tags.status} ${w.tags.scenario}`;
      expected.set(key, (expected.get(key) ?? 0) + w.sum);
    }
    const got = new Map(byLabels.map((s) => [`${s.metric.name} ${s.metric.method} ${s.metric.status} ${s.metric.scenario}`, Number(s.value[1])]));
    expect(got).toEqual(expected);
    expect([...got.keys()].sort()).toEqual(['GET /shops GET 200 shoppers', 'POST /orders POST 200 shoppers', 'POST /orders POST 503 shoppers']);
  });

  it('trends arrive as per-second p50/p95/p99 gauges in seconds, under k6 names', async () => {
    for (const stat of ['p50', 'p95', 'p99']) {
      const series = await prom.query(`count_over_time(k6_http_req_duration_${stat}{name="GET /shops"}[1h])`);
      expect(series.length, stat).toBe(1);
      // one sample per second that had a GET /shops answer
      const seconds = new Set(windows.filter((w) => w.metric === 'http_req_duration' && w.tags.name === 'GET /shops').map((w) => w.t));
      expect(Number(series[0].value[1]), stat).toBe(seconds.size);
    }
    const max = await prom.query('max_over_time(k6_http_req_duration_p99{name="GET /shops"}[1h])');
    const maxMs = Math.max(...windows.filter((w) => w.metric === 'http_req_duration' && w.tags.name === 'GET /shops').map((w) => w.max));
    // a p99 in seconds never above the run's slowest answer (HDR rounds up by at most 0.1%)
    expect(Number(max[0].value[1])).toBeLessThanOrEqual((maxMs / 1000) * 1.001);
    expect(Number(max[0].value[1])).toBeGreaterThan(0);
    const failed = await prom.query('max_over_time(k6_http_req_failed_rate{status="503"}[1h])');
    expect(Number(failed[0].value[1])).toBe(1);
    const vus = await prom.query('max_over_time(k6_vus[1h])');
    expect(vus.length).toBe(1);
  });

  it('a --remote-write that is not an http(s) URL exits 2 naming it, on run and on launch-day, before any load', async () => {
    for (const cmd of [['run', writeScenario(SCENARIO)], ['launch-day', '--quick']]) {
      const r = await startCli([...cmd, '--quiet', '--out', join(mkdtempSync(join(tmpdir(), 'ct-live-rw-bad-')), 'run'), '--remote-write', 'ftp://prom/write'], 30_000).done;
      expect(r.code, cmd[0]).toBe(2);
      expect(r.stderr, cmd[0]).toMatch(/--remote-write.*ftp:\/\/prom\/write/);
    }
  });
});
