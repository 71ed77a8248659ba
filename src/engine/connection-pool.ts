/**
 * The connections of one origin, with a policy that needs no tuning (issue 15; docs/measurements.md,
 * "connection policy"):
 * - reused first: a request takes the most recently used idle connection (a stack), so a fast
 *   target is served by as few connections as its concurrency needs and the others idle out;
 * - opened on demand, only while requests wait: a connection is opened when a request finds no idle
 *   one, at most `maxConnecting` at a time and CONNECT_RATE_PER_S a second after a first burst (a
 *   bounded connect rate), so a burst queues for a few hundred µs instead of
 *   opening hundreds of sockets at once (the connect storm that made the engine fail at 8,000/s
 *   with undici's Pool and a cap of 1,024), and not beyond what the demand needs by Little's law
 *   (requests per second × the shortest recent hold of a connection: SIZING_WINDOW_MS);
 * - up to the cap: a slow target gets as many connections as requests in flight, up to
 *   `connectionsPerOrigin`, so its queue shows on its side, in http_req_duration;
 * - a connection opened is not bound to the request that asked for it: whichever waiting request is
 *   first when it is ready takes it, so a request is never kept waiting on a connect when another
 *   connection frees up first.
 * Each connection is an undici Client (HTTP/1.1, no pipelining) built around a socket we connected
 * and timed ourselves (TCP connect and TLS handshake apart: k6's http_req_connecting and
 * http_req_tls_handshaking).
 */
import { buildConnector, Client, type Dispatcher } from 'undici';
import type { Socket } from 'node:net';
import { hostsLookup, type Hosts } from './hosts.js';
import { performance } from 'node:perf_hooks';

/** What the pool needs of a request: its undici options and a handler told which connection it got. */
export interface PooledRequest {
  readonly options: Dispatcher.DispatchOptions;
  /** the request got connection `conn` (fresh: the first request on a socket just connected) */
  assigned(conn: Connection): void;
  onError(err: Error & { code?: string }): void;
}

export interface ConnectTiming { connectingMs: number; tlsMs: number }

export interface OriginPoolOptions {
  connections: number;
  /** connects in flight at once for this origin */
  maxConnecting?: number;
  idleTimeoutMs: number;
  connectTimeoutMs?: number;
  /** k6 insecureSkipTLSVerify */
  insecureSkipTLSVerify?: boolean;
  /** k6 hosts: names connected to at another address, keeping the name for Host and TLS */
  hosts?: Hosts;
}

/** Connects in flight per origin and worker. */
export const MAX_CONNECTING = 8;
/** Connects per second per origin and worker once the first burst is spent (a token bucket). */
export const CONNECT_RATE_PER_S = 500;
export const CONNECT_BURST = 32;
/**
 * A pool this small always grows while requests wait, whatever Little's law below says: what a fast
 * target needs at any rate one thread can send (a cap of 64 held 11,000–26,000/s where the sizing
 * alone kept 33 connections at 20,000/s, able to carry ~11,000 a second, with 4,967 requests waiting
 * in the pool: a loaded thread reads responses a turn or more late, so holds have a long tail the
 * shortest one does not see; docs/measurements.md#connection-policy). Still opened only while
 * requests wait, so a target that needs fewer never sees them.
 */
const ALWAYS_GROW_BELOW = 64;
/**
 * The connections a demand needs, by Little's law: requests dispatched per second × the time a
 * request holds its connection, ×2 for bursts, plus a few. The hold time is the shortest of the
 * last window (100 ms): what the target takes when the generator is not in the way. A starved
 * generator makes every hold look long (its responses wait unread in their sockets), and sizing the
 * pool on that is the connect storm again; a slow target's shortest hold is still long.
 */
const SIZING_WINDOW_MS = 100;
const SIZING_HEADROOM = 2;
const SIZING_SPARE = 8;

type Connector = ReturnType<typeof buildConnector>;
type ConnectParams = Parameters<Connector>[0];

export class Connection {
  busy = false;
  /** when the request on it was handed over (performance.now()) */
  since = 0;
  dead = false;
  /** the timing of the socket's last connect, until a request has been sent on it */
  fresh: ConnectTiming | null;
  client!: Client;

  constructor(fresh: ConnectTiming) { this.fresh = fresh; }

  /** The connect timing for the request being sent now (only the first request on a socket has one). */
  takeFresh(): ConnectTiming | null {
    const f = this.fresh;
    this.fresh = null;
    return f;
  }
}

