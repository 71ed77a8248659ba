import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { chartConfig, type ChartPayload } from './chart-config.js';
import { escapeHtml, formatInstant, formatMs, formatNumber, formatPercent, jsonForScript, type Lang } from './format.js';
import { keyFigures, t, verdictSentences } from './i18n.js';
import type { ChartModel, ReportModel } from './model.js';

const require = createRequire(import.meta.url);
/** chart.js's UMD build (the report inlines it, the live page serves it): no CDN anywhere. */
export function chartJsPath(): string {
  // The UMD build is not in chart.js's exports map: find it beside the package's main entry.
  return join(dirname(require.resolve('chart.js')), 'chart.umd.min.js');
}

let chartJsSource: string | undefined;
/** chart.js UMD, read once and inlined: the page must open with no network. */
function chartJs(): string {
  chartJsSource ??= readFileSync(chartJsPath(), 'utf8');
  return chartJsSource;
}

export const FONT_STACK = "'Noto Sans', 'Noto Sans Devanagari', 'DejaVu Sans', Arial, sans-serif";

/** A chart model with every word in the report's language, ready for chart.js (page or PNG). */
export function localizeChart(c: ChartModel, lang: Lang): ChartPayload {
  return {
    id: c.id, kind: c.kind, labels: c.labels, shade: c.shade, stacked: c.stacked, markerX: c.markerX ?? null,
    markerLabel: t(lang, 'series.knee'),
    title: t(lang, c.title, c.titleVars), xLabel: t(lang, c.xLabel), yLabel: t(lang, c.yLabel), y2Label: c.y2Label ? t(lang, c.y2Label) : undefined,
    datasets: c.series.map((s) => ({
      label: 'key' in s.label ? t(lang, s.label.key, 'raw' in s.label ? { raw: s.label.raw } : {}) : s.label.raw,
      data: s.data, color: s.color, dashed: s.dashed, axis: s.axis, type: s.type, stack: s.stack,
    })),
  };
}

export interface HtmlOptions { lang: Lang; generatedAt: string; chartJsSource?: string; extraScript?: string; extraHtml?: string }

/** The whole report as one self-contained HTML page: inline CSS, inline chart.js, data as JSON. */
export function renderHtml(m: ReportModel, o: HtmlOptions): string {
  const { lang } = o;
  const e = escapeHtml;
  const s = m.summary;
  const charts = m.charts.filter((c) => c.series.some((x) => x.data.some((v) => v !== null)));
  const payload = charts.map((c) => localizeChart(c, lang));
  const verdict = verdictSentences(m, lang);
  const figures = keyFigures(m, lang);
  const dash = '—';
  const num = (x: number | null, d = 0) => (x === null ? dash : formatNumber(x, d));
  const msOr = (x: number | null) => (x === null ? dash : formatMs(x, lang));
  const pct = (x: number | null) => (x === null ? dash : formatPercent(x));

  const endpointRows = m.endpoints.map((r) => `<tr><td class="name">${e(r.name)}</td><td>${num(r.requests)}</td><td>${num(r.rps, 1)}</td><td>${pct(r.errorRate)}</td><td>${msOr(r.p50)}</td><td>${msOr(r.p95)}</td><td>${msOr(r.p99)}</td><td>${msOr(r.max)}</td><td class="${r.withinSlo === false ? 'bad' : r.withinSlo ? 'good' : ''}">${r.withinSlo === null ? dash : t(lang, r.withinSlo ? 'table.yes' : 'table.no')}</td></tr>`).join('\n');
  const overall = s.overall;
  const thresholdRows = s.thresholds.checks.map((c) => `<tr><td class="name">${e(c.name)}</td><td>${e(c.threshold)}</td><td>${c.value === null ? dash : e(/^rate\b/.test(c.threshold) ? formatPercent(c.value) : formatNumber(c.value, 2))}</td><td class="${c.pass ? 'good' : 'bad'}">${t(lang, c.pass ? 'table.pass' : 'table.fail')}</td></tr>`).join('\n');
  const profileRows = m.method.profile.map((r) => `<tr><td class="name">${e(r.name)}</td><td>${e(r.value)}</td><td>${r.source === null ? dash : e(r.source)}</td></tr>`).join('\n');
  const runRows = m.method.run.filter((r) => r.value !== '').map((r) => `<tr><td>${e(t(lang, r.key))}</td><td class="name">${e(r.value)}</td></tr>`).join('\n');
  const comp = m.method.compression;
  const compression = [
    comp.timeScale !== null && comp.timeScale !== 1 && comp.simulatedStart
      ? t(lang, 'compression.scaled', { scale: formatNumber(comp.timeScale, 2), start: e(comp.simulatedStart) })
      : t(lang, 'compression.none'),
    comp.plannedDurationSeconds !== null ? t(lang, 'compression.planned', { s: formatNumber(comp.plannedDurationSeconds) }) : '',
  ].filter(Boolean).join(' ');

  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(t(lang, 'doc.title'))} — ${e(s.run.id)}</title>
