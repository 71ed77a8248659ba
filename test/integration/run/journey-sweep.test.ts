import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchDayPlan } from '../../../src/profile/index.js';
import { journeyMix, journeySweepOptions, sweptJourneys } from '../../../src/run/journey-sweep.js';
import { planSweep, runSweep } from '../../../src/run/sweep.js';

const SCENARIOS = join(import.meta.dirname, '..', '..', '..', 'scenarios');
const dir = mkdtempSync(join(tmpdir(), 'ct-journey-sweep-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a sweep of the day\'s journeys (launch-day\'s limit sweep) against the embedded portal', () => {
  it('replays the launch-day scenario\'s journeys at the stepped rates: many endpoints, not one GET, measured in requests per second', async () => {
    const day = launchDayPlan({ quick: true });
    // requests per arrival as a quick replay measures them, roughly
    const mix = journeyMix(day.options, new Map([['newUsers', 7], ['returningUsers', 7], ['statusCheckers', 1], ['browsers', 3]]), 5);
    const plan = planSweep({ from: 20, to: 40, steps: 2, stepDurationSeconds: 3, warmupSeconds: 1 });
    const outDir = join(dir, 'limit-sweep');
    const r = await runSweep({
      plan, outDir, target: null, mode: 'resilient',
      journeys: { scenarioFile: join(SCENARIOS, 'launch-day.ts'), env: { QUICK: '1', SEED: '11' }, options: journeySweepOptions(plan, mix), record: sweptJourneys(mix) },
      capacity: { slo: { p95Ms: 800, errorRate: 0.01 }, peakDemandRps: 100 }, workers: 1, command: 'test (limit sweep)',
    });
    const summary = JSON.parse(readFileSync(join(outDir, 'summary.json'), 'utf8'));
    const endpoints = Object.keys(summary.endpoints);
    expect(endpoints).toEqual(expect.arrayContaining(['POST /api/v1/register', 'POST /api/v1/otp/verify', 'GET /api/v1/shops', 'GET /api/v1/districts']));
    expect(endpoints.length).toBeGreaterThan(3);
    // every journey ran, under the replay's scenario names
    const run = JSON.parse(readFileSync(join(outDir, 'run.json'), 'utf8'));
    expect(Object.keys(run.options.scenarios).sort()).toEqual(mix.map((j) => j.scenario).sort());
    expect(run.extra.sweep).toMatchObject({ path: null, journeys: sweptJourneys(mix) });
    // the steps are the plan's requests per second, and what they measured is requests too (many per arrival)
    expect(r.capacity.steps.map((s) => s.offeredRps)).toEqual([20, 40]);
    const started = summary.endpoints['POST /api/v1/register'].requests;
    expect(Object.values(summary.endpoints as Record<string, { requests: number }>).reduce((a, e) => a + e.requests, 0)).toBeGreaterThan(started * 2);
  }, 120_000);
});
