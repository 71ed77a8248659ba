import { describe, expect, it } from 'vitest';
import { escapeHtml, formatInstant, formatCount, formatMs, formatNumber, formatPaise, formatPercent, jsonForScript } from '../../../src/report/format.js';

describe('Indian number formatting', () => {
  it('groups digits the Indian way in both languages', () => {
    expect(formatNumber(300000)).toBe('3,00,000');
    expect(formatNumber(13200000)).toBe('1,32,00,000');
    expect(formatNumber(999)).toBe('999');
    expect(formatNumber(1490.5, 1)).toBe('1,490.5');
  });

  it('says lakh and crore in words from one lakh up', () => {
    expect(formatCount(300000, 'en')).toBe('3 lakh');
    expect(formatCount(300000, 'hi')).toBe('3 लाख');
    expect(formatCount(13200000, 'en')).toBe('1.32 crore');
    expect(formatCount(29000, 'hi')).toBe('29,000');
  });

  it('shows money in rupees from integer paise: ₹4.32 crore / ₹4.32 करोड़', () => {
    const launchDay = 4_32_00_000 * 100; // ₹4.32 crore in paise
    expect(formatPaise(launchDay, 'en')).toBe('₹4.32 crore');
    expect(formatPaise(launchDay, 'hi')).toBe('₹4.32 करोड़');
    expect(formatPaise(2_000_00, 'en')).toBe('₹2,000');
    expect(formatPaise(1_490_50, 'en')).toBe('₹1,490.50');
    expect(formatPaise(5, 'en')).toBe('₹0.05');
    expect(formatPaise(1_20_000_00, 'hi')).toBe('₹1.2 लाख');
    expect(formatPaise(-2_000_00, 'en')).toBe('−₹2,000');
  });

  it('refuses money that is not integer paise', () => {
    expect(() => formatPaise(10.5, 'en')).toThrow(/integer paise/);
  });

  it('writes durations and shares for people', () => {
    expect(formatMs(320, 'en')).toBe('320 ms');
    expect(formatMs(2400, 'en')).toBe('2.4 s');
    expect(formatMs(2400, 'hi')).toBe('2.4 सेकंड');
    expect(formatMs(300_000, 'en')).toBe('5 min');
    expect(formatPercent(0.0123)).toBe('1.2%');
    expect(formatPercent(0.0012)).toBe('0.12%');
    expect(formatPercent(0.5)).toBe('50%');
  });
});

describe('dates', () => {
  it('shows instants in India Standard Time, month names in the report language', () => {
    expect(formatInstant('2026-11-28T03:35:00Z', 'en')).toMatch(/^28 Nov 2026, 9:05\s?am IST$/i);
    expect(formatInstant('2026-11-28T03:35:00Z', 'hi')).toMatch(/^28 नव॰? 2026, 0?9:05 भारतीय समय$/);
    expect(formatInstant('not a date', 'en')).toBe('not a date');
  });
});

describe('escaping', () => {
  it('escapes every HTML-special character of data', () => {
    expect(escapeHtml(`<img src=x onerror="a('b')">&`)).toBe('&lt;img src=x onerror=&quot;a(&#39;b&#39;)&quot;&gt;&amp;');
  });

  it('keeps JSON inside a script element from closing it, and still parses back', () => {
    const value = { name: '</script><script>alert(1)</script>', note: '<!-- x -->' };
    const s = jsonForScript(value);
    expect(s).not.toMatch(/<\/script/i);
    expect(s).not.toContain('<!--');
    expect(JSON.parse(s)).toEqual(value);
  });
});
