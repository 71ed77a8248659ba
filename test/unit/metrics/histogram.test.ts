import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { histogramToBuckets, newHistogram, recordInto } from '../../../src/metrics/histogram.js';

/** Recorded (integer) values as the engine records them, across the fast path's edges (2^31, resizes). */
const recorded = fc.oneof(
  fc.integer({ min: 0, max: 3000 }),
  fc.integer({ min: 0, max: 5_000_000 }),
  fc.integer({ min: 0, max: 4_000_000_000 }),
  fc.constantFrom(0, 1, 1023, 1024, 2047, 2048, 2049, 4095, 4096, 1_000_000, 0x7fffffff, 0x80000000, 2 ** 40),
);

describe('recordInto', () => {
  it('records exactly what hdr-histogram-js recordValue records: every bucket, total, min and max', () => {
    fc.assert(fc.property(fc.array(recorded, { minLength: 1, maxLength: 300 }), (values) => {
      const fast = newHistogram();
      const lib = newHistogram();
      for (const v of values) { recordInto(fast, v); lib.recordValue(v); }
      expect(histogramToBuckets(fast, true)).toEqual(histogramToBuckets(lib, true));
      expect(fast.totalCount).toBe(lib.totalCount);
      expect(fast.maxValue).toBe(lib.maxValue);
      expect(fast.minNonZeroValue).toBe(lib.minNonZeroValue);
      for (const p of [0, 50, 95, 99.9, 100]) expect(fast.getValueAtPercentile(p)).toBe(lib.getValueAtPercentile(p));
    }), { numRuns: 300 });
  });
});
