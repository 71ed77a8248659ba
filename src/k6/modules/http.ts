/**
 * k6's `k6/http` on the engine's per-VU client: k6's call forms (get/head/post/put/patch/del/options,
 * request, asyncRequest, batch as array, object or named map), params (headers, tags, timeout,
 * redirects, responseType, cookies, basic auth in the URL), form and multipart bodies (http.file),
 * http.url`` names, and k6's Response. Calls return promises: the k6 transform awaits them.
 */
import type { RequestParams, Response as EngineResponse, VU } from '../../scenario-api/types.js';
import { bytesOf, requireVu } from './context.js';
import { K6Response, type K6Request } from './response.js';

export interface FileData { data: string | ArrayBuffer | Uint8Array; filename?: string; content_type: string; __k6File: true }

export interface K6Params {
  headers?: Record<string, string>;
  tags?: Record<string, string>;
  timeout?: string | number;
  redirects?: number;
  responseType?: 'text' | 'binary' | 'none';
  cookies?: Record<string, string | { value: string; replace?: boolean }>;
  auth?: 'basic' | 'digest' | 'ntlm';
  jar?: unknown;
  compression?: string;
  responseCallback?: unknown;
}

type Body = string | ArrayBuffer | Uint8Array | Record<string, unknown> | null | undefined;
/** what http.url`` returns: a URL whose `name` tag is the template */
interface NamedUrl { url: string; name: string; __k6Url: true }
type Url = string | NamedUrl;

const SUPPORTED_PARAMS = new Set(['headers', 'tags', 'timeout', 'redirects', 'responseType', 'cookies', 'auth', 'jar']);

export function file(data: string | ArrayBuffer | Uint8Array, filename?: string, contentType = 'application/octet-stream'): FileData {
  return { data, filename, content_type: contentType, __k6File: true };
}

function isFile(v: unknown): v is FileData {
  return typeof v === 'object' && v !== null && (v as FileData).__k6File === true;
}

/** http.url`https://x/items/${id}`: the URL, with the template as its name tag (k6's URL grouping). */
export function url(strings: TemplateStringsArray, ...values: unknown[]): NamedUrl {
  let u = strings[0];
  let name = strings[0];
  values.forEach((v, i) => { u += String(v) + strings[i + 1]; name += '${}' + strings[i + 1]; });
  return { url: u, name, __k6Url: true };
}

