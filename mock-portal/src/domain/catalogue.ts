import { writeTransaction, type Db } from '../infra/db.js';
import { buildShops, skusFor, type Shop, type Sku } from '../data/chhattisgarh.js';

export interface CatalogueItem { sku: string; name: string; pricePaise: number; stock: number }

export interface Catalogue {
  shops: Shop[];
  shop(id: string): Shop | undefined;
  sku(shop: Shop, sku: string): Sku | undefined;
  items(shop: Shop): CatalogueItem[];
}

/** Shops are configuration; stock lives in the database (orders reserve it in their transaction). */
export function createCatalogue(db: Db, counts: Record<string, number>, fallback: number, stockPerSku: number): Catalogue {
  const shops = buildShops(counts, fallback);
  const byId = new Map(shops.map((s) => [s.id, s]));
  const seed = db.prepare('INSERT OR IGNORE INTO stock (shop_id, sku, qty) VALUES (?, ?, ?)');
  writeTransaction(db, () => {
    for (const shop of shops) for (const s of skusFor(shop.kind)) seed.run(shop.id, s.sku, stockPerSku);
  })();
  const stockOf = db.prepare<[string], { sku: string; qty: number }>('SELECT sku, qty FROM stock WHERE shop_id = ?');
  return {
    shops,
    shop: (id) => byId.get(id),
    sku: (shop, sku) => skusFor(shop.kind).find((s) => s.sku === sku),
    items(shop) {
      const stock = new Map(stockOf.all(shop.id).map((r) => [r.sku, r.qty]));
      return skusFor(shop.kind).map((s) => ({ sku: s.sku, name: s.name, pricePaise: s.pricePaise, stock: stock.get(s.sku) ?? 0 }));
    },
  };
}
