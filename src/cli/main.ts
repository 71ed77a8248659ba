import { Command, CommanderError } from 'commander';
import { CapacityTestError, ExitCode } from '../contracts/errors.js';
import { VERSION } from '../version.js';

type Registrar = (program: Command) => void;

/**
 * Each command in its own file, loaded only when it is the one asked for: the engine, the portal,
 * the report and faker together cost over a second of start-up that `--help` or `size` need not pay.
 */
const COMMANDS: Record<string, () => Promise<Registrar>> = {
  'launch-day': async () => (await import('./launch-day.js')).registerLaunchDay,
  run: async () => (await import('./run.js')).registerRun,
  sweep: async () => (await import('./sweep.js')).registerSweep,
  report: async () => (await import('./report.js')).registerReport,
  merge: async () => (await import('./merge.js')).registerMerge,
  gate: async () => (await import('./gate.js')).registerGate,
  compare: async () => (await import('./compare.js')).registerCompare,
  portal: async () => (await import('./portal.js')).registerPortal,
  usl: async () => (await import('./usl.js')).registerUsl,
  size: async () => (await import('./size.js')).registerSize,
  verify: async () => (await import('./verify.js')).registerVerify,
  profile: async () => (await import('./profile.js')).registerProfile,
  data: async () => (await import('./data.js')).registerData,
  doctor: async () => (await import('./doctor.js')).registerDoctor,
  init: async () => (await import('./init.js')).registerInit,
  k6: async () => (await import('./k6.js')).registerK6,
  k8s: async () => (await import('./k8s.js')).registerK8s,
  'k8s-segment': async () => (await import('./k8s.js')).registerK8s,
  'k8s-merge': async () => (await import('./k8s.js')).registerK8s,
};

/** The commander program with the command named in argv, or every command when none is named (help, errors). */
export async function buildProgram(argv: readonly string[] = []): Promise<Command> {
  const program = new Command('capacity-test')
    .description('Load testing and capacity planning for launch days')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ outputError: (str, write) => write(str) });
  const named = argv.slice(2).find((a) => !a.startsWith('-'));
  const wanted = named !== undefined && named in COMMANDS ? [named] : Object.keys(COMMANDS);
  // one file may register several commands (k8s, k8s-segment, k8s-merge): register each file once
  const registrars = new Set<Registrar>();
  for (const name of wanted) registrars.add(await COMMANDS[name]!());
  for (const r of registrars) r(program);
  return program;
}

/** Parse argv, run the command, map every error to the exit codes of docs/contracts.md#exit-codes. */
export async function main(argv: string[]): Promise<number> {
  const program = await buildProgram(argv);
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
