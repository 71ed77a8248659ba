/**
 * Names of the variables a written scenario captures into: from the key that held the value
 * (`csrf_token` → csrfToken, `x-session-token` → sessionToken) and, for a bare `id`, from the
 * resource it belongs to (`appointments[0].id` → appointmentId). The HAR and OpenAPI readers name
 * alike, so a value one operation returns and another needs meets under one name.
 */
import type { JsonPath } from '../scenario-api/capture.js';

export function camel(s: string): string {
  const words = s.replace(/^x-/i, '').split(/[^A-Za-z0-9]+/).filter(Boolean);
  const out = words.map((w, i) => (i === 0 ? w[0].toLowerCase() + w.slice(1) : w[0].toUpperCase() + w.slice(1))).join('');
  return /^[0-9]/.test(out) ? `v${out}` : out || 'value';
}

export function singular(word: string): string {
  return word.replace(/ies$/, 'y').replace(/(ss)$/, '$1').replace(/s$/, '');
}

/** The last segment of a path that is a word, not an id or a parameter: /api/v2/appointments/42 → appointments */
export function resourceOf(pathname: string): string {
  const words = pathname.split('/').filter((s) => /^[A-Za-z][A-Za-z_-]*$/.test(s) && !/^v\d+$/.test(s) && s !== 'api');
  return words.at(-1) ?? 'item';
}

/** The name of a value found at `path` in a JSON response of `pathname`. */
export function jsonHint(path: JsonPath, pathname: string): string {
  const keys = path.filter((k): k is string => typeof k === 'string');
  const last = keys.at(-1) ?? 'value';
  if (/^_?id$/i.test(last)) return idHint(keys.at(-2) ?? resourceOf(pathname));
  return camel(last);
}

/** `shops` → shopId: the name of the id of a resource. */
export function idHint(resource: string): string {
  return camel(`${singular(resource)} id`);
}
