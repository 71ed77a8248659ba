/**
 * k6's `experimental-prometheus-rw` options, read from the environment as k6 reads them (K6_PROMETHEUS_RW_*,
 * k6's documented names), for `capacity-test k6 run --out experimental-prometheus-rw`.
 */
import { UsageError, invalid } from '../../contracts/errors.js';
import { parseTrendStats } from './samples.js';
import type { RemoteWriteOptions } from './index.js';

const pairs = (text: string, sep: string, what: string): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const at = part.indexOf(sep);
    if (at <= 0) throw invalid(what, `a comma-separated list of key${sep}value`, text);
    out[part.slice(0, at).trim()] = part.slice(at + 1).trim();
  }
  return out;
};

export function remoteWriteOptionsFromK6Env(env: Readonly<Record<string, string | undefined>>): RemoteWriteOptions {
  if (/^(1|true)$/i.test(env.K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM ?? '')) {
    throw new UsageError('invalid K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM: native histograms are not sent; trends go as gauges of K6_PROMETHEUS_RW_TREND_STATS (docs/measurements.md, "Live views: dashboard and remote write")');
  }
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) {
    if (k.startsWith('K6_PROMETHEUS_RW_HEADERS_') && v !== undefined) headers[k.slice('K6_PROMETHEUS_RW_HEADERS_'.length)] = v;
  }
  if (env.K6_PROMETHEUS_RW_HTTP_HEADERS) Object.assign(headers, pairs(env.K6_PROMETHEUS_RW_HTTP_HEADERS, ':', 'K6_PROMETHEUS_RW_HTTP_HEADERS'));
  if (env.K6_PROMETHEUS_RW_USERNAME !== undefined || env.K6_PROMETHEUS_RW_PASSWORD !== undefined) {
    headers.authorization = `Basic ${Buffer.from(`${env.K6_PROMETHEUS_RW_USERNAME ?? ''}:${env.K6_PROMETHEUS_RW_PASSWORD ?? ''}`).toString('base64')}`;
  }
  if (env.K6_PROMETHEUS_RW_BEARER_TOKEN) headers.authorization = `Bearer ${env.K6_PROMETHEUS_RW_BEARER_TOKEN}`;
  let trendStats: string[] = ['p(99)'];
  if (env.K6_PROMETHEUS_RW_TREND_STATS) {
    try { trendStats = parseTrendStats(env.K6_PROMETHEUS_RW_TREND_STATS.split(',')); } catch (err) { throw new UsageError(`invalid K6_PROMETHEUS_RW_TREND_STATS: ${(err as Error).message}`); }
  }
  return {
    url: env.K6_PROMETHEUS_RW_SERVER_URL || 'http://localhost:9090/api/v1/write',
    headers,
    trendStats,
    staticLabels: env.K6_PROMETHEUS_RW_LABELS ? pairs(env.K6_PROMETHEUS_RW_LABELS, '=', 'K6_PROMETHEUS_RW_LABELS') : undefined,
  };
}
