/** Districts of Chhattisgarh as of the launch day (May 2020: 28 districts). */
export const DISTRICTS = [
  'Balod', 'Baloda Bazar', 'Balrampur', 'Bastar', 'Bemetara', 'Bijapur', 'Bilaspur', 'Dantewada',
  'Dhamtari', 'Durg', 'Gariaband', 'Gaurela-Pendra-Marwahi', 'Janjgir-Champa', 'Jashpur', 'Kabirdham',
  'Kanker', 'Kondagaon', 'Korba', 'Koriya', 'Mahasamund', 'Mungeli', 'Narayanpur', 'Raigarh', 'Raipur',
  'Rajnandgaon', 'Sukma', 'Surajpur', 'Surguja',
] as const;

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

export function skusFor(kind: ShopKind): Sku[] {
  return SKUS.filter((s) => s.kinds.includes(kind));
}
