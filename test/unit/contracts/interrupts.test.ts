import { describe, expect, it } from 'vitest';
import { EventEmitter } from 'node:events';
import { catchInterrupts } from '../../../src/cli/interrupts.js';
import { ExitCode, runExitCode } from '../../../src/contracts/errors.js';

describe('interrupts: one handler for SIGINT and SIGTERM', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)('the first %s aborts the run, the second exits 4 at once', (sig) => {
    const proc = new EventEmitter();
    const exits: number[] = [];
    const lines: string[] = [];
    const i = catchInterrupts({ proc: proc as never, exit: (c) => exits.push(c), write: (l) => lines.push(l) });
    expect(i.interrupted).toBe(false);
    proc.emit(sig, sig);
    expect(i.signal.aborted).toBe(true);
    expect(String(i.signal.reason)).toMatch(/^interrupted/);
    expect(exits).toEqual([]);
    proc.emit(sig === 'SIGINT' ? 'SIGTERM' : 'SIGINT', sig);
    expect(exits).toEqual([ExitCode.aborted]);
    i.dispose();
    expect(proc.listenerCount('SIGINT') + proc.listenerCount('SIGTERM')).toBe(0);
  });
});

describe('the exit code of a run', () => {
  it('stopped before its end is 4 whatever the thresholds said; else a failed threshold or gate is 1', () => {
    expect(runExitCode({ stoppedEarly: true, thresholdsPass: false })).toBe(ExitCode.aborted);
    expect(runExitCode({ stoppedEarly: true, thresholdsPass: true })).toBe(ExitCode.aborted);
    expect(runExitCode({ stoppedEarly: false, thresholdsPass: false })).toBe(ExitCode.failed);
    expect(runExitCode({ stoppedEarly: false, thresholdsPass: true, gatePass: false })).toBe(ExitCode.failed);
    expect(runExitCode({ stoppedEarly: false, thresholdsPass: true, gatePass: true })).toBe(ExitCode.ok);
    expect(runExitCode({ stoppedEarly: false, thresholdsPass: true })).toBe(ExitCode.ok);
  });
});
