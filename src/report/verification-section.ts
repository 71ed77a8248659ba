import type { Verification } from '../contracts/verification.js';
import { formatMs, formatNumber, formatPercent, type Lang } from './format.js';
import { html, joinHtml, type Html } from './html-template.js';

/**
 * The report's verification section (verification.json, written by `capacity-test verify`): the sizing's
 * prediction against what the predicted fleet, and one instance fewer, measured; and, when they differ,
 * which term of the model was wrong.
 */
const TEXT = {
  en: {
    title: 'Verification: the sizing, measured',
    predicted: 'Predicted: {n} instances, each under {share} of a core, sustain {rps} requests/s — the peak as this run offered it ({mu} requests/s per instance, Erlang C; {nh} with headroom).',
    measured: 'Measured: {n} instances served {rps} requests/s at p95 {p95}, {dev} of the prediction ({within}).',
    within: 'within the ±{t} target', outside: 'outside the ±{t} target',
    instances: 'Instances', offered: 'Offered (requests/s)', served: 'Served (requests/s)', p95: 'p95', errors: 'Errors', failures: 'Failed answers', cpu: 'CPU used of quota', held: 'Held the peak',
    yes: 'yes', no: 'no',
    verified: 'The prediction holds: {n} instances held the peak{fewer}.',
    fewerFailed: ' and {m} did not',
    overProvisioned: 'The prediction was wrong: {m} instances held the peak too. Wrong term: Erlang C’s service time (1/μ) — each instance serves at least {mu} requests/s, not the {mu0} measured, so the sizing asks for more instances than needed.',
    perInstanceSlower: 'The prediction was wrong: {n} instances did not hold the peak, each at its CPU quota. Wrong term: Erlang C’s service time (1/μ) — each instance served {mu} requests/s, not the {mu0} measured alone.',
    sharedDatabase: 'The prediction was wrong: {n} instances did not hold the peak, with CPU to spare in their quotas. Wrong term: USL’s κ — the instances wait on the one SQLite file they share; the model assumed κ = 0, the measurement implies κ ≈ {kappa}.',
    inconclusive: 'Inconclusive: {why}',
    reasons: 'Why it did not hold: {r}',
    how: 'Each fleet was offered the peak for {s} s (the first {w} s not measured), every instance in its own cgroup with a CPU quota, behind a round-robin front over one SQLite file. Each fleet’s own run: {dirs}.',
  },
  hi: {
    title: 'सत्यापन: आकलन, मापकर',
    predicted: 'अनुमान: {n} इंस्टेंस, हर एक को एक कोर का {share} भाग, {rps} अनुरोध/सेकंड संभालेंगे — यह इस रन में दिया गया शिखर भार है (प्रति इंस्टेंस {mu} अनुरोध/सेकंड, Erlang C; गुंजाइश सहित {nh})।',
    measured: 'माप: {n} इंस्टेंस ने {rps} अनुरोध/सेकंड संभाले, p95 {p95}, अनुमान से {dev} ({within})।',
    within: '±{t} लक्ष्य के भीतर', outside: '±{t} लक्ष्य के बाहर',
    instances: 'इंस्टेंस', offered: 'दिया गया भार (अनुरोध/सेकंड)', served: 'संभाले गए (अनुरोध/सेकंड)', p95: 'p95', errors: 'त्रुटियाँ', failures: 'विफल उत्तर', cpu: 'CPU कोटा का उपयोग', held: 'शिखर संभाला',
    yes: 'हाँ', no: 'नहीं',
    verified: 'अनुमान सही निकला: {n} इंस्टेंस ने शिखर संभाला{fewer}।',
    fewerFailed: ' और {m} नहीं संभाल पाए',
    overProvisioned: 'अनुमान गलत था: {m} इंस्टेंस ने भी शिखर संभाल लिया। गलत पद: Erlang C का सेवा-समय (1/μ) — हर इंस्टेंस कम से कम {mu} अनुरोध/सेकंड संभालता है, मापे गए {mu0} नहीं, इसलिए आकलन ज़रूरत से ज़्यादा इंस्टेंस माँगता है।',
    perInstanceSlower: 'अनुमान गलत था: {n} इंस्टेंस शिखर नहीं संभाल पाए, हर एक अपने CPU कोटे पर। गलत पद: Erlang C का सेवा-समय (1/μ) — हर इंस्टेंस ने {mu} अनुरोध/सेकंड संभाले, अकेले में मापे गए {mu0} नहीं।',
    sharedDatabase: 'अनुमान गलत था: {n} इंस्टेंस शिखर नहीं संभाल पाए, जबकि उनके CPU कोटे में जगह बची थी। गलत पद: USL का κ — इंस्टेंस उस एक साझा SQLite फ़ाइल की प्रतीक्षा करते हैं; मॉडल ने κ = 0 माना, माप κ ≈ {kappa} बताता है।',
    inconclusive: 'निर्णय नहीं हो सका: {why}',
    reasons: 'क्यों नहीं संभला: {r}',
    how: 'हर समूह को {s} सेकंड तक शिखर भार दिया गया (पहले {w} सेकंड मापे नहीं गए); हर इंस्टेंस अपने cgroup में CPU कोटे के साथ, एक राउंड-रॉबिन फ़्रंट के पीछे, एक SQLite फ़ाइल पर। हर समूह का अपना रन: {dirs}।',
  },
} as const;

