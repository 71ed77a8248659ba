import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { generateUsers, usersFileChunks, parseUsersFile, mobileFor, MOBILE_PATTERN, DISTRICT_NAMES, CHHATTISGARH_DISTRICTS, weightedPicker, districtsFor } from '../../../src/data/index.js';

const collect = (count: number, seed: number) => [...generateUsers({ count, seed })];

describe('users data', () => {
  it('is identical for the same seed and different for another', () => {
    const a = [...usersFileChunks({ count: 2000, seed: 42 })].join('');
    const b = [...usersFileChunks({ count: 2000, seed: 42 })].join('');
    const c = [...usersFileChunks({ count: 2000, seed: 43 })].join('');
    expect(a).toBe(b);
    expect(a).not.toBe(c);
    expect(parseUsersFile(a).users).toHaveLength(2000);
  });

  it('has unique, valid +91 mobiles, known districts, names and addresses', () => {
    const users = collect(10_000, 7);
    expect(new Set(users.map((u) => u.mobile)).size).toBe(users.length);
    for (const u of users) {
      expect(u.mobile).toMatch(MOBILE_PATTERN);
      expect(DISTRICT_NAMES).toContain(u.district);
      expect(u.name.length).toBeGreaterThan(2);
      expect(u.name.length).toBeLessThanOrEqual(100);
      expect(u.address).toContain(u.district);
    }
  });

  it('writes about the asked share of names in Devanagari', () => {
    const users = collect(10_000, 3);
    const share = users.filter((u) => /[\u0900-\u097F]/.test(u.name)).length / users.length;
    expect(share).toBeGreaterThan(0.17);
    expect(share).toBeLessThan(0.23);
  });

  it('weights districts by demand: Raipur first, then Bilaspur and Durg', () => {
    const users = collect(20_000, 11);
    const count = (d: string) => users.filter((u) => u.district === d).length;
    const total = CHHATTISGARH_DISTRICTS.reduce((s, d) => s + d.weight, 0);
    expect(count('Raipur') / users.length).toBeCloseTo(20 / total, 1);
    expect(count('Raipur')).toBeGreaterThan(count('Bilaspur'));
    expect(count('Durg')).toBeGreaterThan(count('Sukma') * 5);
  });
});

describe('mobileFor', () => {
  it('never collides for distinct indices under one seed, and is stable', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 2 ** 31 }), fc.uniqueArray(fc.integer({ min: 0, max: 3_999_999_999 }), { minLength: 2, maxLength: 50 }), (seed, indices) => {
      const ms = indices.map((i) => mobileFor(seed, i));
      expect(new Set(ms).size).toBe(indices.length);
      for (const m of ms) expect(m).toMatch(MOBILE_PATTERN);
      expect(mobileFor(seed, indices[0])).toBe(ms[0]);
    }));
  });

  it('refuses an index outside the space', () => {
    expect(() => mobileFor(1, -1)).toThrow(RangeError);
    expect(() => mobileFor(1, 4_000_000_000)).toThrow(RangeError);
  });
});

describe('districts', () => {
  it('picks by cumulative weight and keeps only what the target knows', () => {
    const pick = weightedPicker([{ weight: 1, n: 'a' }, { weight: 3, n: 'b' }]);
    expect(pick(0).n).toBe('a');
    expect(pick(0.24).n).toBe('a');
    expect(pick(0.26).n).toBe('b');
    expect(pick(0.999).n).toBe('b');
    expect(districtsFor(['Raipur', 'Newdistrict'])).toEqual([{ name: 'Raipur', weight: 20 }, { name: 'Newdistrict', weight: 1 }]);
    expect(districtsFor(undefined)).toHaveLength(33);
  });
});
