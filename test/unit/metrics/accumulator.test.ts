import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as hdr from 'hdr-histogram-js';
import {
  DecodedBuckets, HistogramAccumulator, bucketsToHistogram, forEachBucket, hdrToBuckets, histogramToBuckets, newHistogram,
} from '../../../src/metrics/index.js';

/** Recorded (integer) values as the engine records them: µs from 0 to beyond an hour, with repeats. */
const recorded = fc.oneof(
  fc.integer({ min: 0, max: 3000 }),
  fc.integer({ min: 0, max: 5_000_000 }),
  fc.integer({ min: 0, max: 4_000_000_000 }),
  fc.constantFrom(0, 1, 2047, 2048, 2049, 4095, 4096, 1_000_000),
);
const percentiles = [0, 0.1, 1, 25, 50, 90, 95, 99, 99.9, 99.99, 100, 100.5];

/** The reference: one hdr-histogram-js histogram holding every raw sample. */
function reference(values: number[]): hdr.Histogram {
  const h = newHistogram();
  for (const v of values) h.recordValue(v);
  return h;
}

describe('HistogramAccumulator', () => {
  it('answers every percentile exactly as hdr-histogram-js does on the raw samples, however they were split into windows', () => {
    fc.assert(fc.property(fc.array(recorded, { minLength: 1, maxLength: 400 }), fc.integer({ min: 1, max: 7 }), fc.double({ min: 0, max: 100, noNaN: true }), (values, parts, p) => {
      const windows = Array.from({ length: parts }, () => newHistogram());
      values.forEach((v, i) => windows[i % parts].recordValue(v));
      const ref = reference(values);
      for (const indexed of [false, true]) {
        const acc = new HistogramAccumulator(indexed);
        for (const h of windows) acc.addBuckets(histogramToBuckets(h));
        expect(acc.totalCount).toBe(values.length);
        for (const q of [...percentiles, p]) expect(acc.getValueAtPercentile(q), `p${q}`).toBe(ref.getValueAtPercentile(q));
        expect(acc.valuesAtPercentiles([99, 50, p])).toEqual([99, 50, p].map((q) => ref.getValueAtPercentile(q)));
        const decoded = new HistogramAccumulator(indexed);
        for (const h of windows) decoded.addDecoded(new DecodedBuckets().decode(histogramToBuckets(h)));
        expect(decoded.toBuckets()).toEqual(acc.toBuckets());
        expect(decoded.getValueAtPercentile(p)).toBe(ref.getValueAtPercentile(p));
      }
    }), { numRuns: 200 });
  });

  it('adds other accumulators and clears for reuse without changing any answer, indexed or not', () => {
    fc.assert(fc.property(fc.array(recorded, { maxLength: 200 }), fc.array(recorded, { maxLength: 200 }), (a, b) => {
      const x = new HistogramAccumulator(a.length % 2 === 0);
      x.addBuckets(histogramToBuckets(reference(a)));
      const y = new HistogramAccumulator(b.length % 2 === 0);
      y.addBuckets(histogramToBuckets(reference([1, 2, 3])));
      y.clear();
      y.addBuckets(histogramToBuckets(reference(b)));
      x.add(y);
      const ref = reference([...a, ...b]);
      expect(x.toBuckets()).toEqual(histogramToBuckets(ref));
      for (const q of percentiles) expect(x.getValueAtPercentile(q)).toBe(a.length + b.length ? ref.getValueAtPercentile(q) : 0);
    }), { numRuns: 100 });
  });
});

describe('bucket lists (the trend histogram of metrics format v2)', () => {
  it('hold exactly the counts of the HDR histogram they encode', () => {
    fc.assert(fc.property(fc.array(recorded, { maxLength: 300 }), (values) => {
      const h = reference(values);
      const b = histogramToBuckets(h);
      const seen: Array<[number, number]> = [];
      forEachBucket(b, (i, c) => seen.push([i, c]));
      const js = h as unknown as { countsArrayLength: number; getCountAtIndex(i: number): number };
      const expected: Array<[number, number]> = [];
      for (let i = 0; i < js.countsArrayLength; i++) if (js.getCountAtIndex(i)) expected.push([i, js.getCountAtIndex(i)]);
      expect(seen).toEqual(expected);
      expect(histogramToBuckets(bucketsToHistogram(b))).toEqual(b);
    }), { numRuns: 100 });
  });

  it('are what the legacy compressed base64 of format v1 decodes to', () => {
    fc.assert(fc.property(fc.array(recorded, { maxLength: 200 }), (values) => {
      const h = reference(values);
      expect(hdrToBuckets(hdr.encodeIntoCompressedBase64(h))).toEqual(histogramToBuckets(h));
    }), { numRuns: 50 });
  });

  it('write one number per single-sample bucket and a negative count before a repeated one', () => {
    const h = reference([4, 6, 6, 6]);
    expect(histogramToBuckets(h)).toEqual([5, -3, 2]);
  });
});
