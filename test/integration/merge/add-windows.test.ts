import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MetricsQuery, WindowRecorder, statistic } from '../../../src/metrics/index.js';
import { addWindows } from '../../../src/run/merge-stream.js';

const start = 1_700_000_000_000;

describe('addWindows (the merge of segments\' windows)', () => {
  it('holds, second by second, exactly what one recorder fed every sample holds', () => {
    fc.assert(fc.property(
      fc.array(fc.record({
        src: fc.integer({ min: 0, max: 2 }), s: fc.integer({ min: 0, max: 3 }),
        metric: fc.constantFrom(['d', 'trend'] as const, ['c', 'counter'] as const, ['r', 'rate'] as const),
        name: fc.constantFrom('a', 'b'), v: fc.integer({ min: 0, max: 90_000 }),
      }), { maxLength: 80 }),
      (samples) => {
        const recs = [0, 1, 2].map(() => new WindowRecorder(start));
        const one = new WindowRecorder(start);
        for (const { src, s, metric, name, v } of samples) {
          const value = metric[1] === 'rate' ? v % 2 : v / 7;
          recs[src].add(metric[0], metric[1], { name }, value, start + s * 1000 + v % 1000);
          one.add(metric[0], metric[1], { name }, value, start + s * 1000 + v % 1000);
        }
        const merged = new MetricsQuery(addWindows(recs.flatMap((r) => r.drain())));
        const whole = new MetricsQuery(one.drain());
        for (let t = 0; t < 4; t++) {
          for (const tags of [undefined, { name: 'a' }]) {
            const r = { from: t, to: t + 1, ...(tags ? { tags } : {}) };
            for (const stat of ['count', 'p(50)', 'p(99)', 'max']) expect(statistic(merged.aggregate('d', r), stat)).toBe(statistic(whole.aggregate('d', r), stat));
            expect(statistic(merged.aggregate('c', r), 'count')).toBeCloseTo(statistic(whole.aggregate('c', r), 'count')!, 9);
            expect(statistic(merged.aggregate('r', r), 'rate')).toBe(statistic(whole.aggregate('r', r), 'rate'));
          }
        }
      },
    ), { numRuns: 30 });
  });

  it('refuses a metric that is a trend in one source and a counter in another', () => {
    const a = new WindowRecorder(start);
    const b = new WindowRecorder(start);
    a.add('x', 'trend', {}, 1, start);
    b.add('x', 'counter', {}, 1, start);
    expect(() => addWindows([...a.drain(), ...b.drain()])).toThrow('invalid metrics: x is both trend and counter');
  });
});
