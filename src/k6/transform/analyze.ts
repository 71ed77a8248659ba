/**
 * The call graph of a bundled k6 script: which functions can reach an HTTP call, sleep() or a
 * group() around them (they become async), which calls must be awaited, which array callbacks run
 * one after another, and what cannot be made asynchronous (with the node, for file and line).
 * Pure: an acorn AST in, decisions out.
 */
import { children, isFunction, keyName, type Node } from './ast.js';

/** k6/http calls that block in k6 (asyncRequest already returns a promise the script awaits). */
const HTTP_BLOCKING = new Set(['get', 'head', 'post', 'put', 'patch', 'del', 'options', 'request', 'batch']);
/** Array methods whose callbacks the transform runs in turn, awaiting each. */
export const SEQUENTIAL_METHODS = new Set(['forEach', 'map', 'filter', 'some', 'every', 'find', 'findIndex', 'findLast', 'findLastIndex', 'flatMap', 'reduce', 'reduceRight']);
/** Callees that may be handed an async function as they are. */
const ASYNC_SAFE_CALLEES = new Set(['setTimeout', 'setInterval', 'queueMicrotask', 'then', 'catch', 'finally', 'Promise', 'all', 'allSettled', 'race', 'any']);

export interface FnInfo {
  node: Node;
  kind: 'function' | 'method' | 'getter' | 'setter' | 'constructor' | 'field';
  /** the function's parameters that are plain identifiers, by position */
  params: Array<string | null>;
  generator: boolean;
  /** async in the source: its callers handle its promise themselves */
  wasAsync: boolean;
  calls: Node[];
  /** positions of params that receive an async function at some call site */
  hotParams: Set<number>;
  /** the class the method belongs to */
  cls: Node | null;
  /** where `async ` goes: before the function, or before a method's key */
  asyncAt: number;
  /** a method's computed key: `async ` goes before its "[" */
  computedKey: boolean;
}

export interface Problem { node: Node; reason: string }

export interface Analysis {
  /** functions to mark async */
  made: Set<FnInfo>;
  /** calls to wrap in (await …) */
  awaited: Set<Node>;
  /** calls of an array method with a callback made async: run in turn */
  sequential: Set<Node>;
  problems: Problem[];
}

type Binding = { module: string; name: string | null }; // name null: the module object

