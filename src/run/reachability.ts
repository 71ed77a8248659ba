import { request, type Dispatcher } from 'undici';
import { EnvironmentError, invalid } from '../contracts/errors.js';

type Get = (url: URL, timeoutMs: number) => Promise<void>;

/** One GET with undici (no browser port blocklist: fetch refuses ports such as 1 or 6000 as "bad port"). */
export function undiciGet(dispatcher?: Dispatcher): Get {
  return async (url, timeoutMs) => {
    const res = await request(url, { method: 'GET', headersTimeout: timeoutMs, bodyTimeout: timeoutMs, signal: AbortSignal.timeout(timeoutMs), ...(dispatcher ? { dispatcher } : {}) });
    await res.body.dump();
  };
}

const CERT_PROBLEMS = new Set(['DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'ERR_TLS_CERT_ALTNAME_INVALID']);

/** Why a connection failed, in plain words. */
export function unreachableWhy(err: unknown, timeoutMs: number): string {
  const e = err as { code?: string; name?: string; message?: string; cause?: { code?: string } };
  const code = e.code ?? e.cause?.code ?? e.name;
  switch (code) {
    case 'ECONNREFUSED': return 'nothing listens there (connection refused)';
    case 'ENOTFOUND': case 'EAI_AGAIN': return 'its host name does not resolve';
    case 'ETIMEDOUT': case 'TimeoutError': case 'UND_ERR_HEADERS_TIMEOUT': case 'UND_ERR_CONNECT_TIMEOUT': case 'AbortError':
      return `no answer within ${timeoutMs / 1000} s`;
    case 'ECONNRESET': case 'UND_ERR_SOCKET': return 'it closed the connection without answering';
    case 'EHOSTUNREACH': case 'ENETUNREACH': return 'no route to that host';
    case undefined: return e.message ? `the connection failed: ${e.message}` : 'the connection failed';
    default:
      if (CERT_PROBLEMS.has(code)) return `its TLS certificate is not trusted (${code}${e.message ? `: ${e.message}` : ''}); --insecure accepts it, for a staging server's self-signed certificate`;
      return e.message ? `the connection failed: ${e.message}` : 'the connection failed';
  }
}

/** A target that does not answer at all is an environment problem (exit 3), said in one line naming it. */
export async function checkReachable(target: string, get: Get = undiciGet(), timeoutMs = 5000): Promise<void> {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw invalid('--target', 'an http(s) URL such as http://127.0.0.1:8080', target);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalid('--target', 'an http(s) URL such as http://127.0.0.1:8080', target);
  try {
    await get(url, timeoutMs);
  } catch (err) {
    throw new EnvironmentError(`target unreachable: ${target} does not answer: ${unreachableWhy(err, timeoutMs)}`);
  }
}

/**
 * `--metrics-url`: checked before the load as the target is, so a mistyped endpoint is not found after
 * the run as a file of gaps. It must answer 2xx with Prometheus text (the scraper sends no credentials).
 */
export async function checkMetricsUrl(url: string, timeoutMs = 5000): Promise<void> {
  let status: number;
  let body: string;
  try {
    const res = await request(new URL(url), { method: 'GET', headersTimeout: timeoutMs, bodyTimeout: timeoutMs, signal: AbortSignal.timeout(timeoutMs) });
    status = res.statusCode;
    body = await res.body.text();
  } catch (err) {
    throw new EnvironmentError(`--metrics-url unreachable: ${url} does not answer: ${unreachableWhy(err, timeoutMs)}`);
  }
  if (status < 200 || status > 299) throw new EnvironmentError(`--metrics-url ${url} answers ${status}: expected 200 with Prometheus metrics (no credentials are sent)`);
  if (body.trim() !== '' && !/^(# (HELP|TYPE) |[a-zA-Z_:][a-zA-Z0-9_:]*(\{| ))/m.test(body)) throw new EnvironmentError(`--metrics-url ${url} answers ${status} but not with Prometheus metrics: ${JSON.stringify(body.slice(0, 60))}`);
}
