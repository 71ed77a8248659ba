import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { buildReportFromRunDir } from '../../../src/report/index.js';
import { UsageError } from '../../../src/contracts/errors.js';
import { buildSummary } from '../../../src/assess/index.js';
import { makeRun, writeRunDir } from '../../helpers/report-fixture.js';

let root: string;
beforeAll(() => { root = mkdtempSync(join(tmpdir(), 'ct-formats-')); });
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('run directories in either metrics format', () => {
  it('report a directory written before metrics format v2 (HDR base64 windows) exactly as its v2 twin', async () => {
    const f = makeRun({ seconds: 45, thresholds: { 'http_req_duration{name:POST /api/v1/orders}': ['p(95)<900'], http_req_failed: ['rate<0.05'] } });
    const v1 = writeRunDir(join(root, 'v1'), f, { format: 1 });
    const v2 = writeRunDir(join(root, 'v2'), f);
    const v1Lines = gunzipSync(readFileSync(join(v1, 'metrics/windows.jsonl.gz'))).toString('utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(v1Lines.every((w) => typeof w.metric === 'string' && !('buckets' in w))).toBe(true);
    expect(v1Lines.some((w) => typeof w.hdr === 'string')).toBe(true);
    const a = await buildReportFromRunDir(v1, { png: false, generatedAt: '2026-01-01T00:00:00Z' });
    const b = await buildReportFromRunDir(v2, { png: false, generatedAt: '2026-01-01T00:00:00Z' });
    expect(a.summary).toEqual(b.summary);
    expect(a.summary).toEqual(buildSummary({ ...f, generatedAt: '2026-01-01T00:00:00Z' }));
    expect(readFileSync(a.reportPath, 'utf8')).toBe(readFileSync(b.reportPath, 'utf8'));
  });

  it('refuse a metrics file that is not gzip, or cut short, as bad input naming it', async () => {
    const f = makeRun({ seconds: 20 });
    const bad = writeRunDir(join(root, 'bad'), f);
    const file = join(bad, 'metrics/windows.jsonl.gz');
    const whole = readFileSync(file);
    writeFileSync(file, whole.subarray(0, Math.floor(whole.length / 2)));
    await expect(buildReportFromRunDir(bad, { png: false })).rejects.toThrow(UsageError);
    await expect(buildReportFromRunDir(bad, { png: false })).rejects.toThrow(/invalid .*windows\.jsonl\.gz: expected gzip JSON lines/);
    writeFileSync(file, 'not gzip');
    await expect(buildReportFromRunDir(bad, { png: false })).rejects.toThrow(/invalid .*windows\.jsonl\.gz: expected gzip JSON lines/);
  });
});
