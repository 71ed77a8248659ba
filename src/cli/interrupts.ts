import { ExitCode } from '../contracts/errors.js';

/**
 * Every interrupt of a command that runs load (run, launch-day, sweep), handled here and nowhere else.
 * The first SIGINT (Ctrl-C) or SIGTERM aborts `signal`: the engine stops starting arrivals, lets iterations
 * in flight finish, and the command still writes its report and exits 4. A second one exits 4 at once;
 * what must still happen then is synchronous and hangs on the process's 'exit' event where it is set up:
 * run.json marked aborted with the seconds written (src/run/run-scenario.ts), the embedded portal killed
 * (src/run/portal-process.ts), its temporary database removed (src/run/launch-day.ts).
 */
export interface Interrupts {
  readonly signal: AbortSignal;
  /** true once the first interrupt came */
  readonly interrupted: boolean;
  dispose(): void;
}

export interface InterruptOptions {
  write?: (line: string) => void;
  exit?: (code: number) => void;
  proc?: Pick<NodeJS.Process, 'on' | 'off'>;
}

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

export function catchInterrupts(o: InterruptOptions = {}): Interrupts {
  const write = o.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const exit = o.exit ?? ((code: number) => process.exit(code));
  const proc = o.proc ?? process;
  const controller = new AbortController();
  let count = 0;
  const handler = (sig: NodeJS.Signals): void => {
    count += 1;
    if (count === 1) {
      write(`\n${sig === 'SIGINT' ? 'Ctrl-C' : sig}: stopping arrivals, letting requests in flight finish, then writing the report (again to stop at once)`);
      controller.abort(`interrupted (${sig === 'SIGINT' ? 'Ctrl-C' : sig})`);
    } else {
      write('stopped at once: the seconds written are kept, run.json says the run was aborted');
      exit(ExitCode.aborted);
    }
  };
  for (const s of SIGNALS) proc.on(s, handler);
  return {
    signal: controller.signal,
    get interrupted() { return controller.signal.aborted; },
    dispose: () => { for (const s of SIGNALS) proc.off(s, handler); },
  };
}
