import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { formatNumber, jsonForScript, type Lang } from './format.js';
import { html, type Html } from './html-template.js';
import { WHATIF_TEXT, type WhatIfStrings } from './i18n.js';
import { paramSource } from './profile-text.js';

/**
 * The what-if panel: a planner changes registrations per day, the first-hour share and the headroom
 * (and, if they know better, the measured figures), and the page recomputes instances and waiting-room
 * figures with src/analysis/whatif.ts itself, bundled into the page by esbuild at report time.
 */
export interface WhatIfDefaults {
  registrationsPerDay: number;
  firstHourShare: number;
  headroom: number;
  perInstanceRps: number;
  callsPerRegistration: number;
  maxWaitMs: number;
  quantile: number;
  /** the verdict's peak ÷ the first-hour average at these defaults; null: no peak recorded, the average sizes the fleet */
  peakFactor: number | null;
  /** where each default came from, shown under the inputs */
  sources: {
    registrationsPerDay: string | null;
    firstHourShare: string | null;
    perInstanceRps: 'maxSustainable' | 'bestObserved';
    calls: { requests: number; over: number; kind: 'registrations' | 'journeys' };
  };
}

let bundled: string | undefined;

/** whatif.ts (or its compiled .js under dist/) as one browser script defining `CapacityWhatIf.whatIf`. */
export async function bundleWhatIf(): Promise<string> {
  if (bundled) return bundled;
  const js = fileURLToPath(new URL('../analysis/whatif.js', import.meta.url));
  const ts = js.replace(/\.js$/, '.ts');
  const entry = existsSync(js) ? js : ts;
  const esbuild = await import('esbuild');
  const r = await esbuild.build({
    entryPoints: [entry], bundle: true, write: false, format: 'iife', globalName: 'CapacityWhatIf',
    platform: 'browser', target: 'es2020', minify: true, legalComments: 'none', logLevel: 'silent',
  });
  bundled = r.outputFiles[0].text;
  return bundled;
}


export function whatIfText(lang: Lang): WhatIfStrings {
  return WHATIF_TEXT[lang];
}

/** The panel's HTML (inputs and result cells); its script runs after the bundled whatif code. */
export function whatIfHtml(d: WhatIfDefaults, lang: Lang): Html {
  const t = WHATIF_TEXT[lang];
  // a default's origin in the reader's language (profile-text.ts), never the English text run.json recorded
  const origin = (key: string, value: number, source: string | null) => (source === null ? null : paramSource(key, value, source, lang)?.text) ?? t.defaultSource;
  const input = (id: string, label: string, value: number, step: string, source?: string) =>
    html`<label class="wi-field"><span>${label}</span><input type="number" id="wi-${id}" value="${value}" step="${step}" min="0">${source ? html`<small>${t.source}: ${source}</small>` : ''}</label>`;
  const out = (id: string, label: string) => html`<div class="figure"><div class="value" id="wi-out-${id}">—</div><div class="label">${label}</div><div class="label" id="wi-note-${id}"></div></div>`;
  return html`<section id="whatif" class="whatif">
  <h2>${t.title}</h2>
  <p class="note">${t.intro}</p>
  <div class="wi-grid">
    ${input('registrations', t.registrationsPerDay, d.registrationsPerDay, '1000', origin('registrations', d.registrationsPerDay, d.sources.registrationsPerDay))}
    ${input('share', t.firstHourShare, round(d.firstHourShare * 100, 2), '1', origin('firstHourShare', d.firstHourShare, d.sources.firstHourShare))}
    ${input('headroom', t.headroom, round(d.headroom * 100, 2), '1')}
    ${input('perInstance', t.perInstanceRps, round(d.perInstanceRps, 1), '1', t[d.sources.perInstanceRps])}
    ${input('calls', t.callsPerRegistration, round(d.callsPerRegistration, 2), '0.5', t.callsSource.replace('{req}', formatNumber(d.sources.calls.requests)).replace('{n}', formatNumber(d.sources.calls.over)).replace('{kind}', t[d.sources.calls.kind]))}
    ${d.peakFactor !== null ? input('peakFactor', t.peakFactor, round(d.peakFactor, 3), '0.1', t.peakFactorSource) : ''}
    <label class="wi-field"><span>${t.instances}</span><input type="number" id="wi-fleet" value="" step="1" min="1"></label>
  </div>
  <div class="figures">
    ${[out('needed', t.needed), out('peak', d.peakFactor !== null ? t.peakSizes : t.peak), ...(d.peakFactor !== null ? [out('average', t.average)] : []), out('admit', t.admit), out('queue', t.queue), out('wait', t.wait), out('util', t.utilization)]}
  </div>
  <p class="wi-error bad" id="wi-error"></p>
</section>`;
}

