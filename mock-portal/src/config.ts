import { z } from 'zod';
import { clockMinutes } from './clock.js';
import { DEFAULT_SHOPS_PER_DISTRICT, SHOPS_PER_DISTRICT } from './data/chhattisgarh.js';

/**
 * The capacity model: the costs that made the launch-day portal fall, as explicit settings. The knee
 * of each mode is a property of these numbers (see `estimateKnee`), so a planner can read and change it.
 */
export const CapacityModelSchema = z.strictObject({
  /** simulated database time per query, held on a pooled connection */
  dbQueryMs: z.number().min(0).max(10_000),
  /** connections in the write pool (as-built: everything shares it) */
  dbPoolSize: z.int().min(1).max(10_000),
  /** connections reserved for reads (resilient bulkhead); 0 = reads share the write pool */
  readPoolSize: z.int().min(0).max(10_000),
  /** synchronous CPU burnt on the request path of every request (templating, hashing, logging…) */
  cpuMsPerRequest: z.number().min(0).max(1_000),
  /** extra synchronous CPU on an order (price checks done the slow way) */
  cpuMsPerOrder: z.number().min(0).max(1_000),
  /** queries per request: reads / writes */
  queriesPerRead: z.int().min(0).max(100),
  queriesPerWrite: z.int().min(0).max(100),
  /** reads of public, slow-changing data (shops, catalogue) served from memory */
  cacheReads: z.boolean(),
  /** simulated payment-gateway latency on a top-up */
  gatewayLatencyMs: z.number().min(0).max(60_000),
  /** probability that the gateway declines a top-up (402) */
  gatewayFailureRate: z.number().min(0).max(1),
  /** as-built mistake: the pooled connection stays checked out while the gateway answers */
  holdConnectionDuringGateway: z.boolean(),
});
export type CapacityModel = z.infer<typeof CapacityModelSchema>;

export const AdmissionSchema = z.strictObject({
  enabled: z.boolean(),
  /** writes admitted per second through the waiting room */
  admitPerSecond: z.number().positive().max(1_000_000),
  /** burst the waiting room lets through at once */
  burst: z.int().min(1).max(1_000_000),
  /** people allowed to wait; beyond this → 503 + Retry-After */
  maxWaiting: z.int().min(0).max(10_000_000),
  /** a request that would wait longer than this is told to come back later (503 + Retry-After) */
  maxWaitMs: z.int().min(0).max(600_000),
  /** writes per user per second; beyond → 429 + Retry-After (0 = no limit) */
  perUserWritesPerSecond: z.number().min(0).max(10_000),
  /** API requests in flight beyond which new ones are refused at once (503); 0 = no limit */
  maxInFlight: z.int().min(0).max(1_000_000),
  /** event-loop lag (ms) beyond which writes are refused at once (503), reads beyond twice it; 0 = never */
  maxEventLoopLagMs: z.int().min(0).max(60_000),
  /**
   * the door's CPU budget, as a share of one core: an API request whose CPU (requestCpuMs) would overrun
   * it is refused at once (503 + Retry-After) before any work, leaving the rest of the core to answer the
   * refusals, the worker and the scrapes; 0 = no budget
   */
  doorCpuShare: z.number().min(0).max(1),
});
export type Admission = z.infer<typeof AdmissionSchema>;

export const ShopsModelSchema = z.strictObject({
  /** orders one shop can accept per simulated hour */
  acceptPerSimHour: z.number().positive().max(1_000_000),
  /** a queued order not accepted within this (simulated) is timed out and rejected */
  acceptTimeoutSimSeconds: z.int().positive().max(86_400),
  /** probability that a shop rejects an order it looks at */
  rejectRate: z.number().min(0).max(1),
  /** resilient: orders refused (503) once a shop's queue is this long; 0 = unbounded (as-built) */
  maxQueuePerShop: z.int().min(0).max(10_000_000),
  /** release of holds: 'prompt' at rejection/cancel, or 'batch' every refundBatchSimHours */
  release: z.enum(['prompt', 'batch']),
  refundBatchSimHours: z.number().positive().max(24),
  /** simulated minutes from acceptance to delivery */
  deliverySimMinutes: z.number().positive().max(24 * 60),
  stockPerSku: z.int().min(0).max(1_000_000_000),
});
export type ShopsModel = z.infer<typeof ShopsModelSchema>;