/** Connect with `connector`, timing TCP and TLS apart; `done` gets the socket or the error. */
function timedConnect(connector: Connector, params: ConnectParams, done: (err: Error | null, socket: Socket | null, timing: ConnectTiming) => void): void {
  const t0 = performance.now();
  let tcpAt = -1;
  const socket = connector(params, (err, s) => {
    const end = performance.now();
    const tcp = tcpAt < 0 ? end : tcpAt;
    done(err, err ? null : (s as Socket), { connectingMs: tcp - t0, tlsMs: end - tcp });
  }) as unknown as Socket | undefined;
  socket?.once?.('connect', () => { tcpAt = performance.now(); });
}

export class OriginPool {
  private readonly idle: Connection[] = [];
  private readonly all = new Set<Connection>();
  private readonly queue: PooledRequest[] = [];
  private head = 0;
  private connecting = 0;
  private closed = false;
  private readonly connector: Connector;
  private readonly params: ConnectParams;
  private readonly maxConnecting: number;
  private tokens = CONNECT_BURST;
  private tokensAt = performance.now();
  /** Little's-law sizing (SIZING_WINDOW_MS) */
  private needed = CONNECT_BURST;
  private windowAt = performance.now();
  private dispatched = 0;
  private shortestHold = Infinity;
  private holdEstimate = 0;

  constructor(private readonly origin: string, private readonly opts: OriginPoolOptions) {
    const url = new URL(origin);
    this.connector = buildConnector({
      timeout: opts.connectTimeoutMs ?? 10_000, rejectUnauthorized: !opts.insecureSkipTLSVerify,
      ...(opts.hosts && Object.keys(opts.hosts).length ? { lookup: hostsLookup(opts.hosts) } : {}),
    } as buildConnector.BuildOptions);
    let hostname = url.hostname;
    if (hostname.startsWith('[')) hostname = hostname.slice(1, -1);
    this.params = { host: url.host, hostname, protocol: url.protocol, port: url.port || (url.protocol === 'https:' ? '443' : '80'), servername: undefined } as unknown as ConnectParams;
    this.maxConnecting = Math.min(opts.maxConnecting ?? MAX_CONNECTING, opts.connections);
  }

  /** connections open or being opened, and requests waiting for one (for tests and the bench) */
  get stats(): { open: number; connecting: number; waiting: number } {
    return { open: this.all.size, connecting: this.connecting, waiting: this.queue.length - this.head };
  }

  dispatch(req: PooledRequest): void {
    this.dispatched += 1;
    if (this.closed) { req.onError(Object.assign(new Error('the run has ended'), { code: 'ERR_RUN_ENDED' })); return; }
    const conn = this.idle.pop();
    if (conn !== undefined) { this.send(conn, req); return; }
    this.queue.push(req);
    this.grow();
  }

  /** Re-size `needed` once a window has passed. */
  private size(now: number): void {
    const elapsed = now - this.windowAt;
    if (elapsed < SIZING_WINDOW_MS) return;
    if (this.shortestHold < Infinity) this.holdEstimate = this.shortestHold;
    // nothing came back in a whole window while requests were out: they hold at least that long
    else if (this.all.size > this.idle.length) this.holdEstimate = Math.max(this.holdEstimate * 2, elapsed);
    const perMs = this.dispatched / elapsed;
    this.needed = Math.max(SIZING_SPARE, Math.ceil(SIZING_HEADROOM * perMs * this.holdEstimate) + SIZING_SPARE);
    this.windowAt = now;
    this.dispatched = 0;
    this.shortestHold = Infinity;
  }

  /** A connect may start now: under the cap, the connects in flight, the demand's size and the rate. */
  private mayConnect(): boolean {
    const size = this.all.size + this.connecting;
    if (size >= this.opts.connections || this.connecting >= this.maxConnecting) return false;
    const now = performance.now();
    this.size(now);
    if (size >= Math.max(ALWAYS_GROW_BELOW, this.needed)) { this.retryLater(SIZING_WINDOW_MS); return false; }
    this.tokens = Math.min(CONNECT_BURST, this.tokens + ((now - this.tokensAt) * CONNECT_RATE_PER_S) / 1000);
    this.tokensAt = now;
    if (this.tokens < 1) { this.retryLater(1000 / CONNECT_RATE_PER_S); return false; }
    this.tokens -= 1;
    return true;
  }

  private retryTimer: NodeJS.Timeout | null = null;

