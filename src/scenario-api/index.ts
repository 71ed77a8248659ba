/**
 * What scenario files import from 'capacity-test' at run time. The engine installs its hooks on
 * globalThis (one per thread), so this module holds no state of its own: any copy of it, bundled
 * into any scenario, talks to the same engine.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { Checkers, VU } from './types.js';

export * from './types.js';

declare global {
  /** k6's __ENV: values from --env over the process environment, readable at module scope. */
  // eslint-disable-next-line no-var
  var __ENV: Record<string, string>;
}

export interface RuntimeHooks {
  check(value: unknown, checkers: Record<string, (v: any) => boolean>, tags?: Record<string, string>): boolean;
  group<T>(name: string, fn: () => T): T;
  metric(name: string, kind: 'counter' | 'gauge' | 'rate' | 'trend', value: number, tags?: Record<string, string>): void;
  /** the VU whose code runs now (undefined at init): k6 modules read its id, iteration and HTTP client */
  vu(): VU | undefined;
  /** k6 test.abort(reason): stop the whole test (every worker) at once */
  abort(reason: string): void;
}

export const RUNTIME_KEY = Symbol.for('capacity-test.runtime');
export const SCENARIO_DIR_KEY = Symbol.for('capacity-test.scenarioDir');

function hooks(what: string): RuntimeHooks {
  const h = (globalThis as Record<symbol, RuntimeHooks | undefined>)[RUNTIME_KEY];
  if (!h) throw new Error(`${what}() can only be called while the scenario runs (in VU code, setup or teardown), not at init`);
  return h;
}

/** k6 check(): each checker is recorded in the `checks` rate (tag `check`); true when all pass. */
export function check<T>(value: T, checkers: Checkers<T>, tags?: Record<string, string>): boolean {
  return hooks('check').check(value, checkers, tags);
}

/** k6 sleep(seconds), awaited: `await sleep(1)`. */
export function sleep(seconds: number): Promise<void> {
  return new Promise((done) => setTimeout(done, Math.max(0, seconds * 1000)));
}

/** k6 group(): requests and checks inside carry the tag group "::name" (nested "::a::b"). */
export function group<T>(name: string, fn: () => T): T {
  return hooks('group').group(name, fn);
}

/** k6 open(path[, 'b']) at init: a file relative to the scenario file, as text or bytes. */
export function open(path: string, mode?: 'b'): string | Uint8Array {
  const base = (globalThis as Record<symbol, string | undefined>)[SCENARIO_DIR_KEY] ?? process.cwd();
  const full = isAbsolute(path) ? path : resolve(base, path);
  return mode === 'b' ? new Uint8Array(readFileSync(full)) : readFileSync(full, 'utf8');
}

abstract class CustomMetric {
  protected abstract readonly kind: 'counter' | 'gauge' | 'rate' | 'trend';
  constructor(readonly name: string) {
    if (!/^[A-Za-z_][A-Za-z0-9_]{0,127}$/.test(name)) throw new Error(`invalid metric name: expected letters, digits and _, got ${JSON.stringify(name)}`);
  }
  protected record(value: number, tags?: Record<string, string>): void {
    hooks(`${this.name}.add`).metric(this.name, this.kind, value, tags);
  }
}

export class Counter extends CustomMetric {
  protected readonly kind = 'counter' as const;
  add(value: number, tags?: Record<string, string>): void { this.record(value, tags); }
}
export class Gauge extends CustomMetric {
  protected readonly kind = 'gauge' as const;
  add(value: number, tags?: Record<string, string>): void { this.record(value, tags); }
}
export class Rate extends CustomMetric {
  protected readonly kind = 'rate' as const;
  add(value: boolean | number, tags?: Record<string, string>): void { this.record(value ? 1 : 0, tags); }
}
export class Trend extends CustomMetric {
  protected readonly kind = 'trend' as const;
  /** `isTime` is accepted for k6 compatibility; trends are kept in the unit given. */
  constructor(name: string, readonly isTime = false) { super(name); }
  add(value: number, tags?: Record<string, string>): void { this.record(value, tags); }
}

export { fromJson, fromHeader, fromCookie, fromForm, formBody } from './capture.js';
export { seededPerson, personIndex, type SeededPerson } from '../data/person.js';
