import { EnvironmentError, invalid } from '../contracts/errors.js';

/** A target that does not answer at all is an environment problem (exit 3), said in one line. */
export async function checkReachable(target: string, fetchFn: typeof fetch = fetch, timeoutMs = 5000): Promise<void> {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw invalid('--target', 'an http(s) URL', target);
  }
  try {
    const res = await fetchFn(url, { signal: AbortSignal.timeout(timeoutMs) });
    await res.body?.cancel();
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name;
    throw new EnvironmentError(`target unreachable: ${target} (${cause})`);
  }
}