export function analyze(program: Node): Analysis {
  const k6: Map<string, Binding> = new Map();
  const fns: FnInfo[] = [];
  const fnOf = new Map<Node, FnInfo>();
  const byName = new Map<string, FnInfo[]>();
  const byMember = new Map<string, FnInfo[]>();
  const classCtor = new Map<string, FnInfo>();
  const callFn = new Map<Node, FnInfo | null>();
  const problems: Problem[] = [];

  const register = (table: Map<string, FnInfo[]>, name: string | null, f: FnInfo) => {
    if (!name) return;
    let l = table.get(name);
    if (!l) table.set(name, (l = []));
    l.push(f);
  };

  const newFn = (node: Node, kind: FnInfo['kind'], cls: Node | null): FnInfo => {
    const params = ((node.params as Node[] | undefined) ?? []).map((p) => (p.type === 'Identifier' ? (p.name as string) : p.type === 'AssignmentPattern' && (p.left as Node).type === 'Identifier' ? ((p.left as Node).name as string) : null));
    const f: FnInfo = { node, kind, params, generator: Boolean(node.generator), wasAsync: Boolean(node.async), calls: [], hotParams: new Set(), cls, asyncAt: node.start, computedKey: false };
    fns.push(f);
    fnOf.set(node, f);
    return f;
  };

  for (const st of program.body as Node[]) {
    if (st.type !== 'ImportDeclaration') continue;
    const src = (st.source as Node).value as string;
    if (src !== 'k6' && !src.startsWith('k6/')) continue;
    for (const sp of st.specifiers as Node[]) {
      const local = (sp.local as Node).name as string;
      if (sp.type === 'ImportSpecifier') k6.set(local, { module: src, name: keyName(sp.imported as Node, false) });
      else k6.set(local, { module: src, name: null });
    }
  }

  const walk = (node: Node, fn: FnInfo | null, cls: Node | null, parent: Node | null): void => {
    let here = fn;
    let hereCls = cls;
    if (node.type === 'ClassDeclaration' || node.type === 'ClassExpression') hereCls = node;
    if (isFunction(node)) {
      let kind: FnInfo['kind'] = 'function';
      if (parent?.type === 'MethodDefinition') kind = parent.kind === 'constructor' ? 'constructor' : parent.kind === 'get' ? 'getter' : parent.kind === 'set' ? 'setter' : 'method';
      else if (parent?.type === 'Property' && (parent.kind === 'get' || parent.kind === 'set')) kind = parent.kind === 'get' ? 'getter' : 'setter';
      here = newFn(node, kind, hereCls);
      if (parent?.type === 'MethodDefinition' || (parent?.type === 'Property' && (parent.method || parent.kind !== 'init'))) {
        here.asyncAt = (parent.key as Node).start;
        here.computedKey = Boolean(parent.computed);
      }
      if (node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression') register(byName, node.id ? ((node.id as Node).name as string) : null, here);
      if (parent?.type === 'VariableDeclarator' && (parent.id as Node).type === 'Identifier') register(byName, (parent.id as Node).name as string, here);
      if (parent?.type === 'AssignmentExpression' && parent.right === node) {
        const left = parent.left as Node;
        if (left.type === 'Identifier') register(byName, left.name as string, here);
        else if (left.type === 'MemberExpression') register(byMember, keyName(left.property as Node, left.computed), here);
      }
      if (parent?.type === 'Property' || parent?.type === 'MethodDefinition' || parent?.type === 'PropertyDefinition') {
        register(byMember, keyName(parent.key as Node, parent.computed), here);
        if (kind === 'constructor' && hereCls?.id) classCtor.set((hereCls.id as Node).name as string, here);
      }
    } else if (node.type === 'PropertyDefinition' && node.value && !isFunction(node.value as Node)) {
      // a class field's initializer runs in the constructor
      here = newFn(node, 'field', hereCls);
    }
    if (node.type === 'CallExpression' || node.type === 'NewExpression') {
      callFn.set(node, here);
      here?.calls.push(node);
    }
    for (const c of children(node)) walk(c, here, hereCls, node);
  };
  walk(program, null, null, null);

  const made = new Set<FnInfo>();
  const awaited = new Set<Node>();
  const sequential = new Set<Node>();
  /** async in the result: made async by us (a caller must await) */
  const isMade = (f: FnInfo | undefined) => !!f && made.has(f);

  /** The functions an argument or callee expression may be. */
  const functionsOf = (e: Node | undefined, within: FnInfo | null): FnInfo[] => {
    if (!e) return [];
    if (isFunction(e)) { const f = fnOf.get(e); return f ? [f] : []; }
    if (e.type === 'Identifier') {
      if (within && within.params.includes(e.name as string)) return [];
      return byName.get(e.name as string) ?? [];
    }
    if (e.type === 'MemberExpression') {
      const prop = keyName(e.property as Node, e.computed);
      if (prop === null) return [];
      if ((e.object as Node).type === 'ThisExpression' && within?.cls) {
        const own = (byMember.get(prop) ?? []).filter((f) => f.cls === within.cls);
        if (own.length) return own;
      }
      return byMember.get(prop) ?? [];
    }
    return [];
  };

  const k6Callee = (callee: Node): Binding | null => {
    if (callee.type === 'Identifier') return k6.get(callee.name as string) ?? null;
    if (callee.type === 'MemberExpression' && (callee.object as Node).type === 'Identifier') {
      const b = k6.get((callee.object as Node).name as string);
      const prop = keyName(callee.property as Node, callee.computed);
      if (b && b.name === null && prop) return { module: b.module, name: prop };
      if (b && b.name === 'default' && prop) return { module: b.module, name: prop };
    }
    return null;
  };

  const anyMadeArg = (call: Node, within: FnInfo | null): boolean =>
    (call.arguments as Node[]).some((a) => functionsOf(a, within).some(isMade));

  /** Does this call leave a promise its caller must await? */
  const blocks = (call: Node, within: FnInfo | null): boolean => {
    if (call.type === 'NewExpression') return false;
    const callee = call.callee as Node;
    const b = k6Callee(callee);
    if (b) {
      if (b.module === 'k6/http') return b.name !== null && HTTP_BLOCKING.has(b.name);
      if (b.module === 'k6' && b.name === 'sleep') return true;
      if (b.module === 'k6' && b.name === 'group') return functionsOf((call.arguments as Node[])[1], within).some(isMade);
      return false;
    }
    if (callee.type === 'Identifier' && within) {
      const i = within.params.indexOf(callee.name as string);
      if (i >= 0) return within.hotParams.has(i);
    }
    if (callee.type === 'MemberExpression') {
      const prop = keyName(callee.property as Node, callee.computed);
      if (prop && SEQUENTIAL_METHODS.has(prop) && (call.arguments as Node[]).length > 0 && functionsOf((call.arguments as Node[])[0], within).some(isMade)) {
        sequential.add(call);
        return true;
      }
      if ((prop === 'call' || prop === 'apply') && functionsOf(callee.object as Node, within).some(isMade)) return true;
      if (prop === null && callee.computed) return [...byMember.values()].some((l) => l.some(isMade));
    }
    if (callee.type === 'ParenthesizedExpression') return functionsOf(callee.expression as Node, within).some(isMade);
    return functionsOf(callee, within).some(isMade);
  };

  // Fixed point: a function becomes async when one of its calls blocks; its callers follow.
  for (let changed = true; changed;) {
    changed = false;
    for (const [call, within] of callFn) {
      if (!awaited.has(call) && blocks(call, within)) {
        awaited.add(call);
        changed = true;
        if (within && !within.wasAsync && !made.has(within)) made.add(within);
      }
      // callbacks made async handed to a user function: its calls of that parameter block
      if (call.type === 'CallExpression' && anyMadeArg(call, within)) {
        for (const target of functionsOf(call.callee as Node, within)) {
          (call.arguments as Node[]).forEach((a, i) => {
            if (functionsOf(a, within).some(isMade) && !target.hotParams.has(i)) { target.hotParams.add(i); changed = true; }
          });
        }
      }
    }
  }

  for (const f of made) {
    const what = f.kind === 'field' ? 'a class field initializer' : f.kind === 'constructor' ? 'a class constructor' : f.kind === 'getter' ? 'a getter' : f.kind === 'setter' ? 'a setter' : f.generator ? 'a generator function' : null;
    if (what) problems.push({ node: f.node, reason: `${what} makes an HTTP request or sleeps; it cannot become async: move that call into a method or function` });
  }
  for (const [call, within] of callFn) {
    if (awaited.has(call) && within === null) {
      problems.push({ node: call, reason: 'an HTTP request, sleep() or group() around them in the init context: k6 allows them only in VU code (default, setup, teardown)' });
    }
    if (call.type === 'NewExpression') {
      const callee = call.callee as Node;
      const ctor = callee.type === 'Identifier' ? classCtor.get(callee.name as string) : undefined;
      if (isMade(ctor)) problems.push({ node: call, reason: `new ${callee.name as string}(): its constructor makes an HTTP request; it cannot be awaited` });
    }
    if (call.type !== 'CallExpression') continue;
    const args = call.arguments as Node[];
    const madeArgs = args.filter((a) => functionsOf(a, within).some(isMade));
    if (madeArgs.length === 0) continue;
    const callee = call.callee as Node;
    const b = k6Callee(callee);
    if (b?.module === 'k6' && b.name === 'group') continue;
    if (b?.module === 'k6' && b.name === 'check') {
      problems.push({ node: call, reason: 'a check() callback makes an HTTP request or sleeps; check callbacks must stay synchronous (make the request before check)' });
      continue;
    }
    if (sequential.has(call)) continue;
    const prop = callee.type === 'MemberExpression' ? keyName(callee.property as Node, callee.computed) : callee.type === 'Identifier' ? (callee.name as string) : null;
    if (prop && ASYNC_SAFE_CALLEES.has(prop)) continue;
    if (functionsOf(callee, within).length > 0) continue; // a user function: its parameter calls are awaited
    if (callee.type === 'Identifier' && within?.params.includes(callee.name as string)) continue;
    if (prop === 'sort') { problems.push({ node: call, reason: 'sort() with a comparator that makes an HTTP request: it cannot be awaited' }); continue; }
    problems.push({ node: madeArgs[0], reason: `a callback that makes an HTTP request or sleeps is passed to ${prop ? `${prop}()` : 'a function'} the transform does not know; it cannot await it there (use a for…of loop)` });
  }
  // check callbacks in an object literal: `check(res, { ok: (r) => … })`
  for (const [call, within] of callFn) {
    if (call.type !== 'CallExpression') continue;
    const b = k6Callee(call.callee as Node);
    if (!(b?.module === 'k6' && b.name === 'check')) continue;
    const checkers = (call.arguments as Node[])[1];
    if (checkers?.type !== 'ObjectExpression') continue;
    for (const p of checkers.properties as Node[]) {
      if (p.type === 'Property' && functionsOf(p.value as Node, within).some(isMade)) {
        problems.push({ node: p, reason: 'a check() callback makes an HTTP request or sleeps; check callbacks must stay synchronous (make the request before check)' });
      }
    }
  }
  return { made, awaited, sequential, problems };
}
