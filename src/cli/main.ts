import { Command, CommanderError } from 'commander';
import { CapacityTestError, ExitCode } from '../config/errors.js';
import { VERSION } from '../version.js';
import { registerDoctor } from './doctor.js';
import { registerRun } from './run.js';
import { registerMerge } from './merge.js';
import { registerGate } from './gate.js';
import { registerUsl } from './usl.js';
import { registerSize } from './size.js';
import { registerProfile } from './profile.js';
import { registerData } from './data.js';
import { registerPortal } from './portal.js';
import { registerReport } from './report.js';
import { registerLaunchDay } from './launch-day.js';
import { registerSweep } from './sweep.js';

/** One commander program; each command lives in its own file and registers itself here. */
export function buildProgram(): Command {
  const program = new Command('capacity-test')
    .description('Load testing and capacity planning for launch days')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ outputError: (str, write) => write(str) });
  registerLaunchDay(program);
  registerDoctor(program);
  registerRun(program);
  registerMerge(program);
  registerGate(program);
  registerUsl(program);
  registerSize(program);
  registerProfile(program);
  registerData(program);
  registerPortal(program);
  registerReport(program);
  registerSweep(program);
  return program;
}

/** Parse argv, run the command, map every error to the exit codes of DESIGN.md §3.1. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    // Commands report a non-zero outcome (threshold failed, say) through process.exitCode.
    return Number(process.exitCode ?? 0);
  } catch (err) {
    return exitCodeOf(err);
  }
}

export function exitCodeOf(err: unknown): number {
  if (err instanceof CommanderError) {
    // --help and --version end with code 0; everything else commander refuses is usage.
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return ExitCode.ok;
    return ExitCode.usage;
  }
  if (err instanceof CapacityTestError) {
    process.stderr.write(`capacity-test: ${err.message}\n`);
    return err.exitCode;
  }
  process.stderr.write(`capacity-test: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  return ExitCode.aborted;
}
