/** The little of ESTree the k6 transform reads, and a walk over any node's children. */
export interface Node { type: string; start: number; end: number; [key: string]: unknown }

export function isNode(v: unknown): v is Node {
  return typeof v === 'object' && v !== null && typeof (v as Node).type === 'string' && typeof (v as Node).start === 'number';
}

/** The child nodes of `node`, in source order. */
export function children(node: Node): Node[] {
  const out: Node[] = [];
  for (const key of Object.keys(node)) {
    if (key === 'type' || key === 'start' || key === 'end' || key === 'loc') continue;
    const v = node[key];
    if (Array.isArray(v)) { for (const c of v) if (isNode(c)) out.push(c); }
    else if (isNode(v)) out.push(v);
  }
  return out.sort((a, b) => a.start - b.start);
}

export const isFunction = (n: Node | null | undefined): boolean =>
  !!n && (n.type === 'FunctionDeclaration' || n.type === 'FunctionExpression' || n.type === 'ArrowFunctionExpression');

/** A property key's name when it is written plainly (`a`, `'a'`), else null. */
export function keyName(key: Node | undefined, computed: unknown): string | null {
  if (!key) return null;
  if (!computed && key.type === 'Identifier') return key.name as string;
  if (key.type === 'Literal' && typeof key.value === 'string') return key.value;
  return null;
}
