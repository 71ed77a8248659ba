/**
 * What the k6 modules share: the engine's hooks of this thread and the VU whose code runs now.
 * Like scenario-api, no state of its own: every copy bundled into a script talks to the same engine.
 */
import { RUNTIME_KEY, type RuntimeHooks } from '../../scenario-api/index.js';
import type { VU } from '../../scenario-api/types.js';

export function hooks(): RuntimeHooks | undefined {
  return (globalThis as Record<symbol, RuntimeHooks | undefined>)[RUNTIME_KEY];
}

/** The VU running now, or undefined in the init context. */
export function currentVu(): VU | undefined {
  return hooks()?.vu();
}

/** The VU running now; `what` names the call in the error k6 would also give at init. */
export function requireVu(what: string): VU {
  const vu = currentVu();
  if (!vu) throw new Error(`${what} can only be called from VU code (the default function, setup or teardown), not in the init context`);
  return vu;
}

/** One value per thread, kept across every copy of a module (SharedArray data, open() cache). */
export function threadStore<T>(key: string, make: () => T): T {
  const sym = Symbol.for(`capacity-test.k6.${key}`);
  const g = globalThis as Record<symbol, unknown>;
  if (!(sym in g)) g[sym] = make();
  return g[sym] as T;
}

/** k6's bytes: an ArrayBuffer holding exactly `b`. */
export function toArrayBuffer(b: Uint8Array): ArrayBuffer {
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
}

/** Bytes of what k6 accepts as data: a string (UTF-8), an ArrayBuffer or a typed array. */
export function bytesOf(data: unknown, what: string): Uint8Array {
  if (typeof data === 'string') return new TextEncoder().encode(data);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  throw new Error(`${what}: expected a string, an ArrayBuffer or a typed array, got ${data === null ? 'null' : typeof data}`);
}
