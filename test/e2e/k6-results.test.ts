/**
 * `report`, `merge` and `gate` given k6 `--out json` files (written here from listed samples): the
 * run directory, the report, exit codes of docs/contracts.md (1 a failed threshold or gate, 2 bad input
 * naming the line).
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { cliInProcess } from '../helpers/cli-in-process.js';
import { A_MS, B_MS, k6Lines, samples } from '../helpers/k6-ndjson.js';

const cli = cliInProcess;

const tmp = () => mkdtempSync(join(tmpdir(), 'ct-k6-results-'));
const slower = (ms: readonly number[]) => ms.map((v) => v * 3);

describe('k6 results in report, merge and gate', () => {
  it('report FILE.gz --out DIR writes the run directory and its report, saying what k6 does not record', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'k6.gz'), gzipSync(k6Lines(samples(A_MS, B_MS))));
    const r = await cli('report', join(dir, 'k6.gz'), '--out', join(dir, 'run'), '--no-png');
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('not recorded by k6, left empty in the report: schedule_lag, planned_iterations, generator_cpu, generator_event_loop_lag');
    const summary = JSON.parse(readFileSync(join(dir, 'run', 'summary.json'), 'utf8'));
    expect(summary.overall.requests).toBe(30);
    expect(Object.keys(summary.endpoints).sort()).toEqual(['GET /a', 'POST /b']);
    expect(readFileSync(join(dir, 'run', 'report.html'), 'utf8')).toContain('k6 --out json');
  });

  it('merge of two runners\' files: one threshold verdict on the whole (exit 1 when it fails)', async () => {
    const dir = tmp();
    const th = { http_req_duration: ['p(95)<280'] };
    writeFileSync(join(dir, 'r1.json'), k6Lines(samples(A_MS.slice(0, 10), B_MS.slice(0, 5)), th));
    writeFileSync(join(dir, 'r2.json'), k6Lines(samples(A_MS.slice(10), B_MS.slice(5)), th));
    // r1 alone passes (its p95 is 250.8 ms); the whole test's p95 is 300.2 ms: one verdict, on every sample
    const r = await cli('merge', join(dir, 'r1.json'), join(dir, 'r2.json'), '--out', join(dir, 'merged'));
    expect(r.stdout).toContain('merged 2 k6 results file(s)');
    expect(r.stdout).toContain('thresholds: FAILED');
    expect(r.code).toBe(1);
    const summary = JSON.parse(readFileSync(join(dir, 'merged', 'summary.json'), 'utf8'));
    expect(summary.overall.requests).toBe(30);
    expect(summary.thresholds.pass).toBe(false);
  });

  it('gate compares two k6 results files: a slower current run is a regression (exit 1); the same run passes', async () => {
    const dir = tmp();
    // enough requests for the gate to judge (its default minimum is 30 per endpoint)
    const many = (ms: readonly number[]) => Array.from({ length: 4 }, () => ms).flat();
    writeFileSync(join(dir, 'base.json'), k6Lines(samples(many(A_MS), many(B_MS))));
    writeFileSync(join(dir, 'slow.json'), k6Lines(samples(slower(many(A_MS)), slower(many(B_MS)))));
    const same = await cli('gate', '--baseline', join(dir, 'base.json'), '--current', join(dir, 'base.json'));
    expect(same.code).toBe(0);
    const slow = await cli('gate', '--baseline', join(dir, 'base.json'), '--current', join(dir, 'slow.json'));
    expect(slow.code).toBe(1);
    expect(slow.stdout).toMatch(/p95/);
  });

  it('a malformed line: exit 2, the message names the file and the line', async () => {
    const dir = tmp();
    const lines = k6Lines(samples(A_MS, B_MS)).trimEnd().split('\n');
    lines[11] = lines[11].replace(/"value":[^,]+/, '"value":"fast"');
    writeFileSync(join(dir, 'bad.json'), lines.join('\n') + '\n');
    const r = await cli('report', join(dir, 'bad.json'), '--out', join(dir, 'run'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`invalid k6 results ${join(dir, 'bad.json')}: line 12: expected data.value a number, got "fast"`);
    expect(existsSync(join(dir, 'run', 'run.json'))).toBe(false);
  });

  it('an empty file (a runner whose share had nothing to run) merges as a runner with no samples', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'r1.json'), k6Lines(samples(A_MS, B_MS)));
    writeFileSync(join(dir, 'r2.json'), '');
    const r = await cli('merge', join(dir, 'r1.json'), join(dir, 'r2.json'), '--out', join(dir, 'm'));
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'm', 'summary.json'), 'utf8')).overall.requests).toBe(30);
  });

  it('k6 files and run directories are not mixed in one merge (exit 2)', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'k6.json'), k6Lines(samples(A_MS, B_MS)));
    const r = await cli('merge', join(dir, 'k6.json'), dir, '--out', join(dir, 'm'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('expected k6 results files like the others');
  });
});
