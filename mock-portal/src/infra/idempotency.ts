import { createHash } from 'node:crypto';
import type { Db } from './db.js';
import { DomainError, refuse } from '../domain/errors.js';

export interface Outcome { status: number; body: unknown; headers: Record<string, string> }

/** Stable JSON (keys sorted) so the same body always has the same fingerprint. */
export function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

export function fingerprint(method: string, path: string, body: unknown): string {
  return createHash('sha256').update(`${method} ${path} ${canonical(body)}`).digest('hex');
}

/** 429 and 503 say "not now", not "done": a retry with the same key must be able to succeed. */
export const storable = (status: number): boolean => status !== 429 && status !== 503 && status < 500;

/** Turn a rule's result or refusal into the response it stands for. */
export function outcomeOf(status: number, fn: () => unknown): Outcome {
  try {
    return { status, body: fn(), headers: {} };
  } catch (err) {
    if (err instanceof DomainError) return errorOutcome(err);
    throw err;
  }
}

export function errorOutcome(err: DomainError): Outcome {
  return { status: err.status, body: { error: { code: err.code, message: err.message }, ...err.extra }, headers: err.headers };
}

/**
 * Idempotency-Key: the first response for (scope, key) is stored in the same transaction as its effect
 * (`save` is called by the caller inside it), so a crash cannot leave an effect without its record. A
 * repeat while the first is in flight waits for it; a repeat with another body is refused with 409.
 */
export class IdempotencyStore {
  private readonly inflight = new Map<string, { fp: string; done: Promise<Outcome> }>();
  private readonly get;
  private readonly put;

  constructor(db: Db, private readonly now: () => number = Date.now) {
    this.get = db.prepare<[string, string], { fingerprint: string; status: number; body: string; headers: string }>(
      'SELECT fingerprint, status, body, headers FROM idempotency WHERE scope = ? AND key = ?');
    this.put = db.prepare('INSERT INTO idempotency (scope, key, fingerprint, status, body, headers, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
  }

  /** Call inside the effect's transaction. */
  save(scope: string, key: string, fp: string, o: Outcome): void {
    if (storable(o.status)) this.put.run(scope, key, fp, o.status, JSON.stringify(o.body), JSON.stringify(o.headers), this.now());
  }

  private replay(scope: string, key: string, fp: string): Outcome | null {
    const stored = this.get.get(scope, key);
    if (!stored) return null;
    if (stored.fingerprint !== fp) throw keyReused(key);
    return { status: stored.status, body: JSON.parse(stored.body), headers: { ...JSON.parse(stored.headers), 'Idempotent-Replayed': 'true' } };
  }

  /**
   * Run `exec(save)` once per (scope, key). `exec` must call `save(outcome)` inside the transaction of
   * its effect; it may skip it when it has no effect (429/503 are never stored anyway).
   */
  async run(scope: string, key: string, fp: string, exec: (save: (o: Outcome) => void) => Promise<Outcome>): Promise<Outcome> {
    const id = `${scope}\u0000${key}`;
    const stored = this.replay(scope, key, fp);
    if (stored) return stored;
    const running = this.inflight.get(id);
    if (running) {
      if (running.fp !== fp) throw keyReused(key);
      const o = await running.done;
      // what was stored, which may differ from what the first caller got (a bearer token is never stored)
      return this.replay(scope, key, fp) ?? { ...o, headers: { ...o.headers, 'Idempotent-Replayed': 'true' } };
    }
    // mark in flight before any await, so a concurrent repeat can never start a second effect
    let settle!: { resolve: (o: Outcome) => void; reject: (e: unknown) => void };
    const done = new Promise<Outcome>((resolve, reject) => { settle = { resolve, reject }; });
    done.catch(() => { /* observed by the first caller */ });
    this.inflight.set(id, { fp, done });
    try {
      const o = await exec((x) => this.save(scope, key, fp, x));
      settle.resolve(o);
      return o;
    } catch (err) {
      settle.reject(err);
      throw err;
    } finally {
      this.inflight.delete(id);
    }
  }
}

function keyReused(key: string): DomainError {
  return refuse.conflict('idempotency_key_reused', `invalid Idempotency-Key: ${JSON.stringify(key)} was already used with a different request body`);
}
