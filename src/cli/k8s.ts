import type { Command } from 'commander';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { ExitCode, invalid } from '../contracts/errors.js';
import { parseDuration } from '../contracts/duration.js';
import { buildManifests, objectNames, type K8sPlan } from '../k8s/manifests.js';
import { MANIFEST_FILES, packageScenario, testName, writeManifests, type ScenarioPackage } from '../k8s/prepare.js';
import { VERSION } from '../version.js';
import { parseEnvFlags } from './run.js';

interface K8sFlags {
  parallelism: string; out: string; image?: string; namespace: string; startDelay?: string; startAt?: string;
  cpu?: string; memory?: string; env: string[]; data: string[]; resultsClaim?: string; resultsSize: string;
  storageClass?: string; baseline?: string; apply?: boolean; local?: boolean; name?: string;
}

const collect = (v: string, acc: string[]) => [...acc, v];

function positiveInt(text: string, flag: string, max = 1000): number {
  if (!/^\d+$/.test(text.trim()) || Number(text) < 1 || Number(text) > max) throw invalid(flag, `an integer from 1 to ${max}`, text);
  return Number(text);
}

/** Kubernetes quantities: '500m', '2', '1Gi', '512Mi'. */
function quantity(text: string | undefined, flag: string): string | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+(\.\d+)?(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/.test(text.trim())) throw invalid(flag, "a Kubernetes quantity such as '500m', '2', '512Mi' or '1Gi'", text);
  return text.trim();
}

