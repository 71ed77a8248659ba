import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunnerRecord } from '../../src/assess/index.js';
import { buildReportFromRunDir } from '../../src/report/index.js';
import { checkReportInBrowser } from '../../src/report/screenshot.js';
import { formatMs, formatNumber, type Lang } from '../../src/report/format.js';
import { t } from '../../src/report/i18n.js';
import { cliAsync } from '../helpers/cli-async.js';
import { devanagariShare } from '../helpers/devanagari.js';
import { startCountingServer, type CountingServer } from '../integration/engine/helpers.js';

/**
 * A distributed test as a planner reads its report: segments 1/3 and 2/3 of one test run by
 * `capacity-test run --segment` from one `--start-at` (segment 2's generator held up by a busy loop
 * in its own process, so it falls behind its schedule), segment 3/3 never run, `merge --allow-partial`
 * of the two, and the merged report opened in Chromium in English and Hindi: the runners table with
 * a row per runner, the sentences naming the missing and the saturated runner, and the saturated
 * runner's seconds as a labelled band on the time charts.
 */
const dir = mkdtempSync(join(tmpdir(), 'ct-runners-'));
let server: CountingServer;
afterAll(async () => { await server?.close(); rmSync(dir, { recursive: true, force: true }); });

const READ_PAGE = `(function () {
  var section = document.getElementById('runners');
  if (!section) return null;
  var rows = Array.from(section.querySelectorAll('tbody tr')).map(function (tr) {
    return Array.from(tr.querySelectorAll('td')).map(function (td) { return td.textContent; });
  });
  var sentences = Array.from(section.querySelectorAll('.sentences li')).map(function (li) { return li.textContent; });
  var copy = section.cloneNode(true);
  copy.querySelectorAll('code, td.name').forEach(function (e) { e.remove(); });
  document.documentElement.appendChild(copy);
  var prose = copy.innerText;
  copy.remove();
  var charts = JSON.parse(document.getElementById('report-charts').textContent);
  var bands = charts.filter(function (c) { return c.kind === 'time'; }).map(function (c) { return { id: c.id, faults: c.faults || [] }; });
  var note = document.querySelector('#charts .note.runners');
  return { rows: rows, sentences: sentences, prose: prose, bands: bands, drawn: window.__reportCharts.length, bandNote: note ? note.textContent : null };
})()`;

interface Page {
  rows: string[][]; sentences: string[]; prose: string; drawn: number; bandNote: string | null;
  bands: Array<{ id: string; faults: Array<{ from: number; to: number; label: string; tone?: string }> }>;
}

const pages = new Map<Lang, Page>();
let runners: RunnerRecord[];

beforeAll(async () => {
  server = await startCountingServer();
  const scenario = join(dir, 'runners.js');
  // 20 arrivals a second for 4 s; in segment 2, every 5th iteration holds its worker's event loop for
  // 300 ms, so the arrivals due meanwhile start that late (schedule lag well over the 50 ms rule)
  writeFileSync(scenario, `
    export const options = { scenarios: { a: { executor: 'constant-arrival-rate', rate: 20, timeUnit: '1s', duration: '4s', preAllocatedVUs: 10, maxVUs: 20 } } };
    export default async function (vu) {
      await vu.http.get(vu.env.TARGET + '/x', { tags: { name: 'GET /x' } });
      if (vu.env.HOLD_MS && vu.iterationInTest % 5 === 0) { const end = Date.now() + Number(vu.env.HOLD_MS); while (Date.now() < end) {} }
    }`);
  const startAt = Date.now() + 4000;
  const seg = (i: number, env: string[]) => cliAsync(['run', scenario, '--segment', `${i}/3`, '--start-at', String(startAt), '--workers', '1', '--quiet',
    '--out', join(dir, `segment-${i}`), '--env', `TARGET=${server.url}`, ...env.flatMap((e) => ['--env', e])], 120_000);
  const [a, b] = await Promise.all([seg(1, []), seg(2, ['HOLD_MS=300'])]);
  expect(a.code, a.stderr).toBe(0);
  expect(b.code, b.stderr).toBe(0);
  const merged = join(dir, 'merged');
  const m = await cliAsync(['merge', join(dir, 'segment-1'), join(dir, 'segment-2'), '--allow-partial', '--out', merged, '--quiet'], 120_000);
  expect(m.code, m.stderr).toBe(0);
  runners = JSON.parse(readFileSync(join(merged, 'summary.json'), 'utf8')).runners;
  for (const lang of ['en', 'hi'] as const) {
    const built = await buildReportFromRunDir(merged, { lang, out: join(dir, `report-${lang}`), png: false });
    const check = await checkReportInBrowser(built.reportPath, { evaluate: READ_PAGE });
    expect(check.consoleErrors).toEqual([]);
    expect(check.blockedRequests).toEqual([]);
    pages.set(lang, check.evaluated as Page);
  }
}, 400_000);

