import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseFigure, parseCount, parseClock, formatClock } from '../../../src/profile/index.js';
import { UsageError } from '../../../src/contracts/errors.js';

describe('parseFigure', () => {
  it.each([
    ['3lakh', 300_000], ['3 lakh', 300_000], ['3,00,000', 300_000], ['300,000', 300_000], ['300k', 300_000],
    ['300000', 300_000], ['1.32crore', 13_200_000], ['4.32 crore', 43_200_000], ['29,000', 29_000], ['2.5m', 2_500_000],
    ['1,32,00,000', 13_200_000], ['3L', 300_000], [' 3LAKH ', 300_000],
  ])('reads %s as %d', (text, value) => {
    expect(parseFigure(text)).toBe(value);
  });

  it.each(['three lakh', '3 bananas', '', '-5', '3,0,0', '1e5', '3..2k', '30,00'])('refuses %j naming the figure', (text) => {
    expect(() => parseFigure(text, 'registrations')).toThrow(UsageError);
    expect(() => parseFigure(text, 'registrations')).toThrow(/invalid registrations: expected .* got/);
  });

  it('reads any plain integer back as itself and in lakh', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 10_000_000 }), (n) => {
      expect(parseFigure(String(n))).toBe(n);
      expect(parseFigure(`${n / 1e5}lakh`)).toBeCloseTo(n, 6);
    }));
  });

  it('refuses a count that is not whole', () => {
    expect(() => parseCount('1.5', 'orders')).toThrow(/invalid orders: expected a whole number/);
    expect(parseCount('1.5k', 'orders')).toBe(1500);
  });
});

describe('clock', () => {
  it('round-trips HH:MM and refuses other forms', () => {
    expect(parseClock('09:00')).toBe(540);
    expect(formatClock(parseClock('17:05'))).toBe('17:05');
    expect(() => parseClock('25:00', 'bookingOpens')).toThrow(/invalid bookingOpens/);
  });
});
