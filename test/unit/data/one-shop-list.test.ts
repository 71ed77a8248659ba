import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createPortal } from '../../../mock-portal/src/app.js';
import { DEFAULT_SHOPS_PER_DISTRICT, SHOPS_PER_DISTRICT } from '../../../mock-portal/src/data/chhattisgarh.js';
import { resolveConfig } from '../../../mock-portal/src/config.js';
import { CHHATTISGARH_SHOPS, DISTRICT_NAMES, generateUsers, shopsIn, skusFor } from '../../../src/data/index.js';

describe('one list of shops for the portal, the data generator and the scenarios', () => {
  it('the portal at its defaults serves exactly the shared list (GET /api/v1/shops)', async () => {
    const portal = createPortal({ db: ':memory:' }, { autoTick: false });
    const server = createServer(portal.handler);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/shops`);
      const body = await res.json() as { shops: Array<{ id: string; district: string; kind: string }> };
      expect(body.shops.map(({ id, district, kind }) => ({ id, district, kind }))).toEqual(CHHATTISGARH_SHOPS.map(({ id, district, kind }) => ({ id, district, kind })));
    } finally {
      await new Promise((r) => server.close(r));
      await portal.close();
    }
  });

  it("the config's shop counts are the shared constants, Raipur's 22 among them", () => {
    const c = resolveConfig();
    expect(c.shopsPerDistrict).toEqual(SHOPS_PER_DISTRICT);
    expect(c.defaultShopsPerDistrict).toBe(DEFAULT_SHOPS_PER_DISTRICT);
    expect(shopsIn('Raipur')).toHaveLength(22);
    // counted independently of buildShops: every district has its count
    for (const d of DISTRICT_NAMES) expect(shopsIn(d)).toHaveLength(SHOPS_PER_DISTRICT[d] ?? DEFAULT_SHOPS_PER_DISTRICT);
    expect(new Set(CHHATTISGARH_SHOPS.map((s) => s.id)).size).toBe(CHHATTISGARH_SHOPS.length);
  });

  it('every generated user lives in a district with shops that sell something', () => {
    for (const u of generateUsers({ count: 2000, seed: 11 })) {
      const shops = shopsIn(u.district);
      expect(shops.length, u.district).toBeGreaterThan(0);
      for (const s of shops) expect(skusFor(s.kind).length).toBeGreaterThan(0);
    }
  });
});
