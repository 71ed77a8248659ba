import { setTimeout as sleep } from 'node:timers/promises';

/**
 * A bounded pool of simulated database connections. `use(holdMs, fn)` waits for a free connection (FIFO,
 * unbounded wait as a naive pool does), holds it for `holdMs` of simulated query time, runs `fn` (the
 * real, synchronous SQLite work) and gives the connection back.
 */
export class Pool {
  inUse = 0;
  private readonly waiters: Array<() => void> = [];
  constructor(readonly size: number) {}

  get waiting(): number { return this.waiters.length; }

  private acquire(): Promise<void> {
    if (this.inUse < this.size) { this.inUse++; return Promise.resolve(); }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private release(): void {
    const next = this.waiters.shift();
    if (next) next(); // the connection passes straight to the next waiter
    else this.inUse--;
  }

  async use<T>(holdMs: number, fn: () => T | Promise<T>): Promise<T> {
    await this.acquire();
    try {
      if (holdMs > 0) await sleep(holdMs);
      return await fn();
    } finally {
      this.release();
    }
  }
}

/** Synchronous work on the request path: the event loop can do nothing else meanwhile. */
export function burnCpu(ms: number): void {
  if (ms <= 0) return;
  const end = performance.now() + ms;
  while (performance.now() < end) { /* spin: that is the point */ }
}
