/**
 * k6's Response over the engine's: k6's field names (status_text, timings.connecting, error as ''),
 * header names in canonical form, json(selector) with k6's (gjson) path syntax. Read lazily: a
 * script that reads only `status` pays for nothing else.
 */
import { STATUS_CODES } from 'node:http';
import type { Response as EngineResponse } from '../../scenario-api/types.js';
import { toArrayBuffer } from './context.js';

export interface K6Request { method: string; url: string; headers: Record<string, string>; body: string; cookies: Record<string, Array<{ name: string; value: string; replace: boolean }>> }

export interface K6Cookie { name: string; value: string; domain: string; path: string; http_only: boolean; secure: boolean; max_age: number; expires: number }

/** "content-type" → "Content-Type", as Go's canonical MIME header keys that k6 shows. */
export function canonicalHeader(name: string): string {
  return name.toLowerCase().replace(/(^|-)([a-z])/g, (_m, sep: string, c: string) => sep + c.toUpperCase());
}

function caseInsensitive(obj: Record<string, string>): Record<string, string> {
  return new Proxy(obj, {
    get: (t, k) => (typeof k === 'string' ? t[k] ?? t[canonicalHeader(k)] : undefined),
    has: (t, k) => typeof k === 'string' && (k in t || canonicalHeader(k) in t),
  });
}

/** gjson-style paths, the subset k6 scripts use: a.b, items.0.id, items.#, items.#.id. */
export function selectJson(value: unknown, selector: string): unknown {
  let cur: unknown[] = [value];
  let mapped = false;
  for (const part of selector.split('.')) {
    if (part === '#') {
      if (mapped) return undefined;
      const arr = cur[0];
      if (!Array.isArray(arr)) return undefined;
      cur = arr;
      mapped = true;
      continue;
    }
    cur = cur.map((v) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[part] : undefined));
    if (!mapped && cur[0] === undefined) return undefined;
  }
  if (mapped) {
    // "items.#" alone is the length
    return selector.endsWith('.#') || selector === '#' ? cur.length : cur.filter((v) => v !== undefined);
  }
  return cur[0];
}

export class K6Response {
  private headerView: Record<string, string> | undefined;
  private cookieView: Record<string, K6Cookie[]> | undefined;
  private bodyView: string | ArrayBuffer | null | undefined;
  private jsonCache: unknown;
  private jsonParsed = false;

  constructor(private readonly raw: EngineResponse, readonly request: K6Request, private readonly responseType: 'text' | 'binary' | 'none' | undefined) {}

  get status(): number { return this.raw.status; }
  get status_text(): string { return this.raw.status === 0 ? '' : `${this.raw.status} ${STATUS_CODES[this.raw.status] ?? ''}`.trim(); }
  get url(): string { return this.raw.url; }
  get proto(): string { return this.raw.status === 0 ? '' : 'HTTP/1.1'; }
  get error(): string { return this.raw.error ?? ''; }
  get error_code(): number { return this.raw.error_code ?? 0; }
  get remote_ip(): string { return ''; }
  get remote_port(): number { return 0; }
  get tls_version(): string { return ''; }
  get tls_cipher_suite(): string { return ''; }
  get ocsp(): { status: string } { return { status: 'unknown' }; }

  get timings(): Record<string, number> {
    const t = this.raw.timings as EngineResponse['timings'] & { connecting?: number; tls_handshaking?: number };
    return {
      blocked: t.blocked, connecting: t.connecting ?? 0, tls_handshaking: t.tls_handshaking ?? 0,
      sending: t.sending, waiting: t.waiting, receiving: t.receiving, duration: t.duration,
    };
  }

  get headers(): Record<string, string> {
    if (!this.headerView) {
      const out: Record<string, string> = {};
      for (const [k, v] of Object.entries(this.raw.headers)) out[canonicalHeader(k)] = v;
      this.headerView = caseInsensitive(out);
    }
    return this.headerView;
  }

  /** k6: a string, an ArrayBuffer for responseType 'binary', null for 'none' or a discarded body. */
  get body(): string | ArrayBuffer | null {
    if (this.bodyView === undefined) {
      const text = this.responseType === 'none' ? null : this.raw.body;
      this.bodyView = text === null ? null : this.responseType === 'binary' ? toArrayBuffer(Buffer.from(text, 'utf8')) : text;
    }
    return this.bodyView;
  }

  get cookies(): Record<string, K6Cookie[]> {
    if (!this.cookieView) {
      const out: Record<string, K6Cookie[]> = {};
      const raw = (this.raw.headers as Record<string, string>)['set-cookie'];
      // the engine joins repeated headers with ", "; split before each "name="
      for (const line of raw ? raw.split(/,\s*(?=[^;,=\s]+=)/) : []) {
        const [pair, ...attrs] = line.split(';');
        const eq = pair.indexOf('=');
        if (eq <= 0) continue;
        const c: K6Cookie = { name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1).trim(), domain: '', path: '', http_only: false, secure: false, max_age: 0, expires: 0 };
        for (const a of attrs) {
          const [k, v = ''] = a.split('=');
          const key = k.trim().toLowerCase();
          if (key === 'domain') c.domain = v.trim();
          else if (key === 'path') c.path = v.trim();
          else if (key === 'httponly') c.http_only = true;
          else if (key === 'secure') c.secure = true;
          else if (key === 'max-age') c.max_age = Number(v);
          else if (key === 'expires') c.expires = Date.parse(v) || 0;
        }
        (out[c.name] ??= []).push(c);
      }
      this.cookieView = out;
    }
    return this.cookieView;
  }

  /** k6 json([selector]): the parsed body, or the value at a gjson path (undefined when absent). */
  json(selector?: string): unknown {
    if (!this.jsonParsed) {
      const b = this.raw.body;
      if (b === null) throw new Error(`json(): the response of ${this.url} has no body (status ${this.status}${this.error ? `, ${this.error}` : ''}; responseType 'none' or discardResponseBodies)`);
      this.jsonCache = JSON.parse(b);
      this.jsonParsed = true;
    }
    return selector === undefined ? this.jsonCache : selectJson(this.jsonCache, selector);
  }

  html(): never {
    throw new Error('Response.html() is not supported by capacity-test (no HTML parser in the k6 layer); parse res.body instead');
  }
  submitForm(): never { throw new Error('Response.submitForm() is not supported by capacity-test'); }
  clickLink(): never { throw new Error('Response.clickLink() is not supported by capacity-test'); }
}
