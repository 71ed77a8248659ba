/** The live page's HTML: a frame for the charts that src/live/dashboard/client.js draws and updates. */
import { FONT_STACK } from '../../report/html.js';

const CHARTS: Array<[id: string, caption: string]> = [
  ['arrivals', 'Arrivals per second: planned and started (dropped: no free VU)'],
  ['requests', 'Requests per second, and failed requests by kind'],
  ['latency', 'Latency of every response, ms: p50, p95, p99 of each second'],
  ['vus', 'Virtual users'],
  ['generator', 'Generator health: schedule lag p99 and event-loop lag p99 (ms), CPU % · grey: seconds the generator could not keep the plan'],
];

export function dashboardHtml(): string {
  const figures = CHARTS.map(([id, caption]) =>
    `<figure><figcaption>${caption}</figcaption><div class="box"><canvas id="${id}"></canvas></div></figure>`).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>capacity-test · live</title>
<style>
body { font-family: ${FONT_STACK}; margin: 1rem 1.5rem; color: #1d2430; background: #fafbfc; }
header { display: flex; gap: 1.5rem; align-items: baseline; flex-wrap: wrap; }
h1 { font-size: 1.3rem; margin: 0; } h2 { font-size: 1.05rem; }
#status { font-weight: 600; } #status.done { color: #1b7f3b; } #status.aborted { color: #b3261e; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(520px, 1fr)); gap: 1rem; }
figure { margin: 0; background: #fff; border: 1px solid #dde2ea; border-radius: 6px; padding: .6rem; }
figcaption { font-size: .85rem; margin-bottom: .3rem; } .box { position: relative; height: 220px; }
table { border-collapse: collapse; font-size: .9rem; background: #fff; }
td, th { border: 1px solid #dde2ea; padding: .25rem .6rem; text-align: right; } th:first-child, td:first-child { text-align: left; }
.pass { color: #1b7f3b; } .fail { color: #b3261e; font-weight: 600; } .pending { color: #6b7280; }
</style></head>
<body>
<header><h1>capacity-test · live</h1><span id="status">waiting for the run to start…</span><span id="elapsed"></span>
<a id="report" hidden></a></header>
<h2>Last second</h2><table id="now"></table>
<h2>Over time</h2>
<div class="grid" id="charts">
${figures}
</div>
<h2>Latency by endpoint (ms: p50, p95, p99 of each second)</h2><div class="grid" id="endpoints"></div>
<h2>Thresholds (on the run so far)</h2><table id="thresholds"><tr><td class="pending">none in this scenario</td></tr></table>
<script src="/chart.js"></script>
<script src="/dashboard.js"></script>
</body></html>
`;
}
