import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliInProcess } from '../helpers/cli-in-process.js';
import { compareSummaries } from '../../src/gate/compare.js';
import { parseSummary } from '../../src/gate/load.js';
import { buildReportFromRunDir } from '../../src/report/index.js';
import { checkReportInBrowser } from '../../src/report/screenshot.js';
import { makeRun, writeRunDir } from '../helpers/report-fixture.js';

let root: string, runA: string, runB: string;

const cli = cliInProcess;

const summaryOf = (dir: string) => parseSummary(JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')), dir);

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'compare-e2e-'));
  // A: well within capacity; B: the same plan against a portal of a sixth of the capacity (slower, failing)
  runA = writeRunDir(join(root, 'a'), makeRun({ seconds: 40, seed: 1, capacity: 90 }));
  runB = writeRunDir(join(root, 'b'), makeRun({ seconds: 40, seed: 2, capacity: 15 }));
  writeFileSync(join(runB, 'faults.json'), JSON.stringify({ schemaVersion: 1, faults: [{ kind: 'latency', label: '+300 ms on POST /api/v1/orders', at: '09:05', until: '09:10', fromSecond: 10, toSecond: 20, appliedAtSecond: 10.1, clearedAtSecond: 20.1, error: null }] }));
  for (const d of [runA, runB]) await buildReportFromRunDir(d, { png: false });
}, 120_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

const READ_PAGE = `(() => ({
  pass: document.getElementById('gate-verdict').dataset.pass,
  rows: Array.from(document.querySelectorAll('#deltas tbody tr')).map((tr) => ({ scope: tr.dataset.scope, metric: tr.dataset.metric, outcome: tr.dataset.outcome, cells: Array.from(tr.cells).map((c) => c.textContent.trim()) })),
  business: Array.from(document.querySelectorAll('#business tbody tr')).map((tr) => ({ field: tr.dataset.field, cells: Array.from(tr.cells).map((c) => c.textContent.trim()) })),
  charts: window.__reportCharts.map((c) => ({ id: c.canvas.id, labels: c.data.labels, datasets: c.data.datasets.map((d) => ({ label: d.label, data: d.data })) })),
  headings: Array.from(document.querySelectorAll('h1, h2')).map((h) => h.textContent),
  faultsNote: document.querySelector('.note.faults') ? document.querySelector('.note.faults').textContent : null,
}))()`;

describe('capacity-test compare <run-a> <run-b>', () => {
  it('writes one offline page whose charts, verdicts and business figures are the two runs’ and the gate’s, in English and Hindi', async () => {
    const a = summaryOf(runA), b = summaryOf(runB);
    const gate = compareSummaries(a, b);
    for (const lang of ['en', 'hi'] as const) {
      const out = join(root, `cmp-${lang}`);
      const r = await cli('compare', runA, runB, '--out', out, '--lang', lang);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout.trim()).toBe(join(out, 'compare.html'));
      const page = await checkReportInBrowser(join(out, 'compare.html'), { evaluate: READ_PAGE });
      expect(page.consoleErrors).toEqual([]);
      expect(page.blockedRequests).toEqual([]);
      expect(page.canvases.length).toBeGreaterThan(2);
      for (const c of page.canvases) expect(c.inkPixels, c.id).toBeGreaterThan(1000);
      const seen = page.evaluated as { pass: string; rows: Array<{ scope: string; metric: string; outcome: string; cells: string[] }>; business: Array<{ field: string; cells: string[] }>;
        charts: Array<{ id: string; labels: string[]; datasets: Array<{ label: string; data: Array<number | null> }> }>; headings: string[]; faultsNote: string | null };

      // the gate's verdict, and each endpoint's outcome, as the gate gave them
      expect(seen.pass).toBe(String(gate.pass));
      const shown = gate.verdicts.filter((v) => v.metric !== 'threshold');
      expect(seen.rows).toHaveLength(shown.length);
      for (const v of shown.filter((x) => x.metric === 'p95' || x.metric === 'p99')) {
        const row = seen.rows.find((x) => x.scope === v.scope && x.metric === v.metric)!;
        expect(row.outcome, `${v.scope} ${v.metric}`).toBe(v.outcome);
      }
      expect(gate.verdicts.some((v) => v.outcome === 'regression')).toBe(true);

      // percentiles over time: each run's own windows, on one axis of both runs' length
      const latency = seen.charts.find((c) => c.id === 'chart-latency')!;
      expect(latency.datasets.map((d) => d.data)).toEqual([a.latencyWindows!.overall.p95Ms, a.latencyWindows!.overall.p99Ms, b.latencyWindows!.overall.p95Ms, b.latencyWindows!.overall.p99Ms]);
      expect(latency.labels).toHaveLength(a.latencyWindows!.overall.p95Ms.length);
      const orders = seen.charts.find((c) => c.datasets.length === 2 && c.id.startsWith('chart-endpoint-') && JSON.stringify(c.datasets[1].data) === JSON.stringify(b.latencyWindows!.endpoints['POST /api/v1/orders'].p95Ms));
      expect(orders).toBeDefined();

      // business outcomes side by side
      const reqs = seen.business.find((x) => x.field === 'requests')!;
      expect(reqs.cells[1].replace(/,/g, '')).toBe(String(a.overall.requests));
      expect(reqs.cells[2].replace(/,/g, '')).toBe(String(b.overall.requests));
      expect(seen.faultsNote).toContain('B: +300 ms on POST /api/v1/orders');

      if (lang === 'hi') {
        expect(page.title).toContain('दो रन की तुलना');
        for (const h of seen.headings) expect(h, h).toMatch(/[\u0900-\u097F]/);
        expect(seen.rows.find((x) => x.outcome === 'regression')!.cells[6]).toBe('गिरावट');
      } else {
        expect(page.title).toContain('Run comparison');
        expect(seen.rows.find((x) => x.outcome === 'regression')!.cells[6]).toBe('regression');
      }
    }
  }, 180_000);

  it('refuses a missing run with exit 2, naming it', async () => {
    const r = await cli('compare', runA, join(root, 'nope'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(join(root, 'nope'));
    expect((await cli('compare', runA, runB, '--lang', 'fr')).code).toBe(2);
  });
});
