import { writeTransaction, type Db } from '../infra/db.js';
import type { Ledger } from './ledger.js';
import { releaseHold, restoreStock, type OrderRow } from './orders.js';

export interface AcceptanceRules {
  acceptPerSimHour: number;
  acceptTimeoutSimSeconds: number;
  rejectRate: number;
  release: 'prompt' | 'batch';
  refundBatchSimHours: number;
  deliverySimMinutes: number;
  /** simulated ms of day after which nothing is delivered (accepted orders left are refunded) */
  deliveryCutoffMs: number;
}

export interface TickResult { accepted: number; rejected: number; timedOut: number; released: number; delivered: number; refunded: number }

/**
 * The shops' side, run by a timer: each shop accepts at most `acceptPerSimHour` orders per simulated hour
 * (oldest first), rejects a few, times out what waited too long, delivers, and gives money back (at once
 * or in the periodic batch, by mode). One transaction per tick, so a crash leaves a consistent state.
 */
export function createAcceptance(db: Db, ledger: Ledger, rules: AcceptanceRules, random: () => number) {
  const credit = new Map<string, number>();
  let lastSim: number | null = null;
  let lastBatch: number | null = null;
  const depth = db.prepare<[], { shop_id: string; n: number }>("SELECT shop_id, COUNT(*) AS n FROM orders WHERE status = 'queued' GROUP BY shop_id");
  const oldest = db.prepare<[string, number], OrderRow>("SELECT * FROM orders WHERE status = 'queued' AND shop_id = ? ORDER BY placed_sim, created_at LIMIT ?");
  const expired = db.prepare<[number], OrderRow>("SELECT * FROM orders WHERE status = 'queued' AND placed_sim < ?");
  const decide = db.prepare('UPDATE orders SET status = ?, decided_sim = ?, reason = ? WHERE id = ?');
  const capture = db.prepare("UPDATE orders SET hold = 'captured' WHERE id = ?");
  const due = db.prepare<[number], OrderRow>("SELECT * FROM orders WHERE status = 'accepted' AND decided_sim <= ?");
  const deliver = db.prepare("UPDATE orders SET status = 'delivered', delivered_sim = ? WHERE id = ?");
  const unreleased = db.prepare<[], OrderRow>("SELECT * FROM orders WHERE hold = 'open' AND status IN ('rejected','cancelled')");
  const undelivered = db.prepare<[], OrderRow>("SELECT * FROM orders WHERE status = 'accepted'");
  const markRefunded = db.prepare("UPDATE orders SET status = 'refunded', released_sim = ?, reason = 'not delivered before the cut-off' WHERE id = ?");

  function reject(o: OrderRow, simNow: number, reason: string): void {
    decide.run('rejected', Math.round(simNow), reason, o.id);
    restoreStock(db, o);
  }

  const tick = writeTransaction(db, (simNow: number): TickResult => {
    const r: TickResult = { accepted: 0, rejected: 0, timedOut: 0, released: 0, delivered: 0, refunded: 0 };
    const dt = lastSim === null ? 0 : Math.max(0, simNow - lastSim);
    lastSim = simNow;
    const day = simNow % 86_400_000;
    // 1. timeouts: the promise was "accepted or your money back"
    for (const o of expired.all(simNow - rules.acceptTimeoutSimSeconds * 1000)) { reject(o, simNow, 'not accepted in time'); r.timedOut++; }
    // 2. each shop looks at its queue at its own pace (none after the delivery cut-off)
    if (day < rules.deliveryCutoffMs) {
      for (const { shop_id } of depth.all()) {
        // what accrued since the last tick, plus at most a simulated minute's worth saved from idle time
        const accrued = (rules.acceptPerSimHour * dt) / 3_600_000;
        const c = Math.min((credit.get(shop_id) ?? 1) + accrued, Math.max(1, rules.acceptPerSimHour / 60) + accrued);
        const n = Math.floor(c);
        credit.set(shop_id, c - n);
        if (n <= 0) continue;
        for (const o of oldest.all(shop_id, n)) {
          if (random() < rules.rejectRate) { reject(o, simNow, 'rejected by the shop'); r.rejected++; continue; }
          ledger.transfer('capture', o.user_id, o.id, o.total, simNow);
          capture.run(o.id);
          decide.run('accepted', Math.round(simNow), null, o.id);
          r.accepted++;
        }
      }
    }
    // 3. deliveries, and refunds of what cannot be delivered before the cut-off
    for (const o of due.all(simNow - rules.deliverySimMinutes * 60_000)) {
      if (day < rules.deliveryCutoffMs) { deliver.run(Math.round(simNow), o.id); r.delivered++; }
    }
    if (day >= rules.deliveryCutoffMs) {
      for (const o of undelivered.all()) {
        ledger.transfer('refund', o.user_id, o.id, o.total, simNow);
        markRefunded.run(Math.round(simNow), o.id);
        r.refunded++;
      }
    }
    // 4. money back: at once, or only when the batch comes round (as-built: every 6 simulated hours)
    const period = rules.refundBatchSimHours * 3_600_000;
    const batchDue = rules.release === 'batch' && lastBatch !== null && Math.floor(simNow / period) > Math.floor(lastBatch / period);
    if (rules.release === 'batch') lastBatch = simNow;
    if (rules.release === 'prompt' || batchDue) {
      for (const o of unreleased.all()) { releaseHold(db, ledger, o, simNow, o.status === 'rejected' ? 'refunded' : o.status); r.released++; }
    }
    return r;
  });

  return { tick: (simNow: number): TickResult => tick(simNow) };
}
export type Acceptance = ReturnType<typeof createAcceptance>;
