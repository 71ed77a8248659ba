import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseThresholds, shouldAbort, ThresholdMonitor } from '../../../src/thresholds/index.js';
import { MetricsQuery, WindowRecorder, type EncodedWindow } from '../../../src/metrics/index.js';

const start = 1_700_000_000_000;

describe('ThresholdMonitor (incremental abortOnFail)', () => {
  const defs = parseThresholds({
    'http_req_duration{name:a}': [{ threshold: 'p(90)<300', abortOnFail: true, delayAbortEval: '3s' }],
    http_req_duration: [{ threshold: 'avg<250', abortOnFail: true }, 'max<1'],
    http_req_failed: [{ threshold: 'rate<0.3', abortOnFail: true, delayAbortEval: 2000 }],
    http_reqs: [{ threshold: 'count<150', abortOnFail: true }, { threshold: 'rate<12', abortOnFail: true }],
    vus: [{ threshold: 'value<9', abortOnFail: true }],
    dropped_iterations: [{ threshold: 'count>100', abortOnFail: true }],
  });

  it('gives the same answer as shouldAbort on the same windows, second after second', () => {
    const seen = new Set<string>();
    fc.assert(fc.property(
      fc.array(fc.record({ s: fc.integer({ min: 0, max: 19 }), name: fc.constantFrom('a', 'b'), ms: fc.integer({ min: 1, max: 600 }), failed: fc.boolean(), vus: fc.integer({ min: 0, max: 5 }) }), { maxLength: 200 }),
      (samples) => {
        const rec = new WindowRecorder(start);
        samples.sort((x, y) => x.s - y.s);
        const monitor = new ThresholdMonitor(defs);
        const all: EncodedWindow[] = [];
        let i = 0;
        for (let second = 1; second <= 20; second++) {
          for (; i < samples.length && samples[i].s < second; i++) {
            const { s, name, ms, failed, vus } = samples[i];
            const at = start + s * 1000 + 10;
            rec.add('http_req_duration', 'trend', { name }, ms, at);
            rec.add('http_req_failed', 'rate', { name }, failed ? 1 : 0, at);
            rec.add('http_reqs', 'counter', { name }, 1, at);
            rec.add('vus', 'gauge', { worker: String(i % 2) }, vus, at);
          }
          const drained = rec.drain(second);
          all.push(...drained);
          monitor.add(drained);
          const hit = monitor.check(second);
          expect(hit).toEqual(shouldAbort(defs, new MetricsQuery(all), second));
          seen.add(hit ? `${hit.name} ${hit.threshold}` : 'none');
        }
      },
    ), { numRuns: 15 });
    // the property met both outcomes and several different thresholds, not just "null = null"
    expect(seen.has('none')).toBe(true);
    expect(seen.size).toBeGreaterThanOrEqual(4);
  });

  it('watches only abortOnFail thresholds and never aborts on a metric with no samples yet', () => {
    const m = new ThresholdMonitor(defs);
    expect(m.watching).toBe(7);
    expect(m.check(100)).toBeNull(); // dropped_iterations count>100 has no samples: not a failure yet
    const rec = new WindowRecorder(start);
    for (let k = 0; k < 5; k++) rec.add('http_req_failed', 'rate', {}, 1, start + k);
    m.add(rec.drain());
    expect(m.check(1)).toBeNull();                                   // before its delayAbortEval of 2 s
    expect(m.check(2)).toEqual({ name: 'http_req_failed', threshold: 'rate<0.3', value: 1 });
  });
});
