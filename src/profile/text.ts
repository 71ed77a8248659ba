import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { UsageError } from '../contracts/errors.js';
import { parseProfileInput, type ProfileInput } from './schema.js';

/**
 * A profile file's text, JSON or YAML. Kept apart from index.ts: the yaml package's Node build does not
 * bundle into scenario files, which read JSON profiles (parseProfileJson).
 */
export function parseProfileText(text: string, fileName = 'profile'): ProfileInput {
  let raw: unknown;
  try {
    raw = /\.json$/i.test(fileName) ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new UsageError(`invalid profile file ${fileName}: ${(err as Error).message.split('\n')[0]}`);
  }
  return parseProfileInput(raw ?? {}, `profile ${fileName}`);
}

/** A profile file from disk (the only I/O of src/profile: launch-day passes a path). */
export function readProfileFile(path: string): ProfileInput {
  let text: string;
  try { text = readFileSync(path, 'utf8'); } catch (err) {
    throw new UsageError(`invalid profile file: expected a readable JSON or YAML file, got ${JSON.stringify(path)} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  return parseProfileText(text, path);
}
