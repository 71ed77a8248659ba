/**
 * The k6 transform: a bundled k6 script (one ES module, `k6` imports left in) becomes a script our
 * engine runs: synchronous-looking HTTP made async and awaited, init code per VU. A construct it
 * cannot handle stops here, before the run, with the script's file, line and a plain reason.
 */
import { Parser } from 'acorn';
import { analyze } from './analyze.js';
import type { Node } from './ast.js';
import { rewrite } from './rewrite.js';

export interface TransformProblem { line: number; column: number; reason: string }

/** Problems found in the script, each at its place in the bundle (1-based line, 0-based column). */
export class K6TransformError extends Error {
  constructor(readonly problems: Array<TransformProblem & { file: string }>) {
    super(problems.map((p) => `${p.file}:${p.line}:${p.column + 1}: ${p.reason}`).join('\n'));
    this.name = 'K6TransformError';
  }
}

export interface TransformResult {
  code: string;
  problems: TransformProblem[];
}

/** Transform bundled code; `problems` (with bundle positions) are empty when it can run. */
export function transformK6(code: string): TransformResult {
  const program = Parser.parse(code, { ecmaVersion: 'latest', sourceType: 'module', locations: true }) as unknown as Node;
  const analysis = analyze(program);
  const out = rewrite(code, program, analysis);
  const problems = [...analysis.problems, ...out.problems].map((p) => {
    const loc = (p.node.loc as { start: { line: number; column: number } }).start;
    return { line: loc.line, column: loc.column, reason: p.reason };
  });
  problems.sort((x, y) => x.line - y.line || x.column - y.column);
  return { code: out.code, problems };
}
