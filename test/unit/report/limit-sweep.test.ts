import { describe, expect, it } from 'vitest';
import { assess } from '../../../src/assess/index.js';
import { buildReportModel } from '../../../src/report/model.js';
import { verdictSentences } from '../../../src/report/verdict-text.js';
import { limitSweepPlan, planSweep } from '../../../src/run/sweep.js';
import { sizeServers } from '../../../src/analysis/sizing.js';
import { makeRun } from '../../helpers/report-fixture.js';

// a replay well inside the instance's capacity: every level holds, no limit reached
const held = () => makeRun({ seconds: 40, peakRate: 20, capacity: 1000 });
const journeys = [
  { journey: 'newUser', scenario: 'newUsers', share: 0.6, requestsPerArrival: 9 }, { journey: 'returningUser', scenario: 'returningUsers', share: 0.2, requestsPerArrival: 7 },
  { journey: 'statusChecker', scenario: 'statusCheckers', share: 0.1, requestsPerArrival: 1 }, { journey: 'browser', scenario: 'browsers', share: 0.1, requestsPerArrival: 3 },
];
const sweepFound = { runDir: 'limit-sweep', path: null, journeys, seconds: 59, fromRps: 100, toRps: 480, maxSustainableRps: 420, limitReached: true, failedAtRps: 480, failedBy: ['p95'], saturatedSeconds: 0 };
const sweepNotFound = { ...sweepFound, maxSustainableRps: 470, limitReached: false, failedAtRps: null, failedBy: [], saturatedSeconds: 4 };

function verdictOf(extra: Record<string, unknown>) {
  const f = held();
  const a = assess({ ...f, runInfo: { ...f.runInfo, extra: { ...f.runInfo.extra, ...extra } } });
  return { a, text: verdictSentences(buildReportModel(a), 'en').map((s) => s.text).join('\n') };
}

describe('a sizing, not an upper bound', () => {
  it('sizes the fleet on the limit the sweep after the replay measured, and says so', () => {
    const { a, text } = verdictOf({ limitSweep: sweepFound });
    expect(a.capacity.limitReached).toBe(false);
    expect(a.capacity.sizing).toMatchObject({ perInstanceRps: 420 });
    const s = sizeServers({ rate: 120, serviceMs: 1000 / 420, maxWaitMs: 800, quantile: 0.95, headroom: 0.33 });
    expect(a.capacity.instancesForPeak).toBe(s.serversWithHeadroom);
    expect(a.capacity.perInstance).toMatchObject({ rps: 420, source: 'limit sweep', measuredLimit: true });
    expect(text).toMatch(/59-second stepped sweep of the day’s own journeys in their peak proportions .*sustained about 420 requests per second .*failed at about 480 \(p95 over target\)/);
    expect(text).not.toContain('/api/v1/shops');
    expect(a.capacity.limitSweep).toMatchObject({ path: null, journeys });
    expect(text).toContain('sized on this measured limit');
    expect(text).not.toContain('upper bound');
    expect(a.capacity.notes.join(' ')).not.toMatch(/upper bound/);
  });

  it('keeps the upper-bound wording where the sweep did not find the limit, saying why', () => {
    const { a, text } = verdictOf({ limitSweep: sweepNotFound });
    // sized on the most the sweep measured (more than the replay offered), still an upper bound
    expect(a.capacity.perInstance).toMatchObject({ rps: 470, source: 'limit sweep', measuredLimit: false });
    expect(a.capacity.notes.join(' ')).toMatch(/upper bound/);
    expect(text).toMatch(/up to 480 requests per second .*did not find the limit either \(the load generator reached its own limit first\).*upper bound/);
  });

  it('reads a run.json written when the sweep was one GET (its path, no journeys), and names that path', () => {
    const { journeys: _j, ...old } = sweepFound;
    const { a, text } = verdictOf({ limitSweep: { ...old, path: '/api/v1/shops?district=Raipur' } });
    expect(a.capacity.limitSweep).toMatchObject({ path: '/api/v1/shops?district=Raipur', journeys: [] });
    expect(a.capacity.perInstance).toMatchObject({ rps: 420, source: 'limit sweep', measuredLimit: true });
    expect(text).toMatch(/59-second stepped sweep of \/api\/v1\/shops against the same portal/);
    for (const lang of ['en', 'hi'] as const) expect(verdictSentences(buildReportModel(a), lang).map((x) => x.text).join(' ')).toContain('/api/v1/shops');
  });

  it('says the same in Hindi, without a path', () => {
    const { a } = verdictOf({ limitSweep: sweepFound });
    const hi = verdictSentences(buildReportModel(a), 'hi').map((x) => x.text).join('\n');
    expect(hi).toContain('दिन की अपनी यात्राओं (चरम समय के उनके अनुपात में) का 59 सेकंड का चरणबद्ध स्वीप');
    expect(hi).not.toContain('/api/v1/shops');
  });

  it('keeps the upper-bound wording where no sweep ran (--no-find-limit)', () => {
    const { text } = verdictOf({});
    expect(text).toMatch(/upper bound\. Run capacity-test sweep/);
  });

  it('plans the sweep with planSweep\'s steps from a quarter above what held to six times it: about a minute, 25 s with --quick', () => {
    const full = limitSweepPlan(80, false), quick = limitSweepPlan(80, true);
    const end = (p: typeof full) => p[p.length - 1].startSeconds + p[p.length - 1].durationSeconds;
    expect(full).toEqual(planSweep({ from: 100, to: 480, steps: 8, stepDurationSeconds: 7, warmupSeconds: 3 }));
    expect(end(full)).toBe(59);
    expect(end(quick)).toBe(25);
    expect(quick[0].rate).toBeGreaterThan(80);
  });
});

describe('sentences that agree', () => {
  it('never says answers slow down sharply beyond a rate below the one it says an instance sustains', () => {
    const m = buildReportModel(assess(makeRun({ seconds: 40 })));
    const say = (kneeRps: number) => verdictSentences({ ...m, verdict: { ...m.verdict, maxSustainableRps: 115, kneeRps, limitReached: true, limitSweep: null } }, 'en')
      .map((s) => s.text).find((t) => t.startsWith('One instance sustains'))!;
    expect(say(111)).toBe('One instance sustains about 115 requests per second within target; answers already start slowing from about 111 per second, still within target.');
    expect(say(140)).toMatch(/sustains about 115 .*beyond about 140 per second answers slow down sharply/);
  });
});