function fill(t: string, v: Record<string, string | number>): string {
  return t.replace(/\{(\w+)\}/g, (_, k: string) => String(v[k] ?? `{${k}}`));
}

export function verificationHtml(v: Verification, lang: Lang): Html {
  const t = TEXT[lang];
  const rps = (x: number) => formatNumber(x, 1);
  const n = v.instances;
  const m = n - 1;
  const dev = `${v.deviation >= 0 ? '+' : '−'}${formatPercent(Math.abs(v.deviation))}`;
  const target = formatPercent(v.target);
  const finding = {
    verified: fill(t.verified, { n, fewer: v.fewer ? fill(t.fewerFailed, { m }) : '' }),
    overProvisioned: fill(t.overProvisioned, { m, mu: rps(v.impliedPerInstanceRps ?? 0), mu0: rps(v.perInstanceRps) }),
    perInstanceSlower: fill(t.perInstanceSlower, { n, mu: rps(v.impliedPerInstanceRps ?? 0), mu0: rps(v.perInstanceRps) }),
    sharedDatabase: fill(t.sharedDatabase, { n, kappa: (v.impliedKappa ?? 0).toPrecision(2) }),
    // the reason comes from the measurement, in English (verification.json's explanation)
    inconclusive: fill(t.inconclusive, { why: v.explanation }),
  }[v.finding];
  const tone = v.finding === 'verified' && v.withinTarget ? 'good' : v.finding === 'inconclusive' ? 'warn' : 'bad';
  const rows = v.fleets.map((f) => html`<tr><td class="num">${f.instances}</td><td class="num">${rps(f.offeredRps)}</td><td class="num">${rps(f.measuredRps)}</td><td class="num">${f.p95Ms === null ? '—' : formatMs(f.p95Ms, lang)}</td><td class="num">${formatPercent(f.errorRate)}</td><td>${Object.entries(f.failures).sort((a, b) => b[1] - a[1]).map(([st, c]) => `${st} × ${formatNumber(c)}`).join(', ') || '—'}</td><td class="num">${f.quotaUsedShare === null ? '—' : formatPercent(f.quotaUsedShare)}</td><td class="${f.held ? 'good' : 'bad'}">${f.held ? t.yes : t.no}</td></tr>`);
  const failed = v.fleets.filter((f) => !f.held);
  return html`<section id="verification">
  <h2>${t.title}</h2>
  <p>${fill(t.predicted, { n, share: formatNumber(v.cpuShare, 2), rps: rps(v.predictedRps), mu: rps(v.perInstanceRps), nh: v.instancesWithHeadroom })}</p>
  <p>${fill(t.measured, { n, rps: rps(v.measuredRps), p95: v.p95Ms === null ? '—' : formatMs(v.p95Ms, lang), dev, within: fill(v.withinTarget ? t.within : t.outside, { t: target }) })}</p>
  <ul class="sentences"><li class="${tone}">${finding}</li></ul>
  <table>
    <thead><tr><th>${t.instances}</th><th>${t.offered}</th><th>${t.served}</th><th>${t.p95}</th><th>${t.errors}</th><th>${t.failures}</th><th>${t.cpu}</th><th>${t.held}</th></tr></thead>
    <tbody>
${joinHtml(rows)}
    </tbody>
  </table>
  ${failed.length > 0 && html`<p class="note">${joinHtml(failed.map((f) => html`${f.instances}: ${fill(t.reasons, { r: f.reasons.join('; ') })}`), ' · ')}</p>`}
  ${v.notes.length > 0 && html`<ul class="note">${joinHtml(v.notes.map((x) => html`<li>${x}</li>`))}</ul>`}
  <p class="note">${fill(t.how, { s: v.load.seconds, w: v.load.warmupSeconds, dirs: v.fleets.map((f) => f.runDir).join(', ') })}</p>
</section>`;
}
