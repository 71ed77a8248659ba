import { formatCount, formatMs, formatNumber, formatPaise, formatPercent, type Lang } from './format.js';
import { t, type StringKey } from './i18n.js';
import type { ReportModel } from './model-types.js';

type Tone = 'good' | 'bad' | 'warn' | 'info';

/**
 * The verdict in plain sentences, for someone who has never seen a latency chart. Every word comes from
 * the typed en/hi string tables (i18n.ts, keys `verdict.*`): this file only picks the sentences and
 * fills in their figures.
 */
export function verdictSentences(m: ReportModel, lang: Lang): Array<{ tone: Tone; text: string }> {
  const v = m.verdict;
  const say = (key: StringKey, vars: Record<string, string | number> = {}) => t(lang, key, vars);
  const rps = (x: number) => formatNumber(x, x < 10 ? 1 : 0);
  const ms = (x: number) => formatMs(x, lang);
  // A time of day on the simulated launch clock, or minutes:seconds into the test.
  const when = (label: string) => say(m.simulatedTime ? 'verdict.when.simulated' : 'verdict.when.run', { label });
  const out: Array<{ tone: Tone; text: string }> = [];
  const add = (tone: Tone, key: StringKey, vars?: Record<string, string | number>) => out.push({ tone, text: say(key, vars) });
  if (v.aborted) add('bad', 'verdict.aborted');
  else if (v.unfinished) add('bad', 'verdict.unfinished');

  // 1. How many instances.
  if (v.instancesForPeak !== null && v.peakDemandRps !== null) {
    const headroom = v.headroom !== null ? say('verdict.instances.headroom', { h: formatPercent(v.headroom) }) : '';
    add('info', 'verdict.instances', { peak: rps(v.peakDemandRps), n: formatNumber(v.instancesForPeak), plural: v.instancesForPeak === 1 ? '' : 's', headroom });
  } else if (v.peakDemandRps === null) add('warn', 'verdict.noPeak');
  else add('warn', 'verdict.noInstances', { peak: rps(v.peakDemandRps) });
  const ls = v.limitSweep;
  // what the sweep offered: the day's journeys; a run.json from before it replayed them names the one path it GET
  const swept = ls && ls.journeys.length === 0 && ls.path !== null ? say('verdict.limitSweep.swept.path', { path: ls.path.split('?')[0] }) : say('verdict.limitSweep.swept.journeys');
  const sweepVars = ls ? { seconds: formatNumber(ls.seconds), swept, to: rps(ls.toRps) } : null;
  if (ls && sweepVars && ls.limitReached && ls.maxSustainableRps !== null) {
    // the replay never reached the limit; the sweep after it did, and the fleet is sized on that
    const why = ls.failedBy.map((c) => say(`levels.by.${c}` as StringKey)).join('; ');
    add('info', 'verdict.limitSweep.found', { ...sweepVars, rps: rps(ls.maxSustainableRps), at: ls.failedAtRps !== null ? rps(ls.failedAtRps) : '—', why });
  } else if (v.maxSustainableRps !== null && !v.limitReached && ls && sweepVars) {
    const why = ls.error ? say('verdict.limitSweep.error') : ls.saturatedSeconds > 0 ? say('verdict.limitSweep.generator') : '';
    add('info', 'verdict.limitSweep.notFound', { ...sweepVars, rps: rps(ls.maxSustainableRps ?? v.maxSustainableRps), why });
  } else if (v.maxSustainableRps !== null && !v.limitReached) add('info', 'verdict.limitNotReached', { rps: rps(v.maxSustainableRps) });
  else if (v.maxSustainableRps !== null) {
    // a knee at or below the sustained rate is where answers start slowing, still within target; above it, where they break
    const knee = v.kneeRps === null ? '' : say(v.kneeRps <= v.maxSustainableRps ? 'verdict.sustains.kneeBelow' : 'verdict.sustains.knee', { knee: rps(v.kneeRps) });
    add('info', 'verdict.sustains', { rps: rps(v.maxSustainableRps), knee });
  } else if (v.bestWithinSloRps !== null) add('info', 'verdict.bestWithinSlo', { rps: rps(v.bestWithinSloRps) });

  // 2. What breaks first.
  const fb = v.firstBreak;
  if (fb) {
    const what = fb.reason === 'latency' ? say('verdict.break.latency', { ms: ms(fb.value) }) : say('verdict.break.errors', { pct: formatPercent(fb.value) });
    add('bad', 'verdict.firstBreak', { endpoint: fb.endpoint, rps: rps(fb.atRps), when: when(fb.atLabel), what });
  } else if (v.maxTestedRps === null) add('warn', 'verdict.noLevels');
  else add('good', 'verdict.nothingBroke', { rps: rps(v.maxTestedRps) });

  // 3. How long people wait.
  const w = v.wait;
  if (w.p50Ms !== null && w.p95Ms !== null) {
    add(w.p95Ms > m.slo.p95Ms ? 'warn' : 'good', 'verdict.wait', {
      p50: ms(w.p50Ms), p95: ms(w.p95Ms),
      p99: w.p99Ms !== null ? say('verdict.wait.p99', { ms: ms(w.p99Ms) }) : '',
      busiest: w.busiestP95Ms !== null && w.busiestLabel ? say('verdict.wait.busiest', { when: when(w.busiestLabel), ms: ms(w.busiestP95Ms) }) : '',
    });
  }

  // 4. Is money safe.
  const mo = v.money;
  if (mo) {
    const lost = mo.discrepancyPaise ?? 0;
    const stuck = mo.stuckDebits ?? 0;
    const held = mo.heldPaise !== null ? formatPaise(mo.heldPaise, lang) : null;
    if (lost !== 0) add('bad', 'verdict.moneyLost', { amount: formatPaise(lost, lang) });
    else if (stuck > 0) {
      add('bad', 'verdict.moneyStuck', {
        n: formatCount(stuck, lang),
        paise: mo.stuckPaise !== null ? ` (${formatPaise(mo.stuckPaise, lang)})` : '',
        held: held ? say('verdict.moneyStuck.held', { held }) : '',
      });
    } else add('good', 'verdict.moneySafe', { held: held ? say('verdict.moneySafe.held', { held }) : '' });
    // the portal times refunds on its own simulated clock: say so, and what that is in real time
    if (mo.refundP95Seconds !== null) {
      const scale = m.method.compression.timeScale;
      const sim = ms(mo.refundP95Seconds * 1000);
      if (scale !== null && scale > 0 && scale !== 1) add('info', 'verdict.refunds.simulated', { sim, real: ms((mo.refundP95Seconds * 1000) / scale), scale: formatNumber(scale, 2) });
      else add('info', 'verdict.refunds.portalClock', { sim });
    }
  } else add('warn', 'verdict.moneyUnchecked');

  // 5. Can the figures be trusted. A portal of the team's own keeps its own clock: say whose the times are.
  const tc = m.targetClock;
  if (tc?.source === 'portal') add('info', tc.planStart ? 'verdict.clock.targetPortal.plan' : 'verdict.clock.targetPortal', { start: tc.planStart ?? '' });
  else if (tc?.source === 'plan' && tc.planStart) add('info', 'verdict.clock.targetPlan', { start: tc.planStart, scale: formatNumber(tc.timeScale ?? 1, 2) });
  if (v.saturatedSeconds > 0) add('warn', 'verdict.saturated', { n: formatNumber(v.saturatedSeconds) });
  if (v.thresholds.evaluated && v.thresholds.total > 0) {
    if (v.thresholds.pass) add('good', 'verdict.thresholdsMet', { n: formatNumber(v.thresholds.total) });
    else add('bad', 'verdict.thresholdsFailed', { n: formatNumber(v.thresholds.failed.length) });
  }
  return out;
}

