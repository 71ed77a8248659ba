/**
 * A target that refuses every connection is an environment problem (exit 3), not a measurement:
 * once the first seconds have closed with requests sent and not one of them connected, the run stops
 * and says which target (issue 15). One request answered, by any status, and the watch is over: from
 * then on failures are the target's figures.
 */
import type { EncodedWindow } from '../metrics/index.js';

/** k6 error codes of a connection never made: DNS, dial error, dial timeout, connection refused. */
export const UNREACHABLE_CODES: ReadonlySet<string> = new Set(['1100', '1101', '1210', '1211', '1212']);

/** Seconds of requests with no connection before the run is stopped as unreachable. */
export const UNREACHABLE_AFTER_SECONDS = 2;

const REASONS: Readonly<Record<string, string>> = {
  '1100': 'DNS lookup failed', '1101': 'no such host', '1210': 'network unreachable', '1211': 'connect timed out', '1212': 'connection refused',
};

export class UnreachableWatch {
  private connected = false;
  private failedToConnect = 0;
  private readonly seconds = new Set<number>();
  private example: { name: string; method: string; code: string } | null = null;

  /** Add a closed second's windows; returns the message once the target is found unreachable. */
  add(windows: readonly EncodedWindow[]): string | null {
    if (this.connected) return null;
    for (const w of windows) {
      if (w.metric !== 'http_reqs' || w.sum === 0) continue;
      const code = w.tags.error_code;
      if (w.tags.status !== '0' || code === undefined || !UNREACHABLE_CODES.has(code)) { this.connected = true; return null; }
      this.failedToConnect += w.sum;
      this.seconds.add(w.t);
      this.example ??= { name: w.tags.name ?? '?', method: w.tags.method ?? 'GET', code };
    }
    if (this.seconds.size < UNREACHABLE_AFTER_SECONDS || this.example === null) return null;
    const e = this.example;
    return `target unreachable: ${e.method} ${e.name}: ${REASONS[e.code] ?? 'no connection'} (error_code ${e.code}); ` +
      `none of the ${this.failedToConnect} requests of the first ${this.seconds.size} s connected`;
  }
}
