import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { chartConfig, type ChartPayload } from './chart-config.js';
import { formatInstant, formatMs, formatNumber, formatPercent, jsonForScript, type Lang } from './format.js';
import { html, joinHtml, trusted, type Html } from './html-template.js';
import { t } from './i18n.js';
import { paramName, paramSource, paramValue } from './profile-text.js';
import type { RunRow } from './method-rows.js';
import { keyFigures, verdictSentences } from './verdict-text.js';
import { levelsTableHtml } from './levels-table.js';
import { runnersHtml } from './runners-section.js';
import type { ChartModel, ReportModel } from './model.js';

const require = createRequire(import.meta.url);
/** chart.js's UMD build (the report inlines it, the live page serves it): no CDN anywhere. */
export function chartJsPath(): string {
  // The UMD build is not in chart.js's exports map: find it beside the package's main entry.
  return join(dirname(require.resolve('chart.js')), 'chart.umd.min.js');
}

let chartJsSource: string | undefined;
/** chart.js UMD, read once and inlined: the page must open with no network. */
export function chartJs(): string {
  chartJsSource ??= readFileSync(chartJsPath(), 'utf8');
  return chartJsSource;
}

export const FONT_STACK = "'Noto Sans', 'Noto Sans Devanagari', 'DejaVu Sans', Arial, sans-serif";

/** A chart model with every word in the report's language, ready for chart.js (page or PNG). */
export function localizeChart(c: ChartModel, lang: Lang): ChartPayload {
  return {
    id: c.id, kind: c.kind, labels: c.labels, shade: c.shade, stacked: c.stacked, markerX: c.markerX ?? null,
    markerLabel: t(lang, 'series.knee'),
    // a runner's band is grey like the generator's shading, and worded here; a fault's label is its own
    faults: c.faults?.map((f) => (f.runner ? { from: f.from, to: f.to, label: t(lang, 'chart.runnerBand', { segment: f.runner }), tone: 'generator' as const } : f)),
    title: t(lang, c.title, c.titleVars), xLabel: t(lang, c.xLabel), yLabel: t(lang, c.yLabel), y2Label: c.y2Label ? t(lang, c.y2Label) : undefined,
    datasets: c.series.map((s) => ({
      label: 'key' in s.label ? t(lang, s.label.key, 'raw' in s.label ? { raw: s.label.raw } : {}) : s.label.raw,
      data: s.data, color: s.color, dashed: s.dashed, axis: s.axis, type: s.type, stack: s.stack,
    })),
  };
}

export interface HtmlOptions {
  lang: Lang; generatedAt: string; chartJsSource?: string; extraScript?: string; extraHtml?: Html;
  /** docs/sources.md relative to the page, when the page lies inside the repository; else sections are named, not linked */
  sourcesHref?: string | null;
}

/** A section of docs/sources.md: a link relative to the page when it can resolve, else the section named. */
export function sectionLink(section: string, sourcesHref: string | null): Html {
  const anchor = section.split('#')[1] ?? '';
  return sourcesHref ? html`<a class="src" href="${sourcesHref}#${anchor}"><code>${section}</code></a>` : html`<code>${section}</code>`;
}

/** A script body inlined in the page: no "</script" inside it can end the element early. */
export function scriptBody(js: string): Html {
  return trusted(js.replace(/<\/script/gi, '<\\/script'));
}

