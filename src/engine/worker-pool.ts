/**
 * The engine's worker threads: booted together (bundle import, the scenario's init code), started
 * from one common instant, stopped early on request, cut off if they overrun. Each worker posts its
 * finished seconds' windows, then `done` with its iteration errors (worker-main.ts).
 */
import { Worker } from 'node:worker_threads';
import { AbortedError, UsageError } from '../contracts/errors.js';
import type { EncodedWindow } from '../metrics/index.js';
import type { IterationError } from './runtime.js';
import type { MainMessage, WorkerInit, WorkerMessage } from './worker-main.js';

export interface PoolHandlers {
  /** worker `i` has posted every window of the seconds before `upTo` */
  windows(i: number, upTo: number, windows: EncodedWindow[]): void;
  /** worker `i` will post nothing more (done, failed or exited) */
  finished(i: number): void;
  /** k6's test.abort(reason) was called in worker `i` */
  abort?(reason: string): void;
}

export class WorkerPool {
  private readonly threads: Worker[] = [];
  private readonly finishedFlags: boolean[];
  readonly errorLists: IterationError[][] = [];
  /** the first worker failure (a stack), if any */
  fatal: string | null = null;

  constructor(bootPath: string, inits: readonly WorkerInit[]) {
    for (const init of inits) this.threads.push(new Worker(bootPath, { workerData: init }));
    this.finishedFlags = new Array<boolean>(inits.length).fill(false);
  }

  get size(): number { return this.threads.length; }

  /** Every worker booted and ran the scenario's init code. */
  ready(scenarioFile: string): Promise<void> {
    return Promise.all(this.threads.map((w) => new Promise<void>((ready, fail) => {
      const onMessage = (m: WorkerMessage) => {
        if (m.type === 'ready') { w.off('message', onMessage); w.off('error', onError); ready(); }
        else if (m.type === 'fatal') fail(new AbortedError(`the engine failed in a worker: ${m.message}`));
      };
      const onError = (err: Error) => fail(new UsageError(`invalid scenario ${scenarioFile}: a worker could not load it: ${err.message}`));
      w.on('message', onMessage);
      w.on('error', onError);
    }))).then(() => undefined);
  }

  /** Start every worker at `startAt`; resolves once all have finished. */
  run(startAt: number, h: PoolHandlers): Promise<void> {
    return new Promise<void>((resolveDone) => {
      const markFinished = (i: number) => {
        if (this.finishedFlags[i]) return;
        this.finishedFlags[i] = true;
        h.finished(i);
        if (this.finishedFlags.every(Boolean)) resolveDone();
      };
      this.threads.forEach((w, i) => {
        w.on('message', (m: WorkerMessage) => {
          if (m.type === 'windows') h.windows(i, m.upTo, m.windows);
          else if (m.type === 'done') { h.windows(i, -1, m.windows); this.errorLists.push(m.errors); markFinished(i); void w.terminate(); }
          else if (m.type === 'fatal') { this.fatal ??= m.message; markFinished(i); void w.terminate(); }
          else if (m.type === 'abort') h.abort?.(m.reason);
        });
        w.on('error', (err) => { this.fatal ??= err.stack ?? err.message; markFinished(i); });
        w.on('exit', () => markFinished(i));
        const start: MainMessage = { type: 'start', startAt };
        w.postMessage(start);
      });
    });
  }

  /** Stop starting iterations; those in flight get `graceMs`. */
  stop(graceMs: number): void {
    const m: MainMessage = { type: 'stop', graceMs };
    this.threads.forEach((w, i) => { if (!this.finishedFlags[i]) w.postMessage(m); });
  }

  /** Cut off the workers still running (the watchdog), noting it among the iteration errors. */
  terminateStragglers(): void {
    this.threads.forEach((w, i) => {
      if (this.finishedFlags[i]) return;
      this.errorLists.push([{ message: 'worker did not stop at the hard end and was terminated', location: null, count: 1 }]);
      void w.terminate();
    });
  }

  async terminate(): Promise<void> {
    await Promise.all(this.threads.map((w) => w.terminate().catch(() => undefined)));
  }
}
