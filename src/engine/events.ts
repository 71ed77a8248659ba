/**
 * What a running engine tells the world (docs/architecture.md, "engine events"). The engine never
 * writes to a terminal: the console printer (src/cli/progress-printer.ts), the run directory's
 * window writer and a live dashboard all listen to these events, each on its own.
 */
import { EventEmitter } from 'node:events';
import type { EncodedWindow } from '../metrics/index.js';
import type { Options } from '../scenario-api/types.js';
import type { ProgressSnapshot } from './progress.js';

/** Once the common start is known, before the workers start. */
export interface StartEvent { startedAtMs: number; plannedDurationSeconds: number; workers: number; options: Options; connectionsPerOrigin: number }

/** One closed 1-second window set: every worker's windows of second `t`, merged. */
export interface SecondEvent extends ProgressSnapshot {
  /** the merged windows of that second (a late window of it comes later, in a `windows` event only) */
  windows: readonly EncodedWindow[];
}

/** A second the generator could not keep (lag), or where every VU was busy and arrivals were dropped. */
export interface SaturationEvent {
  second: number;
  cause: 'lag' | 'dropped';
  /** true for 'lag': the second does not measure the target */
  saturated: boolean;
  reason: string;
}

/** A threshold watched during the run (abortOnFail) crossed; the run stops when `abort` is true. */
export interface ThresholdEvent { name: string; threshold: string; value: number | null; abortOnFail: true; abort: boolean; elapsedSeconds: number }

/** Requests waited inside the generator for a connection (http_req_blocked), said once per run. */
export interface BlockedEvent { second: number; worstMs: number; connectionsPerOrigin: number }

/** The run stops early (Ctrl-C, abortOnFail, unreachable target, k6 test.abort()): iterations in flight get `graceMs`. */
export interface StoppingEvent { reason: string; graceMs: number; cause: StopCause }

/** Why a run stopped early: the caller's signal (Ctrl-C), an abortOnFail threshold, a target that refuses every connection, k6's test.abort(). */
export type StopCause = 'signal' | 'threshold' | 'unreachable' | 'test.abort';

/** Something the user should know that is not an error (maxVUs too small for the worker shares…). */
export interface WarningEvent { message: string }

export interface EngineEventMap {
  start: [StartEvent];
  /** every merged batch of windows, late windows included: what a writer stores */
  windows: [readonly EncodedWindow[]];
  second: [SecondEvent];
  saturation: [SaturationEvent];
  threshold: [ThresholdEvent];
  blocked: [BlockedEvent];
  stopping: [StoppingEvent];
  warning: [WarningEvent];
  /** the workers have stopped and teardown() has run; the result follows */
  done: [{ endedAtMs: number; aborted: boolean; abortReason: string | null }];
}

/** A typed EventEmitter of the engine's events (listeners' errors are not the engine's: see emit). */
export class EngineEvents extends EventEmitter<EngineEventMap> {
  /**
   * A listener that throws must not stop the run (a broken dashboard is not a broken test): its error
   * is kept and rethrown to the caller once the run has ended.
   */
  listenerError: unknown = null;

  override emit<K extends keyof EngineEventMap>(event: K, ...args: EngineEventMap[K]): boolean {
    try {
      return super.emit(event as keyof EngineEventMap, ...(args as never));
    } catch (err) {
      this.listenerError ??= err;
      return true;
    }
  }
}

/** Subscribes to a run's events: called once, before anything is emitted. */
export type EngineObserver = (events: EngineEvents) => void;
