import { setTimeout as sleep } from 'node:timers/promises';
import type { PortalConfig } from './config.js';
import type { SimClock } from './clock.js';
import { formatHHMMSS, isOpen, parseHHMM } from './clock.js';
import type { Catalogue } from './domain/catalogue.js';
import { DomainError, refuse } from './domain/errors.js';
import type { Ledger } from './domain/ledger.js';
import { heldOf, walletOf } from './domain/ledger.js';
import type { OrderLine, Orders } from './domain/orders.js';
import type { Users } from './domain/users.js';
import { burnCpu, Pool } from './infra/capacity.js';
import { writeTransaction, type Db } from './infra/db.js';
import type { GroupCommit } from './infra/durability.js';
import { errorOutcome, outcomeOf, type IdempotencyStore, type Outcome } from './infra/idempotency.js';
import type { PortalMetrics } from './infra/metrics.js';
import { RateLimiter, WaitingRoom } from './infra/waiting-room.js';

/** What a replay of a successful `POST /otp/verify` answers: the token is never stored, so never repeated. */
export function tokenIssued(userId: string): Outcome {
  return {
    status: 409, headers: {},
    body: { error: { code: 'token_already_issued', message: 'invalid Idempotency-Key: this otp was already exchanged for a bearer token, which is handed out only once; POST /api/v1/otp/send for a new otp' }, userId },
  };
}

/** injected faults: latency (on routes starting with latencyRoute, or all; of latencyMethod, or any), error rate on writes, DB stall per query */
export interface Faults { latencyMs: number; latencyRoute: string; latencyMethod: string; errorRate: number; dbStallMs: number }

/**
 * The use cases as the API sees them, with the capacity model wrapped around the rules: connection
 * pools, synchronous CPU, gateway latency, admission. Takes plain values, never a request.
 */
