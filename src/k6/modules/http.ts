/**
 * k6's `k6/http` on the engine's per-VU client: k6's call forms (get/head/post/put/patch/del/options,
 * request, asyncRequest, batch as array, object or named map), params (headers, tags, timeout,
 * redirects, responseType, cookies, basic auth in the URL), form and multipart bodies (http.file),
 * http.url`` names, and k6's Response. Calls return promises: the k6 transform awaits them.
 */
import { createHash, randomBytes } from 'node:crypto';
import { CookieJar as Jar } from '../../scenario-api/cookie-jar.js';
import type { ExpectedStatuses, RequestParams, Response as EngineResponse, VU } from '../../scenario-api/types.js';
import { bytesOf, requireVu, threadStore } from './context.js';
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
  responseCallback?: ExpectedStatuses | null;
}

type Body = string | ArrayBuffer | Uint8Array | Record<string, unknown> | null | undefined;
/** what http.url`` returns: a URL whose `name` tag is the template */
interface NamedUrl { url: string; name: string; __k6Url: true }
type Url = string | NamedUrl;

const SUPPORTED_PARAMS = new Set(['headers', 'tags', 'timeout', 'redirects', 'responseType', 'cookies', 'auth', 'jar', 'responseCallback']);

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

/** k6's `cookies` param: `{ name: value }` or `{ name: { value, replace } }`, sent beside the jar's. */
function requestCookies(cookies: K6Params['cookies']): RequestParams['cookies'] {
  if (!cookies) return undefined;
  return Object.entries(cookies).map(([name, v]) => (typeof v === 'object' && v !== null ? { name, value: String(v.value), replace: v.replace === true } : { name, value: String(v) }));
}

