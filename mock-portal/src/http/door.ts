import type { ServerResponse } from 'node:http';
import { requestCpuMs, type PortalConfig } from '../config.js';
import type { DomainError } from '../domain/errors.js';
import { TokenBucket } from '../infra/token-bucket.js';

/** the clock, the waiting room and admin pages are how operators see an overload: never shed */
const OPERATIONS = /^\/api\/v1\/(clock|waiting-room|admin\/)/;
/** a shed within this many milliseconds makes the portal "degraded" (not ready) */
export const DEGRADED_FOR_MS = 5_000;

export type ShedReason = 'draining' | 'in_flight' | 'event_loop_lag' | 'door_budget' | 'waiting_room';

export interface Health {
  status: 'ok' | 'degraded' | 'draining';
  live: true;
  ready: boolean;
  /** API requests in flight (their bodies complete) */
  inFlight: number;
  /** reasons the portal shed load within the last DEGRADED_FOR_MS, with how many seconds ago */
  shedding: Partial<Record<ShedReason, number>>;
}

/**
 * The door: what the resilient portal decides about a request before spending work on it. It refuses at
 * once (503 + Retry-After, a fixed small body) when draining, when the in-flight cap is reached, when the
 * event loop lags, or when the request would overrun the CPU budget of the knee; it counts an API request
 * in flight only once its body has arrived (a client that stalls mid-body holds no slot); it remembers
 * when it last shed, which is what /healthz/ready reports. As-built (admission off) it only counts.
 */
export class Door {
  inFlight = 0;
  draining = false;
  private readonly lastShed = new Map<ShedReason, number>();
  private readonly budget: TokenBucket | null;
  private readonly readMs: number;
  private readonly writeMs: number;

  /**
   * `writeRefusal`: what the waiting room would answer a write now (null: it would let it in or wait), so
   * a write it will turn away is turned away at the door, before it costs the budget anything
   */
  constructor(private readonly config: PortalConfig, private readonly lagMs: () => number,
    private readonly writeRefusal: () => DomainError | null = () => null, private readonly now: () => number = Date.now) {
    const a = config.admission;
    const perSecond = a.enabled ? a.doorCpuShare * 1000 : 0;
    // a fifth of a second saved up: smooths arrivals without letting a burst queue past the SLO
    this.budget = perSecond > 0 ? new TokenBucket(perSecond, perSecond / 5, now) : null;
    this.readMs = requestCpuMs(config.capacity, false);
    this.writeMs = requestCpuMs(config.capacity, true);
  }

  /** an API request the door governs (not an operator's page) */
  static governs(path: string): boolean { return path.startsWith('/api/') && !OPERATIONS.test(path); }

  /** the reason to refuse this request now (with the waiting room's own refusal for a write), or null to let it in */
  decide(method: string | undefined, path: string): ShedReason | DomainError | null {
    if (this.draining) return 'draining';
    const a = this.config.admission;
    if (!a.enabled || !Door.governs(path)) return null;
    if (a.maxInFlight > 0 && this.inFlight >= a.maxInFlight) return 'in_flight';
    // writes go first: a read is cheap and tells people where their money is
    const write = method !== 'GET' && method !== 'HEAD';
    if (a.maxEventLoopLagMs > 0 && this.lagMs() > (write ? 1 : 2) * a.maxEventLoopLagMs) return 'event_loop_lag';
    if (write) { const no = this.writeRefusal(); if (no) return no; }
    if (this.budget && !this.budget.take(write ? this.writeMs : this.readMs)) return 'door_budget';
    return null;
  }

  /** remember a shed (also the waiting room's, which happens past the door) */
  noteShed(reason: ShedReason): void { this.lastShed.set(reason, this.now()); }

  health(): Health {
    const t = this.now();
    const shedding: Health['shedding'] = {};
    for (const [r, at] of this.lastShed) if (t - at < DEGRADED_FOR_MS) shedding[r] = Math.round((t - at) / 100) / 10;
    const degraded = Object.keys(shedding).length > 0;
    return {
      status: this.draining ? 'draining' : degraded ? 'degraded' : 'ok', live: true,
      ready: !this.draining && !degraded, inFlight: this.inFlight, shedding,
    };
  }

  /** count `req` in flight from now until its response closes */
  enter(res: ServerResponse): void {
    this.inFlight++;
    res.once('close', () => { this.inFlight--; });
  }
}

const MESSAGES: Record<ShedReason, string> = {
  draining: 'the portal is stopping: try again in 1 s',
  in_flight: 'the portal is at capacity (in flight): try again in 1 s',
  event_loop_lag: 'the portal is at capacity (event loop lag): try again in 1 s',
  door_budget: 'the portal is at capacity (beyond its knee): try again in 1 s',
  waiting_room: 'the waiting room is full: try again in 1 s',
};
const BODIES = new Map(Object.entries(MESSAGES).map(([r, m]) => [r, Buffer.from(JSON.stringify({ error: { code: r === 'draining' ? 'draining' : 'overloaded', message: m } }))]));

/** The refusal, written straight to the socket's response: no router, no JSON encoding. */
export function writeShed(res: ServerResponse, reason: ShedReason): void {
  const body = BODIES.get(reason)!;
  const headers: Record<string, string | number> = { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length, 'retry-after': '1' };
  // node discards the rest of an unread body before the next request on the connection; a stopping
  // portal asks the client to reconnect (elsewhere)
  if (reason === 'draining') headers.connection = 'close';
  res.writeHead(503, headers);
  res.end(body);
}
