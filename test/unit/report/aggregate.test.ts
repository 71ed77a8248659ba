import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MetricsQuery, WindowRecorder, statistic } from '../../../src/metrics/index.js';
import { aggregateWindows } from '../../../src/report/aggregate.js';

const START = 1_767_000_000_000;

describe('aggregateWindows', () => {
  it('gives exactly the statistics of MetricsQuery.aggregate for any samples, ranges and tags', () => {
    fc.assert(fc.property(
      fc.array(fc.tuple(fc.integer({ min: 0, max: 9999 }), fc.oneof(fc.double({ min: 0, max: 60_000, noNaN: true }), fc.integer({ min: 0, max: 50 })), fc.boolean()), { minLength: 1, maxLength: 300 }),
      fc.integer({ min: 0, max: 9 }), fc.integer({ min: 1, max: 10 }),
      (samples, from, len) => {
        const r = new WindowRecorder(START);
        for (const [at, v, a] of samples) r.add('d', 'trend', { name: a ? 'a' : 'b' }, v, START + at);
        const q = new MetricsQuery(r.drain());
        const to = from + len;
        for (const tags of [undefined, { name: 'a' }]) {
          const ref = q.aggregate('d', { from, to, ...(tags ? { tags } : {}) });
          const ours = aggregateWindows('d', 'trend', q.windows('d', { from, to, ...(tags ? { tags } : {}) }), from, to);
          for (const stat of ['p(0)', 'p(50)', 'p(90)', 'p(95)', 'p(99)', 'p(99.9)', 'p(100)', 'med', 'min', 'max', 'count', 'avg']) {
            expect(statistic(ours, stat), stat).toBe(statistic(ref, stat));
          }
        }
      }), { numRuns: 60 });
  });
});
