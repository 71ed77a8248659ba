import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Portal } from './app.js';

export interface StopReport {
  /** requests still unanswered when the drain bound ran out: their connections were cut */
  cut: number;
  /** milliseconds the drain took */
  drainedMs: number;
}

export interface PortalServer {
  server: Server;
  /** requests received and not yet answered (any route, bodies complete or not) */
  readonly active: number;
  /**
   * Stop as SIGTERM asks: refuse new requests (503 `draining`, Connection: close) and new connections,
   * let the requests in flight finish for at most `server.drainMs`, cut what is left, then close the
   * portal (worker, fsync handle, database).
   */
  stop(): Promise<StopReport>;
}

/**
 * The node:http server around a portal, with the build's defences against slow and greedy clients:
 * headers and whole requests must arrive in time (`headersTimeoutMs`, `requestTimeoutMs`: 408 and
 * closed), one client address holds at most `maxConnectionsPerClient` connections (the next is closed
 * at once), and a stop drains before it closes the database.
 */
export function createPortalServer(portal: Portal): PortalServer {
  const s = portal.config.server;
  let active = 0;
  const server = createServer({
    keepAliveTimeout: s.keepAliveTimeoutMs,
    requestTimeout: s.requestTimeoutMs,
    headersTimeout: s.headersTimeoutMs,
    // how often node looks for requests past their timeouts (its default, 30 s, lets a stall last that long)
    connectionsCheckingInterval: Math.max(100, Math.min(1_000, s.headersTimeoutMs / 2)),
  }, (req, res) => {
    active++;
    res.once('close', () => { active--; });
    portal.handler(req, res);
  });
  server.maxConnections = 100_000;

  const perClient = new Map<string, number>();
  if (s.maxConnectionsPerClient > 0) {
    server.on('connection', (socket: Socket) => {
      const who = socket.remoteAddress ?? 'unknown';
      const n = (perClient.get(who) ?? 0) + 1;
      if (n > s.maxConnectionsPerClient) { socket.destroy(); return; }
      perClient.set(who, n);
      socket.once('close', () => {
        const left = (perClient.get(who) ?? 1) - 1;
        if (left <= 0) perClient.delete(who);
        else perClient.set(who, left);
      });
    });
  }

  let stopping: Promise<StopReport> | undefined;
  const stop = async (): Promise<StopReport> => {
    const t0 = Date.now();
    portal.door.draining = true;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const deadline = t0 + s.drainMs;
    while (active > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    const cut = active;
    server.closeAllConnections();
    await closed;
    await portal.close();
    return { cut, drainedMs: Date.now() - t0 };
  };

  return {
    server,
    get active() { return active; },
    stop: () => (stopping ??= stop()),
  };
}