  /** Requests still wait and no connect could start: look again in a moment. */
  private retryLater(ms: number): void {
    if (this.retryTimer !== null || this.closed) return;
    this.retryTimer = setTimeout(() => { this.retryTimer = null; this.grow(); }, Math.max(1, Math.ceil(ms)));
  }

  /** Open connections while requests wait beyond the connects already under way, within the bounds. */
  private grow(): void {
    while (this.queue.length - this.head > this.connecting && this.mayConnect()) {
      this.connecting += 1;
      timedConnect(this.connector, this.params, (err, socket, timing) => {
        this.connecting -= 1;
        if (err || socket === null || this.closed) {
          socket?.destroy();
          // the request first in line asked for this connection: it fails with the connect error
          // (a refused or unreachable target fails each request, as undici's own connects do)
          const waiting = this.shift();
          if (waiting) waiting.onError((err ?? new Error('the run has ended')) as Error & { code?: string });
          if (!this.closed) this.grow();
          return;
        }
        this.adopt(socket, timing);
        // a connect that was held back by the connects in flight may start now (nothing else calls
        // grow() while the waiting requests are all of a closed loop's VUs)
        this.grow();
      });
    }
  }

  private shift(): PooledRequest | undefined {
    if (this.head >= this.queue.length) return undefined;
    const r = this.queue[this.head];
    this.queue[this.head++] = undefined as unknown as PooledRequest;
    if (this.head > 1024 && this.head * 2 > this.queue.length) { this.queue.splice(0, this.head); this.head = 0; }
    else if (this.head === this.queue.length) { this.queue.length = 0; this.head = 0; }
    return r;
  }

  /** A connected socket becomes a connection: the first waiting request takes it, or it goes idle. */
  private adopt(socket: Socket, timing: ConnectTiming): void {
    const conn = new Connection(timing);
    let first: Socket | null = socket;
    const connect = (params: ConnectParams, cb: (err: Error | null, s: Socket | null) => void) => {
      // handed over on the next tick: undici ignores a resume from inside its own connect call
      if (first !== null) { const s = first; first = null; process.nextTick(cb, null, s); return s; }
      // undici reconnects by itself when the server closed the socket under a request not yet sent
      timedConnect(this.connector, params, (err, s, t) => { conn.fresh = t; cb(err, s); });
      return undefined;
    };
    const client = new Client(this.origin, {
      pipelining: 1,
      keepAliveTimeout: this.opts.idleTimeoutMs,
      keepAliveMaxTimeout: Math.max(600_000, this.opts.idleTimeoutMs),
      connect: connect as unknown as Client.Options['connect'],
    });
    conn.client = client;
    client.on('disconnect', () => {
      conn.dead = true;
      if (!conn.busy) this.forget(conn);
    });
    client.on('connectionError', () => { conn.dead = true; });
    this.all.add(conn);
    this.release(conn);
  }

  private forget(conn: Connection): void {
    if (!this.all.delete(conn)) return;
    const i = this.idle.lastIndexOf(conn);
    if (i >= 0) this.idle.splice(i, 1);
    void conn.client.destroy().catch(() => undefined);
    // requests still waiting need a connection in its place
    if (!this.closed) this.grow();
  }

  private send(conn: Connection, req: PooledRequest): void {
    conn.busy = true;
    conn.since = performance.now();
    req.assigned(conn);
    try {
      conn.client.dispatch(req.options, req as unknown as Dispatcher.DispatchHandler);
    } catch (err) {
      req.onError(err as Error);
    }
  }

  /** The request on `conn` completed (or failed): the next waiting request takes it, or it goes idle. */
  release(conn: Connection): void {
    // a connection just opened comes here without a request: it held nothing
    if (conn.busy) {
      const held = performance.now() - conn.since;
      if (held < this.shortestHold) this.shortestHold = held;
    }
    conn.busy = false;
    if (conn.dead || this.closed) { this.forget(conn); return; }
    const next = this.shift();
    if (next !== undefined) this.send(conn, next);
    else this.idle.push(conn);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    const err = Object.assign(new Error('the run has ended'), { code: 'ERR_RUN_ENDED' });
    for (let r = this.shift(); r !== undefined; r = this.shift()) r.onError(err);
    const conns = [...this.all];
    this.all.clear();
    this.idle.length = 0;
    await Promise.all(conns.map((c) => c.client.destroy().catch(() => undefined)));
  }
}
