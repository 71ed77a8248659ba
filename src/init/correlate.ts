/**
 * Correlation: the values a response returned that a later request sends back (a token, an id, a
 * CSRF field, in a header, the URL or the body). Each response is read with the very functions the
 * scenario calls at run time (`capture.ts`), so what is found here is found there. A value counts
 * only if the client had not sent it before that response (an echo of what the user typed is input,
 * not correlation) and it looks generated: a digit in it, or long, or under a key that names an id,
 * token or CSRF field.
 */
import { htmlFields, jsonLeaves, setCookies } from '../scenario-api/capture.js';
import type { Exchange } from './har.js';
import type { Capture, CaptureFrom, Part, Template } from './model.js';
import { camel, jsonHint, singular } from './names.js';

/** A value a response holds, where it is, and a hint for the variable's name. */
export interface Source {
  exchange: number;
  value: string;
  capture: CaptureFrom;
  hint: string;
  /** the value is a JSON number (kept as a number when a whole JSON field is replaced) */
  numeric: boolean;
  /** lower wins among sources of one response holding the same value */
  rank: number;
}

const ID_KEY = /(^|[^a-z])(id|ids|uuid|guid|token|csrf|xsrf|nonce|key|code|ref|reference|session|sid|otp)$|(Id|ID|Token|Key|Ref|Code)$/i;
const SKIP_HEADERS = new Set(['date', 'content-length', 'content-type', 'connection', 'keep-alive', 'transfer-encoding', 'server',
  'vary', 'cache-control', 'expires', 'last-modified', 'x-powered-by', 'set-cookie', 'etag', 'pragma', 'age', 'accept-ranges',
  'content-encoding', 'strict-transport-security', 'x-content-type-options', 'x-frame-options', 'content-security-policy',
  'referrer-policy', 'retry-after', 'location']);

export function looksGenerated(value: string, key: string): boolean {
  if (value.length === 0 || value.length > 4096 || /^(true|false|null|undefined)$/i.test(value)) return false;
  if (ID_KEY.test(key)) return value.length >= 1 && !/^[01]$/.test(value);
  if (/^\d+$/.test(value)) return value.length >= 5;
  return value.length >= 6 && (/\d/.test(value) || value.length >= 16);
}

/** Everything a response holds that a later request may send back. */
export function sourcesOf(x: Exchange, exchange: number): Source[] {
  const out: Source[] = [];
  const add = (s: Omit<Source, 'exchange'>) => { if (looksGenerated(s.value, s.hint)) out.push({ ...s, exchange }); };
  const mime = x.responseMime.toLowerCase();
  if (mime.includes('json') && x.responseText) {
    try {
      for (const leaf of jsonLeaves(JSON.parse(x.responseText))) {
        const key = String(leaf.path.filter((k) => typeof k === 'string').at(-1) ?? '');
        if (!looksGenerated(String(leaf.value), key)) continue;
        out.push({ exchange, value: String(leaf.value), capture: { from: 'json', path: leaf.path }, hint: jsonHint(leaf.path, x.url.pathname), numeric: typeof leaf.value === 'number', rank: 1 });
      }
    } catch { /* not JSON after all */ }
  }
  for (const [name, value] of x.responseHeaders) {
    if (SKIP_HEADERS.has(name) || name.startsWith('access-control-')) continue;
    add({ value, capture: { from: 'header', name }, hint: camel(name), numeric: false, rank: 2 });
  }
  if (mime.includes('html') && x.responseText) {
    for (const f of htmlFields(x.responseText)) add({ value: f.value, capture: { from: 'form', name: f.name }, hint: camel(f.name), numeric: false, rank: 3 });
  }
  const cookies = setCookies(x.responseHeaders.filter(([k]) => k === 'set-cookie').map(([, v]) => v));
  for (const [name, value] of cookies) add({ value, capture: { from: 'cookie', name }, hint: `${camel(name)}Cookie`, numeric: false, rank: 4 });
  const location = x.responseHeaders.find(([k]) => k === 'location')?.[1];
  if (location) {
    let target: URL | undefined;
    try { target = new URL(location, x.url); } catch { /* an unreadable Location is not a source */ }
    const segs = target ? target.pathname.split('/') : [];
    segs.forEach((seg, i) => {
      if (i === 0 || !/\d/.test(seg) || seg.length < 2) return;
      const prefix = segs.slice(1, i).map((s) => `/${s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`).join('');
      const pattern = `^(?:[a-zA-Z][a-zA-Z0-9+.-]*://[^/]+)?${prefix}/([^/?#]+)`;
      out.push({ exchange, value: decodeURIComponent(seg), capture: { from: 'header', name: 'location', pattern }, hint: camel(`${singular(segs[i - 1] || 'location')} id`), numeric: false, rank: 5 });
    });
  }
  return out;
}

