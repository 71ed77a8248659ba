import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runEngine } from '../../../src/engine/index.js';
import { runScenarioToDir } from '../../../src/run/run-scenario.js';
import { exitCodeOfRun } from '../../../src/cli/run.js';
import { main } from '../../../src/cli/main.js';
import { UsageError } from '../../../src/contracts/errors.js';
import { decodeWindows, MetricsQuery } from '../../../src/metrics/index.js';
import { startCountingServer, writeScenario, type CountingServer } from './helpers.js';

let server: CountingServer | undefined;
afterEach(async () => { await server?.close(); server = undefined; });

const sum = (q: MetricsQuery, metric: string) => q.windows(metric).reduce((a, w) => a + w.sum, 0);

describe('bad scenarios and errors', () => {
  it('refuses a syntax error naming the file and line (usage, exit 2)', async () => {
    const file = writeScenario(`export const options = {};\nexport default function () {\n  const x = ;\n}\n`, 'broken.ts');
    const err = await runEngine({ scenarioFile: file, env: {}, workers: 1 }).catch((e) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect(err.message).toMatch(/broken\.ts:3:\d+/);
  });

  it('refuses a missing exec and an unknown option, naming them', async () => {
    const missing = writeScenario(`export const options = { scenarios: { a: { executor: 'constant-vus', duration: '1s', exec: 'citizen' } } };\nexport default function () {}`, 'noexec.js');
    await expect(runEngine({ scenarioFile: missing, env: {}, workers: 1 })).rejects.toThrow(/exec of scenario "a".*"citizen"/);
    const unknown = writeScenario(`export const options = { scenarios: { a: { executor: 'constant-vus', duration: '1s', rampUp: 3 } } };\nexport default function () {}`, 'unknown.js');
    await expect(runEngine({ scenarioFile: unknown, env: {}, workers: 1 })).rejects.toThrow(/"rampUp" is not an option/);
  });

  it('counts a throwing iteration with its message and source line, and the run goes on', async () => {
    server = await startCountingServer();
    const file = writeScenario([
      `export const options = { scenarios: { a: { executor: 'per-vu-iterations', vus: 1, iterations: 6 } } };`,
      `export default async function (vu: { iteration: number; env: Record<string, string>; http: any }) {`,
      `  await vu.http.get(vu.env.TARGET + '/x');`,
      `  if (vu.iteration % 2 === 1) throw new Error('odd iteration');`,
      `}`,
    ].join('\n'), 'throws.ts');
    const result = await runEngine({ scenarioFile: file, env: { TARGET: server.url }, workers: 1 });
    expect(server.count()).toBe(6);
    expect(result.iterationErrors).toHaveLength(1);
    expect(result.iterationErrors[0]).toMatchObject({ message: 'odd iteration', count: 3 });
    expect(result.iterationErrors[0].location).toMatch(/throws\.ts:4$/);
  });

  it('counts errors thrown outside the awaited path (timers, unhandled rejections) without losing the worker', async () => {
    server = await startCountingServer();
    const file = writeScenario(`
      export const options = { scenarios: { a: { executor: 'per-vu-iterations', vus: 1, iterations: 3 } } };
      export default async function (vu) {
        setTimeout(() => { throw new Error('timer boom'); }, 1);
        Promise.reject(new Error('unhandled boom'));
        await vu.http.get(vu.env.TARGET + '/x');
        await new Promise((r) => setTimeout(r, 20));
      }`, 'async-throw.js');
    const result = await runEngine({ scenarioFile: file, env: { TARGET: server.url }, workers: 1 });
    expect(server.count()).toBe(3);
    expect(sum(new MetricsQuery(result.windows), 'iterations')).toBe(3);
    expect(result.iterationErrors.map((e) => [e.message, e.count]).sort()).toEqual([['timer boom', 3], ['unhandled boom', 3]]);
  });

  it('aborts on an abortOnFail threshold, keeps partial results and exits 4 (the run aborted)', async () => {
    server = await startCountingServer((_req, res) => { res.statusCode = 500; res.end('no'); });
    const file = writeScenario(`
      export const options = {
        scenarios: { a: { executor: 'constant-arrival-rate', rate: 20, timeUnit: '1s', duration: '20s', preAllocatedVUs: 5 } },
        thresholds: { http_req_failed: [{ threshold: 'rate<0.01', abortOnFail: true }] },
      };
      export default async function (vu) { await vu.http.get(vu.env.TARGET + '/fail'); }`, 'abort.js');
    const outDir = mkdtempSync(join(tmpdir(), 'ct-run-'));
    const { result, runDir } = await runScenarioToDir({ scenarioFile: file, env: { TARGET: server.url }, workers: 1, outDir, command: 'test' });
    expect(result.aborted).toBe(true);
    expect(result.abortReason).toMatch(/http_req_failed/);
    expect(result.endedAtMs - result.startedAtMs).toBeLessThan(10_000);
    expect(result.abortCause).toBe('threshold');
    expect(exitCodeOfRun(result, false)).toBe(4);
    const q = new MetricsQuery(decodeWindows(readFileSync(join(runDir, 'metrics/windows.jsonl.gz'))));
    expect(sum(q, 'http_reqs')).toBe(server.count());
    expect(JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8'))).toMatchObject({ aborted: true });
  });

  it('stops gracefully on an abort signal (Ctrl-C) and keeps what was measured (exit 4)', async () => {
    server = await startCountingServer();
    const file = writeScenario(`
      import { sleep } from 'capacity-test';
      export const options = { scenarios: { a: { executor: 'constant-vus', vus: 2, duration: '30s' } } };
      export default async function (vu) { await vu.http.get(vu.env.TARGET + '/x'); await sleep(0.05); }`, 'sigint.js');
    const controller = new AbortController();
    setTimeout(() => controller.abort('interrupted (Ctrl-C)'), 2500);
    const result = await runEngine({ scenarioFile: file, env: { TARGET: server.url }, workers: 1, signal: controller.signal });
    expect(result.aborted).toBe(true);
    expect(result.endedAtMs - result.startedAtMs).toBeLessThan(8000);
    expect(sum(new MetricsQuery(result.windows), 'http_reqs')).toBe(server.count());
    expect(exitCodeOfRun(result, true)).toBe(4);
  });
});

describe('run command exit codes', () => {
  it('exits 3 with one line when the target is unreachable in setup()', async () => {
    const file = writeScenario(`
      export const options = { vus: 1, duration: '1s' };
      export async function setup(vu) {
        const r = await vu.http.get(vu.env.TARGET + '/healthz', { timeout: '2s' });
        if (r.status !== 200) throw new Error('target is down: ' + r.error);
      }
      export default function () {}`, 'down.js');
    const out = mkdtempSync(join(tmpdir(), 'ct-run-'));
    const code = await main(['node', 'capacity-test', 'run', file, '--quiet', '--env', 'TARGET=http://127.0.0.1:9', '--out', out]);
    expect(code).toBe(3);
  });

  it('exits 2 naming a bad flag value', async () => {
    const file = writeScenario(`export default function () {}`, 'ok.js');
    expect(await main(['node', 'capacity-test', 'run', file, '--segment', '3/2'])).toBe(2);
    expect(await main(['node', 'capacity-test', 'run', file, '--env', 'NOEQUALS'])).toBe(2);
    expect(existsSync(file)).toBe(true);
  });
});

describe('network failures are responses, never exceptions', () => {
  it('turns a timeout and a refused connection into status 0 with an error, counted as failed', async () => {
    server = await startCountingServer(() => { /* never answers */ });
    const file = writeScenario(`
      import { check } from 'capacity-test';
      export const options = { scenarios: { a: { executor: 'per-vu-iterations', vus: 1, iterations: 1 } } };
      export default async function (vu) {
        const slow = await vu.http.get(vu.env.TARGET + '/slow', { timeout: '300ms', tags: { name: 'slow' } });
        const refused = await vu.http.get('http://127.0.0.1:9/', { tags: { name: 'refused' } });
        check(slow, { 'timed out': (r) => r.status === 0 && /TIMEOUT/.test(r.error) && r.timings.duration >= 250 });
        check(refused, { 'refused': (r) => r.status === 0 && /ECONNREFUSED/.test(r.error) });
      }`, 'neterr.js');
    const result = await runEngine({ scenarioFile: file, env: { TARGET: server.url }, workers: 1 });
    const q = new MetricsQuery(result.windows);
    expect(result.iterationErrors).toEqual([]);
    expect(q.windows('checks').every((w) => w.sum === w.count)).toBe(true);
    expect(q.windows('checks').length).toBe(2);
    expect(sum(q, 'http_req_failed')).toBe(2);
    expect(q.windows('http_reqs', { tags: { status: '0' } }).length).toBe(2);
  });
});
