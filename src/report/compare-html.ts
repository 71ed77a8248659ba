/**
 * The run-vs-run comparison page (`capacity-test compare`): two runs' percentiles over time on one
 * time axis, each endpoint's figures with the gate's verdict, business outcomes side by side. Pure: it
 * renders plain data (two summaries, their faults, the gate's verdicts as its caller computed them —
 * the report never imports the gate), self-contained (chart.js inlined, the report's own chart code),
 * in English or Hindi (compare-i18n.ts).
 */
import type { Summary } from '../contracts/summary.js';
import { formatClock, clockMinutes } from '../contracts/clock.js';
import type { FaultRecord } from '../rundir/faults-file.js';
import type { ChartPayload } from './chart-config.js';
import { tc, type CompareKey } from './compare-i18n.js';
import { formatInstant, formatMs, formatNumber, formatPaise, formatPercent, jsonForScript, type Lang } from './format.js';
import { html, joinHtml, trusted } from './html-template.js';
import { chartJs, CSS, PAGE_SCRIPT, scriptBody } from './html.js';

export interface CompareRun {
  id: string;
  /** how the page names it: the run id and its directory */
  label: string;
  summary: Summary;
  faults: readonly FaultRecord[];
  /** the simulated clock the run replayed (run.json extra), null when none */
  simulated: { start: string; timeScale: number } | null;
}

/** A gate verdict as the page reads it (src/gate/compare.ts Verdict has these fields). */
export interface CompareVerdict {
  scope: string;
  metric: 'p95' | 'p99' | 'errorRate' | 'rps' | 'presence' | 'threshold' | 'generator' | 'run';
  status: 'pass' | 'fail' | 'info';
  outcome: 'pass' | 'regression' | 'improvement' | 'inconclusive';
  baseline: number | null;
  current: number | null;
  limit: string;
  evidence?: { ratio: number; ratioLow: number; ratioHigh: number; pSlower: number; pFaster: number; corrected: boolean } | null;
}

export interface CompareInput {
  a: CompareRun;
  b: CompareRun;
  gate: { pass: boolean; verdicts: readonly CompareVerdict[] };
}

const COLOR = { a: '#0969da', b: '#8250df' } as const;

/** One time axis for both runs: the simulated clock when they replayed the same one, else seconds. */
function timeAxis(a: CompareRun, b: CompareRun, width: number, n: number, lang: Lang): { labels: string[]; xLabel: string } {
  const same = a.simulated && b.simulated && a.simulated.start === b.simulated.start && a.simulated.timeScale === b.simulated.timeScale;
  const start = same ? clockMinutes(a.simulated!.start) : null;
  if (same && start !== null) {
    const scale = a.simulated!.timeScale;
    return { labels: Array.from({ length: n }, (_, i) => formatClock(start + (i * width * scale) / 60)), xLabel: tc(lang, 'cmp.axis.simulatedTime') };
  }
  return { labels: Array.from({ length: n }, (_, i) => String(i * width)), xLabel: tc(lang, 'cmp.axis.runTime') };
}

/** Per-second values summed into windows of `width` seconds. */
function perWindow(values: ReadonlyArray<number | null>, width: number, n: number): Array<number | null> {
  return Array.from({ length: n }, (_, i) => {
    let sum = 0, any = false;
    for (let t = i * width; t < (i + 1) * width && t < values.length; t++) if (values[t] !== null) { sum += values[t]!; any = true; }
    return any ? sum / width : null;
  });
}

function faultMarksOf(run: CompareRun, name: string, width: number, n: number): NonNullable<ChartPayload['faults']> {
  return run.faults.map((f) => {
    const from = f.appliedAtSecond ?? f.fromSecond, to = f.clearedAtSecond ?? f.toSecond;
    return { from: Math.min(n - 1, Math.floor(from / width)), to: Math.min(n - 1, Math.max(Math.floor(from / width), Math.ceil(to / width) - 1)), label: `${name}: ${f.label}` };
  });
}

