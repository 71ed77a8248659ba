/**
 * k6's end-of-test summary as text, in k6's compact layout: THRESHOLDS (✓/✗ per expression with its
 * value), TOTAL RESULTS (checks totals, ✓/✗ per check, then metrics by category with avg/min/med/
 * max/p(90)/p(95), counts with rates, rates as "x% n out of m"). Pure: summary data in, text out.
 */
import type { K6Group, K6Metric, K6SummaryData } from './summary.js';

const WIDTH = 35;

function trim(n: number, digits: number): string {
  return n.toFixed(digits).replace(/\.?0+$/, '');
}

/** ms as k6 prints durations: 950µs, 148.21ms, 1.2s. */
export function formatTime(ms: number): string {
  if (ms === 0) return '0s';
  if (Math.abs(ms) < 1) return `${trim(ms * 1000, 2)}µs`;
  if (Math.abs(ms) < 1000) return `${trim(ms, 2)}ms`;
  if (Math.abs(ms) < 60_000) return `${trim(ms / 1000, 2)}s`;
  const m = Math.floor(ms / 60_000);
  return `${m}m${trim((ms - m * 60_000) / 1000, 1)}s`;
}

/** bytes as k6 prints data: 1.2 kB, 3.4 MB. */
export function formatData(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let v = bytes;
  let i = 0;
  while (Math.abs(v) >= 1000 && i < units.length - 1) { v /= 1000; i++; }
  return `${i === 0 ? String(Math.round(v)) : trim(v, 1)} ${units[i]}`;
}

function plain(v: number): string {
  return Number.isInteger(v) ? String(v) : trim(v, 6);
}

function formatValue(m: K6Metric, v: number): string {
  return m.contains === 'time' ? formatTime(v) : m.contains === 'data' ? formatData(v) : plain(v);
}

function pct(r: number): string {
  return `${(r * 100).toFixed(2)}%`;
}

/** The value column of one metric line. */
export function metricValue(m: K6Metric): string {
  const v = m.values;
  switch (m.type) {
    case 'counter': return `${formatValue(m, v.count).padEnd(7)} ${m.contains === 'data' ? `${formatData(v.rate)}/s` : `${trim(v.rate, 6)}/s`}`;
    case 'rate': return `${pct(v.rate).padEnd(7)} ${v.passes} out of ${v.passes + v.fails}`;
    case 'gauge': return `${plain(v.value).padEnd(7)} min=${plain(v.min)} max=${plain(v.max)}`;
    default: return Object.entries(v).map(([k, x]) => `${k}=${formatValue(m, x)}`.padEnd(14)).join(' ').trimEnd();
  }
}

function line(indent: string, name: string, value: string): string {
  return `${indent}${name}${'.'.repeat(Math.max(3, WIDTH + 4 - indent.length - name.length))}: ${value}`;
}

const CATEGORY: Array<[string, (name: string) => boolean]> = [
  ['HTTP', (n) => n.startsWith('http_')],
  ['EXECUTION', (n) => /^(iteration_duration|iterations|dropped_iterations|vus|vus_max|group_duration)$/.test(n)],
  ['NETWORK', (n) => n === 'data_sent' || n === 'data_received'],
  ['CAPACITY-TEST (not in k6)', (n) => n === 'schedule_lag' || n === 'planned_iterations' || n.startsWith('generator_')],
];

function allChecks(g: K6Group): K6Group['checks'] {
  return [...g.checks, ...g.groups.flatMap(allChecks)];
}

function thresholdStat(expr: string): string {
  return /^\s*([a-z]+(?:\(\d+(?:\.\d+)?\))?)/.exec(expr)?.[1] ?? expr;
}

export function summaryText(d: K6SummaryData): string {
  const out: string[] = [''];
  const withThresholds = Object.entries(d.metrics).filter(([, m]) => m.thresholds);
  if (withThresholds.length) {
    out.push('  █ THRESHOLDS', '');
    for (const [name, m] of withThresholds) {
      out.push(`    ${name}`);
      for (const [expr, t] of Object.entries(m.thresholds!)) {
        const stat = thresholdStat(expr);
        const value = m.values[stat === 'value' && m.type === 'rate' ? 'rate' : stat];
        const shown = value === undefined ? '' : ` ${stat}=${m.type === 'rate' ? pct(value) : formatValue(m, value)}`;
        out.push(`    ${t.ok ? '✓' : '✗'} '${expr}'${shown}`);
      }
      out.push('');
    }
    out.push('');
  }
  out.push('  █ TOTAL RESULTS', '');
  const checks = allChecks(d.root_group);
  if (checks.length) {
    const passes = checks.reduce((a, c) => a + c.passes, 0);
    const total = checks.reduce((a, c) => a + c.passes + c.fails, 0);
    const secs = Math.max(d.state.testRunDurationMs, 1) / 1000;
    out.push(line('    ', 'checks_total', `${String(total).padEnd(7)} ${trim(total / secs, 6)}/s`));
    out.push(line('    ', 'checks_succeeded', `${pct(passes / total).padEnd(7)} ${passes} out of ${total}`));
    out.push(line('    ', 'checks_failed', `${pct((total - passes) / total).padEnd(7)} ${total - passes} out of ${total}`), '');
    for (const c of checks) {
      out.push(`    ${c.fails === 0 ? '✓' : '✗'} ${c.name}`);
      if (c.fails > 0) out.push(`      ↳  ${Math.round((c.passes / (c.passes + c.fails)) * 100)}% — ✓ ${c.passes} / ✗ ${c.fails}`);
    }
    out.push('');
  }
  const names = Object.keys(d.metrics).filter((n) => !n.includes('{') && n !== 'checks');
  const custom = names.filter((n) => !CATEGORY.some(([, is]) => is(n)));
  const sections: Array<[string, string[]]> = [['CUSTOM', custom], ...CATEGORY.map(([title, is]): [string, string[]] => [title, names.filter(is)])];
  for (const [title, list] of sections) {
    if (list.length === 0) continue;
    out.push(`    ${title}`);
    for (const n of list.sort()) {
      out.push(line('    ', n, metricValue(d.metrics[n])));
      for (const sub of Object.keys(d.metrics).filter((k) => k.startsWith(`${n}{`))) out.push(line('      ', sub.slice(n.length), metricValue(d.metrics[sub])));
    }
    out.push('');
  }
  out.push('');
  return out.join('\n');
}