/** The few headline figures next to the verdict: label and value, already formatted. */
export function keyFigures(m: ReportModel, lang: Lang): Array<{ label: string; value: string }> {
  const v = m.verdict;
  const dash = '—';
  const rps = (x: number | null) => (x === null ? dash : formatNumber(x, x < 10 ? 1 : 0));
  const row = (key: StringKey, value: string) => ({ label: t(lang, key), value });
  return [
    row('figure.instances', v.instancesForPeak === null ? dash : formatNumber(v.instancesForPeak)),
    row('figure.peak', rps(v.peakDemandRps)),
    row('figure.perInstance', rps(v.perInstanceRps ?? v.maxSustainableRps ?? v.bestWithinSloRps)),
    row('figure.p95', v.wait.p95Ms === null ? dash : formatMs(v.wait.p95Ms, lang)),
    row('figure.registrations', v.registrations === null ? dash : formatNumber(v.registrations)),
    row('figure.orders', `${v.ordersPlaced === null ? dash : formatNumber(v.ordersPlaced)} / ${v.ordersAccepted === null ? dash : formatNumber(v.ordersAccepted)}`),
    row('figure.stuck', v.money?.stuckDebits === null || v.money === null ? dash : formatNumber(v.money.stuckDebits!)),
    row('figure.reconcile', v.money?.discrepancyPaise === null || v.money === null ? dash : formatPaise(v.money.discrepancyPaise!, lang)),
  ];
}
