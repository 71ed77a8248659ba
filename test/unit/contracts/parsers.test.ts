import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatClock, parseClock } from '../../../src/contracts/clock.js';
import { formatSegment, parseSegment } from '../../../src/contracts/segment.js';
import { newRunId } from '../../../src/contracts/run-id.js';
import { invalid, shownValue, UsageError } from '../../../src/contracts/errors.js';
import { parseHHMM } from '../../../mock-portal/src/clock.js';
import { parsePortalArgs, FlagError } from '../../../mock-portal/src/cli-args.js';
import { parseProfileInput } from '../../../src/profile/index.js';

describe('time of day HH:MM: one rule for the toolkit and the portal', () => {
  it('reads every minute of the day and writes it back', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 1439 }), (m) => {
      expect(parseClock(formatClock(m))).toBe(m);
      expect(parseHHMM(formatClock(m))).toBe(m * 60_000);
    }));
  });

  it('accepts a one-digit hour everywhere', () => {
    expect(parseClock('9:05')).toBe(545);
    expect(parseHHMM('9:05')).toBe(545 * 60_000);
    expect(parsePortalArgs(['--clock', '9:05']).config.clock).toBe('9:05');
  });

  it.each(['24:00', '12:60', '9am', '12:5', '', '12:00:00'])('refuses %j in the toolkit, the portal flag and a profile alike', (text) => {
    expect(() => parseClock(text, '--clock')).toThrow(`invalid --clock: expected a time of day HH:MM (00:00–23:59), got ${JSON.stringify(text)}`);
    expect(() => parseHHMM(text)).toThrow(/HH:MM/);
    expect(() => parsePortalArgs(['--clock', text])).toThrow(FlagError);
    expect(() => parseProfileInput({ bookingOpens: text })).toThrow(UsageError);
  });
});

describe('segment i/n, counted from 1 as --segment documents it', () => {
  it('reads every i/n with 1 ≤ i ≤ n and writes it back', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 500 }), fc.integer({ min: 0, max: 499 }), (n, k) => {
      const s = { index: (k % n) + 1, count: n };
      expect(parseSegment(formatSegment(s))).toEqual(s);
    }));
  });

  it.each(['0/2', '3/2', '1/0', '1', 'a/b', '-1/2', '1/2/3'])('refuses %j naming it', (text) => {
    expect(() => parseSegment(text)).toThrow(`invalid --segment: expected i/n with 1 ≤ i ≤ n, e.g. 1/2 for the first of two, got ${JSON.stringify(text)}`);
  });
});

describe('run id: one form for every command', () => {
  const at = new Date('2026-11-28T12:05:01.250Z');
  it('is the UTC second then what ran', () => {
    expect(newRunId('launch-day', at)).toBe('20261128-120501-launch-day');
    expect(newRunId('/x/y/citizens.ts', at)).toBe('20261128-120501-citizens');
    expect(newRunId('sweep', at)).toBe('20261128-120501-sweep');
    expect(newRunId('my scenario!.mjs', at)).toBe('20261128-120501-my-scenario-');
  });
  it('sorts by time', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 4e12 }), fc.integer({ min: 0, max: 4e12 }), (a, b) => {
      const [x, y] = [newRunId('r', new Date(a)), newRunId('r', new Date(b))];
      if (Math.floor(a / 1000) < Math.floor(b / 1000)) expect(x < y).toBe(true);
    }));
  });
});

describe('messages name the value in plain words', () => {
  it('shows numbers too large, nothing and objects plainly', () => {
    expect(shownValue(Infinity)).toBe('a number too large to hold (Infinity)');
    expect(shownValue(undefined)).toBe('nothing');
    expect(shownValue(NaN)).toBe('not a number');
    expect(shownValue('abc')).toBe('"abc"');
    expect(invalid('--x', 'a number', 1e309).message).toBe('invalid --x: expected a number, got a number too large to hold (Infinity)');
  });
});
