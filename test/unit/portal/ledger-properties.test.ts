import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../mock-portal/src/app.js';
import { createAcceptance } from '../../../mock-portal/src/domain/acceptance.js';
import { createCatalogue } from '../../../mock-portal/src/domain/catalogue.js';
import { DomainError } from '../../../mock-portal/src/domain/errors.js';
import { createLedger, heldOf, walletOf } from '../../../mock-portal/src/domain/ledger.js';
import { createOrders } from '../../../mock-portal/src/domain/orders.js';
import { reconcile } from '../../../mock-portal/src/domain/reconcile.js';
import { openDb } from '../../../mock-portal/src/infra/db.js';

type Cmd =
  | { kind: 'topup'; user: number; amount: number }
  | { kind: 'order'; user: number; shop: number; sku: number; qty: number }
  | { kind: 'cancel'; user: number; nth: number }
  | { kind: 'advance'; simMinutes: number };

const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  fc.record({ kind: fc.constant('topup' as const), user: fc.nat(3), amount: fc.integer({ min: 1, max: 300_000 }) }),
  fc.record({ kind: fc.constant('order' as const), user: fc.nat(3), shop: fc.nat(4), sku: fc.nat(4), qty: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ kind: fc.constant('cancel' as const), user: fc.nat(3), nth: fc.nat(5) }),
  fc.record({ kind: fc.constant('advance' as const), simMinutes: fc.integer({ min: 0, max: 240 }) }),
);

/** The whole domain on an in-memory database, with a simulated clock the test moves. */
function world(release: 'prompt' | 'batch', rejectRate: number) {
  const db = openDb(':memory:');
  const ledger = createLedger(db);
  const catalogue = createCatalogue(db, { Raipur: 5 }, 0, 50);
  const orders = createOrders(db, ledger, catalogue, {
    maxItemsPerOrder: 10, maxQtyPerItem: 12, maxQueuePerShop: 0, release, isOpen: (t) => (t % 86_400_000) < 17 * 3_600_000,
  });
  const acceptance = createAcceptance(db, ledger, {
    acceptPerSimHour: 6, acceptTimeoutSimSeconds: 3600, rejectRate, release, refundBatchSimHours: 6, deliverySimMinutes: 60,
    deliveryCutoffMs: 20 * 3_600_000,
  }, seededRandom(7));
  const users = ['u0', 'u1', 'u2', 'u3'];
  const insUser = db.prepare('INSERT INTO users (id, mobile, name, district, created_at) VALUES (?, ?, ?, ?, 0)');
  users.forEach((u, i) => { insUser.run(u, `+9190000000${i}0`, u, 'Raipur'); ledger.ensureUserAccounts(u); });
  return { db, ledger, catalogue, orders, acceptance, users };
}

function checkInvariants(w: ReturnType<typeof world>, simNow: number): void {
  const r = reconcile(w.db, simNow, 1800);
  expect(r.walletDiscrepancyPaise).toBe(0);
  expect(r.ledgerImbalancePaise).toBe(0);
  expect(r.accountMismatches).toBe(0);
  for (const u of w.users) {
    expect(w.ledger.balance(walletOf(u))).toBeGreaterThanOrEqual(0);
    // what is held for a user is exactly the totals of that user's orders whose hold is open
    const open = w.db.prepare<[string], { s: number | null }>("SELECT SUM(total) AS s FROM orders WHERE user_id = ? AND hold = 'open'").get(u)!.s ?? 0;
    expect(w.ledger.balance(heldOf(u))).toBe(open);
  }
  // every transfer is two entries summing to zero
  const bad = w.db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM (SELECT transfer_id FROM entries GROUP BY transfer_id HAVING SUM(amount) <> 0 OR COUNT(*) <> 2)').get()!.n;
  expect(bad).toBe(0);
}

describe('ledger invariants under random top-ups, orders, cancels, acceptances and timeouts', () => {
  for (const release of ['prompt', 'batch'] as const) {
    it(`hold: entries sum to zero, balances never negative, reconcile = 0 (${release} release)`, () => {
      fc.assert(fc.property(fc.array(cmd, { minLength: 1, maxLength: 60 }), fc.double({ min: 0, max: 0.5, noNaN: true }), (cmds, rejectRate) => {
        const w = world(release, rejectRate);
        let sim = 9 * 3_600_000;
        const placed: Record<string, string[]> = {};
        for (const c of cmds) {
          try {
            if (c.kind === 'topup') w.db.transaction(() => w.ledger.transfer('topup', w.users[c.user], null, c.amount, sim))();
            else if (c.kind === 'order') {
              const shop = w.catalogue.shops[c.shop];
              const items = w.catalogue.items(shop);
              const o = w.orders.place(w.users[c.user], shop.id, [{ sku: items[c.sku % items.length].sku, qty: c.qty }], sim);
              (placed[w.users[c.user]] ??= []).push(o.orderId);
            } else if (c.kind === 'cancel') {
              const mine = placed[w.users[c.user]] ?? [];
              if (mine.length) w.orders.cancel(w.users[c.user], mine[c.nth % mine.length], sim);
            } else {
              sim += c.simMinutes * 60_000;
              w.acceptance.tick(sim);
            }
          } catch (err) {
            if (!(err instanceof DomainError)) throw err; // refusals (402, 409, closed) are fine; anything else is a bug
          }
          checkInvariants(w, sim);
        }
        // a full simulated day later, every hold has ended as captured or released
        for (let i = 0; i < 30; i++) { sim += 3_600_000; w.acceptance.tick(sim); }
        checkInvariants(w, sim);
        expect(reconcile(w.db, sim, 1800).openHolds).toBe(0);
        w.db.close();
      }), { numRuns: 60 });
    });
  }

  it('a wallet can never be overdrawn, even by a bug: the database refuses a negative balance', () => {
    const w = world('prompt', 0);
    expect(() => w.db.prepare("UPDATE accounts SET balance = -1 WHERE id = 'wallet:u0'").run()).toThrow(/CHECK/);
  });
});
