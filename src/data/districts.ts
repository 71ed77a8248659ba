/**
 * Chhattisgarh's districts (33 since 2022) with a demand weight. Shared by the data generator and the
 * scenarios; the reference portal keeps its own copy (mock-portal imports nothing from src/).
 * Weights: Raipur ≈ 20% from the launch-day news report ("2,000+ of about 10,000 online orders in
 * Raipur", docs/sources.md#orders-from-raipur); Bilaspur and Durg next ("highest demand: Raipur,
 * Bilaspur, Durg", docs/sources.md#busiest-districts); the rest an assumption, roughly by population.
 * Scenarios keep only the districts the target's GET /districts knows.
 */
export const CHHATTISGARH_DISTRICTS: readonly { name: string; weight: number }[] = [
  { name: 'Raipur', weight: 20 },
  { name: 'Bilaspur', weight: 10 },
  { name: 'Durg', weight: 10 },
  { name: 'Rajnandgaon', weight: 4 },
  { name: 'Korba', weight: 4 },
  { name: 'Raigarh', weight: 4 },
  { name: 'Janjgir-Champa', weight: 3.5 },
  { name: 'Baloda Bazar', weight: 3 },
  { name: 'Bastar', weight: 3 },
  { name: 'Surguja', weight: 3 },
  { name: 'Mahasamund', weight: 3 },
  { name: 'Dhamtari', weight: 2.5 },
  { name: 'Kabirdham', weight: 2.5 },
  { name: 'Balod', weight: 2.5 },
  { name: 'Jashpur', weight: 2.5 },
  { name: 'Surajpur', weight: 2.5 },
  { name: 'Bemetara', weight: 2 },
  { name: 'Kanker', weight: 2 },
  { name: 'Mungeli', weight: 2 },
  { name: 'Balrampur', weight: 2 },
  { name: 'Koriya', weight: 1.5 },
  { name: 'Gariaband', weight: 1.5 },
  { name: 'Kondagaon', weight: 1.5 },
  { name: 'Sakti', weight: 1.5 },
  { name: 'Sarangarh-Bilaigarh', weight: 1.5 },
  { name: 'Manendragarh-Chirmiri-Bharatpur', weight: 1.2 },
  { name: 'Gaurela-Pendra-Marwahi', weight: 1 },
  { name: 'Khairagarh-Chhuikhadan-Gandai', weight: 1 },
  { name: 'Mohla-Manpur-Ambagarh Chowki', weight: 0.8 },
  { name: 'Dantewada', weight: 0.8 },
  { name: 'Bijapur', weight: 0.5 },
  { name: 'Sukma', weight: 0.5 },
  { name: 'Narayanpur', weight: 0.4 },
];

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
