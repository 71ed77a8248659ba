import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export interface MetricSources {
  queueDepths(): Map<string, number>;
  waitingRoomSize(): number;
  pool(): { inUse: number; waiting: number; size: number };
  money(): { heldPaise: number; capturedPaise: number; refundedPaise: number; balancesPaise: number; topupsPaise: number; releasedPaise: number };
  oldestHoldAgeSeconds(): number | null;
  simulatedSeconds(): number;
}

/**
 * The portal's Prometheus metrics, on a registry of its own (several portals can live in one test
 * process). Gauges are read at scrape time from their sources, so they cannot drift from the state.
 */
export function createMetrics(src: MetricSources) {
  const registry = new Registry();
  // money lives on a registry of its own: /metrics shows it to the admin token only (resilient)
  const money = new Registry();
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 10 });
  const httpDuration = new Histogram({
    name: 'portal_http_request_duration_seconds', help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'], registers: [registry],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
  });
  const inFlight = new Gauge({ name: 'portal_http_requests_in_flight', help: 'requests being handled', registers: [registry] });
  const admitted = new Counter({ name: 'portal_admitted_total', help: 'requests admitted by the waiting room (or let straight in as-built)', registers: [registry] });
  const refused = new Counter({ name: 'portal_refused_total', help: 'requests refused by load shedding, by reason', labelNames: ['reason'], registers: [registry] });
  const orders = new Counter({ name: 'portal_orders_total', help: 'order transitions', labelNames: ['event'], registers: [registry] });
  new Gauge({
    name: 'portal_queue_depth', help: 'orders queued at shops (label shop; shop="all" is the total)', labelNames: ['shop'], registers: [registry],
    collect() {
      this.reset();
      let total = 0;
      for (const [shop, n] of src.queueDepths()) { this.set({ shop }, n); total += n; }
      this.set({ shop: 'all' }, total);
    },
  });
  new Gauge({ name: 'portal_waiting_room_size', help: 'people waiting in the waiting room', registers: [registry], collect() { this.set(src.waitingRoomSize()); } });
  new Gauge({ name: 'portal_db_pool_in_use', help: 'simulated DB connections checked out', registers: [registry], collect() { this.set(src.pool().inUse); } });
  new Gauge({ name: 'portal_db_pool_waiting', help: 'requests waiting for a DB connection', registers: [registry], collect() { this.set(src.pool().waiting); } });
  new Gauge({ name: 'portal_db_pool_size', help: 'simulated DB pool size', registers: [registry], collect() { this.set(src.pool().size); } });
  new Gauge({
    name: 'portal_money_paise', help: 'ledger totals in paise by kind (held, captured, refunded, balances, topups, released)',
    labelNames: ['kind'], registers: [money],
    collect() { for (const [k, v] of Object.entries(src.money())) this.set({ kind: k.replace(/Paise$/, '') }, v); },
  });
  new Gauge({ name: 'portal_money_held_paise', help: 'money held for orders not yet accepted or released', registers: [money], collect() { this.set(src.money().heldPaise); } });
  new Gauge({ name: 'portal_money_captured_paise', help: 'money captured by shops (gross)', registers: [money], collect() { this.set(src.money().capturedPaise); } });
  new Gauge({ name: 'portal_money_refunded_paise', help: 'captured money refunded', registers: [money], collect() { this.set(src.money().refundedPaise); } });
  new Gauge({ name: 'portal_oldest_hold_age_seconds', help: 'simulated age of the oldest open hold (0 when none)', registers: [registry], collect() { this.set(src.oldestHoldAgeSeconds() ?? 0); } });
  new Gauge({ name: 'portal_simulated_clock_seconds', help: 'simulated seconds since midnight', registers: [registry], collect() { this.set(src.simulatedSeconds()); } });
  return {
    registry, httpDuration, inFlight, admitted, refused, orders,
    /** the exposition text, with the money gauges or without */
    text: async (withMoney: boolean): Promise<string> => (withMoney ? `${await registry.metrics()}\n${await money.metrics()}` : registry.metrics()),
  };
}
export type PortalMetrics = ReturnType<typeof createMetrics>;
