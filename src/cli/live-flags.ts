/**
 * The live views' flags, shared by `run` and `launch-day`: `--remote-write URL`, `--dashboard`,
 * `--dashboard-port P`. Nothing starts unless a flag asks: without them the engine runs exactly as before.
 */
import type { Command } from 'commander';
import { invalid } from '../contracts/errors.js';
import type { EngineObserver } from '../engine/index.js';
import { createRemoteWrite, formatRemoteWriteStats, type RemoteWrite } from '../live/remote-write/index.js';
import type { Dashboard } from '../live/dashboard/server.js';

export interface LiveFlags {
  remoteWrite?: string;
  dashboard?: boolean;
  dashboardPort?: string;
}

export function addLiveOptions(cmd: Command): Command {
  return cmd
    .option('--remote-write <url>', 'send every closed second to this Prometheus remote write endpoint (k6 metric names)')
    .option('--dashboard', 'serve a live page on 127.0.0.1 during the run (its URL is the first line printed)')
    .option('--dashboard-port <port>', 'port of the live page (default 0: any free port)');
}

export interface LiveSession {
  observers: EngineObserver[];
  /** the run's report exists: the page links it */
  reportReady(reportPath: string): void;
  /** after the run: drain the remote write queue; lines to print */
  finish(): Promise<string[]>;
  /** on a terminal, keep the page (and its report link) up until Ctrl-C; elsewhere return at once */
  linger(): Promise<void>;
  /** stop everything (idempotent) */
  close(): Promise<void>;
}

export function parsePort(text: string, flag: string): number {
  if (!/^\d+$/.test(text.trim()) || Number(text) > 65535) throw invalid(flag, 'a port number from 0 to 65535 (0: any free port)', text);
  return Number(text);
}

/** Start what the flags ask for; `print` gets the dashboard's URL before anything else is printed. */
export async function startLive(flags: LiveFlags, print: (line: string) => void): Promise<LiveSession> {
  if (flags.dashboardPort !== undefined && !flags.dashboard) throw invalid('--dashboard-port', 'to be used with --dashboard', flags.dashboardPort);
  const port = flags.dashboardPort === undefined ? 0 : parsePort(flags.dashboardPort, '--dashboard-port');
  const remote: RemoteWrite | null = flags.remoteWrite === undefined ? null : createRemoteWrite({ url: flags.remoteWrite });
  let dashboard: Dashboard | null = null;
  if (flags.dashboard) {
    const { startDashboard } = await import('../live/dashboard/server.js');
    dashboard = await startDashboard({ port });
    print(dashboard.url);
  }
  const observers = [dashboard?.observe, remote?.observe].filter((o): o is EngineObserver => o !== undefined);
  let finished: Promise<string[]> | null = null;
  let closed: Promise<void> | null = null;
  return {
    observers,
    reportReady: (p) => dashboard?.reportReady(p),
    finish: () => (finished ??= (async () => (remote ? [formatRemoteWriteStats(await remote.close())] : []))()),
    linger: async () => {
      if (!dashboard || !process.stdout.isTTY || !process.stdin.isTTY) return;
      process.stderr.write(`dashboard: ${dashboard.url} stays up with the report's link; Ctrl-C to exit\n`);
      await new Promise<void>((r) => process.once('SIGINT', () => r()));
    },
    close: () => (closed ??= (async () => {
      await (finished ?? remote?.close());
      await dashboard?.close();
    })()),
  };
}
