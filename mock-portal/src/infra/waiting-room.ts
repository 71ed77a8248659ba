import { refuse } from '../domain/errors.js';
import { TokenBucket } from './token-bucket.js';

export interface WaitingRoomOptions { admitPerSecond: number; burst: number; maxWaiting: number; maxWaitMs: number }

/**
 * Admission at a set rate (a token bucket) with a bounded FIFO of people waiting. A newcomer learns its
 * position and ETA; when the line is too long or the wait too great, it is told at once to come back
 * later (503 + Retry-After) instead of timing out inside the portal.
 */
export class WaitingRoom {
  admitted = 0;
  refused = 0;
  private readonly bucket: TokenBucket;
  private readonly line: Array<() => void> = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly o: WaitingRoomOptions, now: () => number = Date.now) {
    this.bucket = new TokenBucket(o.admitPerSecond, o.burst, now);
  }

  get size(): number { return this.line.length; }

  /** seconds a newcomer would wait now */
  etaSeconds(position = this.line.length + 1): number {
    return Math.max(0, (position - this.bucket.tokens) / this.o.admitPerSecond);
  }

  /** the refusal a newcomer would get now, or null when it would be let in or let wait */
  refusal(): ReturnType<typeof refuse.unavailable> | null {
    this.bucket.refill();
    if (this.line.length === 0 && this.bucket.tokens >= 1) return null;
    const position = this.line.length + 1;
    const eta = this.etaSeconds(position);
    if (position <= this.o.maxWaiting && eta * 1000 <= this.o.maxWaitMs) return null;
    return refuse.unavailable('waiting_room_full', `the portal is busy: ${position - 1} people are waiting; try again in about ${Math.ceil(eta)} s`,
      eta, { position, etaSeconds: Math.round(eta * 10) / 10 });
  }

  /** Resolves when admitted; throws a 503 refusal (with position and ETA) when the line is full. */
  enter(): Promise<void> {
    const no = this.refusal();
    if (no) { this.refused++; throw no; }
    if (this.line.length === 0 && this.bucket.take()) {
      this.admitted++;
      return Promise.resolve();
    }
    return new Promise((resolve) => { this.line.push(resolve); this.schedule(); });
  }

  private schedule(): void {
    if (this.timer || this.line.length === 0) return;
    const waitMs = Math.max(1, this.bucket.secondsUntil() * 1000);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      while (this.line.length > 0 && this.bucket.take()) {
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
  private readonly buckets = new Map<string, TokenBucket>();
  constructor(private readonly perSecond: number, private readonly now: () => number = Date.now) {}

  take(key: string): number {
    if (this.perSecond <= 0) return 0;
    let b = this.buckets.get(key);
    if (!b) {
      if (this.buckets.size > 100_000) this.buckets.clear(); // bounded memory: forgetting only forgives
      b = new TokenBucket(this.perSecond, this.perSecond, this.now);
      this.buckets.set(key, b);
    }
    return b.take() ? 0 : b.secondsUntil();
  }
}
