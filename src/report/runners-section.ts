import { formatMs, formatNumber, type Lang } from './format.js';
import { html, joinHtml, type Html } from './html-template.js';
import { t } from './i18n.js';
import type { ReportModel } from './model-types.js';
import type { RunnerSentence } from './runner-rows.js';

/**
 * The report's runners section (a merge of the runners of one test): the sentences of runner-rows.ts
 * above a table of one row per runner — where it ran, whether it finished, the seconds it wrote, what
 * it sent and its generator's health. Nothing for a run that is not a merge of runners.
 */
export function runnerSentenceText(s: RunnerSentence, lang: Lang): string {
  const vars = Object.fromEntries(Object.entries(s.vars).map(([k, v]) => [k, typeof v === 'object' ? t(lang, v.key) : v]));
  return t(lang, s.key, vars);
}

export function runnersHtml(m: ReportModel, lang: Lang): Html | '' {
  if (!m.runners) return '';
  const dash = '—';
  const tr = (key: string, vars?: Record<string, string | number>) => t(lang, key, vars);
  const ms = (x: number | null) => (x === null ? dash : formatMs(x, lang));
  const rows = m.runners.rows.map((r) => html`<tr data-segment="${r.segment}"><td>${r.segment}</td><td class="name">${r.host ?? dash}</td><td class="${r.status === 'finished' ? 'good' : 'bad'}">${tr(`runners.status.${r.status}`)}</td><td>${r.plannedSeconds === null ? formatNumber(r.secondsWritten) : tr('runners.secondsOf', { w: formatNumber(r.secondsWritten), p: formatNumber(r.plannedSeconds) })}</td><td>${formatNumber(r.requests)}</td><td>${formatNumber(r.droppedIterations)}</td><td>${ms(r.scheduleLagP99Ms)}</td><td>${ms(r.eventLoopLagP99Ms)}</td><td class="${r.saturatedSeconds > 0 ? 'bad' : ''}">${formatNumber(r.saturatedSeconds)}</td></tr>`);
  return html`<section id="runners">
  <h2>${tr('section.runners')}</h2>
  <ul class="sentences">
${joinHtml(m.runners.sentences.map((s) => html`    <li class="${s.tone}">${runnerSentenceText(s, lang)}</li>`))}
  </ul>
  <table>
    <thead><tr><th>${tr('runners.col.runner')}</th><th>${tr('runners.col.host')}</th><th>${tr('runners.col.status')}</th><th>${tr('runners.col.seconds')}</th><th>${tr('runners.col.requests')}</th><th>${tr('runners.col.dropped')}</th><th>${tr('runners.col.scheduleLag')}</th><th>${tr('runners.col.loopLag')}</th><th>${tr('runners.col.saturated')}</th></tr></thead>
    <tbody>
${joinHtml(rows)}
    </tbody>
  </table>
  <p class="note">${tr('runners.healthNote')}</p>
</section>`;
}
