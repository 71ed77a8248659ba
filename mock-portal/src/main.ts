#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import type { Server } from 'node:http';
import { createPortal, type Portal } from './app.js';
import { DbOpenError } from './infra/db.js';
import { createPortalServer, type StopReport } from './server.js';
import { FlagError, isZodError, parsePortalArgs, PORTAL_FLAGS_HELP, type PortalArgs } from './cli-args.js';

export interface RunningPortal { url: string; portal: Portal; server: Server; stop(): Promise<StopReport> }

/**
 * Listen on host:port (0 = any free port). Rejects with code EADDRINUSE when the port is taken, with a
 * DbOpenError (code PORTAL_DB_OPEN) when the database cannot be opened.
 */
export async function startPortal(args: PortalArgs, log: (line: string) => void = () => {}): Promise<RunningPortal> {
  const portal = createPortal(args.config, { logger: { info: log, error: log } });
  const { server, stop } = createPortalServer(portal);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(args.port, args.host, () => { server.off('error', reject); resolve(); });
    });
  } catch (err) {
    await portal.close();
    throw err;
  }
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${args.host}:${port}`, portal, server, stop,
  };
}

/**
 * Call `stop` once stdin ends or breaks. A launcher that spawns the portal with a stdin pipe and never
 * writes to it holds the pipe's other end; when the launcher dies, however it dies (SIGKILL included),
 * the kernel closes that end and the portal stops as on SIGTERM instead of running on as an orphan.
 * Its log pipe may be gone by then too: a failed log write must not cut the drain short.
 */
export function stopWhenStdinEnds(stop: () => void, stdin: NodeJS.ReadableStream = process.stdin): void {
  let called = false;
  const once = (): void => { if (!called) { called = true; stop(); } };
  process.stdout.on('error', () => {});
  stdin.on('end', once);
  stdin.on('close', once);
  stdin.on('error', once);
  stdin.resume();
}

/** Process entry: exit 2 for a bad flag, 3 when the port is taken; the URL is the first line on stdout. */
export async function runMain(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) { process.stdout.write(PORTAL_FLAGS_HELP); return 0; }
  let args: PortalArgs;
  try {
    args = parsePortalArgs(argv);
  } catch (err) {
    if (err instanceof FlagError) { process.stderr.write(`portal: ${err.message}\n`); return 2; }
    throw err;
  }
  let running: RunningPortal;
  try {
    running = await startPortal(args, (l) => process.stdout.write(`${l}\n`));
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'EADDRINUSE' || e.code === 'EACCES') { process.stderr.write(`portal: port ${args.port} on ${args.host} is not available (${e.code})\n`); return 3; }
    if (isZodError(err)) { process.stderr.write(`portal: invalid configuration: ${err.issues[0].path.join('.')}: ${err.issues[0].message}\n`); return 2; }
    if (err instanceof DbOpenError) { process.stderr.write(`portal: ${err.message}\n`); return 3; }
    throw err;
  }
  process.stdout.write(`${running.url}\n`);
  const c = running.portal.config;
  process.stdout.write(`portal ${c.mode} on ${running.url} · db ${c.db} · clock ${c.clock} ×${c.clockSpeed}${c.testMode ? ' · test mode (OTP in X-Test-Otp)' : ''}${c.adminToken ? '' : ' · no admin token: /admin/* refuses'}\n`);
  await new Promise<void>((resolve) => {
    // SIGTERM: stop accepting, let what is in flight finish (bounded), then close the database
    const stop = (): void => {
      void running.stop().then((r) => {
        if (r.cut > 0) process.stdout.write(`portal stopped: ${r.cut} requests still in flight after ${c.server.drainMs} ms were cut\n`);
        resolve();
      });
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
    if (args.stopOnStdinEnd) stopWhenStdinEnds(stop);
  });
  return 0;
}

const isEntry = process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
if (isEntry) {
  runMain(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (err: unknown) => {
    process.stderr.write(`portal: internal error: ${(err as Error)?.stack ?? String(err)}\n`);
    process.exitCode = 4;
  });
}
