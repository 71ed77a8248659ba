import { describe, expect, it } from 'vitest';
import { formatK6Time, K6ResultsLineError, parseK6Line, parseK6Time, thresholdsByMetric } from '../../../src/k6/ndjson/index.js';

describe("k6's JSON lines", () => {
  it('reads k6 times with nanoseconds and a zone offset to the microsecond', () => {
    expect(parseK6Time('2017-05-09T14:34:45.625742514+02:00')).toBeCloseTo(Date.parse('2017-05-09T12:34:45.625Z') + 0.742, 6);
    expect(parseK6Time('2017-05-09T12:34:45Z')).toBe(Date.parse('2017-05-09T12:34:45Z'));
    expect(parseK6Time('yesterday')).toBeNaN();
  });

  it('writes times that read back to the microsecond', () => {
    for (const ms of [Date.parse('2026-12-03T08:00:00Z') + 0.001, 1764748800123.456, 1764748800999.9994]) {
      const text = formatK6Time(ms);
      expect(text).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
      expect(Math.abs(parseK6Time(text) - ms)).toBeLessThanOrEqual(0.0005 + 1e-9);
    }
  });

  it('parses Metric and Point lines; a blank line is nothing', () => {
    expect(parseK6Line('{"type":"Metric","data":{"type":"trend","contains":"time","tainted":null,"thresholds":["avg<1000"],"submetrics":null},"metric":"http_req_duration"}', 1))
      .toEqual({ type: 'Metric', name: 'http_req_duration', kind: 'trend', contains: 'time', thresholds: ['avg<1000'], submetrics: [] });
    expect(parseK6Line('{"type":"Point","data":{"time":"2017-05-09T14:34:45.625742514+02:00","value":5,"tags":null},"metric":"vus"}', 2))
      .toMatchObject({ type: 'Point', metric: 'vus', value: 5, tags: {} });
    expect(parseK6Line('   ', 3)).toBeNull();
  });

  it('names the line and what was wrong', () => {
    const err = (text: string) => { try { parseK6Line(text, 9); } catch (e) { return e as K6ResultsLineError; } throw new Error('no error'); };
    expect(err('{"type":"Sample","data":{},"metric":"x"}').message).toBe('line 9: expected "type" Metric or Point, got "Sample"');
    expect(err('{"type":"Metric","data":{"type":"histogram"},"metric":"x"}').message).toBe('line 9: expected data.type counter, gauge, rate or trend, got "histogram"');
    expect(err('[1,2]').lineNo).toBe(9);
  });

  it('groups thresholds as k6 writes them: a metric\'s own, and tag-filtered ones as submetrics', () => {
    const m = thresholdsByMetric({ http_req_duration: ['p(95)<500'], 'http_req_duration{name:GET /x}': ['p(99)<900', { threshold: 'max<2000', abortOnFail: true }] });
    expect(m.get('http_req_duration')).toEqual({ thresholds: ['p(95)<500'], submetrics: [{ name: 'http_req_duration{name:GET /x}', suffix: 'name:GET /x', tags: { name: 'GET /x' }, thresholds: ['p(99)<900', 'max<2000'] }] });
  });
});