function multipart(fields: Record<string, unknown>): { body: Uint8Array; type: string } {
  const boundary = `----capacitytest${Math.random().toString(16).slice(2)}${Date.now().toString(16)}`;
  const parts: Uint8Array[] = [];
  const enc = new TextEncoder();
  for (const [name, v] of Object.entries(fields)) {
    if (isFile(v)) {
      const fname = v.filename ?? name;
      parts.push(enc.encode(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${fname}"\r\nContent-Type: ${v.content_type}\r\n\r\n`));
      parts.push(bytesOf(v.data, 'http.file'));
    } else {
      parts.push(enc.encode(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${String(v)}`));
    }
    parts.push(enc.encode('\r\n'));
  }
  parts.push(enc.encode(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), type: `multipart/form-data; boundary=${boundary}` };
}

/** k6's body rules: strings and bytes as given; an object as a form, multipart when it holds a file. */
function encodeBody(body: Body, headers: Record<string, string>): string | Uint8Array | null {
  if (body === null || body === undefined) return null;
  if (typeof body === 'string') return body;
  if (body instanceof ArrayBuffer || ArrayBuffer.isView(body)) return bytesOf(body, 'body');
  if (typeof body !== 'object') return String(body);
  const hasType = Object.keys(headers).some((k) => k.toLowerCase() === 'content-type');
  if (Object.values(body).some(isFile)) {
    const m = multipart(body);
    if (!hasType) headers['Content-Type'] = m.type;
    return m.body;
  }
  if (!hasType) headers['Content-Type'] = 'application/x-www-form-urlencoded';
  return new URLSearchParams(Object.entries(body).map(([k, v]): [string, string] => [k, String(v)])).toString();
}

function cookieHeader(cookies: K6Params['cookies']): string | undefined {
  if (!cookies) return undefined;
  const parts = Object.entries(cookies).map(([k, v]) => `${k}=${typeof v === 'object' && v !== null ? v.value : String(v)}`);
  return parts.length ? parts.join('; ') : undefined;
}

interface Prepared { method: string; url: string; payload: string | Uint8Array | null; params: RequestParams; request: K6Request; responseType: K6Params['responseType'] }

function prepare(method: string, target: Url, body: Body, p: K6Params | undefined): Prepared {
  const m = String(method).toUpperCase();
  let u: string;
  let nameTag: string | undefined;
  if (typeof target === 'object' && target !== null && (target as NamedUrl).__k6Url) { u = (target as NamedUrl).url; nameTag = (target as NamedUrl).name; }
  else if (typeof target === 'string') u = target;
  else throw new Error(`http.${m.toLowerCase()}(): expected a URL string, got ${target === null ? 'null' : typeof target}`);
  const headers: Record<string, string> = {};
  if (p) {
    for (const k of Object.keys(p)) {
      if (!SUPPORTED_PARAMS.has(k)) throw new Error(`http params: "${k}" is not supported by capacity-test (supported: ${[...SUPPORTED_PARAMS].join(', ')})`);
    }
    if (p.headers) for (const [k, v] of Object.entries(p.headers)) headers[k] = String(v);
  }
  // basic auth from the URL's user info, as k6 does; digest and NTLM are not implemented
  const auth = /^(https?:\/\/)([^/@?#]*)@/i.exec(u);
  if (auth) {
    if (p?.auth && p.auth !== 'basic') throw new Error(`http params: auth "${p.auth}" is not supported by capacity-test (only basic)`);
    u = auth[1] + u.slice(auth[0].length);
    const [user, pass = ''] = auth[2].split(':');
    headers.Authorization = `Basic ${Buffer.from(`${decodeURIComponent(user)}:${decodeURIComponent(pass)}`).toString('base64')}`;
  } else if (p?.auth && p.auth !== 'basic') throw new Error(`http params: auth "${p.auth}" is not supported by capacity-test (only basic)`);
  const cookie = cookieHeader(p?.cookies);
  if (cookie) headers.Cookie = cookie;
  const payload = encodeBody(body, headers);
  const tags = { ...(p?.tags ?? {}) };
  if (nameTag !== undefined && tags.name === undefined) tags.name = nameTag;
  const params: RequestParams = { headers };
  if (Object.keys(tags).length) params.tags = tags;
  if (p?.timeout !== undefined) params.timeout = p.timeout;
  if (p?.redirects !== undefined) params.redirects = p.redirects;
  if (p?.responseType !== undefined) {
    if (!['text', 'binary', 'none'].includes(p.responseType)) throw new Error(`http params: expected responseType text, binary or none, got ${JSON.stringify(p.responseType)}`);
    params.responseType = p.responseType === 'none' ? 'none' : 'text';
  }
  const request: K6Request = { method: m, url: u, headers, body: typeof payload === 'string' ? payload : payload ? '[binary]' : '', cookies: {} };
  return { method: m, url: u, payload, params, request, responseType: p?.responseType };
}

function send(vu: VU, r: Prepared): Promise<K6Response> {
  return vu.http.request(r.method, r.url, r.payload as never, r.params).then((res: EngineResponse) => new K6Response(res, r.request, r.responseType));
}

export function request(method: string, target: Url, body?: Body, params?: K6Params): Promise<K6Response> {
  try {
    return send(requireVu(`http.${String(method).toLowerCase()}()`), prepare(method, target, body, params));
  } catch (err) {
    return Promise.reject(err);
  }
}

/** k6: asyncRequest returns a promise the script awaits itself. */
export const asyncRequest = request;
export const get = (u: Url, params?: K6Params) => request('GET', u, null, params);
export const head = (u: Url, params?: K6Params) => request('HEAD', u, null, params);
export const post = (u: Url, body?: Body, params?: K6Params) => request('POST', u, body, params);
export const put = (u: Url, body?: Body, params?: K6Params) => request('PUT', u, body, params);
export const patch = (u: Url, body?: Body, params?: K6Params) => request('PATCH', u, body, params);
export const del = (u: Url, body?: Body, params?: K6Params) => request('DELETE', u, body, params);
export const options = (u: Url, body?: Body, params?: K6Params) => request('OPTIONS', u, body, params);

type BatchItem = Url | [string, Url, Body?, K6Params?] | { method?: string; url: Url; body?: Body; params?: K6Params };

function batchOne(item: BatchItem): Promise<K6Response> {
  if (typeof item === 'string' || (item as NamedUrl).__k6Url) return get(item as Url);
  if (Array.isArray(item)) return request(item[0], item[1], item[2], item[3]);
  if (typeof item === 'object' && item !== null) {
    const o = item as { method?: string; url: Url; body?: Body; params?: K6Params };
    return request(o.method ?? 'GET', o.url, o.body, o.params);
  }
  return Promise.reject(new Error(`http.batch(): expected a URL, an array [method, url, body, params] or { method, url, body, params }, got ${typeof item}`));
}

/** k6 batch: requests in parallel; an array answers an array, an object answers the same keys. */
export function batch(requests: BatchItem[] | Record<string, BatchItem>): Promise<K6Response[] | Record<string, K6Response>> {
  if (Array.isArray(requests)) return Promise.all(requests.map(batchOne));
  if (typeof requests !== 'object' || requests === null) return Promise.reject(new Error(`http.batch(): expected an array or an object of requests, got ${typeof requests}`));
  const keys = Object.keys(requests);
  return Promise.all(keys.map((k) => batchOne(requests[k]))).then((rs) => Object.fromEntries(keys.map((k, i) => [k, rs[i]])));
}

interface EngineJar { store(host: string, setCookie: string | string[] | undefined): void; header(host: string): string | undefined; clear(): void }

function hostOf(u: string): string {
  return new URL(u).host;
}

/** The VU's own jar (k6 http.cookieJar()); cookies are kept per host. */
export class CookieJar {
  constructor(private readonly vuJar?: { jar: EngineJar; jarUsed(): void }) {}
  private jar(): { jar: EngineJar; jarUsed(): void } {
    if (this.vuJar) return this.vuJar;
    throw new Error('new http.CookieJar() is not supported by capacity-test: use http.cookieJar(), the VU\'s jar');
  }
  set(u: string, name: string, value: string): void { const j = this.jar(); j.jar.store(hostOf(u), `${name}=${value}`); j.jarUsed(); }
  cookiesForURL(u: string): Record<string, string[]> {
    const h = this.jar().jar.header(hostOf(u));
    const out: Record<string, string[]> = {};
    for (const part of h ? h.split('; ') : []) { const eq = part.indexOf('='); (out[part.slice(0, eq)] ??= []).push(part.slice(eq + 1)); }
    return out;
  }
  delete(u: string, name: string): void { this.jar().jar.store(hostOf(u), `${name}=; Max-Age=0`); }
  clear(): void { this.jar().jar.clear(); }
}

export function cookieJar(): CookieJar {
  return new CookieJar(requireVu('http.cookieJar()') as unknown as { jar: EngineJar; jarUsed(): void });
}

export function expectedStatuses(): never {
  throw new Error('http.expectedStatuses() is not supported by capacity-test yet: http_req_failed counts statuses outside 200–399');
}
export function setResponseCallback(): never {
  throw new Error('http.setResponseCallback() is not supported by capacity-test yet: http_req_failed counts statuses outside 200–399');
}

export default { request, asyncRequest, get, head, post, put, patch, del, options, batch, file, url, cookieJar, CookieJar, expectedStatuses, setResponseCallback };
