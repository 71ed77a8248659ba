import { parsePrometheusText } from './prometheus.js';
import type { ReconcileResult, ServerMetricsFile } from '../rundir/run-dir.js';

export interface ScraperOptions {
  target: string;
  adminToken?: string;
  intervalMs?: number;
  reconcileEvery?: number;
  fetchFn?: typeof fetch;
  now?: () => number;
  /** more Prometheus endpoints to scrape every tick (--metrics-url) and the series to chart (--metrics-series) */
  metricsUrls?: readonly string[];
  series?: readonly string[];
}

/**
 * Scrapes the portal during a run: /metrics every second, /api/v1/clock, and /admin/reconcile every
 * few seconds. A failing scrape is recorded as a gap (the as-built portal is expected to stall), never
 * fatal to the run.
 */
export class ServerScraper {
  private readonly file: ServerMetricsFile;
  private timer: NodeJS.Timeout | undefined;
  private ticks = 0;
  private inFlight = false;
  failures = 0;
  /** failed scrapes by URL (the target's /metrics and each --metrics-url apart) */
  readonly failuresByUrl = new Map<string, number>();
  private fail(url: string): void {
    this.failures += 1;
    this.failuresByUrl.set(url, (this.failuresByUrl.get(url) ?? 0) + 1);
  }

  constructor(private readonly o: ScraperOptions) {
    this.file = { target: o.target, scrapes: [], reconcile: null, reconcileTimeline: [], clock: [] };
    if (o.metricsUrls?.length) {
      this.file.sources = o.metricsUrls.map((url) => ({ url, scrapes: [] }));
      this.file.series = [...(o.series ?? [])];
    }
  }

  start(): void {
    this.timer = setInterval(() => void this.tick(), this.o.intervalMs ?? 1000);
    this.timer.unref();
  }

  private get fetchFn(): typeof fetch { return this.o.fetchFn ?? fetch; }
  private now(): number { return (this.o.now ?? Date.now)(); }

  private async getText(path: string, headers: Record<string, string> = {}): Promise<string | null> {
    try {
      const res = await this.fetchFn(new URL(path, this.o.target), { headers, signal: AbortSignal.timeout(2000) });
      if (!res.ok) { await res.body?.cancel(); return null; }
      return await res.text();
    } catch {
      return null;
    }
  }

  async tick(): Promise<void> {
    if (this.inFlight) return; // a stalled portal must not pile up scrapes
    this.inFlight = true;
    try {
      // `t` is fixed at stop(), once the engine's second 0 is known.
      const at = this.now();
      const t = -1;
      // the resilient portal shows its money gauges to the admin token only
      const auth: Record<string, string> = this.o.adminToken ? { authorization: `Bearer ${this.o.adminToken}` } : {};
      const [metrics, clock] = await Promise.all([this.getText('/metrics', auth), this.getText('/api/v1/clock'),
        ...(this.file.sources ?? []).map(async (src) => {
          const text = await this.getText(src.url);
          try { if (text !== null) { src.scrapes.push({ t, at, samples: parsePrometheusText(text) }); return; } } catch { /* counted below */ }
          this.fail(src.url);
        })]);
      const own = new URL('/metrics', this.o.target).href;
      if (metrics === null) this.fail(own);
      else {
        try { this.file.scrapes.push({ t, at, samples: parsePrometheusText(metrics) }); } catch { this.fail(own); }
      }
      if (clock) {
        try {
          const c = JSON.parse(clock) as { time?: string; simulated?: string; now?: string };
          const simulated = c.time ?? c.simulated ?? c.now;
          if (typeof simulated === 'string') this.file.clock.push({ t, at, simulated });
        } catch { /* a clock we cannot read is simply not charted */ }
      }
      if (this.o.adminToken && this.ticks % (this.o.reconcileEvery ?? 5) === 0) {
        const r = await this.reconcile();
        if (r) this.file.reconcileTimeline.push({ t, at, result: r });
      }
      this.ticks += 1;
    } finally {
      this.inFlight = false;
    }
  }

  async reconcile(): Promise<ReconcileResult | null> {
    if (!this.o.adminToken) return null;
    const text = await this.getText('/admin/reconcile', { authorization: `Bearer ${this.o.adminToken}` });
    if (!text) return null;
    try { return JSON.parse(text) as ReconcileResult; } catch { return null; }
  }

  /**
   * Stop, take a last reconcile (also the timeline's last sample), and hand back the file's content with every sample placed in the
   * metric second of the client timeline (`startedAtMs` = the engine's second 0); samples taken
   * before the start are dropped.
   */
  async stop(startedAtMs: number): Promise<ServerMetricsFile> {
    if (this.timer) clearInterval(this.timer);
    while (this.inFlight) await new Promise((r) => setTimeout(r, 20));
    await this.tick();
    const at = this.now();
    this.file.reconcile = await this.reconcile();
    // The last reconcile ends the money chart too: the headline's stuck debits and the chart's last
    // point are one reading (a sample taken seconds before the end would show fewer).
    if (this.file.reconcile) this.file.reconcileTimeline.push({ t: -1, at, result: this.file.reconcile });
    const place = <T extends { t: number; at?: number }>(xs: T[]): T[] =>
      xs.filter((x) => (x.at ?? 0) >= startedAtMs).map((x) => ({ ...x, t: Math.floor((x.at! - startedAtMs) / 1000) }));
    return {
      ...this.file,
      scrapes: place(this.file.scrapes),
      reconcileTimeline: place(this.file.reconcileTimeline),
      clock: place(this.file.clock),
      ...(this.file.sources ? { sources: this.file.sources.map((src) => ({ url: src.url, scrapes: place(src.scrapes) })), series: this.file.series } : {}),
    };
  }
}
