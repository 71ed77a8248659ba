import { formatMs, formatNumber, formatPercent, type Lang } from './format.js';
import { html, joinHtml, type Html } from './html-template.js';
import { t } from './i18n.js';
import type { ReportModel } from './model-types.js';

/**
 * The table of load levels: when each began (on the clock the report's times use), how long it lasted
 * in real seconds, what was offered and served, and its verdict with the criteria that failed it — the
 * verdicts of src/analysis/levels.ts, read from summary.json, never recomputed here.
 */
export function levelsTableHtml(m: ReportModel, lang: Lang): Html | '' {
  if (m.levels.length === 0) return '';
  const dash = '—';
  const tr = (key: string, vars?: Record<string, string | number>) => t(lang, key, vars);
  const rps = (x: number | null) => (x === null ? dash : formatNumber(x, x < 10 ? 1 : 0));
  const rows = m.levels.map((r) => {
    const why = r.failedBy.map((c) => tr(`levels.by.${c}`)).join('; ');
    return html`<tr><td>${r.label ?? dash}</td><td>${r.seconds === null ? dash : formatNumber(r.seconds)}</td><td>${rps(r.offeredRps)}</td><td>${rps(r.throughputRps)}</td><td>${r.achievedShare === null ? dash : formatPercent(r.achievedShare)}</td><td>${r.p95Ms === null ? dash : formatMs(r.p95Ms, lang)}</td><td>${r.errorRate === null ? dash : formatPercent(r.errorRate)}</td><td class="${r.held ? 'good' : 'bad'}">${r.held ? tr('levels.held') : tr('levels.failed', { why })}</td></tr>`;
  });
  return html`<section id="levels">
  <h2>${tr('section.levels')}</h2>
  <p class="note">${tr('levels.intro', { p95: formatMs(m.slo.p95Ms, lang), err: formatPercent(m.slo.errorRate) })}</p>
  <table>
    <thead><tr><th>${tr('levels.at')}</th><th>${tr('levels.seconds')}</th><th>${tr('levels.offered')}</th><th>${tr('levels.throughput')}</th><th>${tr('levels.achieved')}</th><th>${tr('table.p95')}</th><th>${tr('table.errors')}</th><th>${tr('levels.verdict')}</th></tr></thead>
    <tbody>
${joinHtml(rows)}
    </tbody>
  </table>
  <p class="note">${tr('levels.achievedNote')}</p>
</section>`;
}
