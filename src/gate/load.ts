import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '../contracts/errors.js';
import { expectedWords } from '../contracts/issues.js';
import { summarySchema, type Summary } from '../contracts/summary.js';

/** A summary.json, or a run directory holding one; every refusal names the file (and field). Exit 2. */
export async function loadSummary(path: string, role: string): Promise<{ file: string; summary: Summary }> {
  let file = path;
  try {
    if ((await stat(path)).isDirectory()) file = join(path, 'summary.json');
  } catch {
    throw new UsageError(`invalid ${role} ${path}: expected a summary.json file or a run directory, got no such file`);
  }
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new UsageError(`invalid ${role} ${path}: expected ${file} (run \`capacity-test report ${path}\` to build it), got no such file`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`invalid ${role} ${file}: expected JSON, got ${(err as Error).message}`);
  }
  return { file, summary: parseSummary(data, `${role} ${file}`) };
}

/** Validate against the summary.json v1 schema, naming the first bad field. */
export function parseSummary(data: unknown, what: string): Summary {
  const r = summarySchema.safeParse(data);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const field = issue.path.length ? issue.path.map(String).join('.') : '(top level)';
  let got: unknown = data;
  for (const k of issue.path) got = got && typeof got === 'object' ? (got as Record<PropertyKey, unknown>)[k as PropertyKey] : undefined;
  const shown = got === undefined ? 'nothing' : JSON.stringify(got)?.slice(0, 60);
  throw new UsageError(`invalid ${what}: field ${field}: expected ${expectedWords(issue)}, got ${shown}`);
}
