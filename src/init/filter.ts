/**
 * Which recorded requests a scenario replays: the application's own calls on its own origin. Static
 * assets (scripts, styles, images, fonts, media), third-party hosts, CORS preflights and requests
 * that never got an answer are left out, each with its reason (the scenario lists them in a comment).
 */
import type { Exchange } from './har.js';
import { header } from './har.js';

export interface FilterOptions {
  /** the application's origin; default: the first page (document) recorded, else the first request's */
  origin?: string;
  /** more hosts (host or host:port) that belong to the application */
  includeHosts?: readonly string[];
  /** hosts to leave out even on the application's origin */
  excludeHosts?: readonly string[];
  /** keep static assets of the application's origin */
  keepStatic?: boolean;
}

export interface Excluded { method: string; url: string; reason: 'static asset' | 'third-party host' | 'CORS preflight' | 'no response' | 'excluded host' }

const STATIC_EXT = /\.(css|js|mjs|map|png|jpe?g|gif|svg|ico|webp|avif|bmp|woff2?|ttf|otf|eot|mp4|webm|mp3|ogg|wav)$/i;
const STATIC_MIME = /^(text\/css|(text|application)\/(x-)?javascript|image\/|font\/|audio\/|video\/|application\/(font|x-font))/i;
const STATIC_TYPES = new Set(['stylesheet', 'script', 'image', 'font', 'media', 'manifest', 'texttrack']);

export function isStatic(x: Exchange): boolean {
  if (x.resourceType && STATIC_TYPES.has(x.resourceType)) return true;
  return STATIC_EXT.test(x.url.pathname) || STATIC_MIME.test(x.responseMime || header(x.responseHeaders, 'content-type') || '');
}

export function appOrigin(all: readonly Exchange[]): string {
  const page = all.find((x) => x.resourceType === 'document' || /^text\/html/i.test(x.responseMime));
  const first = page ?? all[0];
  if (!first) throw new Error('no request recorded');
  return first.url.origin;
}

export function selectRequests(all: readonly Exchange[], o: FilterOptions = {}): { origin: string; kept: Exchange[]; excluded: Excluded[] } {
  const origin = (o.origin ?? appOrigin(all)).replace(/\/$/, '');
  const hosts = new Set([new URL(origin).host, ...(o.includeHosts ?? [])]);
  const excludeHosts = new Set(o.excludeHosts ?? []);
  const kept: Exchange[] = [];
  const excluded: Excluded[] = [];
  for (const x of all) {
    const out = (reason: Excluded['reason']) => excluded.push({ method: x.method, url: x.url.href, reason });
    if (excludeHosts.has(x.url.host) || excludeHosts.has(x.url.hostname)) out('excluded host');
    else if (!hosts.has(x.url.host) && !hosts.has(x.url.hostname)) out('third-party host');
    else if (x.status <= 0) out('no response');
    else if (x.method === 'OPTIONS' && header(x.requestHeaders, 'access-control-request-method')) out('CORS preflight');
    else if (!o.keepStatic && isStatic(x)) out('static asset');
    else kept.push(x);
  }
  return { origin, kept, excluded };
}