/** How the HTTP server treats slow clients, greedy clients and a stop (mock-portal/src/server.ts). */
export const ServerModelSchema = z.strictObject({
  /** the request's headers must arrive within this */
  headersTimeoutMs: z.int().min(1).max(600_000),
  /** the whole request, headers and body, must arrive within this; 0 = never (as-built) */
  requestTimeoutMs: z.int().min(0).max(600_000),
  keepAliveTimeoutMs: z.int().min(0).max(600_000),
  /** open connections one client address may hold; the next is closed at once (0 = no cap) */
  maxConnectionsPerClient: z.int().min(0).max(1_000_000),
  /** on SIGTERM, requests in flight get this long to finish before their connections are cut (0 = cut at once) */
  drainMs: z.int().min(0).max(600_000),
}).refine((s) => s.requestTimeoutMs === 0 || s.headersTimeoutMs <= s.requestTimeoutMs,
  { message: 'expected headersTimeoutMs at most requestTimeoutMs', path: ['headersTimeoutMs'] });
export type ServerModel = z.infer<typeof ServerModelSchema>;

/** Secrets and sessions (docs/contracts.md, "Portal hardening (resilient build)"). */
export const SecuritySchema = z.strictObject({
  /** wrong admin tokens one client may send per window before it is answered 429 (0 = never throttled) */
  adminMaxWrong: z.int().min(0).max(1_000_000),
  adminWrongWindowMs: z.int().positive().max(86_400_000),
  /** a bearer token stops working this long after it was issued (0 = never) */
  tokenTtlMs: z.int().min(0).max(365 * 86_400_000),
  /** POST /otp/send answers an unknown mobile as it answers a registered one (202), instead of 404 */
  otpSendUniform: z.boolean(),
  /** 'admin': the money gauges of /metrics only with the admin token; 'public': for everyone */
  metricsMoney: z.enum(['public', 'admin']),
});
export type Security = z.infer<typeof SecuritySchema>;

/** the default of maxTopupPaise: ₹1 lakh (1,00,00,000 paise) in one top-up */
export const DEFAULT_MAX_TOPUP_PAISE = 10_000_000;

const HHMM = z.string().refine((s) => clockMinutes(s) !== null, 'expected a time of day HH:MM (00:00–23:59)');

export const PortalConfigSchema = z.strictObject({
  mode: z.enum(['as-built', 'resilient']),
  /** ':memory:' or a file path */
  db: z.string().min(1),
  /** how money writes are made durable before they are acknowledged (see infra/durability.ts) */
  durability: z.enum(['full', 'group-commit']),
  testMode: z.boolean(),
  // Any non-empty token: docs/contracts.md sets no length, and probes may pass a short one.
  adminToken: z.string().min(1).optional(),
  clock: HHMM,
  clockSpeed: z.number().positive().max(100_000),
  bookingOpens: HHMM,
  bookingCloses: HHMM,
  deliveryCutoff: HHMM,
  /** money taken for an order must be accepted or back in the wallet within this (simulated) */
  refundSlaSimSeconds: z.int().positive().max(86_400),
  /** worker tick, real ms */
  workerTickMs: z.int().min(5).max(60_000),
  otpTtlMs: z.int().positive(),
  otpMaxWrong: z.int().positive(),
  otpLockMs: z.int().positive(),
  otpSendsPerWindow: z.int().positive(),
  otpSendWindowMs: z.int().positive(),
  /** the largest top-up accepted in one call (default ₹1 lakh = 1,00,00,000 paise); above → 400 naming it */
  maxTopupPaise: z.int().positive().max(1_000_000_000),
  maxItemsPerOrder: z.int().positive(),
  maxQtyPerItem: z.int().positive(),
  /** shops per district; Raipur 22 by default (docs/sources.md#shops-in-raipur) */
  shopsPerDistrict: z.record(z.string(), z.int().min(0).max(1000)),
  defaultShopsPerDistrict: z.int().min(0).max(1000),
  seed: z.int(),
  capacity: CapacityModelSchema,
  admission: AdmissionSchema,
  shops: ShopsModelSchema,
  server: ServerModelSchema,
  security: SecuritySchema,
  /** injected faults at start (change them live with POST /admin/faults) */
  faults: z.strictObject({
    latencyMs: z.int().min(0).max(60_000), latencyRoute: z.string().max(200),
    /** the injected latency only on requests of this method ('' = any) */
    latencyMethod: z.string().max(10).default(''),
    errorRate: z.number().min(0).max(1), dbStallMs: z.int().min(0).max(60_000),
  }),
});
export type PortalConfig = z.infer<typeof PortalConfigSchema>;
export type Mode = PortalConfig['mode'];

