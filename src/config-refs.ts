import { readFileSync, statSync } from 'node:fs';

/**
 * Secrets kept out of the config file: a string value of a secret-bearing key (a token, a secret, an
 * API key, a URL, a password) may name an environment variable (`${NAME}`, also inside a longer value
 * such as `redis://:${REDIS_PASSWORD}@redis:6379`) or a file (`file:/run/secrets/name`, read whole,
 * trailing newlines dropped). `$${` stands for a literal `${`. Resolved once, before validation, so
 * the schema judges the real value and every error names the key.
 */

/** Keys (the last segment of a path, any case) whose string values may hold references. */
const referenceKey = /(secret|token|url|apikey|password)s?$/i;
const envReference = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;
/** Secrets files are small; a bigger one is a wrong path (a log, a disk image). */
const maxFileBytes = 64 * 1024;

/** Resolves references in `doc` (a parsed YAML document), returning a copy; `problems` gets one line per bad key. */
export function resolveReferences(
  doc: unknown,
  env: Record<string, string | undefined>,
  problems: string[],
): unknown {
  return walk(doc, [], false, env, problems);
}

function walk(
  value: unknown,
  path: Array<string | number>,
  secretKey: boolean,
  env: Record<string, string | undefined>,
  problems: string[],
): unknown {
  if (typeof value === 'string') return secretKey ? resolveString(value, path, env, problems) : value;
  if (Array.isArray(value)) return value.map((item, i) => walk(item, [...path, i], secretKey, env, problems));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value))
      out[key] = walk(item, [...path, key], referenceKey.test(key), env, problems);
    return out;
  }
  return value;
}

function formatPath(path: ReadonlyArray<string | number>): string {
  return path.map((s, i) => (typeof s === 'number' ? `[${s}]` : `${i === 0 ? '' : '.'}${s}`)).join('');
}

function resolveString(
  value: string,
  path: ReadonlyArray<string | number>,
  env: Record<string, string | undefined>,
  problems: string[],
): string {
  const key = formatPath(path);
  if (value.startsWith('file:')) {
    const file = value.slice('file:'.length);
    try {
      if (statSync(file).isDirectory()) throw new Error('it is a directory');
      if (statSync(file).size > maxFileBytes) throw new Error(`it is larger than ${maxFileBytes} bytes`);
      const text = readFileSync(file, 'utf8').replace(/[\r\n]+$/, '');
      if (text === '') throw new Error('it is empty');
      return text;
    } catch (error) {
      const why = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      problems.push(`  ${key}: cannot read the file ${file} (${why})`);
      return value;
    }
  }
  return value.replace(envReference, (match, name: string | undefined) => {
    if (name === undefined) return '${';
    const found = env[name];
    if (found === undefined || found === '') {
      problems.push(`  ${key}: the environment variable ${name} is not set`);
      return match;
    }
    return found;
  });
}