<style>${CSS}</style>
</head>
<body>
<header>
  <h1>${e(t(lang, 'doc.title'))}</h1>
  <p class="sub">${e(t(lang, 'doc.subtitle', { scenario: s.run.scenario, target: s.run.target ?? dash }))}</p>
  <p class="meta">${e(s.run.id)} · ${e(formatInstant(s.run.startedAt, lang))} · ${e(t(lang, 'doc.generated', { at: formatInstant(o.generatedAt, lang) }))}</p>
</header>
<main>
<section id="verdict" class="verdict">
  <h2>${e(t(lang, 'section.verdict'))}</h2>
  <ul class="sentences">
${verdict.map((v) => `    <li class="${v.tone}">${e(v.text)}</li>`).join('\n')}
  </ul>
  <h3>${e(t(lang, 'section.keyFigures'))}</h3>
  <div class="figures">
${figures.map((f) => `    <div class="figure"><div class="value">${e(f.value)}</div><div class="label">${e(f.label)}</div></div>`).join('\n')}
  </div>
</section>
<section id="charts">
  <h2>${e(t(lang, 'section.charts'))}</h2>
  ${m.verdict.saturatedSeconds > 0 ? `<p class="note">${e(t(lang, 'chart.shadeNote'))}</p>` : ''}
  <div class="chart-grid">
${payload.map((c) => `    <figure class="chart"><figcaption>${e(c.title)}</figcaption><div class="box"><canvas id="chart-${e(c.id)}" data-chart="${e(c.id)}" role="img" aria-label="${e(c.title)}"></canvas></div></figure>`).join('\n')}
  </div>
</section>
${o.extraHtml ?? ''}
<section id="endpoints">
  <h2>${e(t(lang, 'section.endpoints'))}</h2>
  <table>
    <thead><tr><th>${e(t(lang, 'table.endpoint'))}</th><th>${e(t(lang, 'table.requests'))}</th><th>${e(t(lang, 'table.rps'))}</th><th>${e(t(lang, 'table.errors'))}</th><th>${e(t(lang, 'table.p50'))}</th><th>${e(t(lang, 'table.p95'))}</th><th>${e(t(lang, 'table.p99'))}</th><th>${e(t(lang, 'table.max'))}</th><th>${e(t(lang, 'table.slo'))}</th></tr></thead>
    <tbody>
${endpointRows}
    <tr class="total"><td>Σ</td><td>${num(overall.requests)}</td><td>${num(overall.rps, 1)}</td><td>${pct(overall.errorRate)}</td><td>${msOr(overall.latencyMs.p50)}</td><td>${msOr(overall.latencyMs.p95)}</td><td>${msOr(overall.latencyMs.p99)}</td><td>${msOr(overall.latencyMs.max)}</td><td></td></tr>
    </tbody>
  </table>
  <p class="note">${e(t(lang, 'method.sloNote', { p95: formatMs(m.slo.p95Ms, lang), err: formatPercent(m.slo.errorRate) }))}</p>
</section>
${s.thresholds.checks.length ? `<section id="thresholds">
  <h2>${e(t(lang, 'section.thresholds'))}</h2>
  <table><thead><tr><th>${e(t(lang, 'table.check'))}</th><th>${e(t(lang, 'table.threshold'))}</th><th>${e(t(lang, 'table.value'))}</th><th>${e(t(lang, 'table.result'))}</th></tr></thead>
  <tbody>${thresholdRows}</tbody></table>
</section>` : ''}
<section id="method">
  <h2>${e(t(lang, 'section.method'))}</h2>
  <h3>${e(t(lang, 'section.profile'))}</h3>
  ${m.method.profile.length ? `<table class="kv"><thead><tr><th>${e(t(lang, 'table.parameter'))}</th><th>${e(t(lang, 'table.value'))}</th><th>${e(t(lang, 'table.source'))}</th></tr></thead><tbody>${profileRows}</tbody></table>` : `<p>${e(t(lang, 'table.none'))}</p>`}
  <h3>${e(t(lang, 'section.compression'))}</h3>
  <p>${compression}</p>
  <h3>${e(t(lang, 'section.run'))}</h3>
  <table class="kv"><tbody>${runRows}</tbody></table>
