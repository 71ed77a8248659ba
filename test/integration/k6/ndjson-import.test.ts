/**
 * k6's `--out json` results into a run directory (src/run/k6-results.ts): a fixture written in this test
 * from a list of samples set down here, in k6's documented format, read back through our reader and
 * report. Percentiles equal the samples' own within HDR precision; two runners' files read together
 * equal their union; gzip reads the same; a broken line is refused naming its number.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/contracts/errors.js';
import { decodeWindows, MetricsQuery, statistic, type EncodedWindow } from '../../../src/metrics/index.js';
import { buildReportFromRunDir } from '../../../src/report/index.js';
import { importK6Results, isK6ResultsFile } from '../../../src/run/k6-results.js';
import { A_MS, B_MS, k6Lines, samples } from '../../helpers/k6-ndjson.js';

/** The value at percentile p of a list, by rank (what an HDR histogram answers, to its precision). */
function exactPercentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

const tmp = () => mkdtempSync(join(tmpdir(), 'ct-k6-ndjson-'));
const windowsOf = (dir: string): EncodedWindow[] => decodeWindows(readFileSync(join(dir, 'metrics', 'windows.jsonl.gz')));

describe('k6 --out json results become a run directory', () => {
  it('report percentiles equal the samples\' percentiles within HDR precision, per name tag and overall', async () => {
    const dir = tmp();
    const file = join(dir, 'k6.json');
    writeFileSync(file, k6Lines(samples(A_MS, B_MS)));
    expect(await isK6ResultsFile(file)).toBe(true);
    await importK6Results([file], join(dir, 'run'));
    const { summary } = await buildReportFromRunDir(join(dir, 'run'), { png: false });
    const close = (ours: number | null, exact: number) => {
      expect(ours).not.toBeNull();
      // 3 significant digits, values recorded in µs
      expect(Math.abs(ours! - exact)).toBeLessThanOrEqual(exact * 0.001 + 0.001);
    };
    // the summary's latencies are of expected answers (k6's expected_response:true): the 500 is apart
    const aOk = A_MS.filter((_, i) => i !== 3);
    for (const p of [50, 90, 95, 99] as const) {
      close(summary.endpoints['GET /a'].latencyMs[`p${p}`], exactPercentile(aOk, p));
      close(summary.endpoints['POST /b'].latencyMs[`p${p}`], exactPercentile(B_MS, p));
      close(summary.overall.latencyMs[`p${p}`], exactPercentile([...aOk, ...B_MS], p));
    }
    close((summary.endpoints['GET /a'] as unknown as { unexpectedLatencyMs: { max: number } }).unexpectedLatencyMs.max, A_MS[3]);
    expect(summary.overall.requests).toBe(A_MS.length + B_MS.length);
    expect(summary.endpoints['GET /a'].errorRate).toBeCloseTo(1 / A_MS.length, 12);
    expect(summary.generator.droppedIterations).toBe(3);
    // k6 does not measure these: null, and said so in the report, never 0
    expect(summary.generator.scheduleLagP99Ms).toBeNull();
    expect(summary.generator.cpuPercentMax).toBeNull();
    expect(summary.timeline.every((p) => p.plannedArrivals === null)).toBe(true);
    const html = readFileSync(join(dir, 'run', 'report.html'), 'utf8');
    expect(html).toContain('not recorded by k6');
    const runInfo = JSON.parse(readFileSync(join(dir, 'run', 'run.json'), 'utf8'));
    expect(runInfo.extra.notRecorded).toEqual(['schedule_lag', 'planned_iterations', 'generator_cpu', 'generator_event_loop_lag']);
    // url and proto (per request) are left out of the series, as the engine records them
    const q = new MetricsQuery(windowsOf(join(dir, 'run')));
    expect(q.tagValues('http_reqs', 'url')).toEqual([]);
    expect(statistic(q.aggregate('checks', { tags: { check: 'status is 200' } }), 'rate')).toBeCloseTo(19 / 20, 12);
    // 20 GET /a at four a second: seconds 0..4 hold 4 each
    expect([0, 1, 2, 3, 4].map((t) => statistic(q.aggregate('http_reqs', { tags: { name: 'GET /a' }, from: t, to: t + 1 }), 'count'))).toEqual([4, 4, 4, 4, 4]);
  });

  it('thresholds of the Metric lines (and of submetrics) are evaluated again on the windows', async () => {
    const dir = tmp();
    const file = join(dir, 'k6.json');
    writeFileSync(file, k6Lines(samples(A_MS, B_MS), { http_req_duration: ['p(95)<100'], http_req_failed: ['rate<0.1'] },
      { http_req_duration: [{ name: 'http_req_duration{name:POST /b}', thresholds: ['p(90)<400'] }] }));
    const r = await importK6Results([file], join(dir, 'run'));
    const verdicts = Object.fromEntries(r.thresholds.checks.map((c) => [`${c.name}: ${c.threshold}`, c.pass]));
    // p(95) of all 30 durations is the 29th: 300.2 ms, over 100
    expect(verdicts).toEqual({ 'http_req_duration: p(95)<100': false, 'http_req_failed: rate<0.1': true, 'http_req_duration{name:POST /b}: p(90)<400': true });
    expect(r.thresholds.pass).toBe(false);
  });

  it('a threshold our syntax does not read is named in run.json and the others are still judged', async () => {
    const dir = tmp();
    const file = join(dir, 'k6.json');
    writeFileSync(file, k6Lines(samples(A_MS, B_MS), { http_req_duration: ['p(95)<2000'], http_req_failed: ['rate~~0.1'] }));
    const r = await importK6Results([file], join(dir, 'run'));
    expect(r.thresholds.checks.map((c) => `${c.name}: ${c.threshold} ${c.pass}`)).toEqual(['http_req_duration: p(95)<2000 true']);
    expect(r.runInfo.extra.thresholdsNotRead).toMatchObject([{ metric: 'http_req_failed', thresholds: ['rate~~0.1'] }]);
  });

  it('two runners\' files read together equal the one file of their union, window for window', async () => {
    const dir = tmp();
    const half = (k: number) => samples(A_MS.filter((_, i) => i % 2 === k), B_MS.filter((_, i) => i % 2 === k), k * 130);
    writeFileSync(join(dir, 'r1.json'), k6Lines(half(0)));
    writeFileSync(join(dir, 'r2.json'), k6Lines(half(1)));
    writeFileSync(join(dir, 'all.json'), k6Lines([...half(0), ...half(1)]));
    await importK6Results([join(dir, 'r1.json'), join(dir, 'r2.json')], join(dir, 'merged'));
    await importK6Results([join(dir, 'all.json')], join(dir, 'union'));
    const merged = new MetricsQuery(windowsOf(join(dir, 'merged')));
    const union = new MetricsQuery(windowsOf(join(dir, 'union')));
    expect(merged.metrics()).toEqual(union.metrics());
    for (const metric of union.metrics()) {
      for (let t = 0; t < 6; t++) {
        const a = merged.aggregate(metric, { from: t, to: t + 1 }), b = union.aggregate(metric, { from: t, to: t + 1 });
        expect([a.count, a.sum, a.min, a.max], `${metric} second ${t}`).toEqual([b.count, b.sum, b.min, b.max]);
        if (a.histogram && b.histogram) for (const p of [50, 95, 99, 100]) expect(a.histogram.getValueAtPercentile(p)).toBe(b.histogram.getValueAtPercentile(p));
      }
    }
    expect(statistic(merged.aggregate('http_reqs'), 'count')).toBe(A_MS.length + B_MS.length);
  });

  it('a gzip file (k6 --out json=FILE.gz) reads as the plain one', async () => {
    const dir = tmp();
    const text = k6Lines(samples(A_MS, B_MS));
    writeFileSync(join(dir, 'k6.json'), text);
    writeFileSync(join(dir, 'k6.gz'), gzipSync(text));
    expect(await isK6ResultsFile(join(dir, 'k6.gz'))).toBe(true);
    await importK6Results([join(dir, 'k6.json')], join(dir, 'plain'));
    await importK6Results([join(dir, 'k6.gz')], join(dir, 'gz'));
    expect(windowsOf(join(dir, 'gz'))).toEqual(windowsOf(join(dir, 'plain')));
  });

  it('points out of order within the reorder window land in their seconds; later ones are kept as late windows', async () => {
    const dir = tmp();
    const lines = k6Lines(samples(A_MS, B_MS)).trimEnd().split('\n');
    // move the first GET /a point (second 0) to the end: 4.75 s after it, within 5 s
    const at = lines.findIndex((l) => l.includes('"http_req_duration"') && l.includes('"Point"'));
    const [moved] = lines.splice(at, 1);
    writeFileSync(join(dir, 'k6.json'), [...lines, moved].join('\n') + '\n');
    const r = await importK6Results([join(dir, 'k6.json')], join(dir, 'run'));
    expect(r.late).toBe(0);
    const q = new MetricsQuery(windowsOf(join(dir, 'run')));
    expect(statistic(q.aggregate('http_req_duration', { from: 0, to: 1, tags: { name: 'GET /a' } }), 'count')).toBe(4);
    // with a 1-second window it comes late, still counted in its second
    const r2 = await importK6Results([join(dir, 'k6.json')], join(dir, 'run2'), { reorderSeconds: 1 });
    expect(r2.late).toBe(1);
    const q2 = new MetricsQuery(windowsOf(join(dir, 'run2')));
    expect(statistic(q2.aggregate('http_req_duration', { from: 0, to: 1, tags: { name: 'GET /a' } }), 'count')).toBe(4);
  });

  it('a malformed line is refused with the file and its line number (exit 2), and no run directory is left', async () => {
    const dir = tmp();
    const lines = k6Lines(samples(A_MS, B_MS)).trimEnd().split('\n');
    lines[6] = '{"type":"Point","data":{"time":"yesterday","value":1,"tags":null},"metric":"http_reqs"}';
    writeFileSync(join(dir, 'bad.json'), lines.join('\n') + '\n');
    const err = await importK6Results([join(dir, 'bad.json')], join(dir, 'run')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).exitCode).toBe(2);
    expect((err as Error).message).toBe(`invalid k6 results ${join(dir, 'bad.json')}: line 7: expected data.time in RFC 3339 (as k6 writes it), got "yesterday"`);
    lines[6] = '{"type":"Point", not json';
    writeFileSync(join(dir, 'bad2.json'), lines.join('\n') + '\n');
    await expect(importK6Results([join(dir, 'bad2.json')], join(dir, 'run2'))).rejects.toThrow(/bad2\.json: line 7: expected a JSON object of k6's --out json/);
    const { existsSync } = await import('node:fs');
    expect(existsSync(join(dir, 'run'))).toBe(false);
  });
});
