import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { HistogramAccumulator, decodeWindows, percentile, type EncodedWindow } from '../../src/metrics/index.js';
import { errorKind } from '../../src/assess/chart-buckets.js';
import { CHROMIUM, CHROMIUM_ARGS } from '../../src/report/screenshot.js';
import { startCountingServer, writeScenario, type CountingServer } from '../integration/engine/helpers.js';
import { startCli } from '../helpers/cli-async.js';

const SCENARIO = `
  export const options = {
    scenarios: { shoppers: { executor: 'constant-arrival-rate', rate: 20, timeUnit: '1s', duration: '6s', preAllocatedVUs: 5, maxVUs: 20 } },
    thresholds: { http_req_failed: ['rate<0.01'], 'http_req_duration{name:GET /shops}': ['p(95)<5000'] },
  };
  export default async function (vu) {
    await vu.http.get(vu.env.TARGET + '/shops', { tags: { name: 'GET /shops' } });
    await vu.http.post(vu.env.TARGET + '/orders', { json: { n: 1 } }, { tags: { name: 'POST /orders' } });
  }`;

interface ChartData { labels: string[]; datasets: Array<{ label: string; data: Array<number | null> }> }
interface PageState {
  charts: Record<string, ChartData>;
  endpoints: Record<string, ChartData>;
  status: string;
  report: { href: string; text: string } | null;
  thresholds: string[][];
}

/** What the page shows, read in the browser: each chart's data as drawn, the status, the report link, the thresholds table. */
const READ_PAGE = `(() => {
  const plain = (c) => ({ labels: [...c.data.labels], datasets: c.data.datasets.map((d) => ({ label: d.label, data: [...d.data] })) });
  const charts = {};
  for (const [k, c] of Object.entries(window.dashboard.charts)) charts[k] = plain(c);
  const endpoints = {};
  for (const [k, c] of window.dashboard.endpointCharts) endpoints[k] = plain(c);
  const a = document.getElementById('report');
  const thresholds = [...document.querySelectorAll('#thresholds tr')].map((tr) => [...tr.querySelectorAll('td,th')].map((td) => td.textContent));
  return { charts, endpoints, status: document.getElementById('status').textContent, report: { href: a.getAttribute('href'), text: a.textContent }, thresholds };
})()`;

/** The run directory's figures for second t, added up from its windows (a late row included). */
function expectedSecond(windows: readonly EncodedWindow[], t: number) {
  const ws = windows.filter((w) => w.t === t);
  const sum = (m: string) => ws.filter((w) => w.metric === m).reduce((n, w) => n + w.sum, 0);
  const errors: Record<string, number> = {};
  for (const w of ws.filter((x) => x.metric === 'http_req_failed' && x.sum > 0)) errors[errorKind(w.tags.status)] = (errors[errorKind(w.tags.status)] ?? 0) + w.sum;
  const pct = (filter: (w: EncodedWindow) => boolean) => {
    const h = HistogramAccumulator.of(...ws.filter((w) => w.metric === 'http_req_duration' && filter(w)).map((w) => w.buckets!));
    return [percentile(h, 50), percentile(h, 95), percentile(h, 99)];
  };
  return {
    planned: sum('planned_iterations'), started: sum('planned_iterations') - sum('dropped_iterations'), dropped: sum('dropped_iterations'),
    requests: sum('http_reqs'), errors, vus: sum('vus'), all: pct(() => true),
    shops: pct((w) => w.tags.name === 'GET /shops'), orders: pct((w) => w.tags.name === 'POST /orders'),
  };
}

