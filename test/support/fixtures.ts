import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * The shared recorded payloads live outside the repo (env UPCAUSE_FIXTURES, default ../shared/fixtures).
 * A user's clone does not have them: those tests are skipped with a notice, except under CI=true,
 * where a missing directory is a failure.
 */
export const sharedFixturesDir = path.resolve(repoRoot, process.env.UPCAUSE_FIXTURES ?? '../shared/fixtures');
export const hasSharedFixtures = existsSync(path.join(sharedFixturesDir, 'real'));

if (!hasSharedFixtures) {
  if (process.env.CI === 'true') {
    throw new Error(
      `shared fixtures not found at ${sharedFixturesDir} (set UPCAUSE_FIXTURES); CI requires them`,
    );
  }
  console.warn(
    `[upcause tests] shared fixtures not found at ${sharedFixturesDir}: tests on recorded payloads are skipped`,
  );
}

/** Reads a file under the shared fixtures directory, e.g. `real/statuspage/x.json`. */
export function readShared(relative: string): Promise<string> {
  return readFile(path.join(sharedFixturesDir, relative), 'utf8');
}

/** Lists file names in a shared fixtures folder. */
export async function listShared(relative: string): Promise<string[]> {
  return (await readdir(path.join(sharedFixturesDir, relative))).sort();
}

/** Reads a fixture kept in this repo under test/fixtures. */
export function readOwn(relative: string): Promise<string> {
  return readFile(path.join(repoRoot, 'test/fixtures', relative), 'utf8');
}
