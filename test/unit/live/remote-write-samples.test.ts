import { describe, expect, it } from 'vitest';
import { recordSecond } from '../../helpers/window-streams.js';
import { SampleBuilder, labelsOf, parseTrendStats, promName, statSuffix } from '../../../src/live/remote-write/samples.js';
import { decodeWriteRequest, encodeWriteRequest } from '../../../src/live/remote-write/wire.js';
import { remoteWriteOptionsFromK6Env } from '../../../src/live/remote-write/k6-env.js';

const START = 1_700_000_000_000;
const tags = { name: 'GET /shops', method: 'GET', status: '200', scenario: 'citizens' };

const second = (t: number, record: Parameters<typeof recordSecond>[2]) => recordSecond(START, t, record);

describe('k6 names and labels (experimental-prometheus-rw)', () => {
  it('counters end in _total, rates in _rate, gauges bare, trend statistics as suffixes', () => {
    expect(promName('http_reqs', 'counter')).toBe('k6_http_reqs_total');
    expect(promName('http_req_failed', 'rate')).toBe('k6_http_req_failed_rate');
    expect(promName('vus', 'gauge')).toBe('k6_vus');
    expect(promName('http_req_duration', 'trend', 'p(95)')).toBe('k6_http_req_duration_p95');
    expect(statSuffix('p(99.9)')).toBe('p999');
    expect(statSuffix('med')).toBe('med');
    expect(promName('my.custom-trend', 'trend', 'max')).toBe('k6_my_custom_trend_max');
  });

  it('labels are the tags, made valid, sorted by name after __name__, empty values left out', () => {
    expect(labelsOf('k6_x_total', { 'b-tag': '1', a: '2', empty: '' }, { env: 'ci' })).toEqual([
      { name: '__name__', value: 'k6_x_total' }, { name: 'a', value: '2' }, { name: 'b_tag', value: '1' }, { name: 'env', value: 'ci' },
    ]);
  });

  it('a bad trend statistic is refused, naming it', () => {
    expect(parseTrendStats(['p(90)', ' med ', 'count'])).toEqual(['p(90)', 'med', 'count']);
    expect(() => parseTrendStats(['p(101)'])).toThrow(/p\(101\)/);
    expect(() => parseTrendStats(['mean'])).toThrow(/"mean"/);
  });
});

describe('SampleBuilder: closed seconds → samples', () => {
  it('counters are cumulative since the start, stamped at the end of their second', () => {
    const b = new SampleBuilder({ startedAtMs: START });
    const s0 = b.second(second(0, (r, at) => r.add('http_reqs', 'counter', tags, 1, at)));
    const s1 = b.second(second(1, (r, at) => { r.add('http_reqs', 'counter', tags, 1, at); r.add('http_reqs', 'counter', tags, 1, at); }));
    expect(s0).toEqual([{ labels: labelsOf('k6_http_reqs_total', tags), samples: [{ value: 1, timestamp: START + 1000 }] }]);
    expect(s1[0].samples).toEqual([{ value: 3, timestamp: START + 2000 }]);
  });

  it('trend statistics are that second\'s percentiles, in seconds for built-in time trends', () => {
    const b = new SampleBuilder({ startedAtMs: START });
    const out = b.second(second(0, (r, at) => { for (let v = 1; v <= 100; v++) r.add('http_req_duration', 'trend', tags, v, at); }));
    const byName = new Map(out.map((s) => [s.labels[0].value, s.samples[0].value]));
    expect([...byName.keys()]).toEqual(['k6_http_req_duration_p50', 'k6_http_req_duration_p95', 'k6_http_req_duration_p99']);
    expect(byName.get('k6_http_req_duration_p50')).toBeCloseTo(0.050, 4);
    expect(byName.get('k6_http_req_duration_p95')).toBeCloseTo(0.095, 4);
    expect(byName.get('k6_http_req_duration_p99')).toBeCloseTo(0.099, 4);
  });

  it('a late window of a second already sent adds to the counters, one ms later, and sends no percentiles', () => {
    const b = new SampleBuilder({ startedAtMs: START });
    b.second(second(0, (r, at) => { r.add('http_reqs', 'counter', tags, 1, at); r.add('http_req_duration', 'trend', tags, 5, at); }));
    b.second(second(1, (r, at) => r.add('http_reqs', 'counter', tags, 1, at)));
    const late = b.second(second(0, (r, at) => { r.add('http_reqs', 'counter', tags, 1, at); r.add('http_req_duration', 'trend', tags, 900, at); }));
    expect(late).toEqual([{ labels: labelsOf('k6_http_reqs_total', tags), samples: [{ value: 3, timestamp: START + 2001 }] }]);
  });

  it('rates are the second\'s fraction and gauges its value', () => {
    const b = new SampleBuilder({ startedAtMs: START });
    const out = b.second(second(0, (r, at) => {
      r.add('http_req_failed', 'rate', tags, 1, at); r.add('http_req_failed', 'rate', tags, 0, at);
      r.add('http_req_failed', 'rate', tags, 0, at); r.add('http_req_failed', 'rate', tags, 0, at);
      r.add('vus', 'gauge', {}, 7, at);
    }));
    expect(out.map((s) => [s.labels[0].value, s.samples[0].value])).toEqual([['k6_http_req_failed_rate', 0.25], ['k6_vus', 7]]);
  });
});

describe('the wire format', () => {
  it('a WriteRequest survives protobuf + snappy and back', () => {
    const series = [{ labels: labelsOf('k6_http_reqs_total', tags), samples: [{ value: 42, timestamp: START + 1000 }, { value: 43.5, timestamp: START + 2000 }] }];
    const body = encodeWriteRequest(series);
    expect(body[0]).not.toBe(0x0a); // compressed: not the raw protobuf's first field tag
    expect(decodeWriteRequest(body)).toEqual(series);
  });
});

describe("k6's K6_PROMETHEUS_RW_* environment", () => {
  it('reads the URL, trend stats, headers, labels and basic auth as k6 documents them', () => {
    const o = remoteWriteOptionsFromK6Env({
      K6_PROMETHEUS_RW_SERVER_URL: 'http://prom:9090/api/v1/write', K6_PROMETHEUS_RW_TREND_STATS: 'p(95),max',
      'K6_PROMETHEUS_RW_HEADERS_X-Team': 'load', K6_PROMETHEUS_RW_LABELS: 'env=ci,host=a', K6_PROMETHEUS_RW_USERNAME: 'u', K6_PROMETHEUS_RW_PASSWORD: 'p',
    });
    expect(o).toEqual({
      url: 'http://prom:9090/api/v1/write', trendStats: ['p(95)', 'max'], staticLabels: { env: 'ci', host: 'a' },
      headers: { 'X-Team': 'load', authorization: `Basic ${Buffer.from('u:p').toString('base64')}` },
    });
    expect(remoteWriteOptionsFromK6Env({})).toMatchObject({ url: 'http://localhost:9090/api/v1/write', trendStats: ['p(99)'] });
  });

  it('native histograms are refused with a message saying what is sent instead', () => {
    expect(() => remoteWriteOptionsFromK6Env({ K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM: 'true' })).toThrow(/gauges/);
    expect(() => remoteWriteOptionsFromK6Env({ K6_PROMETHEUS_RW_TREND_STATS: 'p(95),avrg' })).toThrow(/K6_PROMETHEUS_RW_TREND_STATS.*avrg/);
  });
});
