/**
 * The reference portal as several instances, so that distributed load has something to spread over:
 * N portal processes over one SQLite file (WAL; each opens it with a busy timeout, so their writes
 * queue rather than fail), behind a front on 127.0.0.1 that hands each new TCP connection to the next
 * instance in turn (round robin by connection: a keep-alive connection stays with its instance). The
 * ledger, users, tokens and idempotency keys are the file's, shared by all; what a process holds in
 * memory (its waiting room, its bulkheads) is each instance's own, as with real replicas.
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

/** A TCP front that gives each new connection to the next upstream in turn. */
export async function startRoundRobinFront(upstreams: ReadonlyArray<{ host: string; port: number }>, port = 0, host = '127.0.0.1'): Promise<{ server: Server; port: number; connections: number[]; close(): Promise<void> }> {
  const connections = upstreams.map(() => 0);
  let next = 0;
  const open = new Set<Socket>();
  const server = createServer((inbound) => {
    const i = next;
    next = (next + 1) % upstreams.length;
    connections[i] += 1;
    const outbound = createConnection(upstreams[i]);
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