/** as-built: what launch day ran. One shared pool, sync work on every request, gateway holds a connection. */
type ModeParts = Pick<PortalConfig, 'capacity' | 'admission' | 'shops' | 'server' | 'security'>;
const AS_BUILT: ModeParts = {
  capacity: {
    dbQueryMs: 4, dbPoolSize: 10, readPoolSize: 0, cpuMsPerRequest: 5, cpuMsPerOrder: 8,
    queriesPerRead: 2, queriesPerWrite: 4, cacheReads: false,
    gatewayLatencyMs: 120, gatewayFailureRate: 0, holdConnectionDuringGateway: true,
  },
  admission: { enabled: false, admitPerSecond: 1e6, burst: 1e6, maxWaiting: 0, maxWaitMs: 0, perUserWritesPerSecond: 0, maxInFlight: 0, maxEventLoopLagMs: 0, doorCpuShare: 0 },
  shops: {
    acceptPerSimHour: 40, acceptTimeoutSimSeconds: 2 * 3600, rejectRate: 0.03, maxQueuePerShop: 0,
    release: 'batch', refundBatchSimHours: 6, deliverySimMinutes: 90, stockPerSku: 100_000,
  },
  // no body timeout, no cap per client, SIGTERM cuts what is in flight
  server: { headersTimeoutMs: 60_000, requestTimeoutMs: 0, keepAliveTimeoutMs: 65_000, maxConnectionsPerClient: 0, drainMs: 0 },
  security: { adminMaxWrong: 0, adminWrongWindowMs: 60_000, tokenTtlMs: 0, otpSendUniform: false, metricsMoney: 'public' },
};

/** resilient: waiting room, bulkheads, cheap cached reads, holds released promptly. */
const RESILIENT: ModeParts = {
  capacity: {
    dbQueryMs: 2, dbPoolSize: 10, readPoolSize: 16, cpuMsPerRequest: 0.2, cpuMsPerOrder: 0.5,
    queriesPerRead: 1, queriesPerWrite: 2, cacheReads: true,
    gatewayLatencyMs: 120, gatewayFailureRate: 0, holdConnectionDuringGateway: false,
  },
  // a write waits at most 300 ms for its turn: with its own work it stays inside the 800 ms SLO; the door
  // refuses what is beyond the knee at once (docs/contracts.md, "Portal hardening (resilient build)")
  admission: { enabled: true, admitPerSecond: 200, burst: 100, maxWaiting: 5_000, maxWaitMs: 300, perUserWritesPerSecond: 10, maxInFlight: 128, maxEventLoopLagMs: 150, doorCpuShare: 0.75 },
  shops: {
    acceptPerSimHour: 120, acceptTimeoutSimSeconds: 25 * 60, rejectRate: 0.03, maxQueuePerShop: 50,
    release: 'prompt', refundBatchSimHours: 6, deliverySimMinutes: 60, stockPerSku: 100_000,
  },
  // a load generator opens up to 1,024 connections per worker: the cap stops one client holding thousands
  server: { headersTimeoutMs: 10_000, requestTimeoutMs: 15_000, keepAliveTimeoutMs: 65_000, maxConnectionsPerClient: 4_096, drainMs: 10_000 },
  security: { adminMaxWrong: 5, adminWrongWindowMs: 60_000, tokenTtlMs: 12 * 3_600_000, otpSendUniform: true, metricsMoney: 'admin' },
};

export function modeDefaults(mode: Mode): ModeParts {
  return structuredClone(mode === 'as-built' ? AS_BUILT : RESILIENT);
}

export type PortalConfigInput = Partial<Omit<PortalConfig, 'capacity' | 'admission' | 'shops' | 'server' | 'security' | 'faults'>> & {
  capacity?: Partial<CapacityModel>; admission?: Partial<Admission>; shops?: Partial<ShopsModel>;
  server?: Partial<ServerModel>; security?: Partial<Security>; faults?: Partial<PortalConfig['faults']>;
};

