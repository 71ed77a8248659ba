/**
 * The embedded portal's simulated clock on the plan's: once the engine has chosen its common start (its
 * `start` event, before that second comes), the portal is told to read the plan's first time at it.
 * Without this the portal's day started when the portal did, and ran ahead by whatever the scenario's
 * setup, the workers' boot and the warm-up took (×timeScale: about a minute at --quick's ×20).
 */
import type { EngineObserver } from '../engine/index.js';
import { adminPost } from './portal-admin.js';

export type PostClock = (body: { simulatedMs: number; atEpochMs: number }) => Promise<void>;

/** POST /admin/clock with the admin token; a refusal is an error naming the status and the portal's message. */
export function portalClock(target: string, adminToken: string): PostClock {
  return adminPost(target, adminToken, '/admin/clock');
}

export interface ClockAlignment {
  observer: EngineObserver;
  /** settles once the portal has answered (never rejects: a failure is logged, and the scrape records the portal's clock as it was) */
  done(): Promise<void>;
  /** the same alignment to a portal started again (after a crash), once the engine has started; settles as done() */
  resend(post: PostClock): Promise<void>;
}

/** At the engine's second 0 the portal reads `simulatedStartMinute` (minutes since midnight). */
export function alignPortalClock(simulatedStartMinute: number, post: PostClock, log: (line: string) => void = () => {}): ClockAlignment {
  let sent: Promise<void> = Promise.resolve();
  let startedAtMs: number | null = null;
  const send = (to: PostClock): Promise<void> => (startedAtMs === null ? Promise.resolve() : to({ simulatedMs: simulatedStartMinute * 60_000, atEpochMs: startedAtMs })
    .catch((err: Error) => log(`note: the portal's clock could not be set to the plan's (${err.message}); the report's times are the portal's own clock`)));
  const observer: EngineObserver = (events) => {
    events.once('start', (e) => { startedAtMs = e.startedAtMs; sent = send(post); });
  };
  return { observer, done: () => sent, resend: (to) => (sent = send(to)) };
}
