import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { WindowRecorder, mergeWindows } from '../../../src/metrics/index.js';
import { addWindows } from '../../../src/run/merge-runs.js';

const start = 1_700_000_000_000;

describe('addWindows (the merge on 64-bit HDR counts)', () => {
  it('writes exactly what mergeWindows writes, for every kind of metric', () => {
    fc.assert(fc.property(
      fc.array(fc.record({
        src: fc.integer({ min: 0, max: 2 }), s: fc.integer({ min: 0, max: 3 }),
        metric: fc.constantFrom(['d', 'trend'] as const, ['c', 'counter'] as const, ['r', 'rate'] as const, ['g', 'gauge'] as const),
        name: fc.constantFrom('a', 'b'), v: fc.integer({ min: 0, max: 90_000 }),
      }), { maxLength: 60 }),
      (samples) => {
        const recs = [0, 1, 2].map(() => new WindowRecorder(start));
        for (const { src, s, metric, name, v } of samples) recs[src].add(metric[0], metric[1], { name }, metric[1] === 'rate' ? v % 2 : v / 7, start + s * 1000 + v % 1000);
        const windows = recs.flatMap((r) => r.drain());
        expect(addWindows(windows)).toEqual(mergeWindows(windows));
      },
    ), { numRuns: 15 });
  });

  it('refuses a metric that is a trend in one source and a counter in another', () => {
    const a = new WindowRecorder(start);
    const b = new WindowRecorder(start);
    a.add('x', 'trend', {}, 1, start);
    b.add('x', 'counter', {}, 1, start);
    expect(() => addWindows([...a.drain(), ...b.drain()])).toThrow('invalid metrics: x is both trend and counter');
  });
});