/** Defaults for the mode, then the given overrides; validated (throws a ZodError naming the field). */
export function resolveConfig(input: PortalConfigInput = {}): PortalConfig {
  // an option given as undefined means "not given": it must not erase a default
  input = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as PortalConfigInput;
  const mode = input.mode ?? 'resilient';
  const d = modeDefaults(mode);
  const cfg = {
    mode, db: ':memory:', durability: 'group-commit', testMode: false, clock: '10:00', clockSpeed: 1,
    bookingOpens: '09:00', bookingCloses: '17:00', deliveryCutoff: '20:00',
    refundSlaSimSeconds: 30 * 60, workerTickMs: 100,
    otpTtlMs: 5 * 60_000, otpMaxWrong: 5, otpLockMs: 5 * 60_000, otpSendsPerWindow: 10, otpSendWindowMs: 10 * 60_000,
    maxTopupPaise: DEFAULT_MAX_TOPUP_PAISE, maxItemsPerOrder: 10, maxQtyPerItem: 12,
    shopsPerDistrict: { ...SHOPS_PER_DISTRICT }, defaultShopsPerDistrict: DEFAULT_SHOPS_PER_DISTRICT, seed: 42,
    ...input,
    capacity: { ...d.capacity, ...input.capacity },
    admission: { ...d.admission, ...input.admission },
    shops: { ...d.shops, ...input.shops },
    server: { ...d.server, ...input.server },
    security: { ...d.security, ...input.security },
    faults: { latencyMs: 0, latencyRoute: '', latencyMethod: '', errorRate: 0, dbStallMs: 0, ...input.faults },
  };
  return PortalConfigSchema.parse(cfg);
}

/**
 * What a planner reads: the request rate each constraint allows, and the smallest of them. CPU is one
 * core; the pool is Little's law (connections / seconds each request holds one).
 */
/**
 * CPU of one request before any simulated cost (express, JSON, auth, SQLite, idempotency, the WAL fsync's
 * system time, metrics), measured on this machine from /proc/<pid>/stat during closed-loop runs:
 * an authenticated read ≈ 0.5 ms, an order ≈ 1.4 ms (2.1 ms in all, with resilient's 0.7 ms of
 * simulated work).
 */
export const BASE_CPU_MS = { read: 0.5, write: 1.4 };
/** the mix the knee is quoted for: the share of writes (the launch-day journey is about 40% writes) */
export const WRITE_SHARE = 0.4;

export interface KneeEstimate {
  /** one core, reads only / writes only / the quoted mix */
  cpuBoundReadRps: number; cpuBoundWriteRps: number; cpuBoundRps: number;
  poolBoundRps: number | null; admissionBoundRps: number | null; topupPoolBoundRps: number | null;
  /** the smallest bound for the quoted mix (admission limits writes only) */
  kneeRps: number; writeShare: number;
}
/** CPU of one read or write on the request path: the measured base cost plus the configured work. */
export function requestCpuMs(cap: CapacityModel, write: boolean): number {
  return write ? cap.cpuMsPerRequest + cap.cpuMsPerOrder + BASE_CPU_MS.write : cap.cpuMsPerRequest + BASE_CPU_MS.read;
}
/** CPU of the quoted mix's average request */
export const mixCpuMs = (cap: CapacityModel): number => (1 - WRITE_SHARE) * requestCpuMs(cap, false) + WRITE_SHARE * requestCpuMs(cap, true);

export function estimateKnee(c: PortalConfig): KneeEstimate {
  const cap = c.capacity;
  const readMs = requestCpuMs(cap, false);
  const writeMs = requestCpuMs(cap, true);
  const mixMs = mixCpuMs(cap);
  const holdMs = WRITE_SHARE * cap.queriesPerWrite * cap.dbQueryMs + (cap.readPoolSize > 0 ? 0 : (1 - WRITE_SHARE) * cap.queriesPerRead * cap.dbQueryMs);
  const poolBoundRps = holdMs > 0 ? (cap.dbPoolSize * 1000) / holdMs : Infinity;
  const topupHoldMs = cap.queriesPerWrite * cap.dbQueryMs + (cap.holdConnectionDuringGateway ? cap.gatewayLatencyMs : 0);
  const topupPoolBoundRps = topupHoldMs > 0 ? (cap.dbPoolSize * 1000) / topupHoldMs : Infinity;
  const admission = c.admission.enabled ? c.admission.admitPerSecond / WRITE_SHARE : Infinity;
  const cpuBoundRps = 1000 / mixMs;
  const kneeRps = Math.min(cpuBoundRps, poolBoundRps, admission);
  const r = (x: number): number | null => (Number.isFinite(x) ? Math.round(x) : null);
  return {
    cpuBoundReadRps: Math.round(1000 / readMs), cpuBoundWriteRps: Math.round(1000 / writeMs), cpuBoundRps: Math.round(cpuBoundRps),
    poolBoundRps: r(poolBoundRps), admissionBoundRps: r(admission), topupPoolBoundRps: r(topupPoolBoundRps),
    kneeRps: Math.round(kneeRps), writeShare: WRITE_SHARE,
  };
}
