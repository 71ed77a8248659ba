/**
 * A token bucket: `rate` tokens a second, at most `burst` saved up. The one refill rule behind the waiting
 * room, the per-user limit and the door's budget. Pure over an injected clock (milliseconds).
 */
export class TokenBucket {
  tokens: number;
  private last: number;

  constructor(readonly rate: number, readonly burst: number, private readonly now: () => number = Date.now) {
    this.tokens = burst;
    this.last = now();
  }

  refill(): void {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + (Math.max(0, t - this.last) / 1000) * this.rate);
    this.last = t;
  }

  /** take `cost` tokens if there are enough now */
  take(cost = 1): boolean {
    this.refill();
    if (this.tokens < cost) return false;
    this.tokens -= cost;
    return true;
  }

  /** seconds until `cost` tokens will be there (0 when they are now) */
  secondsUntil(cost = 1): number {
    return Math.max(0, (cost - this.tokens) / this.rate);
  }
}
