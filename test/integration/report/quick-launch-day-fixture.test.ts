import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildReportFromRunDir } from '../../../src/report/index.js';

/**
 * test/fixtures/quick-launch-day holds the saved inputs of one `capacity-test launch-day --quick` run
 * (run.json, metrics/, server-metrics.json with the scrapes trimmed to the series the report charts) and
 * summary.expected.json, the summary.json that `capacity-test report` rebuilt from them with the code as
 * it was before the run/report seam was reworked (issue 12), with the fields added since (issue 15:
 * `overall.latencyOf`, `unexpectedLatencyMs`; the run had no failed request, so its latencies did not
 * move). A rework that changes what a user reads in summary.json fails here, naming the field. Its
 * `capacity` was rebuilt once on purpose (issue 17): load levels now cover the whole day, the 09:00
 * spike included, each with its verdict.
 *
 * The one field left out is `generatedAt`: the time the summary was built, different on every build.
 */
const FIXTURE = join(import.meta.dirname, '../../fixtures/quick-launch-day');
const TIME_OF_BUILD = ['generatedAt'];

/** Every leaf of a JSON value by its path, e.g. `capacity.sizing.servers` → 4. */
function leaves(v: unknown, path = '', out = new Map<string, unknown>()): Map<string, unknown> {
  if (v !== null && typeof v === 'object') {
    const entries = Array.isArray(v) ? v.map((x, i) => [String(i), x] as const) : Object.entries(v);
    if (entries.length === 0) out.set(path, Array.isArray(v) ? [] : {});
    for (const [k, x] of entries) leaves(x, path ? `${path}.${k}` : k, out);
  } else out.set(path, v);
  return out;
}

let out: string;
beforeAll(() => { out = mkdtempSync(join(tmpdir(), 'ct-seam-fixture-')); });
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('the report of a saved quick launch day', () => {
  it('rebuilds a summary.json equal field by field to the one saved before the rework (generatedAt aside)', async () => {
    const expected = JSON.parse(readFileSync(join(FIXTURE, 'summary.expected.json'), 'utf8')) as Record<string, unknown>;
    await buildReportFromRunDir(FIXTURE, { out, png: false });
    const actual = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as Record<string, unknown>;
    for (const k of TIME_OF_BUILD) {
      expect(typeof actual[k]).toBe('string');
      delete actual[k]; delete expected[k];
    }
    const a = leaves(actual), e = leaves(expected);
    // the fixture is a real run: it has a timeline, endpoints and a capacity analysis to compare
    expect(e.size).toBeGreaterThan(500);
    expect([...a.keys()].filter((k) => !e.has(k))).toEqual([]);
    expect([...e.keys()].filter((k) => !a.has(k))).toEqual([]);
    const differing = [...e].filter(([k, v]) => !Object.is(a.get(k), v) && JSON.stringify(a.get(k)) !== JSON.stringify(v))
      .map(([k, v]) => `${k}: expected ${JSON.stringify(v)}, got ${JSON.stringify(a.get(k))}`);
    expect(differing).toEqual([]);
  });
});
