/**
 * The HTTP transport of a worker: one undici Pool per origin (keep-alive, a cap on connections),
 * raw `dispatch` handlers so a body is only kept as chunks and decoded when the scenario reads it.
 * A network error or timeout becomes a response with status 0 and `error`; dispatch never throws.
 */
import { Pool, type Dispatcher } from 'undici';
import { performance } from 'node:perf_hooks';
import type { Response, Timings } from '../scenario-api/types.js';

export interface TransportOptions {
  connectionsPerOrigin: number;
  /** how long an idle keep-alive connection is kept when the server gives no hint (default 30 s) */
  idleTimeoutMs?: number;
}

export interface OutgoingRequest {
  method: string;
  url: string;
  headers: string[];          // flat [name, value, …]
  body: string | Uint8Array | null;
  timeoutMs: number;
  keepBody: boolean;
}

/** k6-like error codes for the common network failures. */
function errorCodeOf(err: { code?: string; name?: string }): number {
  switch (err.code) {
    case 'UND_ERR_HEADERS_TIMEOUT': case 'UND_ERR_BODY_TIMEOUT': case 'UND_ERR_CONNECT_TIMEOUT': return 1050;
    case 'ECONNREFUSED': return 1212;
    case 'ECONNRESET': case 'UND_ERR_SOCKET': return 1220;
    case 'ENOTFOUND': case 'EAI_AGAIN': return 1101;
    default: return 1000;
  }
}

export class HttpResponse implements Response {
  status = 0;
  /** as received: [name, value, …] (undici's raw form); parsed only when the scenario reads headers */
  private raw: Buffer[] | null = null;
  private parsed: Record<string, string> | undefined;
  private headerView: Record<string, string> | undefined;
  timings: Timings = { duration: 0, waiting: 0, sending: 0, receiving: 0, blocked: 0 };
  error?: string;
  error_code?: number;
  /** raw set-cookie values, for the VU's jar */
  setCookie: string | string[] | undefined;
  receivedBytes = 0;
  private chunks: Buffer[] | null;
  private text: string | null | undefined;

  constructor(readonly url: string, keepBody: boolean) {
    this.chunks = keepBody ? [] : null;
  }

  /** Lower-case names; repeated headers joined with ", ". */
  get rawHeaders(): Record<string, string> {
    if (this.parsed === undefined) {
      const out: Record<string, string> = {};
      const raw = this.raw;
      if (raw !== null) {
        for (let i = 0; i + 1 < raw.length; i += 2) {
          const name = raw[i].toString('latin1').toLowerCase();
          const value = raw[i + 1].toString('latin1');
          out[name] = Object.hasOwn(out, name) ? `${out[name]}, ${value}` : value;
        }
      }
      this.parsed = out;
    }
    return this.parsed;
  }

  /** Header names are case-insensitive (k6 scripts read 'Content-Type', others 'content-type'). */
  get headers(): Record<string, string> {
    return (this.headerView ??= new Proxy(this.rawHeaders, {
      get: (target, key) => (typeof key === 'string' ? target[key] ?? target[key.toLowerCase()] : undefined),
      has: (target, key) => typeof key === 'string' && (key in target || key.toLowerCase() in target),
    }));
  }

  /** Decoded on first read only: a scenario that never reads bodies never pays for decoding. */
  get body(): string | null {
    if (this.text === undefined) {
      this.text = this.chunks === null ? null : this.chunks.length === 1 ? this.chunks[0].toString('utf8') : Buffer.concat(this.chunks).toString('utf8');
      this.chunks = null;
    }
    return this.text;
  }

  json<T = any>(): T {
    const b = this.body;
    if (b === null) throw new Error(`response of ${this.url} has no body (status ${this.status}${this.error ? `, ${this.error}` : ''})`);
    return JSON.parse(b) as T;
  }

  /** @internal */ pushChunk(chunk: Buffer): void { this.chunks?.push(chunk); }

  /** @internal the status line and raw headers: only sizes and set-cookie are looked at here */
  setHead(statusCode: number, raw: Buffer[]): void {
    this.status = statusCode;
    this.raw = raw;
    this.parsed = undefined;
    this.headerView = undefined;
    let size = 17;
    let cookie: string | string[] | undefined;
    for (let i = 0; i + 1 < raw.length; i += 2) {
      const name = raw[i];
      size += name.length + raw[i + 1].length + 4;
      // 'set-cookie' is 10 bytes: compare the rare candidates only
      if (name.length === 10 && name.toString('latin1').toLowerCase() === 'set-cookie') {
        const v = raw[i + 1].toString('latin1');
        cookie = cookie === undefined ? v : Array.isArray(cookie) ? [...cookie, v] : [cookie, v];
      }
    }
    this.setCookie = cookie;
    this.receivedBytes += size;
  }
}

