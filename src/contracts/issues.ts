import { expectedWords, type IssueLike } from '../../mock-portal/src/issue-words.js';
import { invalid, type UsageError } from './errors.js';

/** The value at a zod issue's path in the input. */
export function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v = input;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

/** A zod issue as "invalid <what>: expected <plain words>, got <the value>" (exit 2). */
export function issueError(what: string, issue: IssueLike & { path: readonly PropertyKey[] }, got: unknown): UsageError {
  return invalid(what, expectedWords(issue), got);
}

export { expectedWords };
