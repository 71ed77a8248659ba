import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { assessRunDir, type Assessment } from '../../src/assess/index.js';
import { buildReportFromRunDir } from '../../src/report/index.js';
import { checkReportInBrowser } from '../../src/report/screenshot.js';
import { formatMs, formatNumber, formatPaise, type Lang } from '../../src/report/format.js';
import { t, type StringKey } from '../../src/report/i18n.js';
import { buildPrivateCli, root, runCli } from './cli-analysis-helpers.js';
import { expectedFigures, numbersIn, readVerdict } from './verdict-check.js';
import { timeLabeller } from '../../src/report/model.js';
import { devanagariShare } from '../helpers/devanagari.js';

/**
 * Every sentence checked, as a planner reads the page: the report of a real run opened in Chromium,
 * its verdict read back sentence by sentence (each from the string tables), every figure in it
 * compared with summary.json, the same figures in English and Hindi, and the Hindi page in Devanagari
 * apart from names (endpoints, metrics, paths, URLs, ids in <code>).
 */
const dir = mkdtempSync(join(tmpdir(), 'ct-sentences-'));
// The quick run's reports are written inside the repository (reports/ is git-ignored), where the
// page links docs/sources.md; the sweep's outside it, where the page names the sections instead.
const inRepo = join(root, 'reports', `.test-sentences-${process.pid}`);
afterAll(() => { rmSync(dir, { recursive: true, force: true }); rmSync(inRepo, { recursive: true, force: true }); });

/** What the page shows, read in the browser: verdict sentences, key figures, text outside names. */
const READ_PAGE = `(function () {
  var lis = Array.from(document.querySelectorAll('#verdict .sentences li')).map(function (li) { return li.textContent; });
  var figures = Array.from(document.querySelectorAll('#verdict .figure')).map(function (f) {
    return { value: f.querySelector('.value').textContent, label: f.querySelector('.label').textContent };
  });
  var body = document.body.cloneNode(true);
  body.querySelectorAll('code, td.name, script, style').forEach(function (e) { e.remove(); });
  document.documentElement.appendChild(body);
  var prose = body.innerText;
  body.remove();
  var links = Array.from(document.querySelectorAll('a[href]')).map(function (a) { return a.getAttribute('href'); });
  var needed = document.getElementById('wi-out-needed');
  return { sentences: lis, figures: figures, prose: prose, links: links, whatIfNeeded: needed ? needed.textContent : null };
})()`;

interface Page { sentences: string[]; figures: Array<{ value: string; label: string }>; prose: string; links: string[]; whatIfNeeded: string | null }

const runs: Array<{ name: string; dir: string }> = [];
const pages = new Map<string, Page>();
const assessments = new Map<string, Assessment>();