/**
 * undici's own (legacy) handler interface: undici calls it directly, with the raw header list,
 * where a new-style handler is wrapped and gets every response's headers parsed into an object
 * (measured ~3% of the worker's CPU at 8,000/s, with its garbage).
 */
/** Who waits for a response: a VU's call (runtime.ts HttpCall). */
export interface ResponseSink { done(res: HttpResponse): void }

class Exchange {
  private readonly t0 = performance.now();
  private tStart = -1;
  private tHeaders = -1;
  readonly res: HttpResponse;

  constructor(url: string, keepBody: boolean, private readonly sink: ResponseSink) {
    this.res = new HttpResponse(url, keepBody);
  }

  onConnect(): void { this.tStart = performance.now(); }

  onHeaders(statusCode: number, rawHeaders: Buffer[]): boolean {
    if (statusCode < 200) return true; // 1xx informational
    this.tHeaders = performance.now();
    this.res.setHead(statusCode, rawHeaders);
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.res.receivedBytes += chunk.length;
    this.res.pushChunk(chunk);
    return true;
  }

  onComplete(): void { this.finish(); }

  onError(err: Error & { code?: string }): void {
    const res = this.res;
    res.status = 0;
    res.error = err.code ? `${err.code}: ${err.message}` : err.message;
    res.error_code = errorCodeOf(err);
    this.finish();
  }

  private finish(): void {
    const end = performance.now();
    const start = this.tStart < 0 ? end : this.tStart;
    const headersAt = this.tHeaders < 0 ? end : this.tHeaders;
    const t = this.res.timings;
    t.blocked = start - this.t0;
    t.sending = 0;
    t.waiting = headersAt - start;
    t.receiving = end - headersAt;
    t.duration = end - start;
    this.sink.done(this.res);
  }
}

/** Split an absolute URL into origin and path without building a URL object on the hot path. */
export function splitUrl(url: string): { origin: string; path: string; host: string } {
  const m = /^(https?):\/\/([^/?#]+)([^#]*)/i.exec(url);
  if (!m) throw new Error(`invalid URL: expected http(s)://host/path, got ${JSON.stringify(url)}`);
  const path = m[3] === '' ? '/' : m[3].startsWith('/') ? m[3] : `/${m[3]}`;
  return { origin: `${m[1].toLowerCase()}://${m[2]}`, path, host: m[2] };
}

export class HttpTransport {
  private readonly pools = new Map<string, Pool>();
  private closed = false;
  private lastOrigin = '';
  private lastPool: Pool | null = null;

  constructor(private readonly opts: TransportOptions) {}

  private pool(origin: string): Pool {
    let p = this.pools.get(origin);
    if (!p) {
      p = new Pool(origin, {
        connections: this.opts.connectionsPerOrigin,
        pipelining: 1,
        keepAliveTimeout: this.opts.idleTimeoutMs ?? 30_000,
        keepAliveMaxTimeout: Math.max(600_000, this.opts.idleTimeoutMs ?? 0),
        connect: { timeout: 10_000 },
      });
      this.pools.set(origin, p);
    }
    return p;
  }

  /** Send `req`; `sink.done` gets the response (a network error is a response with status 0). */
  dispatch(req: OutgoingRequest, sink: ResponseSink): void {
    const handler = new Exchange(req.url, req.keepBody, sink);
    if (this.closed) { handler.onError(Object.assign(new Error('the run has ended'), { code: 'ERR_RUN_ENDED' })); return; }
    const url = req.url;
    let pool: Pool;
    let path: string;
    // Most requests go to the origin of the one before: take the path after it without parsing the URL.
    const last = this.lastOrigin;
    if (last !== '' && url.length > last.length && url.charCodeAt(last.length) === 47 /* / */ && url.startsWith(last) && url.indexOf('#', last.length) < 0) {
      pool = this.lastPool!;
      path = url.slice(last.length);
    } else {
      let target: { origin: string; path: string };
      try {
        target = splitUrl(url);
      } catch (err) {
        handler.onError(err as Error);
        return;
      }
      pool = this.pool(target.origin);
      path = target.path;
      if (url.startsWith(target.origin)) { this.lastOrigin = target.origin; this.lastPool = pool; }
    }
    try {
      pool.dispatch({
        path, method: req.method, headers: req.headers, body: req.body,
        headersTimeout: req.timeoutMs, bodyTimeout: req.timeoutMs,
      }, handler as unknown as Dispatcher.DispatchHandler);
    } catch (err) {
      handler.onError(err as Error);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.pools.values()].map((p) => p.destroy().catch(() => undefined)));
    this.pools.clear();
    this.lastOrigin = '';
    this.lastPool = null;
  }
}