describe('--dashboard in headless Chromium during a real run', () => {
  let server: CountingServer;
  let context: BrowserContext;
  let userDir: string;
  let out: string;
  let url: string;
  let page: PageState;
  let run: { code: number | null; stdout: string; stderr: string };
  const outside: string[] = [];
  const consoleErrors: string[] = [];
  let windows: EncodedWindow[];

  beforeAll(async () => {
    let orders = 0;
    server = await startCountingServer((req, res) => {
      if (req.url?.startsWith('/orders') && ++orders % 3 === 0) { res.statusCode = 503; res.end('busy'); return; }
      res.setHeader('content-type', 'application/json'); res.end('{"ok":true}');
    });
    out = join(mkdtempSync(join(tmpdir(), 'ct-live-dash-')), 'run');
    const cli = startCli(['run', writeScenario(SCENARIO), '--quiet', '--workers', '1', '--env', `TARGET=${server.url}`, '--out', out, '--dashboard'], 90_000);
    url = await cli.firstLine;
    userDir = mkdtempSync(join(tmpdir(), 'ct-live-chromium-'));
    context = await chromium.launchPersistentContext(userDir, { executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true, viewport: { width: 1280, height: 900 } });
    // anything not served by the engine's own process (a CDN) is refused and noted
    await context.route('**/*', (route) => {
      const u = route.request().url();
      if (u.startsWith(url)) return route.continue();
      outside.push(u);
      return route.abort();
    });
    const tab = context.pages()[0] ?? (await context.newPage());
    tab.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
    tab.on('pageerror', (e) => consoleErrors.push(String(e)));
    await tab.goto(url);
    await tab.waitForFunction("!document.getElementById('report').hidden", undefined, { timeout: 80_000 });
    page = await tab.evaluate(READ_PAGE) as PageState;
    run = await cli.done;
    windows = decodeWindows(readFileSync(join(out, 'metrics', 'windows.jsonl.gz')));
  }, 150_000);

  afterAll(async () => {
    await context?.close();
    if (userDir) rmSync(userDir, { recursive: true, force: true });
    await server?.close();
  });

  it("prints the page's loopback URL as the first line, and the run ends as without it (thresholds failed: exit 1)", () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout.split('\n')[0]).toBe(url);
  });

  it('loads only what the engine serves (chart.js included: no CDN), without a script error', () => {
    expect(outside).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });

  it("every second on the page equals the run directory's windows: arrivals, requests, errors by kind, VUs, p50/p95/p99 overall and per endpoint", () => {
    const labels = page.charts.arrivals.labels;
    const withRequests = [...new Set(windows.filter((w) => w.metric === 'http_reqs').map((w) => w.t))].sort((a, b) => a - b);
    expect(labels.length).toBeGreaterThanOrEqual(6);
    for (const t of withRequests) expect(labels).toContain(String(t));
    const col = (c: ChartData, label: string) => c.datasets.find((d) => d.label === label)!.data;
    labels.forEach((label, i) => {
      const e = expectedSecond(windows, Number(label));
      const at = `second ${label}`;
      expect(col(page.charts.arrivals, 'planned')[i], at).toBe(e.planned);
      expect(col(page.charts.arrivals, 'started')[i], at).toBe(e.started);
      expect(col(page.charts.arrivals, 'dropped')[i], at).toBe(e.dropped);
      expect(col(page.charts.requests, 'requests')[i], at).toBe(e.requests);
      for (const d of page.charts.requests.datasets.slice(1)) expect(d.data[i], `${at} ${d.label}`).toBe(e.errors[d.label.replace('failed: ', '')] ?? 0);
      expect(col(page.charts.vus, 'VUs')[i], at).toBe(e.vus);
      expect(['p50', 'p95', 'p99'].map((q) => col(page.charts.latency, q)[i]), at).toEqual(e.all);
      expect(['p50', 'p95', 'p99'].map((q) => col(page.endpoints['GET /shops'], q)[i]), at).toEqual(e.shops);
      expect(['p50', 'p95', 'p99'].map((q) => col(page.endpoints['POST /orders'], q)[i]), at).toEqual(e.orders);
    });
    // the 503s were shown, as their own kind
    expect(page.charts.requests.datasets.map((d) => d.label)).toEqual(['requests', 'failed: 503']);
    expect(col(page.charts.requests, 'failed: 503').reduce((a, b) => a! + b!, 0)).toBe(windows.filter((w) => w.metric === 'http_req_failed' && w.tags.status === '503').reduce((n, w) => n + w.sum, 0));
  });

  it("shows the generator's health and the thresholds crossing, and at the end links the report", () => {
    expect(page.charts.generator.datasets.map((d) => d.label)).toEqual(['schedule lag p99 (ms)', 'event-loop lag p99 (ms)', 'CPU %']);
    expect(page.charts.generator.datasets[0].data.some((v) => typeof v === 'number')).toBe(true);
    const failed = page.thresholds.find((r) => r[0] === 'http_req_failed')!;
    expect(failed[3]).toBe('FAIL');
    expect(Number(failed[4])).toBeGreaterThanOrEqual(0);
    expect(page.thresholds.find((r) => r[0] === 'http_req_duration{name:GET /shops}')![3]).toBe('pass');
    expect(page.status).toBe('finished');
    expect(page.report!.href).toBe('/report');
    expect(page.report!.text).toBe(`report: ${join(out, 'report.html')}`);
    expect(existsSync(join(out, 'report.html'))).toBe(true);
  });

  it('a bad --dashboard-port exits 2 naming it; a port already taken exits 3 naming it, before any load', async () => {
    const scenario = writeScenario(SCENARIO);
    const bad = await startCli(['run', scenario, '--quiet', '--out', join(mkdtempSync(join(tmpdir(), 'ct-live-dash-bad-')), 'run'), '--dashboard', '--dashboard-port', '70000'], 30_000).done;
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--dashboard-port.*70000/);
    const taken = new URL(server.url).port; // the test's own server holds it
    const busy = await startCli(['run', scenario, '--quiet', '--out', join(mkdtempSync(join(tmpdir(), 'ct-live-dash-busy-')), 'run'), '--dashboard', '--dashboard-port', taken], 30_000).done;
    expect(busy.code).toBe(3);
    expect(busy.stderr).toContain(`--dashboard-port ${taken}`);
  });
});
