/**
 * What makes a k6 script's init code per VU, as in k6: the transformed script's module body is a
 * function, run once for the init context (options, __VU 0) and once for each VU the first time it
 * runs, so module-level `let` counters and per-VU ids behave as in k6. Exported functions are
 * called with k6's arguments: default(data), setup(), teardown(data), handleSummary(data).
 * Also the globals k6 scripts read: __VU, __ITER, open().
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { isMainThread } from 'node:worker_threads';
import { SCENARIO_DIR_KEY } from '../../scenario-api/index.js';
import type { Options } from '../../scenario-api/types.js';
import { CLI_OPTIONS_ENV, layerOptions, unsupportedOptions } from '../options.js';
import { currentVu, threadStore, toArrayBuffer } from './context.js';
import { scriptOptions } from './execution.js';

type Exports = Record<string, unknown>;

const files = () => threadStore('openCache', () => new Map<string, Buffer>());

/** k6 open(path[, 'b']): a file relative to the script, text or (mode 'b') an ArrayBuffer. */
export function open(path: string, mode?: string): string | ArrayBuffer {
  if (typeof path !== 'string' || path === '') throw new Error(`open(): expected a file path, got ${JSON.stringify(path)}`);
  if (mode !== undefined && mode !== 'b' && mode !== 'r') throw new Error(`open(): expected mode "b" (bytes) or none, got ${JSON.stringify(mode)}`);
  const base = (globalThis as Record<symbol, string | undefined>)[SCENARIO_DIR_KEY] ?? process.cwd();
  const full = isAbsolute(path) ? path : resolve(base, path);
  const cache = files();
  let buf = cache.get(full);
  if (!buf) {
    try { buf = readFileSync(full); } catch (err) { throw new Error(`open(): cannot read ${JSON.stringify(path)} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`); }
    cache.set(full, buf);
  }
  return mode === 'b' ? toArrayBuffer(buf) : buf.toString('utf8');
}

function installGlobals(): void {
  const g = globalThis as Record<string, unknown>;
  if (Object.getOwnPropertyDescriptor(g, '__VU')?.get) return;
  Object.defineProperty(g, '__VU', { configurable: true, get: () => currentVu()?.id ?? 0 });
  Object.defineProperty(g, '__ITER', { configurable: true, get: () => currentVu()?.iteration ?? 0 });
  // k6: a scenario's env is in __ENV for its VUs (the VU's env: --env over the process, scenario env on top)
  let base = g.__ENV as Record<string, string> | undefined;
  Object.defineProperty(g, '__ENV', { configurable: true, get: () => currentVu()?.env ?? base, set: (v: Record<string, string>) => { base = v; } });
  g.open = open;
}

function cliOptions(): Partial<Options> | undefined {
  const raw = globalThis.__ENV?.[CLI_OPTIONS_ENV];
  if (!raw) return undefined;
  return JSON.parse(raw) as Partial<Options>;
}

export interface K6Instance { value(name: string): unknown }

export function k6Instance(init: () => Exports): K6Instance {
  installGlobals();
  const first = init();
  const options = layerOptions(first.options as Options | undefined, cliOptions());
  scriptOptions().value = options;
  const ignored = unsupportedOptions(options);
  const warned = threadStore('warnedOptions', () => ({ done: false }));
  if (isMainThread && ignored.length > 0 && !warned.done) {
    warned.done = true;
    process.stderr.write(`warning: k6 options not supported by capacity-test, ignored: ${ignored.join(', ')}\n`);
  }
  const perVu = new WeakMap<object, Exports>();
  const of = (vu: object): Exports => {
    let inst = perVu.get(vu);
    if (!inst) perVu.set(vu, (inst = init()));
    return inst;
  };
  const call = (inst: Exports, name: string, args: unknown[]) => (inst[name] as (...a: unknown[]) => unknown)(...args);
  return {
    value(name) {
      if (name === 'options') return options;
      const v = first[name];
      if (typeof v !== 'function') return v;
      switch (name) {
        case 'setup': return (vu: object) => call(of(vu), 'setup', []);
        case 'teardown': return (data: unknown, vu: object) => call(of(vu), 'teardown', [data]);
        case 'handleSummary': return (data: unknown) => call(first, 'handleSummary', [data]);
        default: return (vu: object, data: unknown) => call(of(vu), name, [data]);
      }
    },
  };
}

/**
 * An array method whose callback the transform made async, run one element after another as k6
 * runs it (each callback awaited before the next), with the method's own result.
 */
export async function k6Sequential(method: string, arr: unknown, fn: (...a: unknown[]) => unknown, ...rest: unknown[]): Promise<unknown> {
  if (arr === null || arr === undefined) throw new TypeError(`Cannot read properties of ${String(arr)} (reading '${method}')`);
  const list = Array.from(arr as ArrayLike<unknown>);
  const thisArg = rest[0];
  const call = (v: unknown, i: number) => fn.call(thisArg, v, i, arr);
  switch (method) {
    case 'forEach': for (let i = 0; i < list.length; i++) await call(list[i], i); return undefined;
    case 'map': { const out: unknown[] = []; for (let i = 0; i < list.length; i++) out.push(await call(list[i], i)); return out; }
    case 'flatMap': { const out: unknown[] = []; for (let i = 0; i < list.length; i++) { const r = await call(list[i], i); if (Array.isArray(r)) out.push(...r); else out.push(r); } return out; }
    case 'filter': { const out: unknown[] = []; for (let i = 0; i < list.length; i++) if (await call(list[i], i)) out.push(list[i]); return out; }
    case 'some': for (let i = 0; i < list.length; i++) if (await call(list[i], i)) return true; return false;
    case 'every': for (let i = 0; i < list.length; i++) if (!(await call(list[i], i))) return false; return true;
    case 'find': for (let i = 0; i < list.length; i++) if (await call(list[i], i)) return list[i]; return undefined;
    case 'findIndex': for (let i = 0; i < list.length; i++) if (await call(list[i], i)) return i; return -1;
    case 'findLast': for (let i = list.length - 1; i >= 0; i--) if (await call(list[i], i)) return list[i]; return undefined;
    case 'findLastIndex': for (let i = list.length - 1; i >= 0; i--) if (await call(list[i], i)) return i; return -1;
    case 'reduce': case 'reduceRight': {
      const order = method === 'reduce' ? list.map((_, i) => i) : list.map((_, i) => list.length - 1 - i);
      let k = 0;
      let acc: unknown;
      if (rest.length > 0) acc = rest[0];
      else { if (order.length === 0) throw new TypeError(`${method} of empty array with no initial value`); acc = list[order[0]]; k = 1; }
      for (; k < order.length; k++) acc = await (fn as (a: unknown, v: unknown, i: number, arr: unknown) => unknown)(acc, list[order[k]], order[k], arr);
      return acc;
    }
    default: throw new Error(`k6 transform: no sequential form of ${method}()`);
  }
}