</section>
</main>
<footer><p>${e(t(lang, 'foot.offline'))}</p></footer>
<script type="application/json" id="report-charts">${jsonForScript(payload)}</script>
<script>${(o.chartJsSource ?? chartJs()).replace(/<\/script/gi, '<\\/script')}</script>
<script>
(function () {
  var chartConfig = (${chartConfig.toString()});
  var FONT = ${JSON.stringify(FONT_STACK)};
  var charts = JSON.parse(document.getElementById('report-charts').textContent);
  window.__reportCharts = [];
  charts.forEach(function (c) {
    var canvas = document.getElementById('chart-' + c.id);
    if (!canvas) return;
    window.__reportCharts.push(new Chart(canvas, chartConfig(c, FONT)));
  });
  window.addEventListener('beforeprint', function () { window.__reportCharts.forEach(function (ch) { ch.resize(); }); });
})();
</script>
${o.extraScript ? `<script>${o.extraScript.replace(/<\/script/gi, '<\\/script')}</script>` : ''}
</body>
</html>
`;
}

const CSS = `
:root { --ink:#1f2328; --muted:#57606a; --line:#d0d7de; --bg:#ffffff; --good:#1a7f37; --bad:#cf222e; --warn:#9a6700; --info:#0969da; }
* { box-sizing: border-box; }
body { margin: 0; font-family: ${FONT_STACK}; color: var(--ink); background: var(--bg); line-height: 1.5; }
header { padding: 24px 32px 12px; border-bottom: 3px solid #0969da; }
header h1 { margin: 0; font-size: 28px; }
header .sub { margin: 4px 0 0; font-size: 16px; color: var(--muted); }
header .meta { margin: 2px 0 0; font-size: 12px; color: var(--muted); }
main { padding: 8px 32px 24px; max-width: 1280px; }
h2 { font-size: 22px; margin: 28px 0 10px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 16px; margin: 18px 0 8px; }
.sentences { list-style: none; padding: 0; margin: 0; }
.sentences li { font-size: 17px; padding: 8px 12px 8px 14px; margin: 6px 0; border-left: 5px solid var(--info); background: #f6f8fa; }
.sentences li.good { border-color: var(--good); background: #eef8f0; }
.sentences li.bad { border-color: var(--bad); background: #fdf0f0; }
.sentences li.warn { border-color: var(--warn); background: #fff8e6; }
.figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(200px, 1fr)); gap: 10px; }
.figure { border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; }
.figure .value { font-size: 24px; font-weight: 700; }
.figure .label { font-size: 13px; color: var(--muted); }
.chart-grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(560px, 1fr)); gap: 18px; }
figure.chart { margin: 0; border: 1px solid var(--line); border-radius: 6px; padding: 10px; break-inside: avoid; }
figure.chart figcaption { font-weight: 600; margin-bottom: 6px; }
figure.chart .box { position: relative; height: 320px; }
.wi-grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); gap: 10px 18px; margin-bottom: 12px; }
.wi-field { display: flex; flex-direction: column; font-size: 14px; }
.wi-field input { font: inherit; font-size: 16px; padding: 4px 6px; border: 1px solid var(--line); border-radius: 4px; margin-top: 2px; }
.wi-field small { color: var(--muted); font-size: 11px; margin-top: 2px; }
.wi-error { min-height: 1em; }
p.bad { color: var(--bad); }
.note { color: var(--muted); font-size: 13px; }
table { border-collapse: collapse; width: 100%; font-size: 14px; margin: 6px 0; }
th, td { border-bottom: 1px solid var(--line); padding: 5px 8px; text-align: right; vertical-align: top; }
th { background: #f6f8fa; }
th:first-child, td:first-child, td.name { text-align: left; }
td.name { font-family: 'DejaVu Sans Mono', monospace; font-size: 13px; word-break: break-word; }
td.good { color: var(--good); font-weight: 600; }
td.bad { color: var(--bad); font-weight: 700; }
tr.total td { font-weight: 700; }
table.kv td, table.kv th { text-align: left; }
footer { padding: 12px 32px 32px; color: var(--muted); font-size: 12px; }
@media print {
  header { border-bottom-color: #000; }
  main { max-width: none; }
  .chart-grid { grid-template-columns: 1fr; }
  figure.chart .box { height: 280px; }
  section { break-inside: avoid-page; }
  .whatif input { border: none; }
}
`;
