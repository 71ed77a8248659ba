import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatDuration, parseDuration, parseDurationSeconds, parseWholeSeconds } from '../../../src/contracts/duration.js';
import { UsageError } from '../../../src/contracts/errors.js';

describe('durations in k6 form', () => {
  it.each([
    ['500ms', 500], ['90s', 90_000], ['5m', 300_000], ['1h30m', 5_400_000], ['2m30s', 150_000],
    ['1.5s', 1500], ['1d', 86_400_000], ['0', 0], ['0s', 0], [' 10s ', 10_000], ['1h0m0.5s', 3_600_500],
  ])('reads %j as %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it('reads a number as milliseconds', () => {
    expect(parseDuration(1500)).toBe(1500);
    expect(parseDurationSeconds(2500)).toBe(2.5);
    expect(parseDurationSeconds('1m')).toBe(60);
  });

  it.each(['', '30', 's', '10 s', '5x', '-5s', '1h-30m', 'm5', '10s!'])('refuses %j with a message naming the value', (text) => {
    expect(() => parseDuration(text, 'scenario citizens duration')).toThrow(UsageError);
    expect(() => parseDuration(text, 'scenario citizens duration')).toThrow(`invalid scenario citizens duration: expected`);
    expect(() => parseDuration(text, 'x')).toThrow(JSON.stringify(text));
  });

  it('refuses negative, infinite and non-number values', () => {
    for (const v of [-1, Infinity, NaN, null, undefined, {}, true]) expect(() => parseDuration(v)).toThrow(UsageError);
  });

  it('adds the parts of any h/m/s combination', () => {
    fc.assert(fc.property(fc.nat(100), fc.nat(59), fc.nat(59), fc.nat(999), (h, m, s, ms) => {
      expect(parseDuration(`${h}h${m}m${s}s${ms}ms`)).toBe(((h * 60 + m) * 60 + s) * 1000 + ms);
    }));
  });
});

describe('k6 duration rules beyond h/m/s', () => {
  it.each([['1d12h', 129_600_000], ['2d', 172_800_000], ['250us', 0.25], ['250µs', 0.25], ['1500ns', 0.0015], ['1.5h', 5_400_000], ['1h1h', 7_200_000]])(
    'reads %j as %d ms', (text, ms) => { expect(parseDuration(text)).toBe(ms); });

  it.each(['2.1d', 'd', 'd2h', '2d-2h', '1h2d', '1y', '30', '1e3s'])('refuses %j', (text) => {
    expect(() => parseDuration(text, '--step-duration')).toThrow(/^invalid --step-duration: expected a duration such as 90s, 5m or 1h30m/);
  });

  it('names both readings of a bare number instead of guessing', () => {
    expect(() => parseDuration('30', '--warmup')).toThrow('invalid --warmup: expected a duration such as 90s, 5m or 1h30m (a unit is needed: 30s is seconds, 30ms milliseconds), got "30"');
  });

  it('whole seconds for flags: refuses fractions and values under the minimum', () => {
    expect(parseWholeSeconds('2m', '--step-duration', 1)).toBe(120);
    expect(() => parseWholeSeconds('1500ms', '--step-duration', 1)).toThrow('invalid --step-duration: expected a whole number of seconds ≥ 1, such as 10s or 2m, got "1500ms"');
    expect(() => parseWholeSeconds('0s', '--step-duration', 1)).toThrow(/whole number of seconds ≥ 1/);
  });

  it('formatDuration writes what parseDuration reads back', () => {
    fc.assert(fc.property(fc.nat(10_000_000), (ms) => { expect(parseDuration(formatDuration(ms))).toBe(ms); }));
  });
});
