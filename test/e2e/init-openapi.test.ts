import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliAsync as cli } from '../helpers/cli-async.js';
import { startTestPortal, type TestPortal } from '../integration/portal/helper.js';

describe("init --openapi: the reference portal's own /openapi.json becomes a scenario that passes a smoke run against it", () => {
  const dir = mkdtempSync(join(tmpdir(), 'ct-init-openapi-'));
  const scenario = join(dir, 'portal.ts');
  let portal: TestPortal;
  let text = '';
  beforeAll(async () => {
    portal = await startTestPortal({}, { autoTick: true });
    const r = await cli(['init', '--openapi', `${portal.url}/openapi.json`, '--out', scenario]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    text = readFileSync(scenario, 'utf8');
  });
  afterAll(async () => { await portal.close(); rmSync(dir, { recursive: true, force: true }); });

  it('chains operations by what one returns and another needs: otp from a header, the bearer token, shop id and sku', () => {
    expect(text).toContain("v.testOtp = fromHeader(res, 'x-test-otp');");
    expect(text).toContain('json: { mobile: p.mobile, otp: v.testOtp }');
    expect(text).toContain('v.token = fromJson(res, ["token"]);');
    expect(text).toContain("'authorization': `Bearer ${v.token}`");
    expect(text).toContain('v.shopId = fromJson(res, ["shops",0,"id"]);');
    expect(text).toContain('/api/v1/shops/${encodeURIComponent(String(v.shopId))}/catalogue');
    expect(text).toMatch(/items: \[\{ sku: v\.sku, qty: 1 \}\]/);
    expect(text).toContain("json: { mobile: p.mobile, name: p.name, district: ");
    // register comes before the calls that need its person, the order before reading orders
    expect(text.indexOf("name: 'POST /api/v1/register'")).toBeLessThan(text.indexOf("name: 'POST /api/v1/otp/send'"));
    expect(text.indexOf("name: 'POST /api/v1/orders'")).toBeLessThan(text.indexOf("name: 'GET /api/v1/orders'"));
    expect(text).toMatch(/left out, needing a credential no operation returns \(4\): GET \/api\/v1\/admin\/config, GET \/admin\/reconcile, POST \/admin\/clock, POST \/admin\/faults/);
    expect(text).toContain('export async function register(vu: VU)');
    expect(text).toContain('export async function browse(vu: VU)');
  });

  it('the scenario passes its smoke run: every check, every endpoint called once', async () => {
    const out = join(dir, 'run');
    const r = await cli(['run', scenario, '--env', `TARGET=${portal.url}`, '--env', 'THINK_SCALE=0.05', '--out', out, '--quiet']);
    expect(r.stdout + r.stderr).not.toMatch(/iteration error/);
    expect(r.code).toBe(0);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.thresholds.pass).toBe(true);
    expect(summary.endpoints['POST /api/v1/orders'].requests).toBe(1);
    expect(summary.endpoints['POST /api/v1/orders'].errorRate).toBe(0);
    expect(Object.keys(summary.endpoints).length).toBeGreaterThanOrEqual(18);
  });
});
