import parsePrometheus from 'parse-prometheus-text-format';
import type { ServerScrape } from '../rundir/run-dir.js';

type Samples = ServerScrape['samples'];

interface ParsedFamily {
  name: string;
  type: string;
  metrics: Array<{ value?: string; labels?: Record<string, string>; buckets?: Record<string, string>; count?: string; sum?: string; quantiles?: Record<string, string> }>;
}

/** Prometheus text → flat samples (histograms as `_bucket{le}`, `_sum`, `_count`, like the exposition). */
export function parsePrometheusText(text: string): Samples {
  const families = parsePrometheus(text) as ParsedFamily[];
  const out: Samples = {};
  const push = (name: string, labels: Record<string, string>, value: string | undefined) => {
    const v = Number(value);
    if (value === undefined || Number.isNaN(v)) return;
    (out[name] ??= []).push({ labels, value: v });
  };
  for (const f of families) {
    for (const m of f.metrics) {
      const labels = m.labels ?? {};
      if (m.buckets) {
        for (const [le, v] of Object.entries(m.buckets)) push(`${f.name}_bucket`, { ...labels, le }, v);
        push(`${f.name}_sum`, labels, m.sum);
        push(`${f.name}_count`, labels, m.count);
      } else if (m.quantiles) {
        for (const [q, v] of Object.entries(m.quantiles)) push(f.name, { ...labels, quantile: q }, v);
        push(`${f.name}_sum`, labels, m.sum);
        push(`${f.name}_count`, labels, m.count);
      } else {
        push(f.name, labels, m.value);
      }
    }
  }
  return out;
}
