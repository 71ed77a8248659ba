import { describe, expect, it } from 'vitest';
import { createAcceptance } from '../../../mock-portal/src/domain/acceptance.js';
import { createCatalogue } from '../../../mock-portal/src/domain/catalogue.js';
import { createLedger, walletOf } from '../../../mock-portal/src/domain/ledger.js';
import { createOrders } from '../../../mock-portal/src/domain/orders.js';
import { reconcile } from '../../../mock-portal/src/domain/reconcile.js';
import { openDb } from '../../../mock-portal/src/infra/db.js';

const H = 3_600_000;

function world(o: { acceptPerSimHour?: number; rejectRate?: number; timeout?: number } = {}) {
  const db = openDb(':memory:');
  const ledger = createLedger(db);
  const catalogue = createCatalogue(db, { Raipur: 1 }, 0, 100);
  const orders = createOrders(db, ledger, catalogue, { maxItemsPerOrder: 10, maxQtyPerItem: 12, maxQueuePerShop: 0, release: 'prompt', isOpen: () => true });
  const acceptance = createAcceptance(db, ledger, {
    acceptPerSimHour: o.acceptPerSimHour ?? 60, acceptTimeoutSimSeconds: o.timeout ?? 1800, rejectRate: o.rejectRate ?? 0, release: 'prompt',
    refundBatchSimHours: 6, deliverySimMinutes: 60, deliveryCutoffMs: 20 * H,
  }, () => 0.5);
  db.prepare("INSERT INTO users (id, mobile, name, district, created_at) VALUES ('u', '+919000000000', 'u', 'Raipur', 0)").run();
  ledger.ensureUserAccounts('u');
  db.transaction(() => ledger.transfer('topup', 'u', null, 1_000_000, 0))();
  return { db, ledger, orders, acceptance };
}
const line = [{ sku: 'WHISKY-750', qty: 1 }];

describe('the shops\' worker', () => {
  it('accepts (captures) then delivers after the delivery time', () => {
    const w = world();
    const o = w.orders.place('u', 'raipur-01', line, 10 * H);
    w.acceptance.tick(10 * H);
    expect(w.orders.get('u', o.orderId)).toMatchObject({ status: 'accepted', money: 'captured' });
    w.acceptance.tick(11 * H + 1);
    expect(w.orders.get('u', o.orderId).status).toBe('delivered');
  });

  it('accepts no more than its capacity per simulated hour, oldest first', () => {
    const w = world({ acceptPerSimHour: 60 }); // one a minute
    const ids = Array.from({ length: 5 }, () => w.orders.place('u', 'raipur-01', line, 10 * H).orderId);
    w.acceptance.tick(10 * H);
    w.acceptance.tick(10 * H + 2 * 60_000);
    const statuses = ids.map((id) => w.orders.get('u', id).status);
    expect(statuses).toEqual(['accepted', 'accepted', 'accepted', 'queued', 'queued']);
  });

  it('times out what waited too long and gives the money back (prompt release → refunded)', () => {
    const w = world({ acceptPerSimHour: 1, timeout: 1800 });
    const a = w.orders.place('u', 'raipur-01', line, 10 * H);
    const b = w.orders.place('u', 'raipur-01', line, 10 * H);
    w.acceptance.tick(10 * H + 1); // one order an hour: a is accepted, b waits
    w.acceptance.tick(10 * H + 31 * 60_000);
    expect(w.orders.get('u', a.orderId)).toMatchObject({ status: 'accepted', money: 'captured' });
    expect(w.orders.get('u', b.orderId)).toMatchObject({ status: 'refunded', money: 'released', reason: 'not accepted in time' });
    expect(w.ledger.balance(walletOf('u'))).toBe(1_000_000 - 68_000);
    expect(reconcile(w.db, 10 * H + 31 * 60_000, 1800).walletDiscrepancyPaise).toBe(0);
  });

  it('refunds captured money for an order not delivered by the 20:00 cut-off', () => {
    const w = world();
    const o = w.orders.place('u', 'raipur-01', line, 19.5 * H);
    w.acceptance.tick(19.5 * H);
    expect(w.orders.get('u', o.orderId).status).toBe('accepted');
    w.acceptance.tick(20 * H + 1);
    expect(w.orders.get('u', o.orderId)).toMatchObject({ status: 'refunded', money: 'captured' });
    expect(w.ledger.balance(walletOf('u'))).toBe(1_000_000);
    const r = reconcile(w.db, 20 * H + 1, 1800);
    expect(r.totals.refundedPaise).toBe(68_000);
    expect(r.walletDiscrepancyPaise).toBe(0);
    expect(r.orders.acceptedTotal).toBe(1);
  });
});
