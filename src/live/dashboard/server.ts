/**
 * `--dashboard`: a page served by the engine's own process on 127.0.0.1 (never another interface),
 * updated every second by server-sent events. Its assets come from this package (chart.js from
 * node_modules, the page's script from src/live/dashboard/client.js): no CDN, it works offline.
 * A page opened late gets every second kept so far (the last hour) before the live ones.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { EnvironmentError } from '../../contracts/errors.js';
import type { EngineObserver } from '../../engine/index.js';
import { chartJsPath } from '../../report/html.js';
import { DashboardState, type SecondPoint } from './state.js';
import { dashboardHtml } from './page.js';

export interface Dashboard {
  url: string;
  observe: EngineObserver;
  /** the report exists: the page links it (served at /report while this process runs) */
  reportReady(reportPath: string): void;
  close(): Promise<void>;
}

/** The page's script: beside this file in src/, or (running from dist/) in the source tree it was built from. */
function clientScriptPath(): string {
  for (const rel of ['./client.js', '../../../../src/live/dashboard/client.js']) {
    const p = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(p)) return p;
  }
  throw new EnvironmentError('the dashboard page script src/live/dashboard/client.js is missing from this installation');
}

/** Seconds a late page is sent on connecting. */
const HISTORY_SECONDS = 3600;

export async function startDashboard(o: { port: number }): Promise<Dashboard> {
  const assets = {
    '/chart.js': { type: 'text/javascript', body: readFileSync(chartJsPath()) },
    '/dashboard.js': { type: 'text/javascript', body: readFileSync(clientScriptPath()) },
    '/': { type: 'text/html; charset=utf-8', body: Buffer.from(dashboardHtml()) },
  } as const;
  const clients = new Set<ServerResponse>();
  // what a page connecting now is sent first: the start, every second kept (by t), the end
  let startMsg: string | null = null;
  const history = new Map<number, string>();
  let endMsg: string | null = null;
  let reportPath: string | null = null;

  const send = (event: string, data: unknown): string => {
    const msg = `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
    for (const c of clients) c.write(msg);
    return msg;
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/events') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      res.write('retry: 1000\n\n');
      if (startMsg) res.write(startMsg);
      for (const t of [...history.keys()].sort((a, b) => a - b)) res.write(history.get(t)!);
      if (endMsg) res.write(endMsg);
      clients.add(res);
      req.on('close', () => clients.delete(res));
      return;
    }
    if (path === '/report' && reportPath) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(readFileSync(reportPath));
      return;
    }
    const asset = assets[path as keyof typeof assets];
    if (!asset || req.method !== 'GET') { res.writeHead(404, { 'content-type': 'text/plain' }); res.end('not found'); return; }
    res.writeHead(200, { 'content-type': asset.type, 'cache-control': 'no-store' });
    res.end(asset.body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => reject(err.code === 'EADDRINUSE'
      ? new EnvironmentError(`--dashboard-port ${o.port}: the port is taken on 127.0.0.1`)
      : new EnvironmentError(`the dashboard could not listen on 127.0.0.1:${o.port}: ${err.message}`)));
    server.listen(o.port, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;

  const state = new DashboardState();
  const showSecond = (p: SecondPoint) => {
    history.set(p.t, send('second', p));
    if (history.size > HISTORY_SECONDS) history.delete(Math.min(...history.keys()));
  };

  return {
    url,
    observe: (events) => {
      events.on('start', (s) => {
        state.setThresholds(s.options.thresholds);
        startMsg = send('start', { startedAtMs: s.startedAtMs, plannedSeconds: Math.ceil(s.plannedDurationSeconds), workers: s.workers });
      });
      events.on('windows', (ws) => { const updated = state.addWindows(ws); if (updated) showSecond(updated); });
      events.on('second', (p) => showSecond(state.closeSecond(p.second, p.saturated)));
      events.on('threshold', (th) => send('abort', th));
      events.on('done', (d) => { endMsg = send('done', d); });
    },
    reportReady: (p) => {
      reportPath = p;
      endMsg = (endMsg ?? '') + send('report', { href: '/report', path: p });
    },
    close: async () => {
      for (const c of clients) c.end();
      clients.clear();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