/** A value to replace wherever a later request sends it. */
export interface Replacement { value: string; part: Part; numeric?: boolean }

/**
 * `s` as a template: each occurrence of a replacement's value that stands alone (no letter or digit
 * right before or after it) becomes its part, longest values first, occurrences never overlapping.
 */
export function templateOf(s: string, reps: readonly Replacement[]): Template {
  const found: { start: number; end: number; part: Part }[] = [];
  const byLength = [...reps].sort((a, b) => b.value.length - a.value.length);
  const taken = (a: number, b: number) => found.some((f) => a < f.end && b > f.start);
  for (const r of byLength) {
    if (!r.value) continue;
    for (let at = s.indexOf(r.value); at >= 0; at = s.indexOf(r.value, at + 1)) {
      const end = at + r.value.length;
      const before = at > 0 ? s[at - 1] : '';
      const after = end < s.length ? s[end] : '';
      if (/[A-Za-z0-9]/.test(before) || /[A-Za-z0-9]/.test(after) || taken(at, end)) continue;
      found.push({ start: at, end, part: r.part });
    }
  }
  found.sort((a, b) => a.start - b.start);
  const out: Template = [];
  let pos = 0;
  for (const f of found) {
    if (f.start > pos) out.push({ kind: 'text', text: s.slice(pos, f.start) });
    out.push(f.part);
    pos = f.end;
  }
  if (pos < s.length || out.length === 0) out.push({ kind: 'text', text: s.slice(pos) });
  return out;
}

export function isLiteral(t: Template): boolean {
  return t.every((p) => p.kind === 'text');
}

/** The client's side of an exchange as one text: what it had sent, for the echo rule. */
export function sentText(x: Exchange): string {
  let decoded = x.url.href;
  try { decoded = decodeURIComponent(x.url.href); } catch { /* keep it raw */ }
  let body = x.body?.text ?? '';
  if (x.body && /x-www-form-urlencoded/i.test(x.body.mime)) body += '\n' + [...new URLSearchParams(x.body.text).values()].join('\n');
  return [x.url.href, decoded, ...x.requestHeaders.filter(([k]) => k !== 'cookie').map(([, v]) => v), body].join('\n');
}

/**
 * The correlation state along a recording: sources offered by each response (minus what the client
 * had already sent), the variable each used source became, and the captures to write after each request.
 */
export class Correlator {
  private readonly latest = new Map<string, Source>();
  private readonly sent: string[] = [];
  private readonly vars = new Map<Source, string>();
  private readonly names = new Set<string>();
  readonly captures = new Map<number, Capture[]>();

  /** Record what the client sends in exchange `i` (call before its response is offered). */
  sending(x: Exchange): void { this.sent.push(sentText(x)); }

  /** Offer exchange `i`'s response as sources for later requests. */
  received(x: Exchange, i: number): void {
    const sentSoFar = this.sent.join('\n');
    const best = new Map<string, Source>();
    for (const s of sourcesOf(x, i)) {
      if (sentSoFar.includes(s.value)) continue;
      const prev = best.get(s.value);
      if (!prev || s.rank < prev.rank || (s.rank === prev.rank && s.capture.from === 'json' && prev.capture.from === 'json' && s.capture.path.length < prev.capture.path.length)) best.set(s.value, s);
    }
    for (const [v, s] of best) this.latest.set(v, s);
  }

  /** Replacements for the next request: every live source, as a placeholder named on first use (`resolve`). */
  replacements(): Replacement[] {
    return [...this.latest.values()].map((s) => ({ value: s.value, numeric: s.numeric, part: { kind: 'var', name: this.placeholder(s) } }));
  }

  /** A request's template with its placeholders named; the captures of the sources it used are kept. */
  resolve(t: Template): Template {
    return t.map((p) => (p.kind === 'var' && this.byPlaceholder.has(p.name) ? { ...p, name: this.nameOf(this.byPlaceholder.get(p.name)!) } : p));
  }

  private readonly byPlaceholder = new Map<string, Source>();
  private readonly placeholders = new Map<Source, string>();
  private placeholder(s: Source): string {
    let ph = this.placeholders.get(s);
    if (!ph) {
      ph = `\u0000${this.placeholders.size}`;
      this.placeholders.set(s, ph);
      this.byPlaceholder.set(ph, s);
    }
    return ph;
  }

  private nameOf(s: Source): string {
    const known = this.vars.get(s);
    if (known) return known;
    let name = s.hint;
    for (let k = 2; this.names.has(name); k++) name = `${s.hint}${k}`;
    this.names.add(name);
    this.vars.set(s, name);
    const list = this.captures.get(s.exchange) ?? [];
    list.push({ ...s.capture, var: name } as Capture);
    this.captures.set(s.exchange, list);
    return name;
  }
}
