/**
 * Taking a value out of a response, for correlation: a JSON field, a header, a cookie the response
 * sets, a field of an HTML form (or a <meta name content> tag). Scenarios written by `capacity-test
 * init` call these; `init` itself reads recorded responses with the same functions, so what it
 * finds in a recording is what the scenario finds at run time. Dependency-free (bundled into scenarios).
 * A value that is not there throws an Error naming what was looked for, so the iteration stops at
 * the request whose answer lacked it (counted as an iteration error) instead of sending `undefined`.
 */
import type { Response } from './types.js';

export type JsonPath = readonly (string | number)[];

function fail(what: string, res: Pick<Response, 'status' | 'url'>): never {
  throw new Error(`capture: no ${what} in the response of ${res.url} (status ${res.status})`);
}

/** The value at `path` in a JSON value, or undefined. */
export function atPath(value: unknown, path: JsonPath): unknown {
  let cur: unknown = value;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[key];
  }
  return cur;
}

/** Every string or number leaf of a JSON value with its path (arrays by index). */
export function jsonLeaves(value: unknown, path: (string | number)[] = [], out: { path: (string | number)[]; value: string | number }[] = []) {
  if (typeof value === 'string' || typeof value === 'number') out.push({ path, value });
  else if (Array.isArray(value)) value.forEach((v, i) => jsonLeaves(v, [...path, i], out));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) jsonLeaves(v, [...path, k], out);
  return out;
}

export function fromJson(res: Response, path: JsonPath): any {
  let body: unknown;
  try { body = JSON.parse(res.body ?? ''); } catch { fail(`JSON body (wanted ${path.join('.')})`, res); }
  const v = atPath(body, path);
  if (v === undefined || v === null) fail(`JSON field ${path.join('.')}`, res);
  return v;
}

/** A response header; with `pattern`, its first group (a segment of a Location, say). */
export function fromHeader(res: Response, name: string, pattern?: string): string {
  const v = res.headers[name.toLowerCase()];
  const m = v === undefined || pattern === undefined ? null : new RegExp(pattern).exec(v);
  if (v === undefined || (pattern !== undefined && !m)) fail(`header ${name}${pattern ? ` matching /${pattern}/` : ''}`, res);
  return m ? decodeURIComponent(m[1]) : v;
}

/** name → value of the cookies in Set-Cookie header values (each value one cookie). */
export function setCookies(values: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of values) {
    const first = line.split(';')[0];
    const eq = first.indexOf('=');
    if (eq > 0) out.set(first.slice(0, eq).trim(), first.slice(eq + 1).trim());
  }
  return out;
}

/** A cookie the response sets (the engine keeps it in the VU's jar too; this is for a value sent elsewhere). */
export function fromCookie(res: Response, name: string): string {
  // repeated headers come joined with ", ": a cookie starts the header or follows ", " (an Expires date's comma is followed by a day number)
  const joined = res.headers['set-cookie'] ?? '';
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`(?:^|,\\s*)${escaped}=([^;,]*)`).exec(joined);
  if (!m) fail(`cookie ${name}`, res);
  return m[1].trim();
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", '#39': "'" };
function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (all, e: string) => {
    if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1)));
    return ENTITIES[e.toLowerCase()] ?? all;
  });
}

function attributes(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /([^\s=/<>"']+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]+))?/g;
  const gap = tag.search(/\s/);
  re.lastIndex = gap < 0 ? tag.length : gap;
  for (let m = re.exec(tag); m; m = re.exec(tag)) {
    const raw = m[2] ?? '';
    out[m[1].toLowerCase()] = decodeEntities(raw.startsWith('"') || raw.startsWith("'") ? raw.slice(1, -1) : raw);
  }
  return out;
}

/** Named fields of an HTML page: `<input name value>` (hidden ones above all: CSRF) and `<meta name content>`. */
export function htmlFields(html: string): { name: string; value: string; tag: 'input' | 'meta' }[] {
  const out: { name: string; value: string; tag: 'input' | 'meta' }[] = [];
  for (const m of html.matchAll(/<(input|meta)\b[^>]*>/gi)) {
    const a = attributes(m[0]);
    const tag = m[1].toLowerCase() as 'input' | 'meta';
    const value = tag === 'input' ? a.value : a.content;
    if (a.name && value !== undefined) out.push({ name: a.name, value, tag });
  }
  return out;
}

export function fromForm(res: Response, field: string): string {
  const f = htmlFields(res.body ?? '').find((x) => x.name === field);
  if (!f) fail(`form field ${field}`, res);
  return f.value;
}

/** A form body (application/x-www-form-urlencoded) from [name, value] pairs, in order. */
export function formBody(fields: readonly (readonly [string, unknown])[]): string {
  const p = new URLSearchParams();
  for (const [k, v] of fields) p.append(k, String(v));
  return p.toString();
}
