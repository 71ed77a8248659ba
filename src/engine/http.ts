/**
 * The HTTP transport of a worker: one connection pool per origin (connection-pool.ts: opened on
 * demand, reused first, up to a cap), raw undici `dispatch` handlers so a body is only kept as chunks
 * and decoded when the scenario reads it, and k6's request timings measured per request.
 * A network error or timeout becomes a response with status 0 and `error`; dispatch never throws.
 */
import type { Dispatcher } from 'undici';
import { performance } from 'node:perf_hooks';
import type { Response, Timings } from '../scenario-api/types.js';
import { OriginPool, type Connection, type PooledRequest } from './connection-pool.js';
import type { Hosts } from './hosts.js';

export interface TransportOptions {
  connectionsPerOrigin: number;
  /** how long an idle keep-alive connection is kept when the server gives no hint (default 30 s) */
  idleTimeoutMs?: number;
  /** connects in flight at once per origin (connection-pool.ts MAX_CONNECTING) */
  maxConnecting?: number;
  /** k6 insecureSkipTLSVerify */
  insecureSkipTLSVerify?: boolean;
  /** k6 hosts */
  hosts?: Hosts;
}

export interface OutgoingRequest {
  method: string;
  url: string;
  headers: string[];          // flat [name, value, …]
  body: string | Uint8Array | null;
  timeoutMs: number;
  keepBody: boolean;
}

/** k6's error codes (k6 docs, "Error codes") for the common network failures. */
function errorCodeOf(err: { code?: string; name?: string }): number {
  switch (err.code) {
    case 'UND_ERR_HEADERS_TIMEOUT': case 'UND_ERR_BODY_TIMEOUT': return 1050;
    case 'UND_ERR_CONNECT_TIMEOUT': case 'ETIMEDOUT': return 1211;
    case 'ENETUNREACH': case 'EHOSTUNREACH': case 'EHOSTDOWN': return 1210;
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
  timings: Timings = { duration: 0, waiting: 0, sending: 0, receiving: 0, blocked: 0, connecting: 0, tls_handshaking: 0 };
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

/** Who waits for a response: a VU's call (runtime.ts HttpCall). */
export interface ResponseSink { done(res: HttpResponse): void }

/**
 * One request on the wire, as undici's own (legacy) handler interface: undici calls it directly, with
 * the raw header list, where a new-style handler is wrapped and gets every response's headers parsed
 * into an object (measured ~3% of the worker's CPU at 8,000/s, with its garbage).
 *
 * Its timings are k6's (Go's httptrace points): blocked from the call until a connection was free
 * (less the connect of a connection opened for it), connecting and tls_handshaking of that fresh
 * connection, sending from the start of the write to the request sent, waiting to the response
 * headers, receiving to the end; duration = sending + waiting + receiving.
 */
class Exchange implements PooledRequest {
  private readonly t0 = performance.now();
  private tStart = -1;
  private tSent = -1;
  private tHeaders = -1;
  private conn: Connection | null = null;
  private pool: OriginPool | null = null;
  readonly res: HttpResponse;
  options!: Dispatcher.DispatchOptions;

  constructor(url: string, keepBody: boolean, private readonly sink: ResponseSink) {
    this.res = new HttpResponse(url, keepBody);
  }

  /** @internal the pool handed this request a connection */
  assigned(conn: Connection): void { this.conn = conn; }

  /** @internal */ via(pool: OriginPool): void { this.pool = pool; }

  onConnect(): void {
    this.tStart = performance.now();
    const fresh = this.conn?.takeFresh();
    if (fresh) {
      // the connect happened while this request waited: it is not blocked time
      const waited = this.tStart - this.t0;
      const t = this.res.timings;
      t.connecting = Math.min(fresh.connectingMs, waited);
      t.tls_handshaking = Math.min(fresh.tlsMs, waited - t.connecting);
    }
  }

  onRequestSent(): void { this.tSent = performance.now(); }

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
    const sent = this.tSent < 0 ? start : this.tSent;
    const headersAt = this.tHeaders < 0 ? end : this.tHeaders;
    const t = this.res.timings;
    t.blocked = Math.max(0, start - this.t0 - t.connecting - t.tls_handshaking);
    t.sending = sent - start;
    t.waiting = Math.max(0, headersAt - sent);
    t.receiving = end - headersAt;
    t.duration = end - start;
    const conn = this.conn;
    if (conn !== null) { this.conn = null; this.pool!.release(conn); }
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
  private readonly pools = new Map<string, OriginPool>();
  private closed = false;
  private lastOrigin = '';
  private lastPool: OriginPool | null = null;

  constructor(private readonly opts: TransportOptions) {}

  private pool(origin: string): OriginPool {
    let p = this.pools.get(origin);
    if (!p) {
      p = new OriginPool(origin, {
        connections: this.opts.connectionsPerOrigin,
        maxConnecting: this.opts.maxConnecting,
        idleTimeoutMs: this.opts.idleTimeoutMs ?? 30_000,
        connectTimeoutMs: 10_000,
        insecureSkipTLSVerify: this.opts.insecureSkipTLSVerify,
        hosts: this.opts.hosts,
      });
      this.pools.set(origin, p);
    }
    return p;
  }

  /** connections per origin: open, being opened, and requests waiting for one */
  stats(): Record<string, { open: number; connecting: number; waiting: number }> {
    return Object.fromEntries([...this.pools].map(([o, p]) => [o, p.stats]));
  }

  /** Send `req`; `sink.done` gets the response (a network error is a response with status 0). */
  dispatch(req: OutgoingRequest, sink: ResponseSink): void {
    const handler = new Exchange(req.url, req.keepBody, sink);
    if (this.closed) { handler.onError(Object.assign(new Error('the run has ended'), { code: 'ERR_RUN_ENDED' })); return; }
    const url = req.url;
    let pool: OriginPool;
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
        pool = this.pool(target.origin);
      } catch (err) {
        handler.onError(err as Error);
        return;
      }
      path = target.path;
      if (url.startsWith(target.origin)) { this.lastOrigin = target.origin; this.lastPool = pool; }
    }
    handler.options = {
      path, method: req.method, headers: req.headers, body: req.body,
      headersTimeout: req.timeoutMs, bodyTimeout: req.timeoutMs,
    };
    handler.via(pool);
    pool.dispatch(handler);
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.pools.values()].map((p) => p.close().catch(() => undefined)));
    this.pools.clear();
    this.lastOrigin = '';
    this.lastPool = null;
  }
}
