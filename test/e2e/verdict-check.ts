import { STRINGS, t, type StringKey } from '../../src/report/i18n.js';
import { formatCount, formatMs, formatNumber, formatPaise, formatPercent, type Lang } from '../../src/report/format.js';
import { timeLabeller } from '../../src/report/model.js';
import type { Assessment } from '../../src/assess/index.js';

/**
 * Reading a rendered verdict back: each sentence is matched against the string tables' `verdict.*`
 * templates (so a sentence no table holds is found), its fragments against the fragment templates, and
 * every figure it shows is compared with the field of summary.json it stands for, formatted as the page
 * formats it: load levels from its table of levels (`capacity.loadLevels`), times of day on the run's
 * clock. Only an endpoint's p95 or error share at the level where it broke, which summary.json does
 * not hold, is compared with the run's assessment (the levels the analysis read, per endpoint).
 */

/** A figure's path in the sentence, e.g. `wait.busiest.when.label`, and its text. */
export type Figures = Map<string, string>;

const SENTENCES = ['aborted', 'unfinished', 'instances', 'noPeak', 'noInstances', 'limitNotReached', 'sustains', 'bestWithinSlo',
  'limitSweep.found', 'limitSweep.notFound', 'firstBreak', 'nothingBroke', 'noLevels', 'wait', 'moneyLost', 'moneyStuck', 'moneySafe', 'refunds.simulated', 'refunds.portalClock', 'moneyUnchecked', 'saturated',
  'thresholdsMet', 'thresholdsFailed'];

type Part = { lit: string } | { name: string };

function parts(template: string): Part[] {
  return template.split(/(\{\w+\})/).filter((x) => x !== '').map((x) => {
    const m = /^\{(\w+)\}$/.exec(x);
    return m ? { name: m[1] } : { lit: x };
  });
}

/** The fragment templates a variable may hold; none for a figure. Inside a fragment only a time is one. */
function fragmentsOf(lang: Lang, sentence: string | null, name: string): string[] {
  if (name === 'when') return ['verdict.when.simulated', 'verdict.when.run'];
  if (sentence === null) return [];
  if (name === 'what') return ['verdict.break.latency', 'verdict.break.errors'];
  if (sentence === 'limitSweep.notFound' && name === 'why') return ['verdict.limitSweep.generator', 'verdict.limitSweep.error'];
  // what the limit sweep offered: the day's journeys, or (a run.json from before) the one path it GET
  if (sentence?.startsWith('limitSweep.') && name === 'swept') return ['verdict.limitSweep.swept.journeys', 'verdict.limitSweep.swept.path'];
  // a sentence's own fragments: `verdict.sustains.knee` and `verdict.sustains.kneeBelow` for {knee}
  return Object.keys(STRINGS[lang]).filter((k) => k.startsWith(`verdict.${sentence}.${name}`));
}

/** Figures that are a list of clauses: the criteria a sweep step failed by, joined with "; ". */
const CLAUSE_FIGURES = new Set(['limitSweep.found.why']);

/**
 * Match `text` against a template, trying every split (shortest figures first): a figure never holds a
 * clause (no ";" or "।"), a fragment variable holds nothing or one of its fragments, matched in turn.
 */
function matchTemplate(lang: Lang, key: string, text: string, path: string, sentence: string | null): Figures | null {
  const ps = parts((STRINGS[lang] as Record<string, string>)[key]);
  const go = (i: number, pos: number): Figures | null => {
    if (i === ps.length) return pos === text.length ? new Map() : null;
    const p = ps[i];
    if ('lit' in p) return text.startsWith(p.lit, pos) ? go(i + 1, pos + p.lit.length) : null;
    const frags = fragmentsOf(lang, sentence, p.name);
    const sub = `${path}.${p.name}`;
    for (let end = pos; end <= text.length; end++) {
      const value = text.slice(pos, end);
      let own: Figures | null = null;
      if (frags.length === 0) {
        if (/[;।]/.test(value) && !CLAUSE_FIGURES.has(sub)) break;
        // a path figure is one URL path, never words (the swept-journeys fragment holds words around "के")
        if (sub.endsWith('.path') && !/^\/\S*$/.test(value)) continue;
        own = new Map([[sub, value]]);
      } else if (value === '') own = new Map([[sub, '']]);
      else {
        for (const f of frags) {
          const inner = matchTemplate(lang, f, value, sub, null);
          if (inner) { own = new Map([[`${sub}#`, f], ...inner]); break; }
        }
      }
      if (!own) continue;
      const rest = go(i + 1, end);
      if (rest) return new Map([...own, ...rest]);
    }
    return null;
  };
  return go(0, 0);
}

/** Each sentence's template key and its figures; throws on a sentence no template holds. */
export function readVerdict(lang: Lang, sentences: string[]): Array<{ key: string; text: string; figures: Figures }> {
  return sentences.map((text) => {
    for (const s of SENTENCES) {
      const figures = matchTemplate(lang, `verdict.${s}`, text, s, s);
      if (figures) return { key: s, text, figures };
    }
    throw new Error(`a verdict sentence no string table holds: ${text}`);
  });
}

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * What each figure must read, from summary.json (or, where it has no field for it, the assessment's
 * load levels). A figure missing here fails the check: a new sentence must say where its numbers are from.
 */
