/**
 * k6's `k6/data`: SharedArray. Its function runs once per thread and name (k6: once per test),
 * the array is frozen, and every VU of the thread reads the same copy.
 */
import { threadStore } from './context.js';

const arrays = () => threadStore('sharedArrays', () => new Map<string, readonly unknown[]>());

function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const k of Object.keys(v)) deepFreeze((v as Record<string, unknown>)[k]);
  }
  return v;
}

export class SharedArray {
  constructor(name: string, make: () => unknown[]) {
    if (typeof name !== 'string' || name === '') throw new Error(`SharedArray: expected a name, got ${JSON.stringify(name)}`);
    if (typeof make !== 'function') throw new Error(`SharedArray "${name}": expected a function returning an array, got ${typeof make}`);
    const store = arrays();
    let data = store.get(name);
    if (!data) {
      const made = make();
      if (!Array.isArray(made)) throw new Error(`SharedArray "${name}": the function must return an array, got ${made === null ? 'null' : typeof made}`);
      // k6 hands VUs copies made by JSON: the same here, then frozen
      data = deepFreeze(JSON.parse(JSON.stringify(made)) as unknown[]);
      store.set(name, data);
    }
    // a real (frozen) array: length, index, iteration and array methods as k6's
    return data as unknown as SharedArray;
  }
}

export default { SharedArray };
