import { mulberry32 } from '../../src/data/mulberry32.js';
import type { Checkers, Response, VU } from '../../src/scenario-api/types.js';

/**
 * What journeys need from the engine, passed in so journeys run against a fake `vu` in unit tests.
 * scenarios/lib/engine.ts builds the real one from 'capacity-test'.
 */
export interface Toolkit {
  check<T>(value: T, checkers: Checkers<T>, tags?: Record<string, string>): boolean;
  sleep(seconds: number): Promise<void>;
  /** business counters: registrations, orders_placed, orders_accepted, journey_abandoned, retries… */
  count(metric: string, value: number, tags?: Record<string, string>): void;
}

export type { Response, VU };

/** Deterministic per-iteration randomness (mulberry32), so a seed replays the same choices. */
export function rngFor(seed: number, stream: string, index: number): () => number {
  let h = 2166136261 ^ seed;
  for (const c of `${stream}:${index}`) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  return mulberry32(h);
}

export function header(res: Response, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(res.headers ?? {})) if (k.toLowerCase() === lower) return Array.isArray(v) ? String(v[0]) : String(v);
  return undefined;
}

export function safeJson<T>(res: Response): T | undefined {
  try { return res.json<T>(); } catch { return undefined; }
}
