import type { z } from 'zod';
import { DomainError } from '../domain/errors.js';
import { expectedWords } from '../issue-words.js';

function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  let s: string;
  try { s = JSON.stringify(v) ?? typeof v; } catch { s = Array.isArray(v) ? 'a deeply nested array' : `a deeply nested ${typeof v}`; }
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

function at(value: unknown, path: PropertyKey[]): unknown {
  let v = value;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

/** "invalid items.0.qty: expected a positive integer, got 1.5" — the first problem, naming the field. */
export function describeIssue(issue: z.core.$ZodIssue, input: unknown, root: string): string {
  const field = issue.path.length ? issue.path.map(String).join('.') : root;
  if (issue.code === 'unrecognized_keys') {
    return `invalid ${field === root ? root : field}: unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`;
  }
  return `invalid ${field}: expected ${expectedWords(issue)}, got ${show(at(input, issue.path))}`;
}

export function parse<S extends z.ZodType>(schema: S, input: unknown, root = 'body'): z.infer<S> {
  let r: z.ZodSafeParseResult<z.infer<S>>;
  try {
    r = schema.safeParse(input) as z.ZodSafeParseResult<z.infer<S>>;
  } catch (err) {
    // hostile nesting can exhaust the stack while validating: still the client's input, still a 400
    if (err instanceof RangeError) throw new DomainError(400, 'invalid_input', `invalid ${root}: expected a flat JSON object, got one nested too deeply`);
    throw err;
  }
  if (r.success) return r.data;
  throw new DomainError(400, 'invalid_input', describeIssue(r.error.issues[0], input, root));
}
