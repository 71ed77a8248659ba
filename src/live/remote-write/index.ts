/**
 * `--remote-write URL` (and, for `k6 run`, `--out experimental-prometheus-rw`): an observer of the
 * engine's events (src/engine/events.ts) that sends every closed second to a Prometheus remote write
 * endpoint with k6's metric names. Nothing is done unless it is asked for: the engine's hot path never
 * sees it, and its own work (a second's samples, the queue) runs on the main thread once a second.
 */
import { invalid } from '../../contracts/errors.js';
import type { EngineObserver } from '../../engine/index.js';
import { SampleBuilder } from './samples.js';
import { RemoteWriteSender, type RemoteWriteStats, type SenderOptions } from './sender.js';

export { DEFAULT_TREND_STATS, parseTrendStats, promName, labelsOf, SampleBuilder } from './samples.js';
export { encodeWriteRequest, decodeWriteRequest, REMOTE_WRITE_HEADERS, type TimeSeries } from './wire.js';
export { remoteWriteOptionsFromK6Env } from './k6-env.js';
export type { RemoteWriteStats } from './sender.js';

export interface RemoteWriteOptions extends SenderOptions {
  /** trend statistics sent as gauges (default p(50), p(95), p(99)) */
  trendStats?: readonly string[];
  staticLabels?: Readonly<Record<string, string>>;
}

export interface RemoteWrite {
  /** pass to runEngine({ observers }) */
  observe: EngineObserver;
  /** after the run: wait for what is queued (up to `timeoutMs`), then the counts */
  close(timeoutMs?: number): Promise<RemoteWriteStats>;
  readonly stats: RemoteWriteStats;
}

/** Check the URL (naming the flag that gave it) and make the observer. */
export function createRemoteWrite(o: RemoteWriteOptions, flag = '--remote-write'): RemoteWrite {
  let url: URL;
  try { url = new URL(o.url); } catch { throw invalid(flag, 'an http(s) URL such as http://127.0.0.1:9090/api/v1/write', o.url); }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalid(flag, 'an http(s) URL such as http://127.0.0.1:9090/api/v1/write', o.url);
  const sender = new RemoteWriteSender(o);
  let builder: SampleBuilder | null = null;
  return {
    observe: (events) => {
      events.on('start', (s) => { builder = new SampleBuilder({ startedAtMs: s.startedAtMs, trendStats: o.trendStats, staticLabels: o.staticLabels }); });
      events.on('windows', (ws) => { if (builder) sender.push(builder.second(ws)); });
    },
    close: (timeoutMs) => sender.close(timeoutMs),
    stats: sender.stats,
  };
}

/** One line for the end of a run: what reached the endpoint and what did not. */
export function formatRemoteWriteStats(s: RemoteWriteStats): string {
  const lost = s.droppedSamples + s.failedSamples;
  return `remote write: ${s.sentSamples} samples in ${s.requests} requests to ${s.url}` +
    (lost ? `; NOT sent: ${s.droppedSamples} samples dropped (${s.droppedBatches} seconds; queue full or run over), ${s.failedSamples} refused or failed${s.lastError ? ` (last: ${s.lastError})` : ''}` : '; nothing dropped');
}
