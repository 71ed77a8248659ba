import { describe, expect, it } from 'vitest';
import { resolveOptions } from '../../../src/engine/options.js';
import { dayModel, dayStages, journeyStages, JOURNEYS, parseProfileInput, resolveProfile, stagesDurationMs, stagesIntegral } from '../../../src/profile/index.js';

const model = dayModel(resolveProfile(parseProfileInput({})));

describe('profile show --stages: the arrival curves as k6 stages', () => {
  it('over the whole day at the real rate, each journey carries the day model\'s arrivals', () => {
    const s = dayStages();
    for (const j of JOURNEYS) {
      const sc = s.scenarios[j]!;
      expect(sc.executor).toBe('ramping-arrival-rate');
      expect(sc.timeUnit).toBe('1m');
      // the model's whole-arrival column sums to the day's total for the journey (an independent sum)
      const total = model.minutes.reduce((n, m) => n + m.arrivals[j], 0);
      expect(Math.abs(stagesIntegral(sc.startRate ?? 0, sc.stages) - total) / total).toBeLessThan(1e-3);
      expect(stagesDurationMs(sc.stages)).toBe(model.minutes.length * 60_000);
    }
  });

  it('a window, a time scale and a scale narrow, compress and thin it', () => {
    const s = dayStages({ from: '09:00', to: '09:10', timeScale: 10, scale: 0.5 });
    const sc = journeyStages(s, 'newUser');
    const i0 = model.minutes.findIndex((m) => m.time === '09:00');
    const real = model.minutes.slice(i0, i0 + 10).reduce((n, m) => n + m.arrivals.newUser, 0);
    expect(stagesDurationMs(sc.stages)).toBe(60_000);
    expect(stagesIntegral(sc.startRate ?? 0, sc.stages)).toBeCloseTo(real * 0.5, -1);
  });

  it('every scenario is one the engine accepts', () => {
    const s = dayStages({ timeScale: 20 });
    const exports = new Set(JOURNEYS as readonly string[]);
    expect(() => resolveOptions({ scenarios: s.scenarios }, exports)).not.toThrow();
  });

  it('an unknown journey is refused naming the four', () => {
    expect(() => journeyStages(dayStages(), 'buyer')).toThrow('invalid --journey: expected one of newUser, returningUser, statusChecker, browser, got "buyer"');
  });
});
