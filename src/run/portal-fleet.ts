/**
 * The reference portal as several instances, so that distributed load has something to spread over:
 * N portal processes over one SQLite file (WAL; each opens it with a busy timeout, so their writes
 * queue rather than fail), behind a front on 127.0.0.1 that hands each new TCP connection to the next
 * instance in turn (round robin by connection: a keep-alive connection stays with its instance). The
 * ledger, users, tokens and idempotency keys are the file's, shared by all; what a process holds in
 * memory (its waiting room, its bulkheads, its per-client connection counts and admin throttle) is each
 * instance's own, as with real replicas; the front keeps clients apart (loopbackFor), so a client's cap
 * is counted per instance, N times the single portal's.
 * `portal --instances N` starts one; `verify` reuses startPortalFleet.
 */
import { createConnection, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { invalid } from '../contracts/errors.js';
import { startPortalProcess, type PortalProcess, type PortalProcessOptions } from './portal-process.js';

export interface PortalFleetOptions extends Omit<PortalProcessOptions, 'core'> {
  instances: number;
  /** the shared SQLite file (required: ':memory:' would give each instance a ledger of its own) */
  dbFile: string;
  /** the front's port (0 = any free port) */
  port?: number;
  /** the front's address (default 127.0.0.1; the instances always listen on 127.0.0.1) */
  host?: string;
  /** pin instance i to core cores[i % cores.length] (taskset), when given */
  cores?: number[];
}

export interface PortalFleet {
  /** the front's URL */
  url: string;
  instances: PortalProcess[];
  /** connections the front handed to each instance */
  connections: number[];
  stop(): Promise<void>;
}

/**
 * The loopback address the front connects to an instance from, for a client at `address`. Each instance
 * counts connections and wrong admin tokens by client address; were every connection to come from the
 * front's one address, one client at its connection cap (or throttled for guessing the admin token)
 * would shut out every client behind it. So each client's connections leave the front from a loopback
 * address of its own — the client's own when it is on this machine (127.0.0.0/8), else one derived from
 * its address (all of 127.0.0.0/8 is the loopback on Linux, so any may be bound) — and the instances see
 * clients as a single portal would, without a proxy protocol to parse.
 */
export function loopbackFor(address: string | undefined): string {
  const a = (address ?? '').replace(/^::ffff:/, '');
  if (a === '' || a === '::1') return '127.0.0.1';
  if (/^127\.\d+\.\d+\.\d+$/.test(a)) return a;
  // FNV-1a over the address: spread over 127.1–254.x.1–254, away from the front's own 127.0.0.x
  let h = 0x811c9dc5;
  for (let i = 0; i < a.length; i++) h = Math.imul(h ^ a.charCodeAt(i), 0x01000193) >>> 0;
  return `127.${1 + (h % 254)}.${(h >>> 8) & 0xff}.${1 + ((h >>> 16) % 254)}`;
}

/** A TCP front that gives each new connection to the next upstream in turn, from the client's loopback address (loopbackFor). */
export async function startRoundRobinFront(upstreams: ReadonlyArray<{ host: string; port: number }>, port = 0, host = '127.0.0.1'): Promise<{ server: Server; port: number; connections: number[]; close(): Promise<void> }> {
  const connections = upstreams.map(() => 0);
  let next = 0;
  const open = new Set<Socket>();
  const server = createServer((inbound) => {
    const i = next;
    next = (next + 1) % upstreams.length;
    connections[i] += 1;
    const outbound = createConnection({ ...upstreams[i], localAddress: loopbackFor(inbound.remoteAddress) });
    open.add(inbound); open.add(outbound);
    inbound.pipe(outbound); outbound.pipe(inbound);
    const end = () => { inbound.destroy(); outbound.destroy(); open.delete(inbound); open.delete(outbound); };
    inbound.on('error', end); outbound.on('error', end); inbound.on('close', end); outbound.on('close', end);
  });
  await new Promise<void>((ok, fail) => { server.once('error', fail); server.listen(port, host, ok); });
  return {
    server, port: (server.address() as AddressInfo).port, connections,
    close: () => new Promise<void>((r) => { server.close(() => r()); for (const s of open) s.destroy(); }),
  };
}

export async function startPortalFleet(o: PortalFleetOptions): Promise<PortalFleet> {
  if (!Number.isInteger(o.instances) || o.instances < 1 || o.instances > 64) throw invalid('--instances', 'an integer from 1 to 64', o.instances);
  if (!o.dbFile || o.dbFile === ':memory:') throw invalid('--db', 'a SQLite file the instances share (not :memory:)', o.dbFile);
  const instances: PortalProcess[] = [];
  const stopAll = () => Promise.all(instances.map((p) => p.stop()));
  try {
    // one after the other: the first creates the schema, the others open it
    for (let i = 0; i < o.instances; i++) {
      instances.push(await startPortalProcess({ ...o, core: o.cores?.length ? o.cores[i % o.cores.length] : undefined }));
    }
    const upstreams = instances.map((p) => { const u = new URL(p.url); return { host: u.hostname, port: Number(u.port) }; });
    const front = await startRoundRobinFront(upstreams, o.port ?? 0, o.host);
    return {
      url: `http://${o.host ?? '127.0.0.1'}:${front.port}`, instances, connections: front.connections,
      stop: async () => {
        await front.close();
        await stopAll();
      },
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
