/**
 * Sends batches of time series to a remote write endpoint without ever making the engine wait: `push`
 * only appends to a bounded queue; one request at a time drains it (several queued seconds in one
 * request when the receiver is slow). A full queue drops its oldest batch, counted: counters are
 * cumulative, so what is lost is resolution, not totals. Retries follow the spec: 5xx, 429 and network
 * errors with backoff; any other 4xx drops the request (counted as rejected, its message kept).
 */
import { Agent, request } from 'undici';
import { VERSION } from '../../version.js';
import { encodeWriteRequest, REMOTE_WRITE_HEADERS, type TimeSeries } from './wire.js';
import { labelKey } from './samples.js';

export interface SenderOptions {
  url: string;
  /** extra request headers (K6_PROMETHEUS_RW_HEADERS_*, a bearer token…) */
  headers?: Readonly<Record<string, string>>;
  /** batches (closed seconds) waiting at most; default 300 (5 minutes of a stalled receiver) */
  maxQueuedBatches?: number;
  /** batches merged into one request at most; default 30 */
  maxBatchesPerRequest?: number;
  /** attempts of one request (5xx, 429, network); default 4 */
  maxAttempts?: number;
  /** per request; default 10 s */
  timeoutMs?: number;
}

export interface RemoteWriteStats {
  url: string;
  /** requests answered 2xx */
  requests: number;
  sentSamples: number;
  /** batches dropped from a full queue, or still queued when the run ended and the drain timed out */
  droppedBatches: number;
  droppedSamples: number;
  /** samples of requests refused (4xx) or given up on after every retry */
  failedSamples: number;
  lastError: string | null;
}

const countSamples = (batch: readonly TimeSeries[]) => batch.reduce((n, s) => n + s.samples.length, 0);

/** Several batches as one request's series: a series' samples one after the other, in time order. */
export function mergeBatches(batches: ReadonlyArray<readonly TimeSeries[]>): TimeSeries[] {
  const byKey = new Map<string, TimeSeries>();
  for (const batch of batches) {
    for (const s of batch) {
      const key = labelKey(s.labels);
      const known = byKey.get(key);
      if (known) known.samples.push(...s.samples);
      else byKey.set(key, { labels: s.labels, samples: [...s.samples] });
    }
  }
  return [...byKey.values()];
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class RemoteWriteSender {
  private readonly queue: TimeSeries[][] = [];
  private draining: Promise<void> | null = null;
  private closing = false;
  private readonly agent = new Agent({ connections: 1, keepAliveTimeout: 30_000 });
  readonly stats: RemoteWriteStats;

  constructor(private readonly o: SenderOptions) {
    this.stats = { url: o.url, requests: 0, sentSamples: 0, droppedBatches: 0, droppedSamples: 0, failedSamples: 0, lastError: null };
  }

  /** Queue one closed second's series; never waits. */
  push(batch: TimeSeries[]): void {
    if (batch.length === 0) return;
    if (this.queue.length >= (this.o.maxQueuedBatches ?? 300)) this.drop(this.queue.shift()!);
    this.queue.push(batch);
    this.draining ??= this.drain().finally(() => { this.draining = null; });
  }

  get queued(): number { return this.queue.length; }

  /** Wait for the queue to empty, up to `timeoutMs`; what is still queued then is dropped (counted). */
  async close(timeoutMs = 10_000): Promise<RemoteWriteStats> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'late'>((r) => { timer = setTimeout(() => r('late'), timeoutMs); });
    let late = false;
    while (this.draining && !late) late = (await Promise.race([this.draining.then(() => 'drained' as const), deadline])) === 'late';
    clearTimeout(timer);
    this.closing = true;
    for (const b of this.queue.splice(0)) this.drop(b);
    // a request still in flight after the deadline is abandoned (its samples count as failed)
    await (late ? this.agent.destroy() : this.agent.close()).catch(() => undefined);
    return this.stats;
  }

  private drop(batch: readonly TimeSeries[]): void {
    this.stats.droppedBatches += 1;
    this.stats.droppedSamples += countSamples(batch);
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0 && !this.closing) {
      const batches = this.queue.splice(0, this.o.maxBatchesPerRequest ?? 30);
      const series = mergeBatches(batches);
      const samples = countSamples(series);
      if (await this.send(encodeWriteRequest(series))) {
        this.stats.requests += 1;
        this.stats.sentSamples += samples;
      } else {
        this.stats.failedSamples += samples;
      }
    }
  }

  /** One request with the spec's retries; true when the receiver took it. */
  private async send(body: Uint8Array): Promise<boolean> {
    const attempts = this.o.maxAttempts ?? 4;
    for (let attempt = 1; ; attempt++) {
      let retry: boolean;
      try {
        const res = await request(this.o.url, {
          method: 'POST', body, dispatcher: this.agent,
          headers: { ...REMOTE_WRITE_HEADERS, 'user-agent': `capacity-test/${VERSION}`, ...this.o.headers },
          headersTimeout: this.o.timeoutMs ?? 10_000, bodyTimeout: this.o.timeoutMs ?? 10_000,
        });
        const text = await res.body.text();
        if (res.statusCode >= 200 && res.statusCode < 300) return true;
        this.stats.lastError = `${this.o.url} answered ${res.statusCode}: ${text.trim().slice(0, 200)}`;
        retry = res.statusCode >= 500 || res.statusCode === 429;
      } catch (err) {
        this.stats.lastError = `${this.o.url}: ${(err as Error).message}`;
        retry = true;
      }
      if (!retry || attempt >= attempts || this.closing) return false;
      await sleep(Math.min(5_000, 250 * 2 ** (attempt - 1)));
    }
  }
}