beforeAll(async () => {
  // A quick launch day's saved run (a real run against the resilient reference portal, test/fixtures),
  // a fresh quick launch day against the as-built portal, compressed to 20 s (it breaks: first to break,
  // failures, retries), and a fresh short sweep: 6 one-second steps against the embedded portal.
  const quick = join(inRepo, 'quick');
  cpSync(join(root, 'test/fixtures/quick-launch-day'), quick, { recursive: true });
  runs.push({ name: 'quick launch day', dir: quick });
  // the same run as though its limit sweep had followed it (run.json extra.limitSweep, as src/run/launch-day.ts
  // records it; figures of a real quick sweep of the day's journeys against the resilient portal)
  const swept = join(inRepo, 'quick-swept');
  cpSync(join(root, 'test/fixtures/quick-launch-day'), swept, { recursive: true });
  const info = JSON.parse(readFileSync(join(swept, 'run.json'), 'utf8'));
  info.extra.limitSweep = {
    runDir: 'limit-sweep', path: null, seconds: 25, fromRps: 472, toRps: 2266,
    journeys: [
      { journey: 'newUser', scenario: 'newUsers', share: 0.5498, requestsPerArrival: 4.19 }, { journey: 'returningUser', scenario: 'returningUsers', share: 0.0159, requestsPerArrival: 5.83 },
      { journey: 'statusChecker', scenario: 'statusCheckers', share: 0.1594, requestsPerArrival: 0.92 }, { journey: 'browser', scenario: 'browsers', share: 0.2749, requestsPerArrival: 2.93 },
    ],
    maxSustainableRps: 480, limitReached: true, heldBy: 'sweep', failedAtRps: 920.5, failedBy: ['errors', 'p95'], saturatedSeconds: 4, stoppedEarly: false, notes: [],
  };
  writeFileSync(join(swept, 'run.json'), JSON.stringify(info, null, 2) + '\n');
  runs.push({ name: 'quick launch day and its limit sweep', dir: swept });
  // the full as-built day (08:45–10:15 at ×15, about 7 minutes), saved: it broke in the 09:00 rush
  const full = join(inRepo, 'full-as-built');
  cpSync(join(root, 'test/fixtures/full-as-built-launch-day'), full, { recursive: true });
  runs.push({ name: 'full as-built launch day', dir: full });
  const asBuilt = join(dir, 'as-built');
  const b = runCli(buildPrivateCli().bin, ['launch-day', '--quick', '--mode', 'as-built', '--time-scale', '60', '--out', asBuilt, '--quiet'], 200_000);
  expect([0, 1], b.stderr).toContain(b.code); // 1: its thresholds failed, as they should
  runs.push({ name: 'quick as-built launch day', dir: asBuilt });
  const sweep = join(dir, 'sweep');
  const r = runCli(buildPrivateCli().bin, ['sweep', '--from', '10', '--to', '60', '--steps', '6', '--step-duration', '1s', '--warmup', '1s',
    '--out', sweep, '--quiet', '--peak-rps', '500', '--workers', '1'], 120_000);
  expect(r.code, r.stderr).toBe(0);
  runs.push({ name: 'sweep', dir: sweep });
  for (const run of runs) {
    assessments.set(run.name, await assessRunDir(run.dir));
    for (const lang of ['en', 'hi'] as const) {
      const out = join(run.dir, `report-${lang}`);
      const built = await buildReportFromRunDir(run.dir, { lang, out, png: false });
      const check = await checkReportInBrowser(built.reportPath, { evaluate: READ_PAGE });
      expect(check.consoleErrors).toEqual([]);
      expect(check.blockedRequests).toEqual([]);
      pages.set(`${run.name}/${lang}`, check.evaluated as Page);
    }
  }
}, 400_000);

const cases = ['quick launch day', 'quick launch day and its limit sweep', 'full as-built launch day', 'quick as-built launch day', 'sweep'].flatMap((name) => (['en', 'hi'] as const).map((lang) => ({ name, lang })));