function pad<T>(xs: ReadonlyArray<T> | undefined, n: number): Array<T | null> {
  return Array.from({ length: n }, (_, i) => (xs && i < xs.length ? xs[i] : null));
}

function charts(input: CompareInput, lang: Lang): ChartPayload[] {
  const { a, b } = input;
  const wa = a.summary.latencyWindows, wb = b.summary.latencyWindows;
  const width = wa?.seconds ?? wb?.seconds ?? 1;
  const seconds = Math.max(a.summary.timeline.length, b.summary.timeline.length, 1);
  const n = Math.max(wa?.overall.p95Ms.length ?? 0, wb?.overall.p95Ms.length ?? 0, Math.ceil(seconds / width));
  const { labels, xLabel } = timeAxis(a, b, width, n, lang);
  const faults = [...faultMarksOf(a, 'A', width, n), ...faultMarksOf(b, 'B', width, n)];
  const base = { kind: 'time' as const, labels, xLabel, ...(faults.length ? { faults } : {}) };
  const out: ChartPayload[] = [];
  const A = tc(lang, 'cmp.runA'), B = tc(lang, 'cmp.runB');
  out.push({
    ...base, id: 'latency', title: tc(lang, 'cmp.chart.latency'), yLabel: tc(lang, 'cmp.axis.ms'),
    datasets: [
      { label: tc(lang, 'cmp.series.p95', { run: A }), data: pad(wa?.overall.p95Ms, n), color: COLOR.a },
      { label: tc(lang, 'cmp.series.p99', { run: A }), data: pad(wa?.overall.p99Ms, n), color: COLOR.a, dashed: true },
      { label: tc(lang, 'cmp.series.p95', { run: B }), data: pad(wb?.overall.p95Ms, n), color: COLOR.b },
      { label: tc(lang, 'cmp.series.p99', { run: B }), data: pad(wb?.overall.p99Ms, n), color: COLOR.b, dashed: true },
    ],
  });
  out.push({
    ...base, id: 'rps', title: tc(lang, 'cmp.chart.rps'), yLabel: tc(lang, 'cmp.axis.rps'),
    datasets: [
      { label: tc(lang, 'cmp.series.rps', { run: A }), data: perWindow(a.summary.timeline.map((p) => p.rps), width, n), color: COLOR.a },
      { label: tc(lang, 'cmp.series.rps', { run: B }), data: perWindow(b.summary.timeline.map((p) => p.rps), width, n), color: COLOR.b },
    ],
  });
  const names = Object.keys(a.summary.endpoints).filter((e) => e in b.summary.endpoints)
    .sort((x, y) => b.summary.endpoints[y].requests - b.summary.endpoints[x].requests);
  names.forEach((name, i) => {
    const ea = wa?.endpoints[name], eb = wb?.endpoints[name];
    if (!ea && !eb) return;
    out.push({
      ...base, id: `endpoint-${i}`, title: tc(lang, 'cmp.chart.endpoint', { raw: name }), yLabel: tc(lang, 'cmp.axis.ms'),
      datasets: [
        { label: tc(lang, 'cmp.series.p95', { run: A }), data: pad(ea?.p95Ms, n), color: COLOR.a },
        { label: tc(lang, 'cmp.series.p95', { run: B }), data: pad(eb?.p95Ms, n), color: COLOR.b },
      ],
    });
  });
  return out;
}

function valueText(metric: CompareVerdict['metric'], v: number | null, lang: Lang): string {
  if (v === null) return '–';
  switch (metric) {
    case 'p95': case 'p99': return formatMs(v, lang);
    case 'errorRate': return formatPercent(v);
    case 'rps': return `${formatNumber(v, v >= 100 ? 0 : 1)}/s`;
    default: return formatNumber(v, Number.isInteger(v) ? 0 : 2);
  }
}