function dnsLabel(text: string, flag: string): string {
  if (!/^[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?$/.test(text)) throw invalid(flag, 'a DNS-1123 label of at most 40 characters (a-z, 0-9, -)', text);
  return text;
}

/** The plan for a start and env values: the one function both paths (cluster, --local) build from. */
export function planMaker(flags: K8sFlags, pkg: ScenarioPackage, name: string, parallelism: number) {
  const namespace = dnsLabel(flags.namespace, '--namespace');
  const claim = flags.resultsClaim ? dnsLabel(flags.resultsClaim, '--results-claim') : `${name}-results`;
  const resources = { cpu: quantity(flags.cpu, '--cpu'), memory: quantity(flags.memory, '--memory') };
  const size = quantity(flags.resultsSize, '--results-size')!;
  return (env: Record<string, string>, startAtMs: number, startDelayMs: number): K8sPlan => ({
    name, namespace, image: flags.image ?? `capacity-test:${VERSION}`, parallelism, startAtMs,
    // the pods have the start delay to come up, the plan and its graceful stops, and five minutes more
    runnersDeadlineSeconds: Math.ceil((startDelayMs + pkg.hardEndMs) / 1000) + 300,
    bundleKey: pkg.bundleKey, files: pkg.files, env, resources,
    results: { claim, create: !flags.resultsClaim, size, storageClass: flags.storageClass },
    baselineKey: pkg.baselineKey,
  });
}

/** The commands that apply the manifests and read the verdict. */
export function applyCommands(dir: string, plan: K8sPlan): string[] {
  const names = objectNames(plan.name);
  const wait = plan.runnersDeadlineSeconds + 900;
  return [
    `kubectl apply -k ${dir}`,
    `kubectl -n ${plan.namespace} wait --for=condition=complete --timeout=${wait}s job/${names.merge}   # exits non-zero when the gate failed`,
    `kubectl -n ${plan.namespace} logs job/${names.merge}`,
  ];
}

export async function k8sCommand(scenario: string, flags: K8sFlags, write: (s: string) => void = (s) => process.stdout.write(s)): Promise<number> {
  const parallelism = positiveInt(flags.parallelism, '--parallelism');
  const env = parseEnvFlags(flags.env);
  const startDelayMs = parseDuration(flags.startDelay ?? (flags.local ? '5s' : '2m'), '--start-delay');
  const startAt = flags.startAt === undefined ? undefined : positiveInt(flags.startAt, '--start-at', Number.MAX_SAFE_INTEGER);
  const name = flags.name ? dnsLabel(flags.name, '--name') : testName(scenario, new Date());
  const pkg = await packageScenario(scenario, flags.data, env, flags.baseline);
  const make = planMaker(flags, pkg, name, parallelism);
  if (flags.local) {
    const { runLocal } = await import('../k8s/local.js');
    const r = await runLocal({
      outDir: flags.out, parallelism, env, startDelayMs,
      makePlan: (e, at) => make(e, at, startDelayMs), write,
    });
    return r.mergeExitCode === 0 ? ExitCode.ok : r.mergeExitCode === 1 ? ExitCode.failed : r.mergeExitCode;
  }
  const startAtMs = startAt ?? Date.now() + startDelayMs;
  const plan = make(env, startAtMs, Math.max(0, startAtMs - Date.now()));
  const dir = resolve(flags.out);
  const files = writeManifests(dir, buildManifests(plan));
  write(`wrote ${files.map((f) => join(flags.out, f)).join(', ')}\n`);
  write(`${parallelism} runner(s) start together at ${new Date(startAtMs).toISOString()} (--start-at ${startAtMs}); apply before then\n`);
  const commands = applyCommands(flags.out, plan);
  if (!flags.apply) {
    write(`apply with:\n${commands.map((c) => `  ${c}`).join('\n')}\n`);
    return ExitCode.ok;
  }
  if (spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status !== 0) {
    write(`kubectl not found: the manifests are written; apply them with:\n${commands.map((c) => `  ${c}`).join('\n')}\n`);
    return ExitCode.ok;
  }
  const applied = spawnSync('kubectl', ['apply', '-k', dir], { stdio: 'inherit' });
  if (applied.status !== 0) {
    write(`kubectl apply -k ${flags.out} failed (exit ${applied.status}); the manifests stay in ${flags.out}\n`);
    return ExitCode.environment;
  }
  write(`applied; then:\n${commands.slice(1).map((c) => `  ${c}`).join('\n')}\n`);
  return ExitCode.ok;
}

/** SIGINT / SIGTERM: the first stops the run gracefully (partial results kept), the second at once. */
function interruptible(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  let n = 0;
  const on = () => {
    n += 1;
    if (n === 1) controller.abort('interrupted (SIGINT/SIGTERM)');
    else process.exit(ExitCode.aborted);
  };
  process.on('SIGINT', on);
  process.on('SIGTERM', on);
  return { signal: controller.signal, dispose: () => { process.off('SIGINT', on); process.off('SIGTERM', on); } };
}

export function registerK8s(program: Command): void {
  program.command('k8s')
    .description('a distributed test: Kubernetes manifests (ConfigMap with the bundled scenario, an Indexed Job of N runners from one start, a results claim, a merge-and-gate Job); --local runs the N runners here, each in its own network namespace')
    .argument('<scenario>', 'scenario file (.ts or .js)')
    .requiredOption('--parallelism <n>', 'runners (segments of the test): completions = parallelism = N')
    .requiredOption('--out <dir>', 'where the manifests go (with --local: the whole test, DIR/merged/ the merged run)')
    .option('--image <image>', `engine image (default capacity-test:${VERSION}, built from the Dockerfile)`)
    .option('--namespace <ns>', 'Kubernetes namespace', 'default')
    .option('--start-delay <duration>', "time from now to the common start (default '2m'; '5s' with --local)")
    .option('--start-at <epochms>', 'the common start itself, epoch ms')
    .option('--cpu <quantity>', "CPU each runner gets (requests = limits), e.g. '2'")
    .option('--memory <quantity>', "memory each runner gets, e.g. '1Gi'")
    .option('--env <K=V>', 'a value for __ENV / vu.env (repeatable)', collect, [] as string[])
    .option('--data <file>', "a data file the scenario open()s, relative to it (repeatable)", collect, [] as string[])
    .option('--results-claim <name>', 'an existing ReadWriteMany PersistentVolumeClaim for the results (default: one is written)')
    .option('--results-size <quantity>', 'size of the results claim written', '1Gi')
    .option('--storage-class <name>', 'storage class of the results claim written (one that offers ReadWriteMany)')
    .option('--baseline <summary.json>', 'gate the merged run against this baseline too')
    .option('--name <label>', 'name of the test (default ct-<scenario>-<time>)')
    .option('--apply', 'apply with kubectl when it is installed (else print the commands)')
    .option('--local', 'run the N runners on this machine in network namespaces (root), then merge and gate into DIR/merged/')
    .addHelpText('after', `\nFiles: ${Object.values(MANIFEST_FILES).join(', ')} (kubectl apply -k DIR).\nExit codes: 0 written (--local: gate passed) · 1 --local: the gate failed · 2 bad flag or scenario · 3 environment (not root, no ip, kubectl apply failed)\n`)
    .action(async (scenario: string, flags: K8sFlags) => {
      const code = await k8sCommand(scenario, flags);
      if (code !== 0) process.exitCode = code;
    });

  program.command('k8s-segment')
    .description('inside a runner pod: run segment JOB_COMPLETION_INDEX + 1 of N of a bundled scenario into <results>/runs/segment-<i>/')
    .argument('<bundle>', 'the scenario bundle (from the ConfigMap)')
    .requiredOption('--count <n>', 'segments of the test (the Job\'s completions)')
    .requiredOption('--start-at <epochms>', 'the common start, epoch ms')
    .requiredOption('--results <dir>', "the test's results folder on the shared claim")
    .option('--env <K=V>', 'a value for __ENV / vu.env (repeatable)', collect, [] as string[])
    .addHelpText('after', '\nExit codes: 0 the segment ran (its thresholds are judged on the merge) · 2 bad input or the segment ran already · 3 environment · 4 stopped (SIGTERM) or internal error\n')
    .action(async (bundle: string, f: { count: string; startAt: string; results: string; env: string[] }) => {
      const { runSegment } = await import('../k8s/segment.js');
      const stop = interruptible();
      try {
        const code = await runSegment({
          bundle, count: positiveInt(f.count, '--count'), startAtMs: positiveInt(f.startAt, '--start-at', Number.MAX_SAFE_INTEGER),
          results: f.results, env: parseEnvFlags(f.env), processEnv: process.env, signal: stop.signal,
        });
        if (code !== 0) process.exitCode = code;
      } finally { stop.dispose(); }
    });

  program.command('k8s-merge')
    .description('the merge Job: wait for the runners, merge their run directories into <results>/merged/ and gate once (merged thresholds, every runner\'s seconds, an optional baseline)')
    .argument('<results>', "the test's results folder (runs/segment-<i>/ inside)")
    .requiredOption('--segments <n>', 'runners of the test')
    .option('--wait-until <epochms>', 'wait for unfinished runners until then')
    .option('--baseline <summary.json>', 'gate against this baseline too')
    .option('--out <dir>', 'the merged run (default <results>/merged)')
    .addHelpText('after', '\nExit codes: 0 gate passed · 1 gate failed (a threshold, a runner missing seconds, a regression) · 2 bad input · 4 nothing to merge\n')
    .action(async (results: string, f: { segments: string; waitUntil?: string; baseline?: string; out?: string }) => {
      const { finishTest } = await import('../k8s/finish.js');
      const r = await finishTest({
        results, segments: positiveInt(f.segments, '--segments'), out: f.out, baseline: f.baseline,
        waitUntilMs: f.waitUntil === undefined ? undefined : positiveInt(f.waitUntil, '--wait-until', Number.MAX_SAFE_INTEGER),
      });
      if (!r.pass) process.exitCode = ExitCode.failed;
    });
}
