import { randomUUID } from 'node:crypto';
import { writeTransaction, type Db } from '../infra/db.js';
import type { Catalogue } from './catalogue.js';
import { refuse } from './errors.js';
import type { Ledger } from './ledger.js';

export const ORDER_STATUSES = ['queued', 'accepted', 'rejected', 'refunded', 'delivered', 'cancelled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
export type HoldState = 'open' | 'captured' | 'released';

export interface OrderLine { sku: string; qty: number }
export interface OrderView {
  orderId: string; status: OrderStatus; totalPaise: number; shopId: string; items: OrderLine[];
  /** where the money is: held for the order, captured by the shop, or released back to the wallet */
  money: HoldState; reason: string | null;
}

export interface OrderRules {
  maxItemsPerOrder: number;
  maxQtyPerItem: number;
  /** resilient: refuse (503) once this many orders wait at a shop; 0 = unbounded */
  maxQueuePerShop: number;
  /** 'prompt': money comes back at rejection or cancel; 'batch': only when the periodic batch runs */
  release: 'prompt' | 'batch';
  isOpen(simMs: number): boolean;
}

export interface OrderRow {
  id: string; user_id: string; shop_id: string; items: string; total: number; status: OrderStatus; hold: HoldState;
  placed_sim: number; decided_sim: number | null; released_sim: number | null; reason: string | null;
}

export function viewOf(r: OrderRow): OrderView {
  return { orderId: r.id, status: r.status, totalPaise: r.total, shopId: r.shop_id, items: JSON.parse(r.items) as OrderLine[], money: r.hold, reason: r.reason };
}

export interface Orders {
  place(userId: string, shopId: string, lines: OrderLine[], simNow: number): OrderView;
  cancel(userId: string, orderId: string, simNow: number): OrderView;
  get(userId: string, orderId: string): OrderView;
  list(userId: string): OrderView[];
  queueDepths(): Map<string, number>;
}

/**
 * Placing, cancelling and reading orders. Each call is one transaction: stock, ledger and order row move
 * together or not at all. Never sees a request; throws DomainError refusals.
 */
export function createOrders(db: Db, ledger: Ledger, catalogue: Catalogue, rules: OrderRules): Orders {
  const takeStock = db.prepare('UPDATE stock SET qty = qty - ? WHERE shop_id = ? AND sku = ? AND qty >= ?');
  const insOrder = db.prepare(`INSERT INTO orders (id, user_id, shop_id, items, total, status, hold, placed_sim, created_at)
    VALUES (?, ?, ?, ?, ?, 'queued', 'open', ?, ?)`);
  const getOrder = db.prepare<[string], OrderRow>('SELECT * FROM orders WHERE id = ?');
  const userOrders = db.prepare<[string], OrderRow>('SELECT * FROM orders WHERE user_id = ? ORDER BY created_at DESC LIMIT 100');
  const queued = db.prepare<[string], { n: number }>("SELECT COUNT(*) AS n FROM orders WHERE status = 'queued' AND shop_id = ?");
  const depths = db.prepare<[], { shop_id: string; n: number }>("SELECT shop_id, COUNT(*) AS n FROM orders WHERE status = 'queued' GROUP BY shop_id");
  const setCancelled = db.prepare("UPDATE orders SET status = 'cancelled', decided_sim = ?, reason = 'cancelled by user' WHERE id = ?");

  return {
    place(userId, shopId, lines, simNow) {
      const shop = catalogue.shop(shopId);
      if (!shop) throw refuse.notFound('shopId', shopId);
      if (lines.length > rules.maxItemsPerOrder) throw refuse.invalid('items', `at most ${rules.maxItemsPerOrder} lines`, lines.length);
      // merge repeated SKUs so per-order limits cannot be dodged by splitting lines
      const merged = new Map<string, number>();
      for (const l of lines) merged.set(l.sku, (merged.get(l.sku) ?? 0) + l.qty);
      let total = 0;
      for (const [sku, qty] of merged) {
        const s = catalogue.sku(shop, sku);
        if (!s) throw refuse.notFound('sku', sku);
        if (qty > rules.maxQtyPerItem) throw refuse.invalid(`items qty of ${sku}`, `at most ${rules.maxQtyPerItem}`, qty);
        total += s.pricePaise * qty;
      }
      if (!rules.isOpen(simNow)) throw refuse.conflict('shop_closed', `shop ${shopId} is closed: booking is open 09:00–17:00 (simulated clock)`);
      const items = [...merged].map(([sku, qty]) => ({ sku, qty }));
      return writeTransaction(db, () => {
        if (rules.maxQueuePerShop > 0 && queued.get(shopId)!.n >= rules.maxQueuePerShop) {
          throw refuse.unavailable('shop_busy', `shop ${shopId} has ${rules.maxQueuePerShop} orders waiting: try again shortly or pick another shop`, 30);
        }
        for (const { sku, qty } of items) {
          if (takeStock.run(qty, shopId, sku, qty).changes !== 1) throw refuse.conflict('out_of_stock', `sku ${sku} is out of stock at shop ${shopId}`);
        }
        const orderId = `ord_${randomUUID()}`;
        ledger.transfer('hold', userId, orderId, total, simNow); // 402 when the balance cannot cover it
        insOrder.run(orderId, userId, shopId, JSON.stringify(items), total, Math.round(simNow), Date.now());
        return viewOf(getOrder.get(orderId)!);
      })();
    },
    cancel(userId, orderId, simNow) {
      return writeTransaction(db, () => {
        const o = getOrder.get(orderId);
        if (!o || o.user_id !== userId) throw refuse.notFound('order', orderId);
        if (o.status !== 'queued') throw refuse.conflict('not_cancellable', `order ${orderId} is ${o.status}: only a queued order can be cancelled`);
        setCancelled.run(Math.round(simNow), orderId);
        restoreStock(db, o);
        if (rules.release === 'prompt') releaseHold(db, ledger, o, simNow, 'cancelled');
        return viewOf(getOrder.get(orderId)!);
      })();
    },
    get(userId, orderId) {
      const o = getOrder.get(orderId);
      if (!o || o.user_id !== userId) throw refuse.notFound('order', orderId);
      return viewOf(o);
    },
    list: (userId) => userOrders.all(userId).map(viewOf),
    queueDepths: () => new Map(depths.all().map((r) => [r.shop_id, r.n])),
  };
}

export function restoreStock(db: Db, o: OrderRow): void {
  const put = db.prepare('UPDATE stock SET qty = qty + ? WHERE shop_id = ? AND sku = ?');
  for (const l of JSON.parse(o.items) as OrderLine[]) put.run(l.qty, o.shop_id, l.sku);
}

/** Money back to the wallet for an order not accepted; a rejected order becomes `refunded`. */
export function releaseHold(db: Db, ledger: Ledger, o: OrderRow, simNow: number, finalStatus: OrderStatus): void {
  if (o.hold !== 'open') return;
  ledger.transfer('release', o.user_id, o.id, o.total, simNow);
  db.prepare("UPDATE orders SET hold = 'released', released_sim = ?, status = ? WHERE id = ?").run(Math.round(simNow), finalStatus, o.id);
}