function changeText(v: CompareVerdict): string {
  if (v.baseline === null || v.current === null) return '';
  const d = v.current - v.baseline;
  if (v.metric === 'errorRate') return `${d >= 0 ? '+' : '−'}${formatNumber(Math.abs(d) * 100, 2)} pp`;
  if (!v.baseline) return '';
  const pct = (d / v.baseline) * 100;
  return `${pct >= 0 ? '+' : '−'}${formatNumber(Math.abs(pct), 1)}%`;
}

function evidenceText(v: CompareVerdict, lang: Lang): string {
  const e = v.evidence;
  if (!e) return '';
  const p = e.ratio >= 1 ? e.pSlower : e.pFaster;
  const pText = p >= 0.001 ? String(Number(p.toPrecision(2))) : p.toExponential(0);
  return `×${e.ratio.toFixed(2)} [${e.ratioLow.toFixed(2)}–${e.ratioHigh.toFixed(2)}], p = ${pText}${e.corrected ? ` (${tc(lang, 'cmp.vsOthers')})` : ''}`;
}

function outcomeOf(v: CompareVerdict): 'pass' | 'regression' | 'improvement' | 'inconclusive' | 'note' {
  if (v.metric === 'p95' || v.metric === 'p99' || v.metric === 'errorRate' || v.metric === 'rps') return v.outcome;
  return v.status === 'fail' ? 'regression' : v.status === 'pass' ? 'pass' : 'note';
}

export interface CompareHtmlOptions { lang: Lang; generatedAt: string; chartJsSource?: string }

