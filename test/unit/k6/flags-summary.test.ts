import { describe, expect, it } from 'vitest';
import { cliOptions, executionSegment } from '../../../src/k6/flags.js';
import { layerOptions, unsupportedOptions } from '../../../src/k6/options.js';
import { parseTrendStats } from '../../../src/k6/summary.js';
import { formatData, formatTime } from '../../../src/k6/summary-text.js';

const flags = (o: Partial<Parameters<typeof cliOptions>[0]>) => cliOptions({ stage: [], env: [], tag: [], ...o });

describe('k6 run flags', () => {
  it('maps -u -d -i -s --tag to k6 options', () => {
    expect(flags({ vus: '5', duration: '30s', tag: ['team=qa'] })).toEqual({ vus: 5, duration: '30s', tags: { team: 'qa' } });
    expect(flags({ stage: ['10s:5', '1m:0'] })).toEqual({ stages: [{ duration: '10s', target: 5 }, { duration: '1m', target: 0 }] });
    expect(() => flags({ vus: 'ten' })).toThrow(/--vus.*ten/);
    expect(() => flags({ stage: ['10s'] })).toThrow(/--stage.*DURATION:TARGET/);
  });

  it('reads equal execution segments as segment i of n and refuses unequal ones', () => {
    expect(executionSegment('0:1/2')).toEqual({ index: 1, count: 2 });
    expect(executionSegment('1/3:2/3')).toEqual({ index: 2, count: 3 });
    expect(executionSegment('50%:100%')).toEqual({ index: 2, count: 2 });
    expect(executionSegment('1/4')).toEqual({ index: 1, count: 4 });
    expect(() => executionSegment('0:2/5')).toThrow(/equal share/);
  });

  it('lays flags over the script as k6 does: a shortcut flag replaces the scenarios, tags are merged', () => {
    const script = { scenarios: { s: { executor: 'constant-vus' as const, duration: '1m' } }, tags: { a: '1' }, thresholds: { x: ['count>0'] } };
    expect(layerOptions(script, { iterations: 3, tags: { b: '2' } })).toEqual({ iterations: 3, tags: { a: '1', b: '2' }, thresholds: { x: ['count>0'] } });
    expect(layerOptions(script, undefined)).toEqual(script);
  });

  it('a -d, -i or -s flag replaces all of the script\'s duration, iterations and stages, as k6\'s tiers do', () => {
    expect(layerOptions({ vus: 2, iterations: 6 }, { vus: 4, duration: '2s' })).toEqual({ vus: 4, duration: '2s' });
    expect(layerOptions({ duration: '1m', stages: [{ duration: '1s', target: 2 }] }, { iterations: 3 })).toEqual({ iterations: 3 });
    expect(layerOptions({ duration: '1m', iterations: 9 }, { stages: [{ duration: '1s', target: 2 }] })).toEqual({ stages: [{ duration: '1s', target: 2 }] });
    // -u alone keeps the script's length
    expect(layerOptions({ vus: 2, iterations: 6 }, { vus: 4 })).toEqual({ vus: 4, iterations: 6 });
  });

  it('names the k6 options the engine does not honour', () => {
    expect(unsupportedOptions({ vus: 1, noConnectionReuse: true, dns: {}, thresholds: {} })).toEqual(['dns', 'noConnectionReuse']);
  });
});

describe('k6 summary formatting', () => {
  it('formats durations and data as k6 prints them', () => {
    expect([formatTime(0), formatTime(0.95), formatTime(148.214), formatTime(1200), formatTime(61_500)]).toEqual(['0s', '950µs', '148.21ms', '1.2s', '1m1.5s']);
    expect([formatData(512), formatData(1600), formatData(3_400_000)]).toEqual(['512 B', '1.6 kB', '3.4 MB']);
  });

  it('validates summaryTrendStats', () => {
    expect(parseTrendStats('avg, p(99.9),max')).toEqual(['avg', 'p(99.9)', 'max']);
    expect(() => parseTrendStats('avg,p99')).toThrow(/p99/);
  });
});
