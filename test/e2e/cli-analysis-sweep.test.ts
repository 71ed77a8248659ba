import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildPrivateCli, runCli } from './cli-analysis-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'ct-sweep-'));

let built: ReturnType<typeof buildPrivateCli>;
const cli = (...args: string[]) => runCli(built.bin, args);

beforeAll(() => { built = buildPrivateCli(); }, 180_000);
afterAll(() => built?.cleanup());

describe('capacity-test sweep', () => {
  it('steps the arrival rate against the embedded portal and prints knee, USL and sizing figures', () => {
    const out = join(dir, 'run');
    // 6 one-second steps at low rates: a few seconds on a shared 2-core machine.
    const r = cli('sweep', '--from', '10', '--to', '60', '--steps', '6', '--step-duration', '1s', '--warmup', '1s',
      '--out', out, '--quiet', '--peak-rps', '500', '--workers', '1');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const res = JSON.parse(r.stdout);
    expect(res.steps.map((s: { offeredRps: number }) => s.offeredRps)).toEqual([10, 20, 30, 40, 50, 60]);
    for (const k of ['maxSustainableRps', 'kneeRps', 'usl', 'peakDemandRps', 'instancesForPeak', 'notes']) expect(res).toHaveProperty(k);
    expect(res.peakDemandRps).toBe(500);
    // Each figure is a number or null with a note; never 0 for "not computed".
    expect(res.maxSustainableRps === null || res.maxSustainableRps > 0).toBe(true);
    if (res.maxSustainableRps !== null) expect(res.instancesForPeak).toBeGreaterThanOrEqual(Math.ceil(500 / res.maxSustainableRps));
    else expect(res.notes.join(' ')).toMatch(/no load step met the SLO/);
    expect(res.steps.every((s: { throughputRps: number | null }) => s.throughputRps === null || s.throughputRps > 0)).toBe(true);
    const saved = JSON.parse(readFileSync(join(out, 'sweep.json'), 'utf8'));
    expect(saved.plan).toHaveLength(6);
    expect(saved.points).toHaveLength(6);
    expect(existsSync(join(out, 'run.json'))).toBe(true);
    expect(existsSync(join(out, 'metrics', 'windows.jsonl.gz'))).toBe(true);
  });

  it('exits 3 when the target is unreachable', async () => {
    // A port that was free a moment ago: nothing listens there.
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => { const p = (s.address() as { port: number }).port; s.close(() => resolve(p)); });
    });
    const r = cli('sweep', '--target', `http://127.0.0.1:${port}`, '--path', '/', '--steps', '6', '--step-duration', '1s', '--out', join(dir, 'x'), '--quiet');
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/target unreachable/);
  });

  it('exits 2 naming a bad flag', () => {
    const r = cli('sweep', '--from', '100', '--to', '50', '--out', join(dir, 'y'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/invalid --to: expected a rate >= --from \(100\), got 50/);
    const m = cli('sweep', '--mode', 'turbo', '--out', join(dir, 'z'));
    expect(m.code).toBe(2);
    expect(m.stderr).toMatch(/invalid --mode/);
  });
});
