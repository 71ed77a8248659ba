/**
 * A k6 script made ready for the engine, before bundling: the script and its local imports bundled
 * into one module (`k6` and `k6/*` left as imports), then transformed (transform/). Problems are
 * reported at the script's own file and line through the first bundle's source map.
 */
import { build, type Message, type Plugin } from 'esbuild';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { UsageError } from '../contracts/errors.js';
import { K6TransformError, transformK6 } from './transform/index.js';

const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)['"]([^'"]+)['"]/g;

/**
 * True when the file, or a local file it imports, imports a k6 module (`k6`, `k6/http`, …): it is
 * run as a k6 script. A file importing 'capacity-test' is one of ours.
 */
export function isK6Script(file: string, seen = new Set<string>()): boolean {
  if (seen.has(file) || seen.size > 200) return false;
  seen.add(file);
  let text: string;
  try { text = readFileSync(file, 'utf8'); } catch { return false; }
  const specs = [...text.matchAll(IMPORT)].map((m) => m[1]);
  if (specs.includes('capacity-test')) return false;
  if (specs.some((x) => x === 'k6' || x.startsWith('k6/'))) return true;
  return specs.filter((x) => x.startsWith('.')).some((x) => {
    const base = resolve(dirname(file), x);
    const found = ['', '.js', '.ts', '.mjs', '/index.js', '/index.ts'].map((e) => base + e).find((f) => existsSync(f) && statSync(f).isFile());
    return found !== undefined && isK6Script(found, seen);
  });
}

const SOURCE_MAP_COMMENT = /\n?\/\/# sourceMappingURL=data:application\/json;base64,([A-Za-z0-9+/=]+)\s*$/;

function remoteModules(): Plugin {
  return {
    name: 'k6-remote-modules',
    setup(b) {
      b.onResolve({ filter: /^https?:\/\// }, (args) => ({
        errors: [{ text: `remote module ${args.path}: capacity-test does not download modules; save it next to the script and import it by relative path` }],
      }));
    },
  };
}

function where(m: Message): string {
  return m.location ? `${relative(process.cwd(), resolve(m.location.file)) || m.location.file}:${m.location.line}:${m.location.column + 1}: ` : '';
}

/** Bundle and transform `file` into `outDir`; returns the path of the transformed module. */
export async function prepareK6Script(scriptFile: string, outDir: string): Promise<string> {
  const file = resolve(scriptFile);
  const outfile = join(outDir, 'k6-script.mjs');
  let code: string;
  try {
    const r = await build({
      entryPoints: [file], bundle: true, format: 'esm', platform: 'node', target: 'es2022',
      write: false, outfile, sourcemap: 'inline', sourcesContent: true, logLevel: 'silent',
      external: ['k6', 'k6/*'], plugins: [remoteModules()], absWorkingDir: dirname(file),
    });
    code = r.outputFiles[0].text;
  } catch (err) {
    const e = err as { errors?: Message[]; message: string };
    throw new UsageError(`invalid k6 script ${relative(process.cwd(), file) || file}: ${e.errors?.length ? e.errors.slice(0, 5).map((m) => `${where(m)}${m.text}`).join('\n') : e.message}`);
  }
  const m = SOURCE_MAP_COMMENT.exec(code);
  const body = m ? code.slice(0, m.index) : code;
  const map = m ? new SourceMap(JSON.parse(Buffer.from(m[1], 'base64').toString('utf8'))) : null;
  let result;
  try {
    result = transformK6(body);
  } catch (err) {
    throw new UsageError(`invalid k6 script ${relative(process.cwd(), file) || file}: ${(err as Error).message}`);
  }
  if (result.problems.length > 0) {
    throw new K6TransformError(result.problems.map((p) => {
      const e = map?.findEntry(p.line - 1, p.column) as { originalSource?: string; originalLine?: number; originalColumn?: number } | undefined;
      const src = e?.originalSource ? resolve(dirname(outfile), e.originalSource.replace(/^file:\/\//, '')) : file;
      return { file: relative(process.cwd(), src) || src, line: e?.originalLine !== undefined ? e.originalLine + 1 : p.line, column: e?.originalColumn ?? p.column, reason: p.reason };
    }));
  }
  writeFileSync(outfile, result.code + (m ? `\n//# sourceMappingURL=data:application/json;base64,${m[1]}\n` : ''));
  return outfile;
}
