import { describe, expect, it } from 'vitest';
import { DEFAULTS, SOURCE_SECTIONS, resolveProfile } from '../../../src/profile/index.js';
import { PARAMS } from '../../../src/report/i18n.js';
import { paramName, paramSource, paramValue } from '../../../src/report/profile-text.js';

const DEVANAGARI = /[\u0900-\u097F]/;
const keys = Object.keys(DEFAULTS) as Array<keyof typeof DEFAULTS>;

describe('the traffic-model table in the reader\'s language', () => {
  it('names every parameter and the origin of its default in Hindi, with the section of docs/sources.md quoting it', () => {
    for (const key of keys) {
      const d = DEFAULTS[key];
      const hi = paramSource(key, d.value, d.source, 'hi')!;
      expect(paramName(key, 'hi'), key).toMatch(DEVANAGARI);
      expect(hi.text, key).toMatch(DEVANAGARI);
      // the section `profile show` prints (test/unit/docs/standalone.test.ts: a heading of docs/sources.md)
      expect(hi.section).toBe(`docs/sources.md#${SOURCE_SECTIONS[key]}`);
      expect(d.source).toContain(`(${hi.section})`);
      // An outside figure carries its publication's year in both languages; one of ours says it is an assumption.
      const en = paramSource(key, d.value, d.source, 'en')!.text;
      if (/^assumption/.test(d.source)) {
        expect(en, key).toMatch(/^Our assumption/);
        expect(hi.text, key).toMatch(/^हमारी मान्यता/);
      } else {
        expect(en, key).toMatch(/\b20(21|25)\b/);
        expect(hi.text, key).toMatch(/\b20(21|25)\b/);
      }
      expect(`${en} ${hi.text}`).not.toMatch(/\.md\b/);
    }
  });

  it('shows money in rupees from paise, counts in lakh and crore, shares in percent', () => {
    expect(paramValue('registrations', 300_000, '300000', 'en')).toBe('3 lakh');
    expect(paramValue('registrations', 300_000, '300000', 'hi')).toBe('3 लाख');
    expect(paramValue('orders', 29_000, '29000', 'hi')).toBe('29,000');
    expect(paramValue('appInstalls', 1_32_00_000, '13200000', 'hi')).toBe('1.32 करोड़');
    expect(paramValue('orderValuePaise', 149_000, '149000', 'en')).toBe('₹1,490');
    expect(paramValue('orderValuePaise', 149_050, '149050', 'hi')).toBe('₹1,490.50');
    expect(paramValue('firstHourShare', 0.26, '0.26', 'hi')).toBe('26%');
    expect(paramValue('spikeMinutes', 10, '10', 'hi')).toBe('10 मिनट');
    expect(paramValue('retryPolicy', 'polite', 'polite', 'hi')).toMatch(DEVANAGARI);
    // a key this version does not know, or a value of an unexpected shape, shows as recorded
    expect(paramValue('somethingElse', 5, '5', 'hi')).toBe('5');
    expect(paramValue('registrations', 'lots', 'lots', 'hi')).toBe('lots');
    expect(paramName('somethingElse', 'hi')).toBeNull();
  });

  it('says a value came from the planner\'s profile file or flag, not from the launch-day sources', () => {
    const r = resolveProfile({ registrations: '1 lakh' }, 'profile file plans/diwali.yaml', { orders: { value: 5000, source: '--orders' } });
    const reg = paramSource('registrations', r.profile.registrations.value, r.profile.registrations.source, 'hi')!;
    expect(reg).toEqual({ text: 'आपकी प्रोफ़ाइल फ़ाइल plans/diwali.yaml', section: null });
    expect(paramSource('orders', 5000, r.profile.orders.source, 'en')).toEqual({ text: 'the command-line option --orders', section: null });
    expect(paramSource('registrations', 1, 'something a later version wrote', 'en')!.text).toBe('recorded as: something a later version wrote');
    expect(paramSource('registrations', 1, null, 'en')).toBeNull();
  });

  it('has a name and an origin for every parameter in both languages, and no two parameters share a name', () => {
    for (const lang of ['en', 'hi'] as const) {
      expect(Object.keys(PARAMS[lang]).sort()).toEqual([...keys].sort());
      const names = keys.map((k) => PARAMS[lang][k].name);
      expect(new Set(names).size).toBe(names.length);
    }
  });
});
