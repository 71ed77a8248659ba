import type { ThresholdSpec } from '../scenario-api/types.js';

/**
 * The one SLO config every scenario's thresholds come from. Assumptions, chosen for a booking portal
 * on launch day: a citizen waits under a second for a screen, an order is acknowledged in under 2 s.
 */
export const SLO = {
  errorRate: 0.01,
  p95Ms: 800,
  p99Ms: 2000,
  endpointsP95Ms: {
    'POST /api/v1/register': 1000,
    'POST /api/v1/otp/verify': 800,
    'POST /api/v1/orders': 2000,
    'POST /api/v1/wallet/topup': 1500,
    'GET /api/v1/orders/{id}': 500,
  } as Record<string, number>,
  checksRate: 0.95,
} as const;

/** k6 thresholds from the SLO; `endpoints` limits the per-endpoint ones to what a scenario calls (no samples fails). */
export function sloThresholds(slo: typeof SLO = SLO, endpoints?: readonly string[]): Record<string, ThresholdSpec[]> {
  const t: Record<string, ThresholdSpec[]> = {
    http_req_failed: [`rate<${slo.errorRate}`],
    http_req_duration: [`p(95)<${slo.p95Ms}`, `p(99)<${slo.p99Ms}`],
    checks: [`rate>${slo.checksRate}`],
  };
  for (const [name, ms] of Object.entries(slo.endpointsP95Ms)) if (!endpoints || endpoints.includes(name)) t[`http_req_duration{name:${name}}`] = [`p(95)<${ms}`];
  return t;
}
