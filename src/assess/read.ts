import { streamWindows } from '../metrics/index.js';
import { UsageError } from '../contracts/errors.js';
import { readRunDirFiles, windowsFileText } from '../rundir/index.js';
import { assess, digestOptions, type AssessDeps, type Assessment } from './assessment.js';
import { digestSource, type RunDigest } from './digest.js';

/**
 * The Assessment of a run directory. Its windows are streamed (gunzip, lines, JSON) into their digest,
 * never all held at once; a bad windows file is a usage error naming it.
 */
export async function assessRunDir(runDir: string, deps?: AssessDeps): Promise<Assessment> {
  const { runInfo, windows, server } = readRunDirFiles(runDir);
  let digest: RunDigest;
  try {
    // a new stream each read: the digest may read the file twice
    digest = await digestSource((sink) => streamWindows(windowsFileText(windows), sink), digestOptions(runInfo));
  } catch (err) {
    throw new UsageError(`invalid ${windows.path}: expected ${windows.gzipped ? 'gzip ' : ''}JSON lines of metric windows, got ${(err as Error).message}`);
  }
  return assess({ runInfo, digest, server, ...(deps ? { deps } : {}) });
}
