import { describe, expect, it } from 'vitest';
import { quotaUse } from '../../../src/run/verify.js';

const usage = (usageUs: number | null, periods: number, throttledPeriods: number) => ({ usageUs, periods, throttledPeriods, throttledUs: 0 });

describe("a fleet's use of its CPU quotas, from its cgroups' accounting", () => {
  it('is the worst instance’s CPU used ÷ its quota over the load, and its share of throttled periods', () => {
    // 10 s at half a core: a quota of 5 s of CPU; instance 2 used 4 s and was throttled in 30 of 100 periods
    const before = [usage(1_000_000, 10, 0), usage(2_000_000, 10, 5)];
    const after = [usage(2_000_000, 60, 0), usage(6_000_000, 110, 35)];
    expect(quotaUse(before, after, 10_000, 0.5)).toEqual({ quotaUsedShare: 0.8, throttledShare: 0.3 });
  });

  it('says null (not 0) when the hierarchy keeps no usage and no period passed', () => {
    expect(quotaUse([usage(null, 5, 0)], [usage(null, 5, 0)], 10_000, 0.5)).toEqual({ quotaUsedShare: null, throttledShare: null });
  });
});
