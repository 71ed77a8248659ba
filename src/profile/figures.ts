import { invalid } from '../contracts/errors.js';

/**
 * Business figures as planners write them: `3lakh`, `3 lakh`, `3,00,000`, `1.32crore`, `300k`, `300000`,
 * `4.32 crore`, `2.5m`. Returns a non-negative number; anything else is refused naming the figure.
 */
const UNITS: Record<string, number> = {
  '': 1, k: 1e3, thousand: 1e3, l: 1e5, lac: 1e5, lacs: 1e5, lakh: 1e5, lakhs: 1e5,
  m: 1e6, million: 1e6, cr: 1e7, crore: 1e7, crores: 1e7,
};

// Digits with optional Indian (3,00,000) or Western (300,000) grouping, an optional fraction, an optional unit.
const FIGURE = /^(\d{1,3}(?:,\d{2})*,\d{3}|\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?\s*([a-z]*)$/;

export function parseFigure(input: string | number, what = 'figure'): number {
  if (typeof input === 'number') {
    if (!Number.isFinite(input) || input < 0) throw invalid(what, 'a non-negative number such as 3lakh, 3,00,000, 300k or 300000', input);
    return input;
  }
  const text = input.trim().toLowerCase();
  const m = FIGURE.exec(text);
  const unit = m ? UNITS[m[3]] : undefined;
  if (!m || unit === undefined) {
    throw invalid(what, 'a number such as 3lakh, 3,00,000, 1.32crore, 300k or 300000', input);
  }
  const value = Number(`${m[1].replace(/,/g, '')}.${m[2] ?? '0'}`) * unit;
  // 1.32crore is 13200000 exactly, not 13200000.000000002.
  return Math.round(value * 1e6) / 1e6;
}

/** A whole count (registrations, orders): a figure that must come out whole. */
export function parseCount(input: string | number, what = 'count'): number {
  const n = parseFigure(input, what);
  if (!Number.isInteger(n)) throw invalid(what, 'a whole number', input);
  return n;
}

// Times of day: one rule for the whole project (src/contracts/clock.ts).
export { parseClock, formatClock } from '../contracts/clock.js';
