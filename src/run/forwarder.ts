/**
 * How a runner in a network namespace reaches a target on the host's 127.0.0.1: a TCP listener on the
 * hub's bridge address (a process started inside the hub namespace: netns-forwarder-main.ts) hands
 * each connection to a Unix socket, and the host side of that socket connects to the target on
 * loopback. A Unix socket is a file, seen from every network namespace, so no address is added to the
 * host's network and the target never leaves loopback.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { existsSync, rmSync } from 'node:fs';
import { EnvironmentError } from '../contracts/errors.js';
import { builtModule } from './built.js';

function pipeBoth(a: Socket, b: Socket): void {
  a.pipe(b); b.pipe(a);
  const end = () => { a.destroy(); b.destroy(); };
  a.on('error', end); b.on('error', end); a.on('close', end); b.on('close', end);
}

/** Each connection to `listen` is joined to a new connection made by `connect`. */
export function relay(connect: () => Socket): Server {
  return createServer((inbound) => pipeBoth(inbound, connect()));
}

/** The host side: a Unix socket at `path` whose connections go to host:port (loopback). */
export async function startUnixRelay(path: string, host: string, port: number): Promise<Server> {
  if (existsSync(path)) rmSync(path);
  const server = relay(() => createConnection({ host, port }));
  await new Promise<void>((ok, fail) => { server.once('error', fail); server.listen(path, ok); });
  return server;
}

export interface NamespaceForwarder {
  /** the port it listens on at the bridge address */
  port: number;
  child: ChildProcess;
  stop(): void;
}


/** Start the listener inside namespace `ns` on `address`, port 0; resolves with the port it printed. */
export async function startNamespaceForwarder(ns: string, address: string, unixPath: string): Promise<NamespaceForwarder> {
  // stdin stays open: it closes when this process dies, and the forwarder exits with it
  const child = spawn('ip', ['netns', 'exec', ns, process.execPath, builtModule('src/run/netns-forwarder-main.js'), address, unixPath], { stdio: ['pipe', 'pipe', 'pipe'] });
  child.stderr!.resume();
  const port = await new Promise<number>((ok, fail) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (l) => (/^\d+$/.test(l.trim()) ? ok(Number(l)) : fail(new EnvironmentError(`the forwarder in ${ns} printed ${JSON.stringify(l)} instead of its port`))));
    child.once('exit', (code) => fail(new EnvironmentError(`the forwarder in ${ns} exited before listening (code ${code})`)));
  });
  return { port, child, stop: () => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL'); } };
}
