/**
 * The live views' flags, shared by `run` and `launch-day`: `--remote-write URL`, `--dashboard`,
 * `--dashboard-port P`. Nothing starts unless a flag asks: without them the engine runs exactly as before.
 */
import type { Command } from 'commander';
import { invalid } from '../contracts/errors.js';
import type { EngineObserver } from '../engine/index.js';
import { createRemoteWrite, formatRemoteWriteStats } from '../live/remote-write/index.js';

export interface LiveFlags {
  remoteWrite?: string;
}

export function addLiveOptions(cmd: Command): Command {
  return cmd
    .option('--remote-write <url>', 'send every closed second to this Prometheus remote write endpoint (k6 metric names)');
}

export interface LiveSession {
  observers: EngineObserver[];
  /** the run's report exists: the page links it */
  reportReady(reportPath: string): void;
  /** after the run: drain the remote write queue, stop the page; lines to print */
  close(): Promise<string[]>;
}

export function parsePort(text: string, flag: string): number {
  if (!/^\d+$/.test(text.trim()) || Number(text) > 65535) throw invalid(flag, 'a port number from 0 to 65535 (0: any free port)', text);
  return Number(text);
}

/** Start what the flags ask for; `print` gets the dashboard's URL before anything else is printed. */
export async function startLive(flags: LiveFlags, print: (line: string) => void): Promise<LiveSession> {
  const observers: EngineObserver[] = [];
  const closers: Array<() => Promise<string | null>> = [];
  const reportListeners: Array<(path: string) => void> = [];
  const remote = flags.remoteWrite === undefined ? null : createRemoteWrite({ url: flags.remoteWrite });
  if (remote) {
    observers.push(remote.observe);
    closers.push(async () => formatRemoteWriteStats(await remote.close()));
  }
  let closed: Promise<string[]> | null = null;
  return {
    observers,
    reportReady: (p) => { for (const l of reportListeners) l(p); },
    // once, however many times it is called (after the report, and again in a `finally`)
    close: () => (closed ??= (async () => {
      const lines: string[] = [];
      for (const c of closers) { const line = await c(); if (line) lines.push(line); }
      return lines;
    })()),
  };
}
