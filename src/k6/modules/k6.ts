/**
 * k6's `k6` module: check, group, sleep, fail, randomSeed. `sleep` and `group` around asynchronous
 * code return promises; the k6 transform awaits them, so a script written for k6 reads as it did.
 */
import { check as ctCheck, group as ctGroup } from '../../scenario-api/index.js';
import { mulberry32 } from '../../data/mulberry32.js';
import { hooks } from './context.js';

export function check<T>(value: T, checkers: Record<string, (v: T) => unknown>, tags?: Record<string, string>): boolean {
  return ctCheck(value, checkers as Record<string, (v: T) => boolean>, tags);
}

function isThenable(v: unknown): v is Promise<unknown> {
  return typeof v === 'object' && v !== null && typeof (v as { then?: unknown }).then === 'function';
}

/** k6 group(name, fn): tags what runs inside with group "::name" and records `group_duration`. */
export function group<T>(name: string, fn: () => T): T {
  if (typeof name !== 'string' || name === '' || name.includes('::')) throw new Error(`group(): expected a name without "::", got ${JSON.stringify(name)}`);
  if (typeof fn !== 'function') throw new Error(`group("${name}"): expected a function, got ${typeof fn}`);
  return ctGroup(name, () => {
    const t0 = performance.now();
    const done = () => hooks()?.metric('group_duration', 'trend', performance.now() - t0);
    const out = fn();
    if (isThenable(out)) return out.then((v) => { done(); return v; }) as T;
    done();
    return out;
  });
}

/** k6 sleep(seconds): a promise the transformed script awaits. */
export function sleep(seconds: number): Promise<void> {
  const s = Number(seconds);
  if (!Number.isFinite(s) || s < 0) throw new Error(`sleep(): expected seconds ≥ 0, got ${String(seconds)}`);
  return new Promise((done) => setTimeout(done, s * 1000));
}

/** k6 fail(message): ends this iteration with an error. */
export function fail(message?: string): never {
  throw new Error(message === undefined ? 'fail' : String(message));
}

export function randomSeed(seed: number): void {
  if (!Number.isFinite(Number(seed))) throw new Error(`randomSeed(): expected a number, got ${String(seed)}`);
  Math.random = mulberry32(Number(seed));
}

export default { check, group, sleep, fail, randomSeed };
