import { createServer, type AddressInfo } from 'node:net';

/** A loopback port free right now, for a program that cannot be told port 0 and say which it took (Prometheus). */
export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}