describe.each(cases)('the verdict of the $name report, as read in Chromium ($lang)', ({ name, lang }: { name: string; lang: Lang }) => {
  const run = () => runs.find((r) => r.name === name)!;
  const summaryOf = () => JSON.parse(readFileSync(join(run().dir, `report-${lang}`, 'summary.json'), 'utf8'));

  it('says every sentence from the string tables, each figure the one of summary.json it stands for', () => {
    const page = pages.get(`${name}/${lang}`)!;
    expect(page.sentences.length).toBeGreaterThanOrEqual(4);
    const expected = expectedFigures(lang, summaryOf(), assessments.get(name)!);
    let checked = 0;
    for (const s of readVerdict(lang, page.sentences)) {
      for (const [path, shown] of s.figures) {
        if (path.endsWith('#')) continue;
        const want = expected(path, shown);
        if (Array.isArray(want)) expect(want, `${path} in: ${s.text}`).toContain(shown);
        else expect(shown, `${path} in: ${s.text}`).toBe(want);
        if (numbersIn(shown).length) checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(4);
  });

  if (name === 'quick launch day and its limit sweep') {
    it('says the limit sweep offered the day\'s own journeys in their peak proportions, and sizes the fleet on its limit', () => {
      const found = readVerdict(lang, pages.get(`${name}/${lang}`)!.sentences).find((x) => x.key === 'limitSweep.found');
      expect(found?.figures.get('limitSweep.found.swept#')).toBe('verdict.limitSweep.swept.journeys');
      expect(found?.text).toContain(t(lang, 'verdict.limitSweep.swept.journeys'));
      expect(found?.text).not.toContain('/api/v1/shops');
      expect(summaryOf().capacity.perInstance).toMatchObject({ rps: 480, source: 'limit sweep', measuredLimit: true });
    });
  }

  it('shows the same figures in English and Hindi', () => {
    const other = pages.get(`${name}/${lang === 'en' ? 'hi' : 'en'}`)!;
    const mine = pages.get(`${name}/${lang}`)!;
    const nums = (p: Page) => p.sentences.flatMap(numbersIn).sort();
    expect(nums(mine)).toEqual(nums(other));
    expect(mine.figures.map((f) => numbersIn(f.value))).toEqual(other.figures.map((f) => numbersIn(f.value)));
  });

  it('gives the key figures of summary.json, and one instance count: the verdict\'s, the card\'s and the what-if panel\'s', () => {
    const s = summaryOf();
    const page = pages.get(`${name}/${lang}`)!;
    const figure = (key: StringKey) => page.figures.find((f) => f.label === t(lang, key))?.value;
    const n = s.capacity.instancesForPeak;
    expect(figure('figure.instances')).toBe(n === null ? '—' : formatNumber(n));
    if (n !== null) {
      expect(readVerdict(lang, page.sentences).find((x) => x.key === 'instances')!.figures.get('instances.n')).toBe(formatNumber(n));
      // the what-if panel, untouched, sizes the same fleet
      if (page.whatIfNeeded !== null) expect(page.whatIfNeeded).toBe(formatNumber(n));
    }
    expect(figure('figure.p95')).toBe(formatMs(s.overall.latencyMs.p95, lang));
    expect(figure('figure.registrations')).toBe(s.business.registrations === null ? '—' : formatNumber(s.business.registrations));
    expect(figure('figure.reconcile')).toBe(s.business.walletDiscrepancyPaise === null ? '—' : formatPaise(s.business.walletDiscrepancyPaise, lang));
  });

  if (name === 'full as-built launch day') {
    it('says it broke in the 9 a.m. rush: the first level that failed and the verdict\'s first break both at 09:00–09:10 on the simulated clock', () => {
      const a = assessments.get(name)!;
      const label = timeLabeller(a.runInfo, a.server).label;
      const inRush = (clock: string) => clock >= '09:00' && clock < '09:10';
      const broke = summaryOf().capacity.loadLevels.find((l: { held: boolean }) => !l.held);
      expect(inRush(label(broke.from)), label(broke.from)).toBe(true);
      const fb = readVerdict(lang, pages.get(`${name}/${lang}`)!.sentences).find((x) => x.key === 'firstBreak')!;
      expect(fb.figures.get('firstBreak.when#')).toBe('verdict.when.simulated');
      const shown = fb.figures.get('firstBreak.when.label')!;
      expect(inRush(shown), shown).toBe(true);
    });
  }

  if (lang === 'hi') {
    it('is in Devanagari apart from names: at least 85% of the letters outside endpoints, metrics, paths and URLs', () => {
      const { share, latin } = devanagariShare(pages.get(`${name}/hi`)!.prose);
      expect(share, `Latin words left: ${[...new Set(latin)].join(' ')}`).toBeGreaterThanOrEqual(0.85);
    });
  }

  it('links or names each source inside the repository, never a file outside it', () => {
    const page = pages.get(`${name}/${lang}`)!;
    expect(page.prose).not.toMatch(/LAUNCH-DAY-FACTS|DESIGN\.md/);
    const profile = assessments.get(name)!.runInfo.profile;
    // a page inside the repository links every default's section; a page elsewhere links none
    if (profile && name === 'quick launch day') expect(page.links.filter((h) => h.includes('docs/sources.md#')).length).toBeGreaterThanOrEqual(10);
    if (name === 'sweep') expect(page.links).toEqual([]);
    for (const href of page.links) {
      const [path, anchor] = href.split('#');
      const file = resolve(run().dir, `report-${lang}`, path);
      expect(existsSync(file), href).toBe(true);
      expect(file.startsWith(root), href).toBe(true);
      expect(anchor).toMatch(/^[a-z0-9-]+$/);
    }
  });
});