export function expectedFigures(lang: Lang, summary: Json, a: Assessment): (path: string, shown: string) => string | string[] {
  const rps = (x: number) => formatNumber(x, x < 10 ? 1 : 0);
  const ms = (x: number) => formatMs(x, lang);
  const cap = summary.capacity, b = summary.business, lat = summary.overall.latencyMs;
  const label = timeLabeller(a.runInfo, a.server).label;
  // the time compression the run recorded (run.json extra.timeScale): simulated seconds per real second
  const scale = a.runInfo.extra?.timeScale as number;
  // the levels the analysis kept (a level the generator was saturated through has no p95 and says nothing)
  const points: Array<{ from: number; offeredRps: number; throughputRps: number; p95Ms: number; errorRate: number; saturatedPoints: number }> =
    (cap.loadLevels ?? []).filter((r: { p95Ms: number | null }) => r.p95Ms !== null);
  const busiest = points.length ? points.reduce((x, y) => (y.offeredRps > x.offeredRps ? y : x)) : null;
  const slo = cap.slo;
  const good = points.filter((p) => p.saturatedPoints === 0 && p.p95Ms <= slo.p95Ms && p.errorRate <= slo.errorRate);
  const table: Record<string, (shown: string) => string | string[]> = {
    'instances.peak': () => rps(cap.peakDemandRps),
    'instances.n': () => formatNumber(cap.instancesForPeak),
    'instances.plural': () => (cap.instancesForPeak === 1 ? '' : 's'),
    'instances.headroom': () => '',
    'instances.headroom.h': () => formatPercent(cap.sizing.headroom),
    'noInstances.peak': () => rps(cap.peakDemandRps),
    'limitNotReached.rps': () => rps(cap.maxSustainableRps),
    'sustains.rps': () => rps(cap.maxSustainableRps),
    'sustains.knee': () => '',
    'sustains.knee.knee': () => rps(cap.kneeRps),
    // launch-day's limit sweep after a replay that held every level (capacity.limitSweep)
    'limitSweep.found.seconds': () => formatNumber(cap.limitSweep.seconds),
    'limitSweep.found.swept.path': () => cap.limitSweep.path.split('?')[0],
    'limitSweep.found.rps': () => rps(cap.limitSweep.maxSustainableRps),
    'limitSweep.found.at': () => (cap.limitSweep.failedAtRps === null ? '—' : rps(cap.limitSweep.failedAtRps)),
    'limitSweep.found.why': () => cap.limitSweep.failedBy.map((c: string) => t(lang, `levels.by.${c}` as StringKey)).join('; '),
    'limitSweep.notFound.seconds': () => formatNumber(cap.limitSweep.seconds),
    'limitSweep.notFound.swept.path': () => cap.limitSweep.path.split('?')[0],
    'limitSweep.notFound.to': () => rps(cap.limitSweep.toRps),
    'limitSweep.notFound.rps': () => rps(cap.limitSweep.maxSustainableRps ?? cap.maxSustainableRps),
    'limitSweep.notFound.why': () => '',
    // the table of levels
    'bestWithinSlo.rps': () => rps(Math.max(...good.map((p) => p.throughputRps))),
    'nothingBroke.rps': () => rps(Math.max(...points.map((p) => p.offeredRps))),
    'firstBreak.endpoint': () => Object.keys(summary.endpoints),
    'firstBreak.rps': () => points.map((p) => rps(p.offeredRps)),
    'firstBreak.when.label': () => points.map((p) => label(p.from)),
    // an endpoint's figures at a level: the assessment's (summary.json has the level's, not each endpoint's)
    'firstBreak.what.ms': () => a.digest.levels.flatMap((l) => [...l.endpoints.values()].map((e) => (e.p95Ms === null ? '' : ms(e.p95Ms)))),
    'firstBreak.what.pct': () => a.digest.levels.flatMap((l) => [...l.endpoints.values()].map((e) => formatPercent(e.errors / Math.max(1, e.outcomes)))),
    'wait.p50': () => ms(lat.p50),
    'wait.p95': () => ms(lat.p95),
    'wait.p99': () => '',
    'wait.p99.ms': () => ms(lat.p99),
    'wait.busiest': () => '',
    'wait.busiest.when.label': () => label(busiest!.from),
    'wait.busiest.ms': () => ms(busiest!.p95Ms),
    'moneyLost.amount': () => formatPaise(b.walletDiscrepancyPaise, lang),
    'moneyStuck.n': () => formatCount(b.stuckDebits, lang),
    'moneyStuck.paise': () => ` (${formatPaise(b.stuckPaise, lang)})`,
    'moneyStuck.held': () => '',
    'moneyStuck.held.held': () => formatPaise(b.heldPaise, lang),
    'moneySafe.held': () => '',
    'moneySafe.held.held': () => formatPaise(b.heldPaise, lang),
    'refunds.simulated.sim': () => ms(b.refundLatencyP95Seconds * 1000),
    'refunds.simulated.real': () => ms((b.refundLatencyP95Seconds * 1000) / scale),
    'refunds.simulated.scale': () => formatNumber(scale, 2),
    'refunds.portalClock.sim': () => ms(b.refundLatencyP95Seconds * 1000),
    'saturated.n': () => formatNumber(summary.generator.saturatedSecondCount ?? summary.generator.saturatedSeconds.length),
    'thresholdsMet.n': () => formatNumber(summary.thresholds.checks.length),
    'thresholdsFailed.n': () => formatNumber(summary.thresholds.checks.filter((c: { pass: boolean }) => !c.pass).length),
  };
  return (path, shown) => {
    const f = table[path];
    if (!f) throw new Error(`no source named for the figure ${path} ("${shown}"): say in test/e2e/verdict-check.ts which field of summary.json it shows`);
    return f(shown);
  };
}

/** Number tokens of a text (times of day as one token): what a reader would check. */
export function numbersIn(text: string): string[] {
  return text.match(/\d{1,2}:\d{2}(?::\d{2})?|−?\d[\d,]*(?:\.\d+)?/g) ?? [];
}