interface Prepared { method: string; url: string; payload: string | Uint8Array | null; params: RequestParams; request: K6Request; responseType: K6Params['responseType']; digest: { user: string; pass: string } | undefined }

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
  // the URL's user info: basic auth (k6's default), or digest on the server's challenge (send() answers it)
  let digest: { user: string; pass: string } | undefined;
  const auth = /^(https?:\/\/)([^/@?#]*)@/i.exec(u);
  if (p?.auth && p.auth !== 'basic' && p.auth !== 'digest') throw new Error(`http params: auth "${p.auth}" is not supported by capacity-test (basic and digest are)`);
  if (auth) {
    u = auth[1] + u.slice(auth[0].length);
    const [user, pass = ''] = auth[2].split(':');
    if (p?.auth === 'digest') digest = { user: decodeURIComponent(user), pass: decodeURIComponent(pass) };
    else headers.Authorization = `Basic ${Buffer.from(`${decodeURIComponent(user)}:${decodeURIComponent(pass)}`).toString('base64')}`;
  } else if (p?.auth === 'digest') throw new Error('http params: auth "digest" needs the user and password in the URL (http://user:pass@host/…), as in k6');
  const cookies = requestCookies(p?.cookies);
  const payload = encodeBody(body, headers);
  const tags = { ...(p?.tags ?? {}) };
  if (nameTag !== undefined && tags.name === undefined) tags.name = nameTag;
  const params: RequestParams = { headers };
  if (cookies?.length) params.cookies = cookies;
  if (Object.keys(tags).length) params.tags = tags;
  if (p?.timeout !== undefined) params.timeout = p.timeout;
  if (p?.redirects !== undefined) params.redirects = p.redirects;
  if (p?.jar !== undefined && p.jar !== null) {
    // by shape, not class: the script's bundle and the engine may each hold a copy of the jar's code
    const j = p.jar as Partial<Jar>;
    if (typeof j.header !== 'function' || typeof j.store !== 'function' || typeof j.size !== 'number') throw new Error('http params: expected jar a cookie jar (new http.CookieJar() or http.cookieJar()), got something else');
    params.jar = p.jar as Jar;
  }
  const callback = p && 'responseCallback' in p ? p.responseCallback : responseCallbackOfThread().cb;
  if (callback !== undefined) {
    if (callback !== null && !isExpectedStatuses(callback)) throw new Error('http params: expected responseCallback http.expectedStatuses(…) or null, got something else');
    params.expectedStatuses = callback;
  }
  if (p?.responseType !== undefined) {
    if (!['text', 'binary', 'none'].includes(p.responseType)) throw new Error(`http params: expected responseType text, binary or none, got ${JSON.stringify(p.responseType)}`);
    params.responseType = p.responseType === 'none' ? 'none' : 'text';
  }
  const request: K6Request = { method: m, url: u, headers, body: typeof payload === 'string' ? payload : payload ? '[binary]' : '', cookies: {} };
  return { method: m, url: u, payload, params, request, responseType: p?.responseType, digest };
}

const md5 = (s: string) => createHash('md5').update(s).digest('hex');

/**
 * RFC 7616 (MD5, qop auth) answer to a `WWW-Authenticate: Digest …` challenge, as k6 sends it after
 * the first 401: both requests are made and recorded, as in k6.
 */
export function digestAuthorization(challenge: string, method: string, url: string, user: string, pass: string, cnonce = randomBytes(8).toString('hex')): string | null {
  if (!/^digest\s/i.test(challenge)) return null;
  const f: Record<string, string> = {};
  for (const m of challenge.slice(7).matchAll(/(\w+)=(?:"([^"]*)"|([^,\s]*))/g)) f[m[1].toLowerCase()] = m[2] ?? m[3];
  if (f.algorithm && !/^md5$/i.test(f.algorithm)) return null;
  const path = url.replace(/^https?:\/\/[^/?#]*/i, '') || '/';
  const ha1 = md5(`${user}:${f.realm ?? ''}:${pass}`);
  const ha2 = md5(`${method}:${path}`);
  const qop = f.qop?.split(',').map((q) => q.trim()).includes('auth') ? 'auth' : undefined;
  const nc = '00000001';
  const response = qop ? md5(`${ha1}:${f.nonce}:${nc}:${cnonce}:${qop}:${ha2}`) : md5(`${ha1}:${f.nonce}:${ha2}`);
  let h = `Digest username="${user}", realm="${f.realm ?? ''}", nonce="${f.nonce ?? ''}", uri="${path}", response="${response}"`;
  if (f.algorithm) h += `, algorithm=${f.algorithm}`;
  if (f.opaque !== undefined) h += `, opaque="${f.opaque}"`;
  if (qop) h += `, qop=${qop}, nc=${nc}, cnonce="${cnonce}"`;
  return h;
}

function send(vu: VU, r: Prepared): Promise<K6Response> {
  const first = vu.http.request(r.method, r.url, r.payload as never, r.params);
  const d = r.digest;
  const answered = !d ? first : first.then((res: EngineResponse) => {
    const challenge = res.status === 401 ? res.headers['www-authenticate'] : undefined;
    const authorization = challenge ? digestAuthorization(String(challenge), r.method, r.url, d.user, d.pass) : null;
    if (!authorization) return res;
    const headers = { ...(r.params.headers ?? {}), Authorization: authorization };
    return vu.http.request(r.method, r.url, r.payload as never, { ...r.params, headers });
  });
  return answered.then((res: EngineResponse) => new K6Response(res, r.request, r.responseType));
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

/**
 * k6's CookieJar: `new http.CookieJar()` for a request's `jar` param, with RFC 6265's domain and path
 * rules (src/scenario-api/cookie-jar.ts): set(url, name, value, {domain, path, expires, max_age, secure,
 * http_only}), cookiesForURL(url), delete(url, name), clear(url).
 */
export class CookieJar extends Jar {}

/** The VU's own jar (k6 http.cookieJar()): the one every request of the VU uses unless it names another. */
export function cookieJar(): Jar {
  return (requireVu('http.cookieJar()') as unknown as { jar: Jar }).jar;
}

function isExpectedStatuses(v: unknown): v is ExpectedStatuses {
  return typeof v === 'object' && v !== null && Array.isArray((v as ExpectedStatuses).statuses) && Array.isArray((v as ExpectedStatuses).ranges) && typeof (v as ExpectedStatuses).key === 'string';
}

/** k6's http.expectedStatuses(200, 201, { min: 300, max: 399 }): the statuses that are not failures. */
export function expectedStatuses(...args: Array<number | { min: number; max: number }>): ExpectedStatuses {
  const statuses: number[] = [];
  const ranges: Array<{ min: number; max: number }> = [];
  for (const a of args) {
    if (typeof a === 'number' && Number.isInteger(a)) statuses.push(a);
    else if (typeof a === 'object' && a !== null && Number.isInteger(a.min) && Number.isInteger(a.max)) ranges.push({ min: a.min, max: a.max });
    else throw new Error(`http.expectedStatuses(): expected status codes and { min, max } ranges, got ${JSON.stringify(a)}`);
  }
  if (statuses.length === 0 && ranges.length === 0) throw new Error('http.expectedStatuses(): expected at least one status or range, got none');
  // the key names the set, so the same statuses made twice are one set of series
  return { key: `${statuses.join(',')};${ranges.map((r) => `${r.min}-${r.max}`).join(',')}`, statuses, ranges };
}

/** This thread's response callback (k6 sets it per VU, in the init code every VU runs alike). */
function responseCallbackOfThread(): { cb: ExpectedStatuses | null | undefined } {
  return threadStore('responseCallback', () => ({ cb: undefined as ExpectedStatuses | null | undefined }));
}

/** k6's http.setResponseCallback(http.expectedStatuses(…) | null): the default for every request after it. */
export function setResponseCallback(cb: ExpectedStatuses | null): void {
  if (cb !== null && !isExpectedStatuses(cb)) throw new Error('http.setResponseCallback(): expected http.expectedStatuses(…) or null, got something else');
  responseCallbackOfThread().cb = cb;
}

export default { request, asyncRequest, get, head, post, put, patch, del, options, batch, file, url, cookieJar, CookieJar, expectedStatuses, setResponseCallback };
