import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { summarySchema } from '../../src/contracts/summary.js';
import { decodeWindows, MetricsQuery, statistic } from '../../src/metrics/index.js';

const BIN = join(__dirname, '../../bin/capacity-test.js');
const cli = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 240_000 });

describe('launch-day end to end (embedded portal, compressed to 20 s)', () => {
  const out = join(mkdtempSync(join(tmpdir(), 'ct-launch-day-')), 'run');
  const r = cli(['launch-day', '--quick', '--time-scale', '60', '--quiet', '--out', out]);

  it('ends with exit 0 and prints the report path on stdout', () => {
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n').at(-1)).toBe(join(out, 'report.html'));
  });

  it('writes the run directory of docs/contracts.md', () => {
    for (const f of ['report.html', 'summary.json', 'run.json', 'server-metrics.json', 'metrics/windows.jsonl.gz', 'metrics/meta.json']) {
      expect(existsSync(join(out, f)), f).toBe(true);
    }
    expect(readdirSync(join(out, 'charts')).filter((f) => f.endsWith('.png')).length).toBeGreaterThan(0);
    const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    for (const k of ['command', 'scenario', 'profile', 'engine', 'workers', 'segment', 'gitCommit', 'portalMode', 'seed', 'startedAt', 'endedAt']) {
      expect(run, k).toHaveProperty(k);
    }
    expect(run.portalMode).toBe('resilient');
    expect(run.engine.name).toBe('capacity-test');
  });

  it('writes a schema-v1 summary whose figures come from the saved metrics', () => {
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summarySchema.safeParse(summary).success).toBe(true);
    const q = new MetricsQuery(decodeWindows(readFileSync(join(out, 'metrics/windows.jsonl.gz'))));
    expect(summary.overall.requests).toBe(statistic(q.aggregate('http_reqs'), 'count'));
    expect(summary.overall.latencyMs.p95).toBe(statistic(q.aggregate('http_req_duration'), 'p(95)'));
    expect(summary.endpoints['POST /api/v1/register'].requests).toBeGreaterThan(0);
    // planned vs achieved arrivals are recorded for every second of the plan
    const planned = summary.timeline.filter((p: { plannedArrivals: number | null }) => p.plannedArrivals !== null);
    expect(planned.length).toBeGreaterThanOrEqual(19);
  });

  it('reports money from the reference portal\'s ledger: registered, ordered, no paisa lost', () => {
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.business.registrations).toBeGreaterThan(0);
    expect(summary.business.ordersPlaced).toBeGreaterThan(0);
    expect(summary.business.walletDiscrepancyPaise).toBe(0);
    expect(Number.isInteger(summary.business.walletDiscrepancyPaise)).toBe(true);
    const server = JSON.parse(readFileSync(join(out, 'server-metrics.json'), 'utf8'));
    expect(server.scrapes.length).toBeGreaterThan(10);
    expect(server.reconcile).not.toBeNull();
  });

  it('`report <run-dir>` rebuilds the same summary from metrics alone, and the gate passes it against itself', () => {
    const before = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    const rebuilt = join(mkdtempSync(join(tmpdir(), 'ct-rebuilt-')), 'r');
    const rep = cli(['report', out, '--out', rebuilt, '--lang', 'hi']);
    expect(rep.status, rep.stderr).toBe(0);
    const after = JSON.parse(readFileSync(join(rebuilt, 'summary.json'), 'utf8'));
    delete before.generatedAt; delete after.generatedAt;
    expect(after).toEqual(before);
    expect(statSync(join(rebuilt, 'report.html')).size).toBeGreaterThan(10_000);
    expect(readFileSync(join(rebuilt, 'report.html'), 'utf8')).toContain('lang="hi"');
    const gate = cli(['gate', '--baseline', out, '--current', rebuilt]);
    expect(gate.status, gate.stdout + gate.stderr).toBe(0);
  });
});
