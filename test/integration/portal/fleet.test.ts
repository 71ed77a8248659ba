import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { startPortalFleet } from '../../../src/run/portal-fleet.js';

/** One request on a connection of its own (so the front's round robin is what picks the instance). */
async function fresh(url: string, method: 'GET' | 'POST', path: string, body?: unknown) {
  const r = await request(url + path, {
    method, reset: true, headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.body.text();
  return { status: r.statusCode, body: text };
}

describe('portal fleet (portal --instances N)', () => {
  it('spreads connections round robin over N processes that share one SQLite ledger', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ctk8s-fleet-'));
    const fleet = await startPortalFleet({ instances: 2, dbFile: join(dir, 'portal.db'), mode: 'resilient', adminToken: 'fleet-admin', clock: '10:00' });
    try {
      expect(fleet.instances).toHaveLength(2);
      expect(new Set(fleet.instances.map((p) => p.child.pid)).size).toBe(2);
      const mobile = '+919812345670';
      // registered through one instance…
      const reg = await fresh(fleet.url, 'POST', '/api/v1/register', { mobile, name: 'Asha Verma', district: 'Raipur' });
      expect(reg.status).toBe(201);
      // …known to the other: the next connection goes to the next instance, over the same file
      const otp = await fresh(fleet.url, 'POST', '/api/v1/otp/send', { mobile });
      expect(otp.status).toBe(202);
      for (let i = 0; i < 4; i++) expect((await fresh(fleet.url, 'GET', '/api/v1/districts')).status).toBe(200);
      expect(fleet.connections).toEqual([3, 3]);
    } finally {
      await fleet.stop();
    }
    expect(fleet.instances.every((p) => p.child.exitCode !== null || p.child.signalCode !== null)).toBe(true);
  }, 60_000);

  it('answers concurrent writes through two instances over one SQLite file without a 500 (write transactions begin IMMEDIATE)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ctk8s-fleet-'));
    const fleet = await startPortalFleet({ instances: 2, dbFile: join(dir, 'portal.db'), mode: 'resilient', adminToken: 'fleet-admin', clock: '10:00' });
    try {
      // registrations read (is the mobile taken?) then write: deferred, a read snapshot made stale by the
      // other process's commit failed at once with "database is locked"
      const statuses: number[] = [];
      for (let round = 0; round < 4; round++) {
        const batch = Array.from({ length: 30 }, (_, i) => fresh(fleet.url, 'POST', '/api/v1/register',
          { mobile: `+91981${String(round * 100 + i).padStart(7, '0')}`, name: 'Asha Verma', district: 'Raipur' }));
        statuses.push(...(await Promise.all(batch)).map((r) => r.status));
      }
      expect(statuses.filter((s) => s >= 500 && s !== 503)).toEqual([]);
      expect(statuses.filter((s) => s === 201).length).toBeGreaterThan(60);
      expect(fleet.connections.every((c) => c > 0)).toBe(true);
    } finally {
      await fleet.stop();
    }
  }, 60_000);

  it('refuses an in-memory database, naming it', async () => {
    await expect(startPortalFleet({ instances: 2, dbFile: ':memory:', mode: 'resilient', adminToken: 'x' })).rejects.toThrow(/--db.*not :memory:.*":memory:"/);
  });
});
