import { appendFile } from 'node:fs/promises';

/**
 * GitHub Actions' job summary: Markdown appended to the file `$GITHUB_STEP_SUMMARY` names, when it is
 * set (docs.github.com, "Adding a job summary"); a summary that cannot be written is said, not fatal:
 * the verdict is the exit code. Returns the file written, or null.
 */
export async function appendStepSummary(markdown: string, env: NodeJS.ProcessEnv = process.env,
  warn: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): Promise<string | null> {
  const file = env.GITHUB_STEP_SUMMARY;
  if (!file) return null;
  try {
    await appendFile(file, markdown.endsWith('\n') ? `${markdown}\n` : `${markdown}\n\n`);
    return file;
  } catch (err) {
    warn(`note: could not append the gate's Markdown to $GITHUB_STEP_SUMMARY (${file}): ${(err as Error).message}`);
    return null;
  }
}