/** The defaults as the inputs take them (percentages for shares), unrounded. */
function exactDefaults(d: WhatIfDefaults): Record<string, number> {
  return {
    registrations: d.registrationsPerDay, share: d.firstHourShare * 100, headroom: d.headroom * 100,
    perInstance: d.perInstanceRps, calls: d.callsPerRegistration, ...(d.peakFactor !== null ? { peakFactor: d.peakFactor } : {}),
  };
}

function round(x: number, d: number): number {
  const f = 10 ** d;
  return Math.round(x * f) / f;
}

/** Script wiring the inputs to `CapacityWhatIf.whatIf` (plain ES5-ish JS, no data from outside but JSON). */
/** The analysis' name of each figure (src/analysis/whatif.ts) → the panel's input that holds it. */
const WHATIF_FIELDS: Record<string, string> = {
  'registrations per day': 'registrations', 'first-hour share': 'share', headroom: 'headroom', 'per-instance capacity (rps)': 'perInstance',
  'calls per registration': 'calls', 'peak ÷ first-hour average': 'peakFactor', instances: 'fleet',
};

export function whatIfScript(d: WhatIfDefaults, lang: Lang): string {
  return `(function () {
  var T = ${jsonForScript(WHATIF_TEXT[lang])};
  var LANG = ${jsonForScript(lang)};
  var FIELDS = ${jsonForScript(WHATIF_FIELDS)};
  var D = ${jsonForScript({ maxWaitMs: d.maxWaitMs, quantile: d.quantile, hasPeak: d.peakFactor !== null })};
  // The inputs show rounded defaults; while a field still shows its default the exact figure is used, so
  // the untouched panel gives the verdict's own peak and instance count.
  var EXACT = ${jsonForScript(exactDefaults(d))};
  var shown = {};
  Object.keys(EXACT).forEach(function (id) { var el = document.getElementById('wi-' + id); if (el) shown[id] = el.value; });
  var nf = new Intl.NumberFormat('en-IN', { maximumFractionDigits: 0 });
  var nf1 = new Intl.NumberFormat('en-IN', { maximumFractionDigits: 1 });
  function v(id) {
    var x = document.getElementById('wi-' + id).value;
    if (x === '') return undefined;
    return id in EXACT && x === shown[id] ? EXACT[id] : Number(x);
  }
  function set(id, text, note) {
    document.getElementById('wi-out-' + id).textContent = text;
    document.getElementById('wi-note-' + id).textContent = note || '';
  }
  function dur(s) {
    if (!isFinite(s)) return '∞';
    if (s < 120) return nf1.format(s) + ' ' + T.seconds;
    if (s < 7200) return nf1.format(s / 60) + ' ' + T.minutes;
    return nf1.format(s / 3600) + ' ' + T.hours;
  }
  function update() {
    var err = document.getElementById('wi-error');
    try {
      var fleet = v('fleet');
      var r = CapacityWhatIf.whatIf({
        registrationsPerDay: v('registrations'), firstHourShare: v('share') / 100, headroom: v('headroom') / 100,
        perInstanceRps: v('perInstance'), callsPerRegistration: v('calls'), maxWaitMs: D.maxWaitMs, quantile: D.quantile,
        peakFactor: D.hasPeak ? v('peakFactor') : undefined,
        instances: fleet === undefined ? undefined : fleet
      });
      set('needed', nf.format(r.instancesNeeded), T.neededNote.replace('{n}', nf.format(r.instancesWithoutHeadroom)));
      set('peak', nf1.format(r.peakDemandRps), T.peakUnit.replace('{r}', nf1.format(r.peakRegistrationsPerSecond)));
      if (D.hasPeak) set('average', nf1.format(r.firstHourAverageRps), T.peakUnit.replace('{r}', nf1.format(r.firstHourRegistrationsPerSecond)));
      set('admit', nf1.format(r.admitRatePerSecond), T.admitUnit);
      set('queue', nf.format(Math.round(r.longestQueue)));
      set('wait', dur(r.longestWaitSeconds));
      set('util', nf.format(Math.round(r.utilization * 100)) + '%');
      err.textContent = '';
    } catch (e) {
      var msg = e && e.message ? e.message : String(e);
      // the analysis names the bad figure in English ("invalid first-hour share: …"): in Hindi, name the field as the page labels it
      var bad = /^invalid (.+?): expected /.exec(msg), id = bad && FIELDS[bad[1]], el = id && document.getElementById('wi-' + id);
      err.textContent = T.invalid + (LANG === 'hi' && el ? T.badField.replace('{field}', el.parentElement.querySelector('span').textContent).replace('{got}', el.value) : msg);
    }
  }
  document.querySelectorAll('#whatif input').forEach(function (i) { i.addEventListener('input', update); });
  update();
})();`;
}
