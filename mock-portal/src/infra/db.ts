import { dirname } from 'node:path';
import Database from 'better-sqlite3';

export type Db = Database.Database;

/**
 * Open the portal's SQLite database in WAL mode. 'full': synchronous=FULL, every commit fsynced inside
 * the transaction. 'group-commit' (default): synchronous=NORMAL plus GroupCommit, which fsyncs the WAL
 * before a write is acknowledged (see durability.ts) — the same promise without blocking the event loop.
 */
export function openDb(file: string, durability: 'full' | 'group-commit' = 'group-commit'): Db {
  let db: Db | undefined;
  try {
    db = new Database(file);
    if (file !== ':memory:') db.pragma('journal_mode = WAL');
    db.pragma(durability === 'full' ? 'synchronous = FULL' : 'synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    db.exec(SCHEMA);
    return db;
  } catch (err) {
    db?.close();
    throw new DbOpenError(file, err);
  }
}

/**
 * A write transaction that takes SQLite's write lock at BEGIN (IMMEDIATE). better-sqlite3's default is
 * DEFERRED: one that reads, then writes while another process over the same file (a fleet) has
 * committed, fails at once with SQLITE_BUSY (busy_timeout cannot refresh a stale snapshot), so two
 * instances answered 500 "database is locked". IMMEDIATE waits out busy_timeout instead. Nested calls
 * are savepoints, as before.
 */
export function writeTransaction<A extends unknown[], R>(db: Db, fn: (...args: A) => R): (...args: A) => R {
  return db.transaction(fn).immediate;
}

/** The database file cannot be used (no such directory, not a SQLite file, no permission): exit 3. */
export class DbOpenError extends Error {
  readonly code = 'PORTAL_DB_OPEN';
  constructor(readonly file: string, cause: unknown) {
    const c = cause as { code?: string; message?: string };
    const why = c.code === 'SQLITE_NOTADB' ? 'it is not a SQLite database'
      : /directory does not exist/.test(c.message ?? '') ? `the directory ${JSON.stringify(dirname(file))} does not exist`
        : (c.message ?? String(cause)).split('\n')[0];
    super(`cannot open database ${JSON.stringify(file)}: ${why}`);
    this.name = 'DbOpenError';
  }
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS users (
  id TEXT PRIMARY KEY, mobile TEXT NOT NULL UNIQUE, name TEXT NOT NULL, district TEXT NOT NULL,
  created_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS otps (
  mobile TEXT PRIMARY KEY, code_hash TEXT, expires_at INTEGER NOT NULL DEFAULT 0,
  wrong INTEGER NOT NULL DEFAULT 0, locked_until INTEGER NOT NULL DEFAULT 0,
  sends_window_start INTEGER NOT NULL DEFAULT 0, sends INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS sessions (
  token_hash TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users(id), created_at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS sessions_user ON sessions(user_id);
-- the ledger: accounts, transfers, and the entries of each transfer (which sum to zero)
CREATE TABLE IF NOT EXISTS accounts (
  id TEXT PRIMARY KEY, kind TEXT NOT NULL CHECK (kind IN ('gateway','wallet','held','captured')),
  user_id TEXT, balance INTEGER NOT NULL DEFAULT 0,
  CHECK (kind NOT IN ('wallet','held','captured') OR balance >= 0));
CREATE TABLE IF NOT EXISTS transfers (
  id INTEGER PRIMARY KEY, kind TEXT NOT NULL CHECK (kind IN ('topup','hold','capture','release','refund')),
  user_id TEXT NOT NULL, order_id TEXT, amount INTEGER NOT NULL CHECK (amount > 0),
  sim_at INTEGER NOT NULL, created_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS entries (
  id INTEGER PRIMARY KEY, transfer_id INTEGER NOT NULL REFERENCES transfers(id),
  account_id TEXT NOT NULL REFERENCES accounts(id), amount INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS entries_account ON entries(account_id);
CREATE TABLE IF NOT EXISTS orders (
  id TEXT PRIMARY KEY, user_id TEXT NOT NULL, shop_id TEXT NOT NULL, items TEXT NOT NULL,
  total INTEGER NOT NULL, status TEXT NOT NULL
    CHECK (status IN ('queued','accepted','rejected','refunded','delivered','cancelled')),
  hold TEXT NOT NULL CHECK (hold IN ('open','captured','released')),
  placed_sim INTEGER NOT NULL, decided_sim INTEGER, released_sim INTEGER, delivered_sim INTEGER,
  reason TEXT, created_at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS orders_queue ON orders(status, shop_id, placed_sim);
CREATE INDEX IF NOT EXISTS orders_hold ON orders(hold, placed_sim);
CREATE INDEX IF NOT EXISTS orders_user ON orders(user_id);
CREATE INDEX IF NOT EXISTS orders_status_hold ON orders(status, hold);
CREATE TABLE IF NOT EXISTS stock (shop_id TEXT NOT NULL, sku TEXT NOT NULL, qty INTEGER NOT NULL CHECK (qty >= 0),
  PRIMARY KEY (shop_id, sku));
CREATE TABLE IF NOT EXISTS idempotency (
  scope TEXT NOT NULL, key TEXT NOT NULL, fingerprint TEXT NOT NULL, status INTEGER NOT NULL,
  body TEXT NOT NULL, headers TEXT NOT NULL, created_at INTEGER NOT NULL, PRIMARY KEY (scope, key));
`;
