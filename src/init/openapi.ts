/**
 * An OpenAPI 3 document (JSON or YAML, a file or an http(s) URL) → its operations, local `$ref`s
 * resolved: parameters, the JSON request body's schema, the success responses with their JSON
 * schema, documented headers and links, and the security each needs.
 */
import { readFileSync, existsSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { EnvironmentError, UsageError, invalid } from '../contracts/errors.js';

export type Schema = Record<string, unknown> & {
  type?: string | string[]; properties?: Record<string, Schema>; items?: Schema; required?: string[];
  enum?: unknown[]; example?: unknown; examples?: unknown; default?: unknown; format?: string; pattern?: string;
  minimum?: number; maximum?: number; exclusiveMinimum?: number | boolean; minLength?: number; minItems?: number;
  anyOf?: Schema[]; oneOf?: Schema[]; allOf?: Schema[]; nullable?: boolean;
};

export interface Parameter { name: string; in: 'path' | 'query' | 'header' | 'cookie'; required: boolean; schema: Schema; example?: unknown }
export interface Link { operationId?: string; operationRef?: string; parameters: Record<string, string>; requestBody?: unknown }
export interface Operation {
  method: string;
  path: string;
  operationId?: string;
  parameters: Parameter[];
  body?: { schema: Schema; required: boolean; example?: unknown };
  /** the documented 2xx statuses, lowest first */
  success: number[];
  /** every documented status */
  documented: number[];
  responseSchema?: Schema;
  responseHeaders: string[];
  links: Link[];
  /** security schemes any one of which the operation accepts ([] = none needed) */
  security: { scheme: string; kind: 'bearer' | 'basic' | 'apiKey' | 'other'; name?: string; in?: string }[];
}
export interface OpenApiDoc { operations: Operation[]; servers: string[]; title: string; fetchedFrom?: string }

const docSchema = z.object({
  openapi: z.string().regex(/^3\./, 'expected "3.x"'),
  info: z.object({ title: z.string().optional() }).passthrough().optional(),
  paths: z.record(z.string(), z.record(z.string(), z.unknown())),
  servers: z.array(z.object({ url: z.string() }).passthrough()).optional(),
}).passthrough();

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** Every local `$ref` replaced by what it points at (a cycle stops at its second visit). */
export function derefAll(root: unknown): unknown {
  const seen = new Map<string, unknown>();
  const walk = (node: unknown, stack: string[]): unknown => {
    if (Array.isArray(node)) return node.map((n) => walk(n, stack));
    if (node === null || typeof node !== 'object') return node;
    const ref = (node as { $ref?: unknown }).$ref;
    if (typeof ref === 'string') {
      if (!ref.startsWith('#/')) throw new UsageError(`invalid OpenAPI document: expected local $refs (#/…), got ${JSON.stringify(ref)}`);
      if (stack.includes(ref)) return {};
      if (!seen.has(ref)) {
        let target: unknown = root;
        for (const key of ref.slice(2).split('/').map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'))) target = (target as Record<string, unknown> | undefined)?.[key];
        if (target === undefined) throw new UsageError(`invalid OpenAPI document: $ref ${ref} points at nothing`);
        seen.set(ref, walk(target, [...stack, ref]));
      }
      return seen.get(ref);
    }
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v, stack)]));
  };
  return walk(root, []);
}

function jsonContent(content: unknown): { schema?: Schema; example?: unknown } | undefined {
  if (!content || typeof content !== 'object') return undefined;
  const key = Object.keys(content).find((k) => /json/i.test(k));
  return key ? (content as Record<string, { schema?: Schema; example?: unknown }>)[key] : undefined;
}

export function readOpenApi(raw: unknown, source: string): OpenApiDoc {
  const parsed = docSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UsageError(`invalid OpenAPI document ${source}: expected ${issue.path.join('.') || 'an object'} ${issue.message.replace(/^Invalid input: /, '')}`);
  }
  const doc = derefAll(parsed.data) as z.infer<typeof docSchema> & { components?: { securitySchemes?: Record<string, Record<string, string>> }; security?: Record<string, unknown>[] };
  const schemes = doc.components?.securitySchemes ?? {};
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    const shared = (item.parameters as Parameter[] | undefined) ?? [];
    for (const method of METHODS) {
      const op = item[method] as Record<string, any> | undefined;
      if (!op) continue;
      const params = new Map<string, Parameter>();
      for (const p of [...shared, ...((op.parameters as Parameter[] | undefined) ?? [])]) params.set(`${p.in}:${p.name}`, { ...p, required: p.in === 'path' || !!p.required, schema: p.schema ?? {} });
      const responses = (op.responses ?? {}) as Record<string, Record<string, any>>;
      const success = Object.keys(responses).filter((k) => /^2\d\d$/.test(k)).map(Number).sort((a, b) => a - b);
      const first = responses[String(success[0])] ?? responses.default ?? {};
      const body = jsonContent(op.requestBody?.content);
      const security = ((op.security ?? doc.security ?? []) as Record<string, unknown>[]).flatMap((req) => Object.keys(req)).map((scheme) => {
        const s = schemes[scheme] ?? {};
        const kind = s.type === 'http' && /bearer/i.test(s.scheme ?? '') ? 'bearer' : s.type === 'http' && /basic/i.test(s.scheme ?? '') ? 'basic' : s.type === 'apiKey' ? 'apiKey' : 'other';
        return { scheme, kind, name: s.name, in: s.in } as Operation['security'][number];
      });
      operations.push({
        method: method.toUpperCase(), path, operationId: op.operationId, parameters: [...params.values()],
        body: body?.schema ? { schema: body.schema, required: !!op.requestBody?.required, example: body.example } : undefined,
        success: success.length ? success : [200],
        documented: Object.keys(responses).filter((k) => /^\d{3}$/.test(k)).map(Number),
        responseSchema: jsonContent(first.content)?.schema,
        responseHeaders: Object.keys(first.headers ?? {}),
        links: Object.values((first.links ?? {}) as Record<string, Link>).map((l) => ({ ...l, parameters: l.parameters ?? {} })),
        security,
      });
    }
  }
  return { operations, servers: (doc.servers ?? []).map((s) => s.url), title: doc.info?.title ?? source };
}

function parseText(text: string, source: string): unknown {
  try { return parseYaml(text); } catch (err) {
    throw new UsageError(`invalid OpenAPI document ${source}: expected JSON or YAML, got ${(err as Error).message.split('\n')[0]}`);
  }
}

/** A file or an http(s) URL. An unreachable URL is the environment's fault (exit 3); a bad document is the input's (exit 2). */
export async function loadOpenApi(source: string): Promise<OpenApiDoc> {
  if (/^https?:\/\//i.test(source)) {
    let res: Response;
    try { res = await fetch(source, { signal: AbortSignal.timeout(15_000) }); } catch (err) {
      throw new EnvironmentError(`OpenAPI document ${source} is unreachable: ${(err as Error).message}`);
    }
    if (!res.ok) throw invalid('--openapi', 'a URL answering 200 with the document', `${source} (status ${res.status})`);
    return { ...readOpenApi(parseText(await res.text(), source), source), fetchedFrom: source };
  }
  if (!existsSync(source)) throw invalid('--openapi', 'a readable file or an http(s) URL', source);
  return readOpenApi(parseText(readFileSync(source, 'utf8'), source), source);
}
