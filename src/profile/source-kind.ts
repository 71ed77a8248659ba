import { DEFAULTS, type ProfileValues } from './defaults.js';

/**
 * What a traffic-model value's recorded source says (run.json keeps `{ value, source }`): the toolkit's
 * default (whose origin docs/sources.md gives), a profile file's value, a command-line flag's, or text
 * this version does not write. The strings are the ones resolveProfile and `profile show` record.
 */
export type SourceKind =
  | { kind: 'default' }
  | { kind: 'file'; file: string | null }
  | { kind: 'flag'; flag: string }
  | { kind: 'other'; text: string };

export function isProfileKey(key: string): key is keyof ProfileValues {
  return Object.hasOwn(DEFAULTS, key);
}

export function sourceKind(key: string, value: unknown, source: string): SourceKind {
  const file = /^profile file(?:\s+(.+))?$/.exec(source.trim());
  if (file) return { kind: 'file', file: file[1] ?? null };
  if (/^--[a-z][\w-]*$/.test(source.trim())) return { kind: 'flag', flag: source.trim() };
  // A default: today's, or an older version's wording of the same default value.
  if (isProfileKey(key) && (source === DEFAULTS[key].source || value === DEFAULTS[key].value)) return { kind: 'default' };
  return { kind: 'other', text: source };
}
