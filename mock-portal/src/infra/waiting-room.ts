import { refuse } from '../domain/errors.js';

export interface WaitingRoomOptions { admitPerSecond: number; burst: number; maxWaiting: number; maxWaitMs: number }

/**
 * Admission at a set rate (a token bucket) with a bounded FIFO of people waiting. A newcomer learns its
 * position and ETA; when the line is too long or the wait too great, it is told at once to come back
 * later (503 + Retry-After) instead of timing out inside the portal.
 */
export class WaitingRoom {
  admitted = 0;
  refused = 0;
  private tokens: number;
  private last: number;
  private readonly line: Array<() => void> = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly o: WaitingRoomOptions, private readonly now: () => number = Date.now) {
    this.tokens = o.burst;
    this.last = now();
  }

  get size(): number { return this.line.length; }

  /** seconds a newcomer would wait now */
  etaSeconds(position = this.line.length + 1): number {
    return Math.max(0, (position - this.tokens) / this.o.admitPerSecond);
  }

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(this.o.burst, this.tokens + ((t - this.last) / 1000) * this.o.admitPerSecond);
    this.last = t;
  }

  /** Resolves when admitted; throws a 503 refusal (with position and ETA) when the line is full. */
  enter(): Promise<void> {
    this.refill();
    if (this.line.length === 0 && this.tokens >= 1) {
      this.tokens -= 1;
      this.admitted++;
      return Promise.resolve();
    }
    const position = this.line.length + 1;
    const eta = this.etaSeconds(position);
    if (position > this.o.maxWaiting || eta * 1000 > this.o.maxWaitMs) {
      this.refused++;
      throw refuse.unavailable('waiting_room_full', `the portal is busy: ${position - 1} people are waiting; try again in about ${Math.ceil(eta)} s`,
        eta, { position, etaSeconds: Math.round(eta * 10) / 10 });
    }
    return new Promise((resolve) => { this.line.push(resolve); this.schedule(); });
  }

  private schedule(): void {
    if (this.timer || this.line.length === 0) return;
    const waitMs = Math.max(1, ((1 - this.tokens) / this.o.admitPerSecond) * 1000);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.refill();
      while (this.line.length > 0 && this.tokens >= 1) {
        this.tokens -= 1;
        this.admitted++;
        this.line.shift()!();
      }
      this.schedule();
    }, waitMs);
  }

  close(): void { if (this.timer) clearTimeout(this.timer); }
}

/** Per-key token buckets (writes per user per second); `take` returns seconds to wait, 0 when allowed. */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; last: number }>();
  constructor(private readonly perSecond: number, private readonly now: () => number = Date.now) {}

  take(key: string): number {
    if (this.perSecond <= 0) return 0;
    const t = this.now();
    const b = this.buckets.get(key) ?? { tokens: this.perSecond, last: t };
    b.tokens = Math.min(this.perSecond, b.tokens + ((t - b.last) / 1000) * this.perSecond);
    b.last = t;
    if (this.buckets.size > 100_000) this.buckets.clear(); // bounded memory: forgetting only forgives
    this.buckets.set(key, b);
    if (b.tokens >= 1) { b.tokens -= 1; return 0; }
    return (1 - b.tokens) / this.perSecond;
  }
}
