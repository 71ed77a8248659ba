import type { Db } from '../infra/db.js';

export interface ReconcileReport {
  walletDiscrepancyPaise: number;
  stuckDebits: number;
  stuckPaise: number;
  totals: {
    topupsPaise: number; capturedPaise: number; refundedPaise: number; heldPaise: number; balancesPaise: number;
    releasedPaise: number; holdsPaise: number;
  };
  /** sum of every entry in the ledger: 0 when each transfer balances */
  ledgerImbalancePaise: number;
  /** accounts whose stored balance differs from the sum of their entries */
  accountMismatches: number;
  orders: { placed: number; acceptedTotal: number; queued: number; accepted: number; rejected: number; refunded: number; delivered: number; cancelled: number };
  openHolds: number;
  oldestHoldAgeSeconds: number | null;
  refundLatencyP95Seconds: number | null;
  refundSlaSeconds: number;
  simulatedTime: number;
}

/** Nearest-rank percentile of a list (null when empty). */
export function percentile(xs: number[], p: number): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

/**
 * Recompute the money from the ledger's entries, not from any counter: topups − (captured − refunded)
 * − balances − held is 0 when no paisa was lost or created. Stuck debits: money still held for an order
 * longer than the refund SLA (simulated time) — "charged, no order, no refund".
 */
export function reconcile(db: Db, simNow: number, refundSlaSimSeconds: number): ReconcileReport {
  const byTransfer = new Map(db.prepare<[], { kind: string; s: number }>(
    'SELECT t.kind AS kind, SUM(e.amount) AS s FROM entries e JOIN transfers t ON t.id = e.transfer_id WHERE e.amount > 0 GROUP BY t.kind',
  ).all().map((r) => [r.kind, r.s]));
  const byAccountKind = new Map(db.prepare<[], { kind: string; s: number }>(
    'SELECT a.kind AS kind, SUM(e.amount) AS s FROM entries e JOIN accounts a ON a.id = e.account_id GROUP BY a.kind',
  ).all().map((r) => [r.kind, r.s]));
  const imbalance = db.prepare<[], { s: number | null }>('SELECT SUM(amount) AS s FROM entries').get()!.s ?? 0;
  const mismatches = db.prepare<[], { n: number }>(`SELECT COUNT(*) AS n FROM accounts a
    WHERE a.balance <> COALESCE((SELECT SUM(e.amount) FROM entries e WHERE e.account_id = a.id), 0)`).get()!.n;

  const topups = byTransfer.get('topup') ?? 0;
  const captured = byTransfer.get('capture') ?? 0;
  const refunded = byTransfer.get('refund') ?? 0;
  const held = byAccountKind.get('held') ?? 0;
  const balances = byAccountKind.get('wallet') ?? 0;

  const counts = Object.fromEntries(db.prepare<[], { status: string; n: number }>(
    'SELECT status, COUNT(*) AS n FROM orders GROUP BY status').all().map((r) => [r.status, r.n]));
  const n = (s: string): number => (counts[s] as number | undefined) ?? 0;
  const placed = Object.values(counts).reduce((a: number, b) => a + (b as number), 0);

  const slaStart = simNow - refundSlaSimSeconds * 1000;
  const stuck = db.prepare<[number], { n: number; s: number | null }>(
    "SELECT COUNT(*) AS n, SUM(total) AS s FROM orders WHERE hold = 'open' AND placed_sim < ?").get(slaStart)!;
  const open = db.prepare<[], { n: number; oldest: number | null }>("SELECT COUNT(*) AS n, MIN(placed_sim) AS oldest FROM orders WHERE hold = 'open'").get()!;
  const latencies = db.prepare<[], { d: number }>('SELECT released_sim - placed_sim AS d FROM orders WHERE released_sim IS NOT NULL')
    .all().map((r) => Math.max(0, r.d) / 1000);

  return {
    walletDiscrepancyPaise: topups - (captured - refunded) - balances - held,
    stuckDebits: stuck.n,
    stuckPaise: stuck.s ?? 0,
    totals: {
      topupsPaise: topups, capturedPaise: captured, refundedPaise: refunded, heldPaise: held, balancesPaise: balances,
      releasedPaise: byTransfer.get('release') ?? 0, holdsPaise: byTransfer.get('hold') ?? 0,
    },
    ledgerImbalancePaise: imbalance,
    accountMismatches: mismatches,
    orders: {
      placed,
      // ever accepted: the money was captured (delivered, waiting for delivery, or refunded after the cut-off)
      acceptedTotal: db.prepare<[], { n: number }>("SELECT COUNT(*) AS n FROM orders WHERE hold = 'captured'").get()!.n,
      queued: n('queued'), accepted: n('accepted'), rejected: n('rejected'), refunded: n('refunded'),
      delivered: n('delivered'), cancelled: n('cancelled'),
    },
    openHolds: open.n,
    oldestHoldAgeSeconds: open.oldest === null ? null : Math.max(0, (simNow - open.oldest) / 1000),
    refundLatencyP95Seconds: percentile(latencies, 95),
    refundSlaSeconds: refundSlaSimSeconds,
    simulatedTime: simNow,
  };
}
