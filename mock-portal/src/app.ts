import express, { type NextFunction, type Request, type Response } from 'express';
import type { RequestListener } from 'node:http';
import { createSimClock, formatHHMMSS, parseHHMM } from './clock.js';
import { estimateKnee, resolveConfig, type PortalConfig, type PortalConfigInput } from './config.js';
import { createAcceptance } from './domain/acceptance.js';
import { createCatalogue } from './domain/catalogue.js';
import { DomainError, refuse } from './domain/errors.js';
import { createLedger } from './domain/ledger.js';
import { createOrders } from './domain/orders.js';
import { reconcile, type ReconcileReport } from './domain/reconcile.js';
import { createUsers } from './domain/users.js';
import { openDb, type Db } from './infra/db.js';
import { errorOutcome, IdempotencyStore } from './infra/idempotency.js';
import { GroupCommit } from './infra/durability.js';
import { createMetrics } from './infra/metrics.js';
import { buildOpenApi } from './http/openapi.js';
import { createAdminAuth } from './http/admin-auth.js';
import { Door, writeShed } from './http/door.js';
import { apiRoutes } from './http/routes.js';
import { createServices } from './services.js';
import { z } from 'zod';
import { parse } from './http/validate.js';
import { seededRandom } from './seeded-random.js';
export { seededRandom };

export interface Logger { info(msg: string): void; error(msg: string): void }
const silent: Logger = { info: () => {}, error: () => {} };

export interface Portal {
  app: express.Express;
  /** what a server listens with: the door (shedding before any work), then the app */
  handler: RequestListener;
  door: Door;
  config: PortalConfig;
  db: Db;
  /** run the shops' worker once now (tests drive it by hand with autoTick false) */
  tick(): void;
  reconcile(): ReconcileReport;
  simNow(): number;
  close(): Promise<void>;
}

/** Event-loop lag, sampled by a 20 ms timer's drift and smoothed, for shedding before the loop drowns. */
class LagMeter {
  ms = 0;
  private last = performance.now();
  private readonly timer = setInterval(() => {
    const now = performance.now();
    const drift = Math.max(0, now - this.last - 20);
    this.last = now;
    this.ms = this.ms * 0.8 + drift * 0.2; // smoothed: a lone GC pause is not overload
  }, 20);
  constructor() { this.timer.unref(); }
  stop(): void { clearInterval(this.timer); }
}


/** POST /admin/clock: read `simulatedMs` (since simulated midnight) at wall time `atEpochMs` */
export const ClockBody = z.strictObject({
  simulatedMs: z.number().min(0).max(86_400_000),
  atEpochMs: z.number().int().positive(),
});

export const FaultsBody = z.strictObject({
  latencyMs: z.int().min(0).max(60_000).optional(), latencyRoute: z.string().max(200).optional(),
  /** the injected latency only on this method (a faults timeline's 'POST /api/v1/orders'); '' = any */
  latencyMethod: z.string().regex(/^[A-Z]{0,10}$/, 'expected an HTTP method in capitals, or empty for any').optional(),
  errorRate: z.number().min(0).max(1).optional(), dbStallMs: z.int().min(0).max(60_000).optional(),
  /** kill the process with SIGKILL right after answering (crash-recovery drills) */
  crash: z.boolean().optional(),
});

/**
 * The reference booking portal as an express app (no listen: tests start it on port 0, main.ts on a
 * real port). `as-built` and `resilient` share this API; config decides how it behaves under load.
 */
