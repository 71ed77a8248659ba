/**
 * `capacity-test k6 run --out json=FILE` writes k6's JSON lines; read back by `report` they give a run
 * directory whose counts are the counting server's: a round trip through k6's documented format.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { cliInProcess } from '../helpers/cli-in-process.js';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeWriteRequest, type TimeSeries } from '../../src/live/remote-write/wire.js';
import { startK6Server, type K6Server } from '../integration/k6/k6-server.js';

const BIN = join(import.meta.dirname, '../../bin/capacity-test.js');
const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'k6');
let server: K6Server | undefined;
afterEach(async () => { await server?.close(); server = undefined; });

function k6(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [BIN, 'k6', 'run', '--workers', '1', '-q', '--no-summary', ...args], { encoding: 'utf8', timeout: 90_000, env: { ...process.env, ...env } }, (err, stdout, stderr) => {
      done({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

const report = async (...args: string[]) => (await cliInProcess('report', ...args)).code;

interface Line { type: string; metric: string; data: { type?: string; thresholds?: string[]; submetrics?: Array<{ name: string; thresholds: string[] }> | null; time?: string; value?: number; tags?: Record<string, string> } }

const tmp = () => mkdtempSync(join(tmpdir(), 'ct-k6-json-out-'));

describe('k6 run --out json', () => {
  it('writes k6\'s JSON lines (gzip for .gz): a Metric line with its thresholds before each metric\'s points, points in time order', async () => {
    server = await startK6Server();
    const dir = tmp();
    const file = join(dir, 'out.json.gz');
    const r = await k6([join(FIXTURES, '18-thresholds.js'), '-e', `BASE=${server.url}`, '--out', `json=${file}`, '--run-dir', join(dir, 'run')]);
    expect(r.code, r.stderr).toBe(99);
    const lines = gunzipSync(readFileSync(file)).toString('utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as Line);
    const declared = new Set<string>();
    let last = -Infinity;
    for (const l of lines) {
      if (l.type === 'Metric') { declared.add(l.metric); continue; }
      expect(l.type).toBe('Point');
      expect(declared.has(l.metric), `${l.metric} declared before its first point`).toBe(true);
      const at = Date.parse(l.data.time!);
      expect(at).toBeGreaterThanOrEqual(last);
      last = at;
    }
    const metric = (name: string) => lines.find((l) => l.type === 'Metric' && l.metric === name)!;
    expect(metric('http_req_failed').data).toMatchObject({ type: 'rate', thresholds: ['rate<0.1'] });
    expect(metric('http_reqs').data).toMatchObject({ type: 'counter', thresholds: ['count>=8'] });
    expect(metric('http_req_duration').data).toMatchObject({ type: 'trend', contains: 'time' });
    expect(metric('http_req_duration').data.submetrics).toMatchObject([{ name: 'http_req_duration{expected_response:true}', thresholds: ['max<60000'] }]);
    const reqs = lines.filter((l) => l.type === 'Point' && l.metric === 'http_reqs');
    expect(reqs.reduce((n, l) => n + l.data.value!, 0)).toBe(server.paths('/status/').length);
    expect(reqs.filter((l) => l.data.tags!.status === '500')).toHaveLength(4);
  });

  it('round trip: a corpus script\'s --out json read by report gives the counting server\'s counts and the run\'s own figures', async () => {
    server = await startK6Server();
    const dir = tmp();
    const file = join(dir, 'out.json');
    const r = await k6([join(FIXTURES, '11-batch.js'), '-e', `BASE=${server.url}`, '--out', `json=${file}`, '--run-dir', join(dir, 'run')]);
    expect(r.code, r.stderr).toBe(0);
    expect(await report(file, '--out', join(dir, 'from-k6'), '--no-png')).toBe(0);
    const fromK6 = JSON.parse(readFileSync(join(dir, 'from-k6', 'summary.json'), 'utf8'));
    const ours = JSON.parse(readFileSync(join(dir, 'run', 'summary.json'), 'utf8'));
    expect(fromK6.overall.requests).toBe(server.seen.length);
    expect(fromK6.endpoints['batch-post'].requests).toBe(server.count('/echo'));
    // the same figures as the run's own directory, endpoint by endpoint
    for (const [name, e] of Object.entries(ours.endpoints as Record<string, { requests: number; errorRate: number | null; latencyMs: { p95: number | null } }>)) {
      expect(fromK6.endpoints[name].requests, name).toBe(e.requests);
      expect(fromK6.endpoints[name].errorRate, name).toBe(e.errorRate);
      expect(fromK6.endpoints[name].latencyMs.p95, name).toBe(e.latencyMs.p95);
    }
    // our own generator figures travel in the file too (a k6 reader ignores them): not marked "not recorded"
    const runInfo = JSON.parse(readFileSync(join(dir, 'from-k6', 'run.json'), 'utf8'));
    expect(runInfo.extra.notRecorded).not.toContain('generator_event_loop_lag');
  });

  it('with 2 worker threads the file holds one vus gauge, every thread\'s VUs added, and every request once', async () => {
    server = await startK6Server();
    const dir = tmp();
    const file = join(dir, 'w2.json');
    const r = await k6([join(FIXTURES, '01-get-check.js'), '-u', '4', '-d', '2s', '--workers', '2', '-e', `BASE=${server.url}`, '--out', `json=${file}`, '--run-dir', join(dir, 'run')]);
    expect(r.code, r.stderr).toBe(0);
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as Line);
    const vus = lines.filter((l) => l.type === 'Point' && l.metric === 'vus');
    expect(vus.length).toBeGreaterThan(0);
    expect(Math.max(...vus.map((l) => l.data.value!))).toBe(4);
    expect(lines.filter((l) => l.type === 'Point' && l.metric === 'http_reqs').length).toBe(server.count('/json'));
  });

  it('two runners (--execution-segment) each --out json, merged: one verdict on the whole test, counts the server\'s', async () => {
    server = await startK6Server();
    const dir = tmp();
    // -u 2: a VU for each share (a share without a VU runs nothing)
    const runner = (seg: string, k: number) => k6([join(FIXTURES, '18-thresholds.js'), '-u', '2', '-i', '4', '-e', `BASE=${server!.url}`, '--execution-segment', seg,
      '--out', `json=${join(dir, `r${k}.json`)}`, '--run-dir', join(dir, `run${k}`)]);
    const [a, b] = await Promise.all([runner('0:1/2', 1), runner('1/2:1', 2)]);
    expect([a.code, b.code], a.stderr + b.stderr).toEqual([99, 99]);
    const out = await cliInProcess('merge', join(dir, 'r1.json'), join(dir, 'r2.json'), '--out', join(dir, 'merged'));
    expect(out.code, out.stderr + out.stdout).toBe(1);
    const merged = JSON.parse(readFileSync(join(dir, 'merged', 'summary.json'), 'utf8'));
    expect(merged.overall.requests).toBe(server.paths('/status/').length);
    // count>=8 fails on each runner's 4 requests and passes on the whole; rate<0.1 fails on both
    const verdict = Object.fromEntries(merged.thresholds.checks.map((c: { name: string; threshold: string; pass: boolean }) => [`${c.name}: ${c.threshold}`, c.pass]));
    expect(verdict).toMatchObject({ 'http_reqs: count>=8': true, 'http_req_failed: rate<0.1': false });
    for (const k of [1, 2]) {
      const one = JSON.parse(readFileSync(join(dir, `run${k}`, 'summary.json'), 'utf8'));
      expect(one.thresholds.checks.find((c: { threshold: string }) => c.threshold === 'count>=8').pass).toBe(false);
    }
  });

  it('--out experimental-prometheus-rw sends to K6_PROMETHEUS_RW_SERVER_URL with its settings: k6_http_reqs_total adds up to the server\'s count', async () => {
    server = await startK6Server();
    const got: Array<{ headers: IncomingHttpHeaders; series: TimeSeries[] }> = [];
    const rx = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => { got.push({ headers: req.headers, series: decodeWriteRequest(Buffer.concat(chunks)) }); res.statusCode = 204; res.end(); });
    });
    await new Promise<void>((r) => rx.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(rx.address() as AddressInfo).port}/api/v1/write`;
      const dir = tmp();
      const r = await k6([join(FIXTURES, '18-thresholds.js'), '-e', `BASE=${server.url}`, '--out', 'experimental-prometheus-rw', '--run-dir', join(dir, 'run')],
        { K6_PROMETHEUS_RW_SERVER_URL: url, K6_PROMETHEUS_RW_BEARER_TOKEN: 'tok', K6_PROMETHEUS_RW_LABELS: 'team=ops' });
      expect(r.code, r.stderr).toBe(99);
      expect(r.stderr).toMatch(/remote write: \d+ samples in \d+ requests to http:\/\/127\.0\.0\.1:\d+\/api\/v1\/write; nothing dropped/);
      expect(got.length).toBeGreaterThan(0);
      expect(got[0].headers.authorization).toBe('Bearer tok');
      // a counter goes as its running total: the last value of each label set, added up
      const last = new Map<string, number>();
      for (const g of got) for (const ts of g.series) {
        const labels = Object.fromEntries(ts.labels.map((l) => [l.name, l.value]));
        if (labels.__name__ !== 'k6_http_reqs_total') continue;
        expect(labels.team).toBe('ops');
        const key = JSON.stringify(labels);
        for (const smp of ts.samples) last.set(key, Math.max(last.get(key) ?? 0, smp.value));
      }
      expect([...last.values()].reduce((a, b) => a + b, 0)).toBe(server.paths('/status/').length);
    } finally {
      await new Promise((r) => rx.close(r));
    }
  });

  it('--out with anything else is refused as k6 refuses a bad flag (104)', async () => {
    const r = await k6([join(FIXTURES, '18-thresholds.js'), '--out', 'influxdb=http://x']);
    expect(r.code).toBe(104);
    expect(r.stderr).toContain('expected json=FILE');
  });
});