export function renderCompareHtml(input: CompareInput, o: CompareHtmlOptions): string {
  const { lang } = o;
  const { a, b, gate } = input;
  const tr = (key: CompareKey, vars?: Record<string, string | number>) => tc(lang, key, vars);
  const payload = charts(input, lang);
  const figure = (c: ChartPayload) => html`    <figure class="chart"><figcaption>${c.title}</figcaption><div class="box"><canvas id="chart-${c.id}" data-chart="${c.id}" role="img" aria-label="${c.title}"></canvas></div></figure>`;
  const lat = gate.verdicts.filter((v) => v.metric === 'p95' || v.metric === 'p99');
  const count = (k: CompareVerdict['outcome']) => lat.filter((v) => v.outcome === k).length;
  const allFaults = [...a.faults.map((f) => `A: ${f.label}`), ...b.faults.map((f) => `B: ${f.label}`)];

  const rows = gate.verdicts.filter((v) => v.metric !== 'threshold').map((v) => {
    const outcome = outcomeOf(v);
    const scope = v.scope === 'overall' ? tr('cmp.overall') : v.scope;
    return html`<tr class="${outcome}" data-scope="${v.scope}" data-metric="${v.metric}" data-outcome="${outcome}"><td class="name">${scope}</td><td>${tr(`cmp.metric.${v.metric}` as CompareKey)}</td><td>${valueText(v.metric, v.baseline, lang)}</td><td>${valueText(v.metric, v.current, lang)}</td><td>${changeText(v)}</td><td>${v.limit}</td><td class="verdict">${tr(`cmp.outcome.${outcome}` as CompareKey)}</td><td>${evidenceText(v, lang)}</td></tr>`;
  });

  const biz = (s: Summary) => s.business;
  const bizRow = (key: CompareKey, field: string, fmt: (v: number) => string, of: (s: Summary) => number | null = (s) => (biz(s) as Record<string, number | null>)[field] ?? null) => {
    const va = of(a.summary), vb = of(b.summary);
    const show = (v: number | null) => (v === null ? tr('cmp.notMeasured') : fmt(v));
    return html`<tr data-field="${field}"><td class="name">${tr(key)}</td><td>${show(va)}</td><td>${show(vb)}</td><td>${va !== null && vb !== null ? (vb - va >= 0 ? '+' : '−') + fmt(Math.abs(vb - va)) : ''}</td></tr>`;
  };
  const count0 = (v: number) => formatNumber(v);
  const businessRows = [
    bizRow('cmp.biz.requests', 'requests', count0, (s) => s.overall.requests),
    bizRow('cmp.biz.errorRate', 'errorRate', (v) => formatPercent(v), (s) => s.overall.errorRate),
    bizRow('cmp.biz.registrations', 'registrations', count0),
    bizRow('cmp.biz.ordersPlaced', 'ordersPlaced', count0),
    bizRow('cmp.biz.ordersAccepted', 'ordersAccepted', count0),
    bizRow('cmp.biz.walletDiscrepancyPaise', 'walletDiscrepancyPaise', (v) => formatPaise(Math.round(v), lang)),
    bizRow('cmp.biz.stuckDebits', 'stuckDebits', count0),
    bizRow('cmp.biz.refundLatencyP95Seconds', 'refundLatencyP95Seconds', (v) => formatMs(v * 1000, lang)),
  ];
  const main = payload.filter((c) => !c.id.startsWith('endpoint-'));
  const perEndpoint = payload.filter((c) => c.id.startsWith('endpoint-'));

  return html`<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${tr('cmp.title')} — ${a.id} / ${b.id}</title>
<style>${trusted(CSS)}
tr.regression td.verdict { color: var(--bad); font-weight: 600; }
tr.improvement td.verdict { color: var(--good); font-weight: 600; }
tr.inconclusive td.verdict { color: var(--warn); }
</style>
</head>
<body>
<header>
  <h1>${tr('cmp.title')}</h1>
  <p class="sub">${tr('cmp.subtitle', { a: a.label, b: b.label })}</p>
  <p class="sub">${tr('cmp.generated', { at: formatInstant(o.generatedAt, lang) })}</p>
</header>
<main>
<section id="verdict">
  <h2>${tr('cmp.section.verdict')}</h2>
  <p class="${gate.pass ? 'good' : 'bad'}" id="gate-verdict" data-pass="${String(gate.pass)}"><strong>${tr(gate.pass ? 'cmp.gate.passed' : 'cmp.gate.failed')}</strong> ${tr('cmp.gate.counts', { regressions: count('regression'), inconclusive: count('inconclusive'), improvements: count('improvement'), pass: count('pass') })}</p>
  <p class="note">${tr('cmp.gate.rule')}</p>
</section>
<section id="charts">
  <h2>${tr('cmp.section.charts')}</h2>
  ${allFaults.length > 0 && html`<p class="note faults">${tr('cmp.faultNote', { faults: allFaults.join('; ') })}</p>`}
  <div class="chart-grid">
${joinHtml(main.map(figure))}
  </div>
  <div class="chart-grid small">
${joinHtml(perEndpoint.map(figure))}
  </div>
</section>
<section id="deltas">
  <h2>${tr('cmp.section.deltas')}</h2>
  <table>
    <thead><tr><th>${tr('cmp.th.scope')}</th><th>${tr('cmp.th.metric')}</th><th>${tr('cmp.th.a')}</th><th>${tr('cmp.th.b')}</th><th>${tr('cmp.th.change')}</th><th>${tr('cmp.th.limit')}</th><th>${tr('cmp.th.verdict')}</th><th>${tr('cmp.th.seconds')}</th></tr></thead>
    <tbody>
${joinHtml(rows)}
    </tbody>
  </table>
</section>
<section id="business">
  <h2>${tr('cmp.section.business')}</h2>
  <table>
    <thead><tr><th></th><th>${tr('cmp.th.a')}</th><th>${tr('cmp.th.b')}</th><th>${tr('cmp.th.change')}</th></tr></thead>
    <tbody>
${joinHtml(businessRows)}
    </tbody>
  </table>
</section>
</main>
<script type="application/json" id="report-charts">${trusted(jsonForScript(payload))}</script>
<script>${scriptBody(o.chartJsSource ?? chartJs())}</script>
<script>${trusted(PAGE_SCRIPT)}</script>
</body>
</html>
`.text;
}
