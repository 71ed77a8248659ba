import { afterEach, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runScenarioToDir } from '../../../src/run/run-scenario.js';
import { evaluateThresholds, parseThresholds } from '../../../src/thresholds/index.js';
import { decodeWindows, MetricsQuery, statistic } from '../../../src/metrics/index.js';
import { startCountingServer, writeScenario, type CountingServer } from '../engine/helpers.js';

let server: CountingServer | undefined;
afterEach(async () => { await server?.close(); server = undefined; });

const BIN = join(__dirname, '../../../bin/capacity-test.js');

/** A 60-second CLI run against `url`, handed back once it has written `seconds` seconds to its log. */
async function cliRunWithSecondsWritten(url: string, name: string, seconds = 3) {
  const file = writeScenario(`
    import { sleep } from 'capacity-test';
    export const options = { scenarios: { a: { executor: 'constant-vus', vus: 2, duration: '60s' } } };
    export default async function (vu) { await vu.http.get(vu.env.TARGET + '/x'); await sleep(0.02); }`, `${name}.js`);
  const outDir = mkdtempSync(join(tmpdir(), `ct-${name}-`));
  const child = spawn(process.execPath, [BIN, 'run', file, '--quiet', '--workers', '1', '--out', outDir, '--env', `TARGET=${url}`], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
  const exited = new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
  const log = join(outDir, 'metrics/windows.partial.jsonl');
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline && !(existsSync(log) && readFileSync(log, 'utf8').split('\n').filter((l) => l.startsWith('[')).length >= seconds)) {
    await new Promise((r) => setTimeout(r, 200));
  }
  return { child, outDir, exited, stderr: () => stderr };
}

describe('a run writes its windows to the run directory as they come', () => {
  it('keeps no window in memory, and its thresholds and headline totals equal those of the written windows', async () => {
    server = await startCountingServer((req, res) => { setTimeout(() => res.end('ok'), req.url?.includes('slow') ? 15 : 1); });
    const file = writeScenario(`
      export const options = {
        scenarios: { s: { executor: 'constant-arrival-rate', rate: 40, timeUnit: '1s', duration: '2s', preAllocatedVUs: 5, maxVUs: 20 } },
        thresholds: { http_req_duration: ['p(95)<1000', 'max<0.5'], 'http_req_duration{name:slow}': ['p(50)<1000'], http_req_failed: ['rate<0.5'], http_reqs: ['count>10'] },
      };
      export default async function (vu) {
        await vu.http.get(vu.env.TARGET + (vu.iterationInTest % 2 ? '/slow' : '/fast'), vu.iterationInTest % 2 ? { tags: { name: 'slow' } } : undefined);
      }`, 'streamed.js');
    const outDir = mkdtempSync(join(tmpdir(), 'ct-stream-'));
    const { runDir, result } = await runScenarioToDir({ scenarioFile: file, env: { TARGET: server.url }, workers: 2, outDir, command: 'test' });
    expect(result.windows).toEqual([]);
    expect(existsSync(join(runDir, 'metrics/windows.partial.jsonl'))).toBe(false);
    const q = new MetricsQuery(decodeWindows(readFileSync(join(runDir, 'metrics/windows.jsonl.gz'))));
    expect(statistic(q.aggregate('http_reqs'), 'count')).toBe(server.count());
    expect(statistic(result.totals.aggregate('http_reqs'), 'count')).toBe(server.count());
    for (const p of ['p(50)', 'p(95)', 'p(99)', 'max', 'avg'] as const) {
      expect(statistic(result.totals.aggregate('http_req_duration', { tags: { name: 'slow' } }), p)).toBe(statistic(q.aggregate('http_req_duration', { tags: { name: 'slow' } }), p));
    }
    const defs = parseThresholds(result.options.thresholds as never);
    const fromFile = evaluateThresholds(defs, q);
    expect(result.thresholds.checks).toEqual(fromFile.checks.map((c) => ({ name: c.name, threshold: c.threshold, value: c.value, pass: c.pass })));
    expect(result.thresholds.pass).toBe(false); // max<0.5 ms fails: the checks are real
  });

  it('marks a run that failed after its start as aborted, with the reason and an end, in run.json', async () => {
    server = await startCountingServer();
    const file = writeScenario(`
      export const options = { scenarios: { a: { executor: 'constant-vus', vus: 1, duration: '2s' } } };
      export default async function (vu) { await vu.http.get(vu.env.TARGET + '/x'); }`, 'fails-midway.js');
    const outDir = mkdtempSync(join(tmpdir(), 'ct-fails-'));
    const run = runScenarioToDir({
      scenarioFile: file, env: { TARGET: server.url }, workers: 1, outDir, command: 'test',
      onStart: () => { throw new Error('the disk is full'); },
    });
    await expect(run).rejects.toThrow('the disk is full');
    const info = JSON.parse(readFileSync(join(outDir, 'run.json'), 'utf8'));
    expect(info).toMatchObject({ aborted: true, abortReason: 'the run failed: the disk is full' });
    expect(typeof info.endedAt).toBe('string');
    expect(existsSync(join(outDir, 'metrics/windows.jsonl.gz'))).toBe(true);
  });

  it('keeps every finished second when a second Ctrl-C ends the process at once (exit 4)', async () => {
    server = await startCountingServer();
    const { child, outDir, exited, stderr } = await cliRunWithSecondsWritten(server.url, 'ctrl-c');
    child.kill('SIGINT');
    await new Promise((r) => setTimeout(r, 100));
    child.kill('SIGINT');
    expect(await exited, stderr()).toBe(4);
    expect(existsSync(join(outDir, 'metrics/windows.partial.jsonl'))).toBe(false);
    const q = new MetricsQuery(decodeWindows(readFileSync(join(outDir, 'metrics/windows.jsonl.gz'))));
    const written = statistic(q.aggregate('http_reqs'), 'count')!;
    // every second finished before the interrupt is there; the requests of the cut-off second may not be
    expect(written).toBeGreaterThan(0);
    expect(written).toBeLessThanOrEqual(server.count());
    expect(JSON.parse(readFileSync(join(outDir, 'run.json'), 'utf8'))).toMatchObject({ aborted: true });
  });

  it('reports a run whose process was killed (kill -9) from the seconds it had written, and says the run never finished', async () => {
    server = await startCountingServer();
    const { child, outDir, exited } = await cliRunWithSecondsWritten(server.url, 'killed');
    child.kill('SIGKILL');
    await exited;
    expect(existsSync(join(outDir, 'metrics/windows.jsonl.gz'))).toBe(false);
    const report = spawnSync(process.execPath, [BIN, 'report', outDir], { encoding: 'utf8', timeout: 120_000 });
    expect(report.status, report.stderr).toBe(0);
    const summary = JSON.parse(readFileSync(join(outDir, 'summary.json'), 'utf8'));
    expect(summary.overall.requests).toBeGreaterThan(0);
    expect(summary.overall.requests).toBeLessThanOrEqual(server.count());
    expect(summary.run.endedAt).toBeNull();
    expect(readFileSync(join(outDir, 'report.html'), 'utf8')).toContain('The process running the test ended before the test did');
  });
});
