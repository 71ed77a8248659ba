import type { Db } from '../infra/db.js';
import { refuse } from './errors.js';

/**
 * A double-entry ledger: every movement is one transfer with two entries that sum to zero, and each
 * account's balance is kept beside its entries (the CHECK constraints refuse a negative wallet even if a
 * rule were wrong). Call inside a transaction: these functions never commit on their own.
 *
 *   topup    gateway        → wallet:u
 *   hold     wallet:u       → held:u        (order placed)
 *   capture  held:u         → captured      (shop accepted)
 *   release  held:u         → wallet:u      (rejected, timed out, cancelled)
 *   refund   captured       → wallet:u      (accepted but not delivered by the cut-off)
 */
export type TransferKind = 'topup' | 'hold' | 'capture' | 'release' | 'refund';

export const GATEWAY = 'gateway';
export const CAPTURED = 'captured';
export const walletOf = (userId: string): string => `wallet:${userId}`;
export const heldOf = (userId: string): string => `held:${userId}`;

export interface Ledger {
  ensureUserAccounts(userId: string): void;
  balance(accountId: string): number;
  transfer(kind: TransferKind, userId: string, orderId: string | null, amount: number, simAt: number): number;
}

const ROUTES: Record<TransferKind, (u: string) => [from: string, to: string]> = {
  topup: (u) => [GATEWAY, walletOf(u)],
  hold: (u) => [walletOf(u), heldOf(u)],
  capture: (u) => [heldOf(u), CAPTURED],
  release: (u) => [heldOf(u), walletOf(u)],
  refund: (u) => [CAPTURED, walletOf(u)],
};

export function createLedger(db: Db, now: () => number = Date.now): Ledger {
  const insAccount = db.prepare('INSERT OR IGNORE INTO accounts (id, kind, user_id) VALUES (?, ?, ?)');
  insAccount.run(GATEWAY, 'gateway', null);
  insAccount.run(CAPTURED, 'captured', null);
  const getBalance = db.prepare<[string], { balance: number }>('SELECT balance FROM accounts WHERE id = ?');
  const insTransfer = db.prepare('INSERT INTO transfers (kind, user_id, order_id, amount, sim_at, created_at) VALUES (?, ?, ?, ?, ?, ?)');
  const insEntry = db.prepare('INSERT INTO entries (transfer_id, account_id, amount) VALUES (?, ?, ?)');
  const addBalance = db.prepare('UPDATE accounts SET balance = balance + ? WHERE id = ?');

  const balance = (id: string): number => getBalance.get(id)?.balance ?? 0;

  return {
    ensureUserAccounts(userId) {
      insAccount.run(walletOf(userId), 'wallet', userId);
      insAccount.run(heldOf(userId), 'held', userId);
    },
    balance,
    transfer(kind, userId, orderId, amount, simAt) {
      if (!Number.isSafeInteger(amount) || amount <= 0) throw new Error(`ledger: amount must be a positive integer of paise, got ${amount}`);
      const [from, to] = ROUTES[kind](userId);
      const have = balance(from);
      if (from !== GATEWAY && have < amount) {
        if (kind === 'hold') throw refuse.insufficient(amount, have);
        throw new Error(`ledger: ${kind} of ${amount} from ${from} exceeds its balance ${have}`);
      }
      const t = insTransfer.run(kind, userId, orderId, amount, Math.round(simAt), now());
      const id = Number(t.lastInsertRowid);
      insEntry.run(id, from, -amount);
      insEntry.run(id, to, amount);
      addBalance.run(-amount, from);
      addBalance.run(amount, to);
      return id;
    },
  };
}
