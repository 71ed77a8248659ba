/**
 * A HAR 1.2 file (Chromium's and Firefox's dev tools, Playwright's `recordHar`) → the exchanges it
 * recorded, in the order they started, bodies decoded. Only what `init` reads is validated.
 */
import { z } from 'zod';
import { UsageError } from '../contracts/errors.js';

const nameValue = z.object({ name: z.string(), value: z.string() });
const entrySchema = z.object({
  startedDateTime: z.string(),
  time: z.number().optional(),
  _resourceType: z.string().optional(),
  request: z.object({
    method: z.string(),
    url: z.string(),
    headers: z.array(nameValue).default([]),
    postData: z.object({
      mimeType: z.string().default(''),
      text: z.string().optional(),
      params: z.array(z.object({ name: z.string(), value: z.string().optional() })).optional(),
    }).optional(),
  }),
  response: z.object({
    status: z.number(),
    headers: z.array(nameValue).default([]),
    content: z.object({
      mimeType: z.string().optional(),
      text: z.string().optional(),
      encoding: z.string().optional(),
    }).default({}),
  }),
});
const harSchema = z.object({ log: z.object({ entries: z.array(entrySchema) }) });

export interface Exchange {
  /** position in the recording */
  index: number;
  startedMs: number;
  endedMs: number;
  method: string;
  url: URL;
  /** lower-case names, HTTP/2 pseudo headers left out */
  requestHeaders: [string, string][];
  body: { mime: string; text: string } | null;
  status: number;
  responseHeaders: [string, string][];
  responseMime: string;
  /** decoded text; '' when the recording kept no body or it is binary */
  responseText: string;
  /** Chromium's resource type when recorded (document, xhr, fetch, script, stylesheet…) */
  resourceType?: string;
}

const TEXT_MIME = /^(text\/|application\/(json|.*\+json|xml|.*\+xml|x-www-form-urlencoded|javascript))/i;

function headers(list: { name: string; value: string }[]): [string, string][] {
  return list.filter((h) => !h.name.startsWith(':')).map((h) => [h.name.toLowerCase(), h.value]);
}

export function parseHar(text: string, file: string): Exchange[] {
  let raw: unknown;
  try { raw = JSON.parse(text); } catch (err) {
    throw new UsageError(`invalid HAR ${file}: expected JSON, got ${(err as Error).message}`);
  }
  const parsed = harSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UsageError(`invalid HAR ${file}: expected ${issue.path.join('.') || 'log.entries'} to be ${issue.message.replace(/^Invalid input: /, '')}`);
  }
  const out: Exchange[] = [];
  parsed.data.log.entries.forEach((e, index) => {
    let url: URL;
    try { url = new URL(e.request.url); } catch { return; } // data: and blob: URLs are not requests
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return;
    const startedMs = Date.parse(e.startedDateTime);
    if (!Number.isFinite(startedMs)) throw new UsageError(`invalid HAR ${file}: expected entries[${index}].startedDateTime to be a date, got ${JSON.stringify(e.startedDateTime)}`);
    const pd = e.request.postData;
    let body: Exchange['body'] = null;
    if (pd && (pd.text !== undefined || pd.params)) {
      const textBody = pd.text ?? new URLSearchParams(pd.params!.map((p): [string, string] => [p.name, p.value ?? ''])).toString();
      body = { mime: pd.mimeType, text: textBody };
    }
    const c = e.response.content;
    const mime = c.mimeType ?? '';
    let responseText = '';
    if (c.text !== undefined && TEXT_MIME.test(mime)) responseText = c.encoding === 'base64' ? Buffer.from(c.text, 'base64').toString('utf8') : c.text;
    out.push({
      index, startedMs, endedMs: startedMs + Math.max(0, e.time ?? 0),
      method: e.request.method.toUpperCase(), url,
      requestHeaders: headers(e.request.headers), body,
      status: e.response.status, responseHeaders: headers(e.response.headers),
      responseMime: mime, responseText, resourceType: e._resourceType,
    });
  });
  return out.sort((a, b) => a.startedMs - b.startedMs || a.index - b.index);
}

export function header(list: readonly [string, string][], name: string): string | undefined {
  return list.find(([k]) => k === name)?.[1];
}
