/**
 * Errors that carry the exit codes of docs/contracts.md#exit-codes. Throw them anywhere; the CLI catches once and
 * maps them: 0 ok · 1 threshold/SLO/gate failed · 2 usage or bad input · 3 environment · 4 aborted/internal.
 */
export const ExitCode = { ok: 0, failed: 1, usage: 2, environment: 3, aborted: 4 } as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export class CapacityTestError extends Error {
  constructor(message: string, readonly exitCode: ExitCode) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad flag, bad file, bad value: the message names the value. Exit 2. */
export class UsageError extends CapacityTestError {
  constructor(message: string) { super(message, ExitCode.usage); }
}

/** Target unreachable, port taken, missing system library. Exit 3. */
export class EnvironmentError extends CapacityTestError {
  constructor(message: string) { super(message, ExitCode.environment); }
}

/** The run was aborted (Ctrl-C, an abortOnFail threshold) or failed inside. Exit 4. */
export class AbortedError extends CapacityTestError {
  constructor(message: string) { super(message, ExitCode.aborted); }
}

/** "invalid X: expected Y, got Z" — the house style for input errors. */
export function invalid(what: string, expected: string, got: unknown): UsageError {
  return new UsageError(`invalid ${what}: expected ${expected}, got ${shownValue(got)}`);
}

/** A value as a message shows it: strings quoted, nothing as "nothing", never "null" for a number too large. */
export function shownValue(got: unknown): string {
  if (got === undefined) return 'nothing';
  if (typeof got === 'string') return JSON.stringify(got);
  if (typeof got === 'number') return Number.isNaN(got) ? 'not a number' : Number.isFinite(got) ? String(got) : `${got < 0 ? '-' : ''}a number too large to hold (${got})`;
  if (typeof got === 'object' && got !== null) {
    const text = JSON.stringify(got) ?? String(got);
    return text.length > 80 ? `${text.slice(0, 77)}…` : text;
  }
  return String(got);
}

/**
 * The one exit-code rule of a run (run, launch-day, sweep): stopped before its end — Ctrl-C, SIGTERM, an
 * abortOnFail threshold — is 4, whatever its thresholds said over the seconds it ran; otherwise a failed
 * threshold or gate is 1; else 0.
 */
export function runExitCode(o: { stoppedEarly: boolean; thresholdsPass: boolean; gatePass?: boolean }): ExitCode {
  if (o.stoppedEarly) return ExitCode.aborted;
  if (!o.thresholdsPass || o.gatePass === false) return ExitCode.failed;
  return ExitCode.ok;
}