/** The whole report as one self-contained HTML page: inline CSS, inline chart.js, data as JSON. */
export function renderHtml(m: ReportModel, o: HtmlOptions): string {
  const { lang } = o;
  const s = m.summary;
  const charts = m.charts.filter((c) => c.series.some((x) => x.data.some((v) => v !== null)));
  const payload = charts.map((c) => localizeChart(c, lang));
  const figure = (c: ChartPayload) => html`    <figure class="chart"><figcaption>${c.title}</figcaption><div class="box"><canvas id="chart-${c.id}" data-chart="${c.id}" role="img" aria-label="${c.title}"></canvas></div></figure>`;
  const mainCharts = payload.filter((_, i) => charts[i].group !== 'endpoint');
  const endpointCharts = payload.filter((_, i) => charts[i].group === 'endpoint');
  const noRetries = s.overall.requests > 0 && !charts.some((c) => c.id === 'retries' || c.id === 'abandoned');
  const verdict = verdictSentences(m, lang);
  const figures = keyFigures(m, lang);
  const dash = '—';
  const num = (x: number | null, d = 0) => (x === null ? dash : formatNumber(x, d));
  const msOr = (x: number | null) => (x === null ? dash : formatMs(x, lang));
  const pct = (x: number | null) => (x === null ? dash : formatPercent(x));
  const tr = (key: string, vars?: Record<string, string | number>) => t(lang, key, vars);

  const endpointRows = m.endpoints.map((r) => html`<tr><td class="name">${r.name}</td><td>${num(r.requests)}</td><td>${num(r.rps, 1)}</td><td>${pct(r.errorRate)}</td><td>${msOr(r.p50)}</td><td>${msOr(r.p95)}</td><td>${msOr(r.p99)}</td><td>${msOr(r.max)}</td><td class="${r.withinSlo === false ? 'bad' : r.withinSlo ? 'good' : ''}">${r.withinSlo === null ? dash : tr(r.withinSlo ? 'table.yes' : 'table.no')}</td></tr>`);
  const overall = s.overall;
  const thresholdRows = s.thresholds.checks.map((c) => html`<tr><td class="name">${c.name}</td><td><code>${c.threshold}</code></td><td>${c.value === null ? dash : /^rate\b/.test(c.threshold) ? formatPercent(c.value) : formatNumber(c.value, 2)}</td><td class="${c.pass ? 'good' : 'bad'}">${tr(c.pass ? 'table.pass' : 'table.fail')}</td></tr>`);
  const profileRows = m.method.profile.map((r) => {
    const name = paramName(r.name, lang);
    const src = paramSource(r.name, r.raw, r.source, lang);
    const section = src?.section ? html` · ${sectionLink(src.section, o.sourcesHref ?? null)}` : '';
    return html`<tr><td>${name === null ? html`<code>${r.name}</code>` : html`${name}<br><code class="key">${r.name}</code>`}</td><td class="num">${paramValue(r.name, r.raw, r.value, lang)}</td><td>${src === null ? dash : src.text}${section}</td></tr>`;
  });
  const runValue = (r: RunRow) => r.kind === 'label' ? tr(String(r.value))
    : r.kind === 'instant' ? formatInstant(String(r.value), lang)
    : r.kind === 'number' ? (typeof r.value === 'number' ? formatNumber(r.value, 2) : r.value)
    : r.kind === 'portalMode' && (r.value === 'resilient' || r.value === 'as-built' || r.value === 'none') ? tr(`method.portal.${r.value}`)
    : html`<code>${r.value}</code>`;
  const runRows = m.method.run.map((r) => html`<tr><td>${tr(r.key)}</td><td>${runValue(r)}</td></tr>`);
  const comp = m.method.compression;
  const compression = [
    comp.timeScale !== null && comp.timeScale !== 1 && comp.simulatedStart
      ? tr('compression.scaled', { scale: formatNumber(comp.timeScale, 2), start: comp.simulatedStart })
      : tr('compression.none'),
    comp.plannedDurationSeconds !== null ? tr('compression.planned', { s: formatNumber(comp.plannedDurationSeconds) }) : '',
  ].filter(Boolean).join(' ');

  return html`<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${tr('doc.title')} — ${s.run.id}</title>
<style>${trusted(CSS)}</style>
</head>
<body>
<header>
  <h1>${tr('doc.title')}</h1>
  <p class="sub">${tr('doc.subtitle', { scenario: s.run.scenario, target: s.run.target ?? dash })}</p>
  <p class="meta"><code>${s.run.id}</code> · ${formatInstant(s.run.startedAt, lang)} · ${tr('doc.generated', { at: formatInstant(o.generatedAt, lang) })}</p>
</header>
<main>
<section id="verdict" class="verdict">
  <h2>${tr('section.verdict')}</h2>
  <ul class="sentences">
${joinHtml(verdict.map((v) => html`    <li class="${v.tone}">${v.text}</li>`))}
  </ul>
  <h3>${tr('section.keyFigures')}</h3>
  <div class="figures">
${joinHtml(figures.map((f) => html`    <div class="figure"><div class="value">${f.value}</div><div class="label">${f.label}</div></div>`))}
  </div>
</section>
<section id="charts">
  <h2>${tr('section.charts')}</h2>
  ${m.verdict.saturatedSeconds > 0 && html`<p class="note">${tr('chart.shadeNote')}</p>`}
  ${m.charts.some((c) => c.faults?.some((f) => f.runner)) && html`<p class="note runners">${tr('chart.runnerBandNote')}</p>`}
  ${m.faultWindows.length > 0 && html`<p class="note faults">${tr('chart.faultNote', { faults: m.faultWindows.map((f) => f.label).join('; ') })}</p>`}
  <div class="chart-grid">
${joinHtml(mainCharts.map(figure))}
  </div>
  ${noRetries && html`<p class="note">${tr('chart.noRetries')}</p>`}
  ${endpointCharts.length > 0 && html`<h3>${tr('section.eachEndpoint')}</h3>
  <div class="chart-grid small">
${joinHtml(endpointCharts.map(figure))}
  </div>`}
</section>
${runnersHtml(m, lang)}
${levelsTableHtml(m, lang)}
${o.extraHtml}
<section id="endpoints">
  <h2>${tr('section.endpoints')}</h2>
  <table>
    <thead><tr><th>${tr('table.endpoint')}</th><th>${tr('table.requests')}</th><th>${tr('table.rps')}</th><th>${tr('table.errors')}</th><th>${tr('table.p50')}</th><th>${tr('table.p95')}</th><th>${tr('table.p99')}</th><th>${tr('table.max')}</th><th>${tr('table.slo')}</th></tr></thead>
    <tbody>
${joinHtml(endpointRows)}
    <tr class="total"><td>Σ</td><td>${num(overall.requests)}</td><td>${num(overall.rps, 1)}</td><td>${pct(overall.errorRate)}</td><td>${msOr(overall.latencyMs.p50)}</td><td>${msOr(overall.latencyMs.p95)}</td><td>${msOr(overall.latencyMs.p99)}</td><td>${msOr(overall.latencyMs.max)}</td><td></td></tr>
    </tbody>
  </table>
  <p class="note">${tr('method.sloNote', { p95: formatMs(m.slo.p95Ms, lang), err: formatPercent(m.slo.errorRate) })}</p>
</section>
${s.thresholds.checks.length > 0 && html`<section id="thresholds">
  <h2>${tr('section.thresholds')}</h2>
  <table><thead><tr><th>${tr('table.check')}</th><th>${tr('table.threshold')}</th><th>${tr('table.value')}</th><th>${tr('table.result')}</th></tr></thead>
  <tbody>${joinHtml(thresholdRows)}</tbody></table>
</section>`}
<section id="method">
  <h2>${tr('section.method')}</h2>
  <h3>${tr('section.profile')}</h3>
  ${m.method.profile.length ? html`<table class="kv"><thead><tr><th>${tr('table.parameter')}</th><th>${tr('table.value')}</th><th>${tr('table.source')}</th></tr></thead><tbody>${joinHtml(profileRows)}</tbody></table>
  <p class="note">${tr('source.sections')}</p>` : html`<p>${tr('table.none')}</p>`}
  <h3>${tr('section.compression')}</h3>
  <p>${compression}</p>
  <h3>${tr('section.run')}</h3>
  <table class="kv"><tbody>${joinHtml(runRows)}</tbody></table>
</section>
</main>
<footer><p>${tr('foot.offline')}</p></footer>
<script type="application/json" id="report-charts">${trusted(jsonForScript(payload))}</script>
<script>${scriptBody(o.chartJsSource ?? chartJs())}</script>
<script>${trusted(PAGE_SCRIPT)}</script>
${o.extraScript ? html`<script>${scriptBody(o.extraScript)}</script>` : ''}
</body>
</html>
`.text;
}

/** The page's own script: draws every chart from the JSON above with the same chartConfig as the PNGs. */
export const PAGE_SCRIPT = `
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
`;

export const CSS = `
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
.chart-grid.small { grid-template-columns: repeat(auto-fill, minmax(380px, 1fr)); gap: 12px; }
.chart-grid.small figure.chart figcaption { font-size: 13px; }
.chart-grid.small figure.chart .box { height: 220px; }
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
code { font-family: 'DejaVu Sans Mono', monospace; font-size: 12px; word-break: break-word; }
code.key { color: var(--muted); font-size: 11px; }
td.num { white-space: nowrap; }
a.src { color: var(--info); }
footer { padding: 12px 32px 32px; color: var(--muted); font-size: 12px; }
@media print {
  header { border-bottom-color: #000; }
  main { max-width: none; }
  .chart-grid { grid-template-columns: 1fr; }
  .chart-grid.small { grid-template-columns: 1fr 1fr; }
  .chart-grid.small figure.chart .box { height: 200px; }
  figure.chart .box { height: 280px; }
  section { break-inside: avoid-page; }
  .whatif input { border: none; }
}
`;