export function createPortal(input: PortalConfigInput = {}, opts: { logger?: Logger; autoTick?: boolean; wallNow?: () => number; crash?: () => void } = {}): Portal {
  const config = resolveConfig(input);
  const log = opts.logger ?? silent;
  const db = openDb(config.db, config.durability);
  const durable = new GroupCommit(config.db === ':memory:' || config.durability === 'full' ? null : `${config.db}-wal`);
  const random = seededRandom(config.seed);

  // a simulated day never runs backwards: after a restart, resume from the last time the worker saw
  const persisted = Number(db.prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'sim_now'").get()?.value ?? NaN);
  const start = Number.isFinite(persisted) ? Math.max(persisted, parseHHMM(config.clock)) : parseHHMM(config.clock);
  const clock = createSimClock(start, config.clockSpeed, opts.wallNow);
  const saveSim = db.prepare("INSERT INTO meta (key, value) VALUES ('sim_now', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value");

  const ledger = createLedger(db);
  const users = createUsers(db, ledger, {
    ttlMs: config.otpTtlMs, maxWrong: config.otpMaxWrong, lockMs: config.otpLockMs,
    sendsPerWindow: config.otpSendsPerWindow, sendWindowMs: config.otpSendWindowMs,
    tokenTtlMs: config.security.tokenTtlMs, otpSendUniform: config.security.otpSendUniform,
  });
  const catalogue = createCatalogue(db, config.shopsPerDistrict, config.defaultShopsPerDistrict, config.shops.stockPerSku);
  const window = { opensMs: parseHHMM(config.bookingOpens), closesMs: parseHHMM(config.bookingCloses) };
  const orders = createOrders(db, ledger, catalogue, {
    maxItemsPerOrder: config.maxItemsPerOrder, maxQtyPerItem: config.maxQtyPerItem, maxQueuePerShop: config.shops.maxQueuePerShop,
    release: config.shops.release,
    isOpen: (t) => { const d = t % 86_400_000; return d >= window.opensMs && d < window.closesMs; },
  });
  const acceptance = createAcceptance(db, ledger, { ...config.shops, deliveryCutoffMs: parseHHMM(config.deliveryCutoff) }, random);
  const idem = new IdempotencyStore(db);

  let services: ReturnType<typeof createServices> | undefined;
  let moneyCache: { at: number; v: ReturnType<typeof moneyNow> } | undefined;
  function moneyNow() {
    const kinds = new Map(db.prepare<[], { kind: string; s: number }>('SELECT kind, SUM(balance) AS s FROM accounts GROUP BY kind').all().map((r) => [r.kind, r.s]));
    const flows = new Map(db.prepare<[], { kind: string; s: number }>('SELECT kind, SUM(amount) AS s FROM transfers GROUP BY kind').all().map((r) => [r.kind, r.s]));
    return {
      heldPaise: kinds.get('held') ?? 0, balancesPaise: kinds.get('wallet') ?? 0, capturedPaise: flows.get('capture') ?? 0,
      refundedPaise: flows.get('refund') ?? 0, topupsPaise: flows.get('topup') ?? 0, releasedPaise: flows.get('release') ?? 0,
    };
  }
  const metrics = createMetrics({
    queueDepths: () => orders.queueDepths(),
    waitingRoomSize: () => services?.room.size ?? 0,
    pool: () => ({ inUse: services?.writePool.inUse ?? 0, waiting: services?.writePool.waiting ?? 0, size: config.capacity.dbPoolSize }),
    money: () => {
      // several gauges read this in one scrape: compute once per scrape
      if (!moneyCache || Date.now() - moneyCache.at > 200) moneyCache = { at: Date.now(), v: moneyNow() };
      return moneyCache.v;
    },
    oldestHoldAgeSeconds: () => {
      const o = db.prepare<[], { m: number | null }>("SELECT MIN(placed_sim) AS m FROM orders WHERE hold = 'open'").get()!.m;
      return o === null ? null : Math.max(0, (clock.nowMs() - o) / 1000);
    },
    simulatedSeconds: () => clock.nowMs() / 1000,
  });
  const lag = new LagMeter();
  const door: Door = new Door(config, () => lag.ms, () => services!.room.refusal());
  services = createServices({ config, db, clock, ledger, users, catalogue, orders, idem, metrics, random, durable, onShed: () => door.noteShed('waiting_room') });
  const svc = services;

  const tick = (): void => {
    const now = clock.nowMs();
    const r = acceptance.tick(now);
    saveSim.run(String(Math.round(now)));
    for (const [event, n] of Object.entries(r)) if (n > 0) metrics.orders.inc({ event }, n);
  };
  const timer = opts.autoTick === false ? undefined : setInterval(() => {
    try { tick(); } catch (err) { log.error(`acceptance worker: ${(err as Error).stack ?? String(err)}`); }
  }, config.workerTickMs);
  timer?.unref();

  const admin = createAdminAuth(config.adminToken, { maxWrong: config.security.adminMaxWrong, windowMs: config.security.adminWrongWindowMs });
  const client = (req: Request): string => req.socket.remoteAddress ?? 'unknown';
  const requireAdmin = (req: Request): void => admin.require(client(req), req.get('authorization'));

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');

  // the body first: an API request counts in flight only once it has all arrived
  app.use(express.json({ limit: '64kb', strict: true, type: ['application/json', 'application/*+json'] }));
  // metrics and request-path CPU for every request
  app.use((req, res, next) => {
    const started = process.hrtime.bigint();
    const api = req.path.startsWith('/api/');
    if (Door.governs(req.path)) door.enter(res);
    metrics.inFlight.inc();
    res.once('close', () => {
      metrics.inFlight.dec();
      const route = req.route ? `${req.baseUrl}${String(req.route.path)}` : 'unmatched';
      metrics.httpDuration.observe({ method: req.method, route, status: String(res.statusCode) }, Number(process.hrtime.bigint() - started) / 1e9);
    });
    if (!api) { next(); return; }
    svc.burnRequestCpu();
    const f = svc.faults;
    if (f.latencyMs > 0 && req.path.startsWith(f.latencyRoute || '/api/') && (!f.latencyMethod || req.method === f.latencyMethod)) setTimeout(next, f.latencyMs);
    else next();
  });

  // liveness (the process answers) apart from readiness (it is not shedding, not stopping), as probes expect
  app.get('/healthz', (_req, res) => {
    res.json({ ...door.health(), mode: config.mode, simulatedTime: svc.simNow(), bookingOpen: svc.open(), capacity: config.capacity, knee: estimateKnee(config) });
  });
  app.get('/healthz/live', (_req, res) => { res.json({ status: 'ok', live: true }); });
  app.get('/healthz/ready', (_req, res) => {
    const h = door.health();
    if (!h.ready) res.setHeader('Retry-After', '1');
    res.status(h.ready ? 200 : 503).json(h);
  });
  app.get('/metrics', async (req, res) => {
    // a wrong admin token is refused (and counted); without one, the money gauges are left out (resilient)
    const who = admin.check(client(req), req.get('authorization'));
    res.setHeader('Content-Type', metrics.registry.contentType);
    res.send(await metrics.text(config.security.metricsMoney === 'public' || who === 'admin'));
  });
  app.get('/admin/reconcile', (req, res) => {
    requireAdmin(req);
    res.json(reconcile(db, clock.nowMs(), config.refundSlaSimSeconds));
  });
  app.get('/api/v1/admin/config', (req, res) => {
    requireAdmin(req);
    res.json({ config: { ...config, adminToken: undefined }, knee: estimateKnee(config), faults: svc.faults });
  });
  // the load generator's second 0 at the plan's first time (launch-day, once the engine has chosen its start)
  app.post('/admin/clock', (req, res) => {
    requireAdmin(req);
    const { simulatedMs, atEpochMs } = parse(ClockBody, req.body);
    clock.align(simulatedMs, atEpochMs);
    res.json({ time: formatHHMMSS(clock.nowMs()), simulatedMs: Math.round(clock.nowMs()), alignedAt: atEpochMs });
  });
  app.post('/admin/faults', (req, res) => {
    requireAdmin(req);
    const { crash, ...body } = parse(FaultsBody, req.body);
    Object.assign(svc.faults, body);
    res.json({ faults: svc.faults, crashing: crash === true });
    if (crash) res.once('finish', () => setImmediate(opts.crash ?? (() => process.kill(process.pid, 'SIGKILL'))));
  });
  let openapi: unknown;
  app.get('/openapi.json', (_req, res) => { res.json((openapi ??= buildOpenApi({ maxTopupPaise: config.maxTopupPaise }))); });

  app.use('/api/v1', apiRoutes(svc, idem, { speed: config.clockSpeed, opens: config.bookingOpens, closes: config.bookingCloses, cutoff: config.deliveryCutoff },
    { maxTopupPaise: config.maxTopupPaise }));

  app.use((req, res) => {
    res.status(404).json({ error: { code: 'not_found', message: `unknown route: ${req.method} ${req.path}` } });
  });
  // one place maps every error: refusals keep their status, body-parser errors stay 4xx, bugs are 500
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof DomainError) {
      for (const [k, v] of Object.entries(err.headers)) res.setHeader(k, v);
      res.status(err.status).json({ error: { code: err.code, message: err.message }, ...err.extra });
      return;
    }
    const e = err as { type?: string; status?: number; message?: string };
    if (e.type === 'entity.too.large') {
      res.status(413).json({ error: { code: 'payload_too_large', message: 'invalid body: expected at most 64 KB' } });
      return;
    }
    if (e.type === 'entity.parse.failed') {
      res.status(400).json({ error: { code: 'invalid_json', message: 'invalid body: expected a JSON object, got malformed JSON' } });
      return;
    }
    if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
      res.status(e.status).json({ error: { code: e.type ?? 'bad_request', message: `invalid request: ${e.message ?? 'refused'}` } });
      return;
    }
    log.error(`internal error: ${(err as Error)?.stack ?? String(err)}`);
    res.status(500).json({ error: { code: 'internal', message: 'internal error' } });
  });

  const handler: RequestListener = (req, res) => {
    const no = door.decide(req.method, req.url ?? '/');
    if (no) {
      const reason = typeof no === 'string' ? no : 'waiting_room';
      door.noteShed(reason);
      metrics.refused.inc({ reason });
      metrics.httpDuration.observe({ method: req.method ?? 'GET', route: 'shed', status: '503' }, 0);
      if (typeof no === 'string') writeShed(res, no);
      else {
        services!.room.refused++;
        const o = errorOutcome(no);
        const body = JSON.stringify(o.body);
        res.writeHead(o.status, { ...o.headers, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
        res.end(body);
      }
      return;
    }
    app(req, res);
  };

  return {
    app, handler, door, config, db, tick,
    reconcile: () => reconcile(db, clock.nowMs(), config.refundSlaSimSeconds),
    simNow: () => clock.nowMs(),
    async close() {
      if (timer) clearInterval(timer);
      lag.stop();
      svc.room.close();
      await durable.close();
      db.close();
    },
  };
}
