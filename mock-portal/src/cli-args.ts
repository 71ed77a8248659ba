import { parseArgs } from 'node:util';
import { z } from 'zod';
import type { PortalConfigInput } from './config.js';
import { clockMinutes } from './clock.js';
import { expectedOf, PORTAL_FLAGS, portalFlagsHelp, type FlagKind, type PortalFlag } from './flags.js';

/** A bad flag value; main maps it to exit 2 (the portal imports nothing from the toolkit's src/). */
export class FlagError extends Error {}

export interface PortalArgs {
  port: number; host: string; config: PortalConfigInput;
  /** stop gracefully when stdin ends (`--stop-on-stdin-end`: the launcher's pipe closes when it dies) */
  stopOnStdinEnd?: boolean;
}

export const PORTAL_FLAGS_HELP = portalFlagsHelp();

/** One flag's text → its typed value, or a FlagError naming the flag, what was expected and what came. */
function valueOf(flag: string, kind: FlagKind, v: string | boolean): string | number | boolean {
  const refuse = (): never => { throw new FlagError(`invalid ${flag}: expected ${expectedOf(kind)}, got ${JSON.stringify(v)}`); };
  if (kind.type === 'boolean') return v === true ? true : refuse();
  if (typeof v !== 'string') return refuse();
  switch (kind.type) {
    case 'string': return kind.nonEmpty && v.length === 0 ? refuse() : v;
    case 'choice': return kind.choices.includes(v) ? v : refuse();
    case 'clock': return clockMinutes(v) === null ? refuse() : v;
    case 'number': {
      const n = Number(v);
      const ok = v.trim() !== '' && Number.isFinite(n) && (!kind.int || Number.isInteger(n))
        && (kind.minExclusive ? n > kind.min : n >= kind.min) && (kind.max === undefined || n <= kind.max);
      return ok ? n : refuse();
    }
  }
}

/** Set `value` at a dotted path (`config.capacity.dbQueryMs`), making the objects on the way. */
function put(into: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let o = into;
  for (const k of keys.slice(0, -1)) o = (o[k] ??= {}) as Record<string, unknown>;
  o[keys[keys.length - 1]] = value;
}

/** Flags → typed options (table: flags.ts); throws FlagError naming the bad flag. */
export function parsePortalArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): PortalArgs {
  const table = PORTAL_FLAGS as readonly PortalFlag[];
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv, strict: true, allowPositionals: false,
      options: Object.fromEntries(table.map((f) => [f.name, { type: f.kind.type === 'boolean' ? 'boolean' as const : 'string' as const }])),
    }));
  } catch (err) {
    throw new FlagError((err as Error).message);
  }
  const out: Record<string, unknown> = { config: { capacity: {}, admission: {}, shops: {}, faults: {} } };
  for (const f of table) {
    const given = values[f.name] ?? (f.env ? env[f.env] : undefined);
    if (given !== undefined) put(out, f.to, valueOf(`--${f.name}`, f.kind, given));
    else if (f.default !== undefined) put(out, f.to, f.default);
    else if (f.kind.type === 'boolean') put(out, f.to, false);
  }
  return out as unknown as PortalArgs;
}

export const isZodError = (e: unknown): e is z.ZodError => e instanceof z.ZodError;
