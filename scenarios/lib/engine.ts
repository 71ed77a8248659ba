import { check, sleep, Counter, open, type VU } from 'capacity-test';
import type { Toolkit } from './toolkit.js';
import { type Env, type Getter } from './config.js';

/** The glue from journeys to the engine: counters are created at init, as k6 requires. */
const COUNTERS = ['registrations', 'orders_placed', 'orders_accepted', 'journey_abandoned', 'journey_skipped', 'shops_closed', 'retries'] as const;

export function engineToolkit(): Toolkit {
  const counters = new Map<string, Counter>(COUNTERS.map((n) => [n, new Counter(n)]));
  return {
    check: (value, checkers, tags) => check(value, checkers, tags),
    sleep: (seconds) => sleep(seconds),
    count(metric, value, tags) {
      let c = counters.get(metric);
      if (!c) { c = new Counter(metric); counters.set(metric, c); }
      c.add(value, tags);
    },
  };
}

declare const __ENV: Env | undefined;
/** k6's __ENV (the engine sets it on globalThis before the bundle loads). */
export function scenarioEnv(): Env {
  if (typeof __ENV !== 'undefined' && __ENV) return __ENV;
  return ((globalThis as { __ENV?: Env }).__ENV ?? {});
}

export function readText(path: string): string {
  return open(path) as string;
}

/** setup(vu) fetches with the VU's client, so its requests are tagged ::setup and counted. */
export function vuGetter(vu: VU | undefined): Getter | undefined {
  if (!vu?.http) return undefined;
  return async (url) => {
    const r = await vu.http.get(url, { tags: { name: url.includes('/healthz') ? 'GET /healthz' : 'GET /api/v1/districts' }, timeout: '5s' });
    return { status: r.status, error: r.error, json: () => r.json() };
  };
}
