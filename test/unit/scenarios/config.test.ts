import { describe, expect, it } from 'vitest';
import { journeyConfig, planFromEnv, probeTarget, targetOf, type Getter } from '../../../scenarios/lib/config.js';
import { sweepScenarios } from '../../../scenarios/lib/steps.js';
import { EnvironmentError, UsageError } from '../../../src/contracts/errors.js';

describe('scenario env', () => {
  it('builds the launch-day plan from QUICK, SCALE, TIME_SCALE and a profile file read through open()', () => {
    const read = (path: string) => { expect(path).toBe('p.yaml'); return 'registrations: 1lakh\n'; };
    const plan = planFromEnv({ QUICK: '1', SCALE: '0.01', TIME_SCALE: '10', PROFILE_FILE: 'p.yaml' }, read);
    expect(plan.timeScale).toBe(10);
    expect(plan.scale).toBe(0.01);
    expect(plan.profile.registrations).toEqual({ value: 100_000, source: 'profile file' });
    expect(() => planFromEnv({ SCALE: 'lots' }, read)).toThrow(/invalid SCALE/);
  });

  it('offers launch-day\'s limit sweep in place of the day\'s curves when SWEEP_SCENARIOS carries its scenarios, dropping the day\'s thresholds', () => {
    const day = planFromEnv({ QUICK: '1' }, () => '');
    const swept = { newUsers: { executor: 'ramping-arrival-rate', startRate: 60, timeUnit: '1m', stages: [{ duration: '4s', target: 60 }], preAllocatedVUs: 5, exec: 'newUser' } };
    const plan = planFromEnv({ QUICK: '1', SWEEP_SCENARIOS: JSON.stringify(swept) }, () => '');
    expect(plan.options.scenarios).toEqual(swept);
    expect(plan.options.thresholds).toEqual({});
    // the journeys themselves are the day's: the same think time and profile
    expect(plan.timeScale).toBe(day.timeScale);
    expect(plan.profile).toEqual(day.profile);
    expect(() => planFromEnv({ SWEEP_SCENARIOS: '[1]' }, () => '')).toThrow(/invalid SWEEP_SCENARIOS: expected a JSON object of k6 scenarios/);
  });

  it('derives the journey config: order chance from the figures, retry policy from RETRY', () => {
    const plan = planFromEnv({}, () => '');
    const cfg = journeyConfig(plan.profile, plan.timeScale, { TARGET: 'http://127.0.0.1:1/', SEED: '4', RETRY: 'polite' });
    expect(cfg.target).toBe('http://127.0.0.1:1');
    expect(cfg.seed).toBe(4);
    expect(cfg.retry.policy).toBe('polite');
    expect(cfg.orderProbability).toBeCloseTo((29_000 * 0.7) / 300_000, 6);
    expect(() => journeyConfig(plan.profile, 1, { TARGET: 'http://x', RETRY: 'rude' })).toThrow(/invalid RETRY/);
    expect(() => targetOf({})).toThrow(UsageError);
    expect(() => targetOf({ TARGET: 'localhost:80' })).toThrow(/invalid TARGET/);
  });

  it('setup fails fast naming an unreachable target, and hands over the target\'s districts', async () => {
    const down: Getter = async () => ({ status: 0, error: 'ECONNREFUSED', json: () => undefined });
    await expect(probeTarget('http://127.0.0.1:1', down)).rejects.toThrow(EnvironmentError);
    await expect(probeTarget('http://127.0.0.1:1', down)).rejects.toThrow(/target http:\/\/127.0.0.1:1 is unreachable \(ECONNREFUSED\)/);
    const up: Getter = async (url) => ({ status: 200, json: () => (url.endsWith('/districts') ? { districts: ['Raipur'] } : {}) });
    await expect(probeTarget('http://t', up)).resolves.toEqual({ districts: ['Raipur'] });
  });

  it('really finds nothing listening on a closed port', async () => {
    await expect(probeTarget('http://127.0.0.1:9')).rejects.toThrow(/is unreachable/);
  });

  it('plans sweep steps back to back, one constant rate each', () => {
    const s = sweepScenarios({ from: 10, to: 50, steps: 3, stepSeconds: 5, exec: 'register' });
    expect(Object.values(s).map((x) => [x.executor, (x as { rate: number }).rate, x.startTime])).toEqual([
      ['constant-arrival-rate', 10, '0s'], ['constant-arrival-rate', 30, '5s'], ['constant-arrival-rate', 50, '10s'],
    ]);
    expect(() => sweepScenarios({ from: 10, to: 5, steps: 3, stepSeconds: 5, exec: 'x' })).toThrow(UsageError);
  });
});
