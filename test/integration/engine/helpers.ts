import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface CountingServer {
  url: string;
  /** requests received, by path */
  count(path?: string): number;
  /** arrival epoch ms of every request */
  arrivals: number[];
  close(): Promise<void>;
}

/** A throwaway loopback server that counts what it receives; `handler` may delay or stall. */
export async function startCountingServer(handler?: (req: IncomingMessage, res: ServerResponse) => void): Promise<CountingServer> {
  const counts = new Map<string, number>();
  const arrivals: number[] = [];
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    counts.set(path, (counts.get(path) ?? 0) + 1);
    arrivals.push(Date.now());
    if (handler) handler(req, res);
    else { res.setHeader('content-type', 'application/json'); res.end('{"ok":true}'); }
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    arrivals,
    count: (path?: string) => (path ? counts.get(path) ?? 0 : [...counts.values()].reduce((a, b) => a + b, 0)),
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

/** Write a scenario file to a fresh directory outside the repository and return its path. */
export function writeScenario(source: string, name = 'scenario.ts'): string {
  const dir = mkdtempSync(join(tmpdir(), 'ct-scenario-'));
  const file = join(dir, name);
  writeFileSync(file, source);
  return file;
}
