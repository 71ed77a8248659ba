/**
 * Chhattisgarh's 33 districts (28 on the launch day in May 2020; Sakti, Sarangarh-Bilaigarh,
 * Manendragarh-Chirmiri-Bharatpur, Khairagarh-Chhuikhadan-Gandai and Mohla-Manpur-Ambagarh Chowki since
 * 2022), each with a demand weight. The one list of them: the portal accepts these, the data generator
 * (src/data) draws users from them and the scenarios pick them, so a generated user's district is always
 * one the portal knows. It lives on the portal's side because mock-portal imports nothing from src/.
 * Weights: Raipur ≈ 20% ("2,000+ of about 10,000 online orders in Raipur", docs/sources.md#orders-from-raipur);
 * Bilaspur and Durg next ("highest demand: Raipur, Bilaspur, Durg", docs/sources.md#busiest-districts); the
 * rest an assumption, roughly by population.
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

export const DISTRICTS = CHHATTISGARH_DISTRICTS.map((d) => d.name) as [string, ...string[]];

export const SHOP_KINDS = ['desi', 'premium', 'english', 'composite'] as const;
export type ShopKind = (typeof SHOP_KINDS)[number];

export interface Shop { id: string; name: string; district: string; kind: ShopKind }
export interface Sku { sku: string; name: string; pricePaise: number; kinds: ShopKind[] }

/** Prices are invented but plausible (₹1,490 was the average launch-day order). */
export const SKUS: Sku[] = [
  { sku: 'DESI-PLAIN-180', name: 'Desi plain 180 ml', pricePaise: 7_000, kinds: ['desi', 'composite'] },
  { sku: 'DESI-MASALA-180', name: 'Desi masala 180 ml', pricePaise: 8_500, kinds: ['desi', 'composite'] },
  { sku: 'DESI-PLAIN-750', name: 'Desi plain 750 ml', pricePaise: 28_000, kinds: ['desi', 'composite'] },
  { sku: 'BEER-STRONG-650', name: 'Strong beer 650 ml', pricePaise: 16_000, kinds: ['english', 'composite'] },
  { sku: 'BEER-LAGER-650', name: 'Lager 650 ml', pricePaise: 15_000, kinds: ['english', 'composite'] },
  { sku: 'RUM-750', name: 'Dark rum 750 ml', pricePaise: 52_000, kinds: ['english', 'composite'] },
  { sku: 'WHISKY-750', name: 'Whisky 750 ml', pricePaise: 68_000, kinds: ['english', 'premium', 'composite'] },
  { sku: 'VODKA-750', name: 'Vodka 750 ml', pricePaise: 61_000, kinds: ['english', 'premium', 'composite'] },
  { sku: 'SCOTCH-750', name: 'Scotch whisky 750 ml', pricePaise: 240_000, kinds: ['premium'] },
  { sku: 'WINE-RED-750', name: 'Red wine 750 ml', pricePaise: 95_000, kinds: ['premium'] },
];

/** Kinds in the article's proportions (6 desi, 6 premium, 8 English, 6 composite), cycled. */
const KIND_CYCLE: ShopKind[] = ['english', 'desi', 'premium', 'composite', 'english', 'desi', 'premium', 'composite', 'english', 'english', 'desi', 'premium', 'composite'];

export function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

/** The shops of every district: `counts[district] ?? fallback` each, ids like `raipur-07`. */
export function buildShops(counts: Record<string, number>, fallback: number): Shop[] {
  const shops: Shop[] = [];
  for (const district of DISTRICTS) {
    const n = counts[district] ?? fallback;
    for (let i = 1; i <= n; i++) {
      const kind = KIND_CYCLE[(i - 1) % KIND_CYCLE.length];
      const no = String(i).padStart(2, '0');
      shops.push({ id: `${slug(district)}-${no}`, name: `${district} ${kind} shop ${no}`, district, kind });
    }
  }
  return shops;
}

/**
 * Shops per district by default: Raipur 22 (docs/sources.md#shops-in-raipur), Bilaspur and Durg 12 (the
 * busiest after it, docs/sources.md#busiest-districts), every other district DEFAULT_SHOPS_PER_DISTRICT.
 * The portal's config starts from these (`shopsPerDistrict`, `defaultShopsPerDistrict`).
 */
export const SHOPS_PER_DISTRICT: Readonly<Record<string, number>> = Object.freeze({ Raipur: 22, Bilaspur: 12, Durg: 12 });
export const DEFAULT_SHOPS_PER_DISTRICT = 2;

/**
 * The shops of the portal at its defaults: the one list, read by the portal (through its config), the data
 * generator and the scenarios (src/data/shops.ts), and the tests that order from a known shop.
 */
export const CHHATTISGARH_SHOPS: readonly Shop[] = Object.freeze(buildShops(SHOPS_PER_DISTRICT, DEFAULT_SHOPS_PER_DISTRICT));

export function skusFor(kind: ShopKind): Sku[] {
  return SKUS.filter((s) => s.kinds.includes(kind));
}
