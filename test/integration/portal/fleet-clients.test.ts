import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPortalFleet, type PortalFleet } from '../../../src/run/portal-fleet.js';
import { getFrom } from './helper.js';

const ADMIN = 'fleet-clients-admin';
const CAP = 3;
let dir: string;
let fleet: PortalFleet;
const held: Socket[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ct-fleet-clients-'));
  fleet = await startPortalFleet({
    instances: 2, dbFile: join(dir, 'portal.db'), mode: 'resilient', adminToken: ADMIN, clock: '10:00',
    flags: { maxConnectionsPerClient: CAP },
  });
}, 60_000);
afterAll(async () => {
  for (const s of held) s.destroy();
  await fleet?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A connection through the front from `from`; resolves true while the instance behind keeps it open. */
function hold(from: string): Promise<boolean> {
  return new Promise((resolve) => {
    const u = new URL(fleet.url);
    const s = createConnection({ host: u.hostname, port: Number(u.port), localAddress: from });
    held.push(s);
    let closed = false;
    s.on('close', () => { closed = true; resolve(false); });
    s.on('error', () => {});
    // an instance refuses a connection over the cap at once: still open after a moment means kept
    s.on('connect', () => setTimeout(() => { if (!closed) resolve(true); }, 300));
  });
}

describe('portal --instances N behind its round-robin front: each client is still a client of its own', () => {
  it('a client at its connection cap does not use up the cap of another (the front is not one client)', async () => {
    // client A takes its cap on both instances: 2 × CAP connections, alternating
    const a = [];
    for (let i = 0; i < 2 * CAP; i++) a.push(await hold('127.0.0.2'));
    expect(a.every(Boolean)).toBe(true);
    // A's next connections are refused by whichever instance they reach: the cap still counts A
    expect(await hold('127.0.0.2')).toBe(false);
    expect(await hold('127.0.0.2')).toBe(false);
    // client B is answered as if A were not there
    for (let i = 0; i < 2; i++) expect(await getFrom(fleet.url, '127.0.0.3', '/healthz/live')).toBe(200);
  });

  it("one client's wrong admin tokens throttle that client, not every client behind the front", async () => {
    // enough wrong tokens, one connection each, to throttle 127.0.0.4 on both instances
    const wrong = [];
    for (let i = 0; i < 12; i++) wrong.push(await getFrom(fleet.url, '127.0.0.4', '/admin/reconcile', { authorization: 'Bearer guess' }));
    expect(wrong.slice(0, 4).every((s) => s === 401)).toBe(true);
    expect(wrong.slice(-2)).toEqual([429, 429]);
    // the toolkit's own reads of reconcile (another client, the right token) go on, on both instances
    for (let i = 0; i < 2; i++) expect(await getFrom(fleet.url, '127.0.0.5', '/admin/reconcile', { authorization: `Bearer ${ADMIN}` })).toBe(200);
  });
});
