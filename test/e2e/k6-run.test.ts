/**
 * `capacity-test k6 run`: k6's flags and exit codes, handleSummary's files and stdout, the summary
 * export and our run directory beside them, each checked against what the counting server saw.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startK6Server, type K6Server } from '../integration/k6/k6-server.js';

const BIN = join(import.meta.dirname, '../../bin/capacity-test.js');
const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'k6');
let server: K6Server | undefined;
afterEach(async () => { await server?.close(); server = undefined; });

function k6(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [BIN, 'k6', 'run', '--workers', '1', '-q', ...args], { encoding: 'utf8', timeout: 60_000 }, (err, stdout, stderr) => {
      done({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

const tmp = () => mkdtempSync(join(tmpdir(), 'ct-k6-run-'));

describe('capacity-test k6 run', () => {
  it('runs handleSummary with k6\'s data: its file holds the counts the server saw, its stdout is printed, no default summary', async () => {
    server = await startK6Server();
    const dir = tmp();
    const file = join(dir, 'summary.json');
    const r = await k6([join(FIXTURES, '25-handle-summary.js'), '-e', `BASE=${server.url}`, '-e', `SUMMARY_FILE=${file}`, '--run-dir', join(dir, 'run')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('handled: 6 requests');
    expect(r.stdout).not.toContain('█ TOTAL RESULTS');
    const data = JSON.parse(readFileSync(file, 'utf8'));
    expect(data.metrics.http_reqs).toMatchObject({ type: 'counter', values: { count: server.count('/json') } });
    expect(data.metrics.iterations.values.count).toBe(6);
    // k6's rate values: rate, passes, fails; the threshold's verdict under the metric
    expect(data.metrics.http_req_failed.values).toEqual({ rate: 0, passes: 0, fails: 6 });
    expect(data.metrics.http_req_failed.thresholds).toEqual({ 'rate<0.5': { ok: true } });
    expect(data.metrics.waits.type).toBe('trend');
    expect(Object.keys(data.metrics.waits.values)).toEqual(['avg', 'min', 'med', 'max', 'p(90)', 'p(95)']);
    expect(data.metrics.http_req_duration.contains).toBe('time');
    const browse = data.root_group.groups.find((g: { name: string }) => g.name === 'browse');
    expect(browse.path).toBe('::browse');
    expect(Object.fromEntries(browse.checks.map((c: { name: string; passes: number; fails: number }) => [c.name, [c.passes, c.fails]]))).toEqual({ 'status is 200': [6, 0], 'is teapot': [0, 6] });
    // our run directory beside: the report and k6's summary text
    expect(existsSync(join(dir, 'run', 'report.html'))).toBe(true);
    expect(readFileSync(join(dir, 'run', 'k6-summary.txt'), 'utf8')).toContain('✗ is teapot');
  });

  it('exits 99 when a threshold fails, printing k6\'s summary with ✓/✗, and writes --summary-export', async () => {
    server = await startK6Server();
    const dir = tmp();
    const r = await k6([join(FIXTURES, '18-thresholds.js'), '-e', `BASE=${server.url}`, '--summary-export', join(dir, 'export.json'), '--run-dir', join(dir, 'run')]);
    expect(r.code).toBe(99);
    expect(r.stdout).toContain("✗ 'rate<0.1' rate=50.00%");
    expect(r.stdout).toContain("✓ 'count>=8' count=8");
    expect(r.stdout).toMatch(/http_req_duration\.+: avg=\S+ +min=\S+ +med=\S+ +max=\S+ +p\(90\)=\S+ +p\(95\)=\S+/);
    const exp = JSON.parse(readFileSync(join(dir, 'export.json'), 'utf8'));
    expect(exp.metrics.http_reqs.count).toBe(8);
    expect(exp.metrics.http_req_failed).toMatchObject({ passes: 4, fails: 4, value: 0.5, thresholds: { 'rate<0.1': true } });
  });

  it('exits 108 on test.abort()', async () => {
    server = await startK6Server();
    const r = await k6([join(FIXTURES, '23-abort.js'), '-e', `BASE=${server.url}`, '--no-summary', '--run-dir', join(tmp(), 'run')]);
    expect(r.code).toBe(108);
    expect(r.stderr).toContain('test.abort(): the portal answered 500');
  });

  it('lays -i and -u over the script\'s options (k6\'s order): 3 iterations instead of the script\'s 6', async () => {
    server = await startK6Server();
    const dir = tmp();
    const file = join(dir, 's.json');
    const r = await k6([join(FIXTURES, '25-handle-summary.js'), '-i', '3', '-u', '1', '--tag', 'team=qa', '-e', `BASE=${server.url}`, '-e', `SUMMARY_FILE=${file}`, '--run-dir', join(dir, 'run')]);
    expect(r.code).toBe(0);
    expect(server.count('/json')).toBe(3);
  });

  it('exits 107 for a script error, with file and line, and 104 for a bad flag value', async () => {
    const dir = tmp();
    const bad = join(dir, 'bad.js');
    (await import('node:fs')).writeFileSync(bad, "import http from 'k6/http';\nimport { check } from 'k6';\nexport default function () {\n  check(1, { x: () => http.get('http://127.0.0.1:1').status === 200 });\n}\n");
    const r = await k6([bad, '--run-dir', join(dir, 'run')]);
    expect(r.code).toBe(107);
    expect(r.stderr).toMatch(/bad\.js:4:\d+: a check\(\) callback makes an HTTP request/);
    const f = await k6([bad, '--execution-segment', '0:2/5', '--run-dir', join(dir, 'run2')]);
    expect(f.code).toBe(104);
    expect(f.stderr).toContain('0:2/5');
  });
});
