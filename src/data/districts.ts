/**
 * Chhattisgarh's districts and their demand weights: the one list is the portal's
 * (mock-portal/src/data/chhattisgarh.ts, where the sources of the weights are given), read here by the
 * data generator and the scenarios. Scenarios keep only the districts the target's GET /districts knows.
 */
export { CHHATTISGARH_DISTRICTS } from '../../mock-portal/src/data/chhattisgarh.js';
import { CHHATTISGARH_DISTRICTS } from '../../mock-portal/src/data/chhattisgarh.js';

export const DISTRICT_NAMES: readonly string[] = CHHATTISGARH_DISTRICTS.map((d) => d.name);

/** A picker over weighted items: u in [0, 1) → an item, by cumulative weight (binary search). */
export function weightedPicker<T extends { weight: number }>(items: readonly T[]): (u: number) => T {
  const cumulative: number[] = [];
  let total = 0;
  for (const it of items) { total += it.weight; cumulative.push(total); }
  if (!(total > 0)) throw new Error('weightedPicker needs a positive total weight');
  return (u: number) => {
    const x = u * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (cumulative[mid] > x) hi = mid; else lo = mid + 1; }
    return items[lo];
  };
}

/** Keep the weights of the districts a target knows; unknown target districts get weight 1. */
export function districtsFor(known: readonly string[] | undefined): { name: string; weight: number }[] {
  if (!known || known.length === 0) return [...CHHATTISGARH_DISTRICTS];
  const w = new Map(CHHATTISGARH_DISTRICTS.map((d) => [d.name.toLowerCase(), d.weight]));
  return known.map((name) => ({ name, weight: w.get(name.toLowerCase()) ?? 1 }));
}