export function createServices(deps: {
  config: PortalConfig; db: Db; clock: SimClock; ledger: Ledger; users: Users; catalogue: Catalogue; orders: Orders;
  idem: IdempotencyStore; metrics: PortalMetrics; random: () => number; durable: GroupCommit;
  /** told when the waiting room turns someone away (the portal is shedding: not ready) */
  onShed?: () => void;
}) {
  const { config, db, clock, ledger, users, catalogue, orders, idem, metrics, random, durable } = deps;
  const cap = config.capacity;
  const writePool = new Pool(cap.dbPoolSize);
  const readPool = cap.readPoolSize > 0 ? new Pool(cap.readPoolSize) : writePool;
  const room = new WaitingRoom(config.admission);
  const perUser = new RateLimiter(config.admission.perUserWritesPerSecond);
  const faults: Faults = { ...config.faults };
  const window = { opensMs: parseHHMM(config.bookingOpens), closesMs: parseHHMM(config.bookingCloses) };

  const queryMs = (q: number): number => q * cap.dbQueryMs + faults.dbStallMs;
  /** a write holds a pooled connection; its answer waits for the group commit's fsync (durable before acknowledged) */
  const write = async <T>(fn: () => T, extraHoldMs = 0): Promise<T> => {
    const r = await writePool.use(queryMs(cap.queriesPerWrite) + extraHoldMs, fn);
    await durable.flush();
    return r;
  };
  /** reads of public data are served from memory when cacheReads; the rest use the read pool (bulkhead) */
  const read = <T>(fn: () => T, publicData = false): Promise<T> =>
    publicData && cap.cacheReads ? Promise.resolve(fn()) : readPool.use(queryMs(cap.queriesPerRead), fn);

  /** Admission for writes: waiting room (503) then per-user rate (429). As-built lets everyone in. */
  async function admit(who: string): Promise<void> {
    if (!config.admission.enabled) { metrics.admitted.inc(); return; }
    const wait = perUser.take(who);
    if (wait > 0) { metrics.refused.inc({ reason: 'per_user_rate' }); throw refuse.tooMany(`too many requests for ${who.startsWith('usr_') ? 'this user' : 'this mobile'}: slow down`, wait); }
    try { await room.enter(); } catch (err) { metrics.refused.inc({ reason: 'waiting_room' }); deps.onShed?.(); throw err; }
    metrics.admitted.inc();
  }

  /** run an effect and store its outcome (idempotency) in the same transaction */
  const commit = (status: number, save: (o: Outcome) => void, fn: () => unknown): Outcome =>
    writeTransaction(db, () => { const o = outcomeOf(status, fn); save(o); return o; })();

  async function guarded(fn: () => Promise<Outcome>): Promise<Outcome> {
    try {
      if (faults.errorRate > 0 && random() < faults.errorRate) throw refuse.unavailable('fault_injected', 'injected fault: service unavailable', 1);
      return await fn();
    } catch (err) {
      if (err instanceof DomainError) return errorOutcome(err);
      throw err;
    }
  }

  const simNow = (): number => clock.nowMs();
  const open = (): boolean => isOpen(simNow(), window);

  return {
    writePool, readPool, room, faults, window, simNow, open,
    burnRequestCpu: () => burnCpu(cap.cpuMsPerRequest),

    register: (body: { mobile: string; name: string; district: string }, save: (o: Outcome) => void) => guarded(async () => {
      await admit(`mobile:${body.mobile}`);
      return write(() => writeTransaction(db, () => {
        const r = outcomeOf(201, () => users.register(body));
        const o: Outcome = r.status === 201
          ? { status: 201, body: { userId: (r.body as { userId: string }).userId }, headers: config.testMode ? { 'X-Test-Otp': (r.body as { otp: string }).otp } : {} }
          : r;
        save(o);
        return o;
      })());
    }),

    sendOtp: (mobile: string, save: (o: Outcome) => void) => guarded(async () => {
      await admit(`mobile:${mobile}`);
      return write(() => {
        const o = writeTransaction(db, () => {
          const r = outcomeOf(202, () => users.sendOtp(mobile));
          const stored: Outcome = r.status === 202
            ? { status: 202, body: { sent: true }, headers: config.testMode ? { 'X-Test-Otp': (r.body as { otp: string }).otp } : {} }
            : r;
          save(stored);
          return stored;
        })();
        return o;
      });
    }),

    verifyOtp: (mobile: string, otp: string, revokeOthers: boolean, save: (o: Outcome) => void) => guarded(async () => {
      await admit(`mobile:${mobile}`);
      // a wrong OTP must count even if the response is not stored: verify commits its own counter
      return write(() => {
        const o = outcomeOf(200, () => users.verifyOtp(mobile, otp, revokeOthers));
        // a bearer token is handed out once and never stored: a replay of the key learns it was issued
        save(o.status === 200 ? tokenIssued((o.body as { userId: string }).userId) : o);
        return o;
      });
    }),

    authenticate: (token: string) => users.authenticate(token),

    topup: (userId: string, amountPaise: number, save: (o: Outcome) => void) => guarded(async () => {
      await admit(userId);
      const declined = random() < cap.gatewayFailureRate;
      const effect = (): Outcome => declined
        ? commit(402, save, () => { throw new DomainError(402, 'payment_failed', 'invalid amountPaise: the payment gateway declined the top-up'); })
        : commit(201, save, () => {
          ledger.transfer('topup', userId, null, amountPaise, simNow());
          return { balancePaise: ledger.balance(walletOf(userId)) };
        });
      if (cap.holdConnectionDuringGateway) return write(effect, cap.gatewayLatencyMs); // as-built: the classic mistake
      await sleep(cap.gatewayLatencyMs);
      return write(effect);
    }),

    wallet: (userId: string) => read(() => ({ balancePaise: ledger.balance(walletOf(userId)), heldPaise: ledger.balance(heldOf(userId)) })),

    walletLedger: (userId: string) => read(() => ({
      entries: db.prepare<[string, string], { id: number; kind: string; orderId: string | null; amountPaise: number; simAt: number }>(
        `SELECT t.id AS id, t.kind AS kind, t.order_id AS orderId, e.amount AS amountPaise, t.sim_at AS simAt
         FROM entries e JOIN transfers t ON t.id = e.transfer_id WHERE e.account_id IN (?, ?) ORDER BY e.id DESC LIMIT 200`,
      ).all(walletOf(userId), heldOf(userId)).map((r) => ({ ...r, account: undefined, at: formatHHMMSS(r.simAt) })),
    })),

    placeOrder: (userId: string, shopId: string, items: OrderLine[], save: (o: Outcome) => void) => guarded(async () => {
      await admit(userId);
      burnCpu(cap.cpuMsPerOrder);
      return write(() => {
        const o = commit(202, save, () => orders.place(userId, shopId, items, simNow()));
        metrics.orders.inc({ event: o.status === 202 ? 'placed' : `refused_${o.status}` });
        return o;
      });
    }),

    cancelOrder: (userId: string, orderId: string, save: (o: Outcome) => void) => guarded(async () => {
      await admit(userId);
      return write(() => commit(200, save, () => orders.cancel(userId, orderId, simNow())));
    }),

    order: (userId: string, orderId: string) => read(() => orders.get(userId, orderId)),
    listOrders: (userId: string) => read(() => ({ orders: orders.list(userId) })),

    shops: (district: string | undefined) => read(() => {
      const isOpenNow = open();
      return { shops: catalogue.shops.filter((s) => !district || s.district === district).map((s) => ({ ...s, open: isOpenNow })) };
    }, true),

    helpline: () => read(() => ({ phone: '1800-233-0000', hours: '09:00–20:00', message: 'If no "order accepted" message arrives, the amount returns to your wallet.' }), true),

    catalogueOf: (shopId: string) => read(() => {
      const shop = catalogue.shop(shopId);
      if (!shop) throw refuse.notFound('shop', shopId);
      return { shopId: shop.id, open: open(), items: catalogue.items(shop) };
    }, true),
  };
}
export type Services = ReturnType<typeof createServices>;