describe('a merged run of runners: what summary.json keeps of them', () => {
  it('keeps every segment of the test: the two merged, finished, and the third missing', () => {
    expect(runners.map((r) => [r.segment, r.status, r.shiftSeconds ?? null])).toEqual([['1/3', 'complete', 0], ['2/3', 'complete', 0], ['3/3', 'missing', null]]);
    // the runner held up by its own busy loop fell behind; its requests are its share, counted
    expect(runners[1].saturatedSeconds.length).toBeGreaterThan(0);
    expect(runners[0].requests + runners[1].requests).toBe(server.count());
    // the segment never run had the plan of the others
    expect(runners[2].plannedSeconds).toBe(runners[0].plannedSeconds);
  });
});

describe.each(['en', 'hi'] as const)('the runners of the merged report, as read in Chromium (%s)', (lang) => {
  const page = () => pages.get(lang)!;
  const tr = (key: string, vars?: Record<string, string | number>) => t(lang, key, vars);

  it('has a table with one row per runner: segment, host, status, seconds, requests, dropped, generator health', () => {
    const ms = (x: number | null) => (x === null ? '—' : formatMs(x, lang));
    expect(page().rows).toEqual(runners.map((r) => [
      r.segment, [r.host?.pod, r.host?.ip, r.host?.node].filter(Boolean).join(' · ') || '—',
      tr(`runners.status.${r.status === 'complete' ? 'finished' : 'missing'}`),
      r.plannedSeconds === null ? formatNumber(r.secondsWritten) : tr('runners.secondsOf', { w: formatNumber(r.secondsWritten), p: formatNumber(r.plannedSeconds) }),
      formatNumber(r.requests), formatNumber(r.droppedIterations), ms(r.scheduleLagP99Ms), ms(r.eventLoopLagP99Ms), formatNumber(r.saturatedSeconds.length),
    ]));
  });

  it('says above it how many runners, that not all finished, the missing one and the saturated one by name', () => {
    const [count, missing, saturated, ...rest] = page().sentences;
    expect(count).toBe(tr('runners.notAllFinished', { n: '3', f: '2' }));
    expect(missing).toBe(tr('runners.missing', { segment: '3/3' }));
    const template = tr('runners.saturated', { segment: '2/3', n: formatNumber(runners[1].saturatedSeconds.length), at: '\u0000' });
    const [before, after] = template.split('\u0000');
    expect(saturated.startsWith(before) && saturated.endsWith(after), saturated).toBe(true);
    expect(rest).toEqual([]);
  });

  it('shades the saturated runner\'s seconds on every drawn time chart, labelled with its segment, and says what the bands are', () => {
    expect(page().drawn).toBeGreaterThan(0);
    const load = page().bands.find((c) => c.id === 'load')!;
    const runnerBands = load.faults.filter((f) => f.tone === 'generator');
    expect(runnerBands.length).toBeGreaterThan(0);
    for (const b of runnerBands) expect(b.label).toBe(tr('chart.runnerBand', { segment: '2/3' }));
    for (const c of page().bands) expect(c.faults).toEqual(load.faults);
    expect(page().bandNote).toBe(tr('chart.runnerBandNote'));
  });

  if (lang === 'hi') {
    it('is in Devanagari apart from names: at least 85% of the letters of the runners section', () => {
      const { share, latin } = devanagariShare(page().prose);
      expect(share, `Latin words left: ${[...new Set(latin)].join(' ')}`).toBeGreaterThanOrEqual(0.85);
    });
  }
});
