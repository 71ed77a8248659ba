import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseDuration, parseDurationSeconds } from '../../../src/contracts/duration.js';
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
