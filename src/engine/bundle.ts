/**
 * Bundle a scenario file (TS or JS, anywhere on disk) with esbuild into one ESM file together with
 * the worker runtime. `capacity-test` resolves to our scenario API; node builtins, undici and
 * hdr-histogram-js stay external as bare names, found through a `node_modules` link beside the
 * bundle to the installation that runs it (so a scenario outside the repo still finds them, and a
 * bundle made on one machine runs on another: `capacity-test k8s` ships it in a ConfigMap); other
 * npm packages are bundled. Inline source maps make errors point at the scenario's lines.
 */
import { build, type Message, type Plugin } from 'esbuild';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../contracts/errors.js';
import { isK6Script, prepareK6Script } from '../k6/prepare.js';

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
/** .ts when running from sources (tests), .js when built */
const ext = import.meta.url.endsWith('.ts') ? 'ts' : 'js';

export interface ScenarioBundle {
  dir: string;
  /** the bundle: exports `scenario` (the module's namespace), `workerMain`, `runLifecycle` */
  bundlePath: string;
  /** the worker entry that sets __ENV before importing the bundle */
  bootPath: string;
  cleanup(): void;
}

const SHARED_EXTERNALS = ['undici', 'hdr-histogram-js'];

/** The first bytes of every bundle: how `run` tells a prebuilt bundle from a scenario source. */
export const BUNDLE_MARKER = '/* capacity-test scenario bundle v1 */';

/** The node_modules folder that holds the shared externals of this installation. */
function externalsNodeModules(): string {
  return dirname(dirname(require.resolve('undici/package.json')));
}

/** Our own node_modules, so a scenario anywhere on disk can use the packages installed with us (faker, say). */
function ownNodeModules(): string[] {
  for (let dir = here, i = 0; i < 5; i++, dir = dirname(dir)) {
    if (existsSync(join(dir, 'node_modules', 'esbuild'))) return [join(dir, 'node_modules')];
  }
  return [];
}

/** k6's modules that src/k6/modules implements, by import name. */
const K6_MODULES: Record<string, string> = {
  k6: 'k6', 'k6/http': 'http', 'k6/metrics': 'metrics', 'k6/data': 'data', 'k6/execution': 'execution',
  'k6/encoding': 'encoding', 'k6/crypto': 'crypto', 'k6/timers': 'timers', 'capacity-test/k6-instance': 'instance',
};

function runtimePlugin(): Plugin {
  const api = join(here, '..', 'scenario-api', `index.${ext}`);
  return {
    name: 'capacity-test-runtime',
    setup(b) {
      b.onResolve({ filter: /^capacity-test$/ }, () => ({ path: api }));
      b.onResolve({ filter: /^(k6(\/.*)?|capacity-test\/k6-instance)$/ }, (args) => {
        const mod = K6_MODULES[args.path];
        if (!mod) return { errors: [{ text: `${args.path} is not supported by capacity-test (supported: ${Object.keys(K6_MODULES).filter((k) => k.startsWith('k6')).join(', ')})` }] };
        return { path: join(here, '..', 'k6', 'modules', `${mod}.${ext}`) };
      });
      b.onResolve({ filter: new RegExp(`^(${SHARED_EXTERNALS.join('|')})$`) }, (args) => ({ path: args.path, external: true }));
    },
  };
}

function describe(messages: Message[], cwd: string): string {
  return messages.slice(0, 5).map((m) => {
    const loc = m.location ? `${relative(cwd, resolve(cwd, m.location.file)) || m.location.file}:${m.location.line}:${m.location.column + 1}: ` : '';
    return `${loc}${m.text}`;
  }).join('\n');
}

/** The bundle of a scenario: built from its source, or a prebuilt bundle (isScenarioBundle) taken as it is. */
export async function scenarioBundle(scenarioFile: string): Promise<ScenarioBundle> {
  return isScenarioBundle(scenarioFile) ? useBundle(scenarioFile) : bundleScenario(scenarioFile);
}

export async function bundleScenario(scenarioFile: string): Promise<ScenarioBundle> {
  const file = resolve(scenarioFile);
  if (!existsSync(file) || !statSync(file).isFile()) throw new UsageError(`invalid scenario: expected a .ts or .js file, got ${JSON.stringify(scenarioFile)} (not found)`);
  const dir = mkdtempSync(join(tmpdir(), 'capacity-test-bundle-'));
  const bundlePath = join(dir, 'bundle.mjs');
  let script = file;
  try {
    // a k6 script (imports k6 or k6/*): bundled and transformed first (src/k6/prepare.ts)
    if (isK6Script(file)) script = await prepareK6Script(file, dir);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const entry = [
    `export * as scenario from ${JSON.stringify(script)};`,
    `export { workerMain, runLifecycle } from ${JSON.stringify(join(here, `worker-main.${ext}`))};`,
  ].join('\n');
  try {
    await build({
      stdin: { contents: entry, resolveDir: dirname(file), sourcefile: 'capacity-test-entry.js', loader: 'js' },
      bundle: true, platform: 'node', format: 'esm', target: 'node20',
      outfile: bundlePath, sourcemap: 'inline', logLevel: 'silent', write: true,
      plugins: [runtimePlugin()],
      nodePaths: ownNodeModules(),
      // A bundled CommonJS package may `require` node builtins: give ESM a require.
      banner: { js: `${BUNDLE_MARKER}\nimport { createRequire as __ctCreateRequire } from 'node:module'; const require = __ctCreateRequire(import.meta.url);` },
    });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    const e = err as { errors?: Message[]; message: string };
    throw new UsageError(`invalid scenario ${relative(process.cwd(), file) || file}: ${e.errors?.length ? describe(e.errors, process.cwd()) : e.message}`);
  }
  return finishBundleDir(dir);
}

/** A bundle's bytes, gunzipped when gzip (how `capacity-test k8s` ships one: a ConfigMap holds 1 MiB). */
function bundleText(bytes: Buffer): Buffer {
  return bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes;
}

/** Is this file a bundle written by bundleScenario, plain or gzipped (k8s ships one; `run` takes it as it is)? */
export function isScenarioBundle(file: string): boolean {
  try {
    if (!/\.m?js(\.gz)?$/.test(file)) return false;
    return bundleText(readFileSync(file)).subarray(0, BUNDLE_MARKER.length).toString('utf8') === BUNDLE_MARKER;
  } catch {
    return false;
  }
}

/** A prebuilt bundle, copied byte for byte (gunzipped if gzip) into a directory of its own beside a boot file. */
export function useBundle(bundleFile: string): ScenarioBundle {
  const dir = mkdtempSync(join(tmpdir(), 'capacity-test-bundle-'));
  writeFileSync(join(dir, 'bundle.mjs'), bundleText(readFileSync(bundleFile)));
  return finishBundleDir(dir);
}

function finishBundleDir(dir: string): ScenarioBundle {
  const bundlePath = join(dir, 'bundle.mjs');
  const bootPath = join(dir, 'boot.mjs');
  // the bare externals resolve through this link to the installation that runs the bundle
  symlinkSync(externalsNodeModules(), join(dir, 'node_modules'), 'dir');
  writeFileSync(bootPath, [
    "import { workerData } from 'node:worker_threads';",
    'process.setSourceMapsEnabled(true);',
    'globalThis.__ENV = workerData.env;',
    "globalThis[Symbol.for('capacity-test.scenarioDir')] = workerData.scenarioDir;",
    "const m = await import('./bundle.mjs');",
    'await m.workerMain(m.scenario);',
  ].join('\n'));
  return { dir, bundlePath, bootPath, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
