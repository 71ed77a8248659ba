/**
 * Why a run stops early, decided in one place: abortOnFail thresholds watched on the merged windows
 * as they come (ThresholdMonitor), the caller's AbortSignal (Ctrl-C), or a target that refused every
 * connection (unreachable.ts). The first reason wins.
 */
import type { EncodedWindow } from '../metrics/index.js';
import type { StopCause, StoppingEvent, ThresholdEvent } from './events.js';
import type { ThresholdDef } from '../thresholds/index.js';
import { ThresholdMonitor } from '../thresholds/monitor.js';

/** How a run stopped by k6's test.abort() says so in abortReason (the k6 CLI exits 108 on it). */
export const TEST_ABORT_PREFIX = 'test.abort(): ';

/** On Ctrl-C: iterations in flight may finish within this. */
export const INTERRUPT_GRACE_MS = 2000;

export class RunAborter {
  aborted = false;
  reason: string | null = null;
  cause: StopCause | null = null;
  private readonly monitor: ThresholdMonitor;

  constructor(defs: readonly ThresholdDef[]) {
    this.monitor = new ThresholdMonitor(defs);
  }

  /** abortOnFail thresholds to watch during the run (none: no window is looked at). */
  get watching(): number { return this.monitor.watching; }

  add(windows: readonly EncodedWindow[]): void {
    if (this.monitor.watching > 0) this.monitor.add(windows);
  }

  /** The abortOnFail threshold crossed on everything added so far, if any: the run stops at once. */
  checkThresholds(elapsedSeconds: number): { threshold: ThresholdEvent; stopping: StoppingEvent } | null {
    if (this.aborted || this.monitor.watching === 0) return null;
    const hit = this.monitor.check(elapsedSeconds);
    if (!hit) return null;
    this.aborted = true;
    this.cause = 'threshold';
    this.reason = `threshold ${hit.name} ${hit.threshold} crossed (value ${hit.value}) with abortOnFail`;
    return {
      threshold: { name: hit.name, threshold: hit.threshold, value: hit.value, abortOnFail: true, abort: true, elapsedSeconds },
      stopping: { reason: this.reason, graceMs: 0, cause: 'threshold' },
    };
  }

  /** k6's test.abort(reason) in VU code: the whole test stops at once. */
  testAbort(reason: string): StoppingEvent | null {
    if (this.aborted) return null;
    this.aborted = true;
    this.reason = `${TEST_ABORT_PREFIX}${reason}`;
    this.cause = 'test.abort';
    return { reason: this.reason, graceMs: 0, cause: 'test.abort' };
  }

  /** The caller's signal fired: iterations in flight get INTERRUPT_GRACE_MS. */
  interrupt(signal: AbortSignal): StoppingEvent | null {
    if (this.aborted) return null;
    this.aborted = true;
    this.cause = 'signal';
    const r: unknown = signal.reason;
    this.reason = r instanceof Error ? r.message : typeof r === 'string' ? r : 'interrupted';
    return { reason: this.reason, graceMs: INTERRUPT_GRACE_MS, cause: 'signal' };
  }

  /** Not one request connected in the first seconds (unreachable.ts): stop at once, exit 3. */
  unreachable(message: string): StoppingEvent | null {
    if (this.aborted) return null;
    this.aborted = true;
    this.cause = 'unreachable';
    this.reason = message;
    return { reason: message, graceMs: 0, cause: 'unreachable' };
  }
}
