/**
 * The edits the analysis asks for, with magic-string, keeping every line where it was (so the
 * source map of the first bundle still points at the script's lines): `async ` before functions,
 * `(await …)` around calls, array callbacks run in turn, and the module body turned into a
 * per-VU init function (instance.ts) behind the same exports.
 */
import MagicString from 'magic-string';
import type { Analysis } from './analyze.js';
import { keyName, type Node } from './ast.js';

/** The module the transformed script imports its helpers from (bundle.ts resolves it). */
export const INSTANCE_MODULE = 'capacity-test/k6-instance';

export interface RewriteProblem { node: Node; reason: string }

export function rewrite(code: string, program: Node, a: Analysis): { code: string; problems: RewriteProblem[] } {
  const s = new MagicString(code);
  const problems: RewriteProblem[] = [];
  for (const f of a.made) {
    const at = f.computedKey ? code.lastIndexOf('[', f.asyncAt) : f.asyncAt;
    s.prependRight(at, 'async ');
  }
  const calls = [...a.awaited].sort((x, y) => x.start - y.start || y.end - x.end);
  for (const call of calls) {
    if (a.sequential.has(call)) {
      const callee = call.callee as Node;
      const method = keyName(callee.property as Node, callee.computed)!;
      const obj = callee.object as Node;
      const args = call.arguments as Node[];
      s.appendLeft(call.start, `(await __k6seq(${JSON.stringify(method)}, `);
      s.overwrite(obj.end, args[0].start, ', ');
      s.appendLeft(call.end, ')');
    } else {
      s.appendLeft(call.start, '(await ');
      s.appendLeft(call.end, ')');
    }
  }

  // The module body becomes __k6_init(); imports go first (all on line 1), exports are returned.
  const imports: string[] = [];
  const exported: Array<{ name: string; local: string }> = [];
  let returnAt = code.length;
  for (const st of program.body as Node[]) {
    if (st.type === 'ImportDeclaration') {
      imports.push(code.slice(st.start, st.end));
      s.remove(st.start, st.end);
    } else if (st.type === 'ExportAllDeclaration' || (st.type === 'ExportNamedDeclaration' && st.source)) {
      problems.push({ node: st, reason: 'export … from: re-exporting another module is not supported in a k6 script; import it and export your own binding' });
    } else if (st.type === 'ExportNamedDeclaration' && st.declaration) {
      const d = st.declaration as Node;
      s.remove(st.start, d.start);
      if (d.type === 'VariableDeclaration') {
        for (const v of d.declarations as Node[]) {
          if ((v.id as Node).type !== 'Identifier') { problems.push({ node: v, reason: 'export of a destructuring pattern is not supported in a k6 script' }); continue; }
          const name = (v.id as Node).name as string;
          exported.push({ name, local: name });
        }
      } else {
        const name = (d.id as Node).name as string;
        exported.push({ name, local: name });
      }
    } else if (st.type === 'ExportNamedDeclaration') {
      for (const sp of st.specifiers as Node[]) {
        exported.push({ name: keyName(sp.exported as Node, false)!, local: (sp.local as Node).name as string });
      }
      returnAt = st.start;
      const lines = code.slice(st.start, st.end).split('\n').length - 1;
      s.overwrite(st.start, st.end, '\n'.repeat(lines));
    } else if (st.type === 'ExportDefaultDeclaration') {
      const d = st.declaration as Node;
      if ((d.type === 'FunctionDeclaration' || d.type === 'ClassDeclaration') && d.id) {
        s.remove(st.start, d.start);
        exported.push({ name: 'default', local: (d.id as Node).name as string });
      } else {
        s.overwrite(st.start, d.start, 'const __k6_default_export = ');
        exported.push({ name: 'default', local: '__k6_default_export' });
      }
    }
  }
  const names = exported.some((e) => e.name === 'options') ? exported : [...exported, { name: 'options', local: 'void 0' }];
  const returned = names.map((e) => `${JSON.stringify(e.name)}: ${e.local}`).join(', ');
  s.prepend(`${imports.join(' ')} import { k6Instance as __k6Instance, k6Sequential as __k6seq } from ${JSON.stringify(INSTANCE_MODULE)}; function __k6_init() { `);
  s.appendLeft(returnAt, ` return { ${returned} };\n`);
  s.append('\n}\nconst __k6 = __k6Instance(__k6_init);\n' +
    names.map((e, i) => `const __k6_export_${i} = __k6.value(${JSON.stringify(e.name)});\nexport { __k6_export_${i} as ${e.name === 'default' ? 'default' : JSON.stringify(e.name)} };`).join('\n') + '\n');
  return { code: s.toString(), problems };
}
