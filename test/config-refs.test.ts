import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { checkApiExposure, isLoopback } from '../src/api/exposure.js';
import { loadConfig, parseConfig } from '../src/config.js';
import { ConfigError } from '../src/core/errors.js';

const tmp = () => mkdtempSync(path.join(tmpdir(), 'upcause-refs-'));
const token = 'a-token-of-at-least-16-chars';

function configError(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

const withToken = (value: string) => ({
  vendors: [],
  api: { tokens: [{ name: 'producer', token: value, scopes: ['ingest'] }] },
});

describe('config: ${ENV} and file: references in secrets, tokens and URLs', () => {
  test('a token names an environment variable; a URL embeds one', () => {
    const config = parseConfig(
      { ...withToken('${INGEST_TOKEN}'), redis: { url: 'redis://:${REDIS_PASSWORD}@redis:6379' } },
      { INGEST_TOKEN: token, REDIS_PASSWORD: 'p@ss' },
      'test',
    );
    expect(config.api.tokens[0]?.token).toBe(token);
    expect(config.redis.url).toBe('redis://:p@ss@redis:6379');
  });

  test('file: reads the file whole, without its trailing newline', () => {
    const file = path.join(tmp(), 'token');
    writeFileSync(file, `${token}\n`);
    const config = parseConfig(
      { ...withToken(`file:${file}`), webhooks: { githubSecret: `file:${file}` } },
      {},
      'test',
    );
    expect(config.api.tokens[0]?.token).toBe(token);
    expect(config.webhooks.githubSecret).toBe(token);
  });

  test('an unset variable and an unreadable file are errors naming the key', () => {
    const unset = configError(() => parseConfig(withToken('${NOT_SET_ANYWHERE}'), {}, 'test'));
    expect(unset).toContain('api.tokens[0].token: the environment variable NOT_SET_ANYWHERE is not set');
    const missing = path.join(tmp(), 'absent');
    const unreadable = configError(() =>
      parseConfig({ vendors: [], api: { console: { sessionSecret: `file:${missing}` } } }, {}, 'test'),
    );
    expect(unreadable).toContain(`api.console.sessionSecret: cannot read the file ${missing} (ENOENT)`);
    const dir = tmp();
    expect(configError(() => parseConfig(withToken(`file:${dir}`), {}, 'test'))).toContain(
      `api.tokens[0].token: cannot read the file ${dir} (it is a directory)`,
    );
  });

  test('values of other keys, and $${, stay as written', () => {
    const config = parseConfig(
      {
        vendors: [],
        services: [{ name: '${NOT_A_SECRET}' }],
        api: { tokens: [{ name: 'p', token: 'literal-$${kept}-token', scopes: ['read'] }] },
      },
      {},
      'test',
    );
    expect(config.services[0]?.name).toBe('${NOT_A_SECRET}');
    expect(config.api.tokens[0]?.token).toBe('literal-${kept}-token');
  });

  test('UPCAUSE_API_TOKEN adds an admin token named env', () => {
    const config = parseConfig({ vendors: [] }, { UPCAUSE_API_TOKEN: token }, 'test');
    expect(config.api.tokens).toEqual([{ name: 'env', token, scopes: ['admin'] }]);
    expect(configError(() => parseConfig({ vendors: [] }, { UPCAUSE_API_TOKEN: 'short' }, 'test'))).toContain(
      'api.tokens[0].token (from UPCAUSE_API_TOKEN): expected a token of at least 16 characters',
    );
  });
});

describe('config: where the file is and who may reach the API', () => {
  test('a config path that is a directory (a bind mount of a missing file) is a clear error', () => {
    const cwd = tmp();
    mkdirSync(path.join(cwd, 'upcause.yaml'));
    expect(configError(() => loadConfig({ env: {}, cwd }))).toMatch(
      /upcause\.yaml is a directory, not a file/,
    );
    expect(configError(() => loadConfig({ path: cwd, env: {} }))).toMatch(/is a directory, not a file/);
  });

  test('an API without tokens may listen on loopback only, unless api.allowUnauthenticated says so', () => {
    expect(isLoopback('127.0.0.1')).toBe(true);
    expect(isLoopback('::1')).toBe(true);
    expect(isLoopback('localhost')).toBe(true);
    expect(isLoopback('0.0.0.0')).toBe(false);
    expect(isLoopback('::')).toBe(false);
    const open = (api: Record<string, unknown>) => parseConfig({ vendors: [], api }, {}, 'test');
    expect(checkApiExposure(open({}))).toEqual({ open: false });
    expect(configError(() => checkApiExposure(open({ host: '0.0.0.0' })))).toMatch(
      /api\.host is 0\.0\.0\.0.*api\.tokens is empty.*api\.allowUnauthenticated: true/,
    );
    expect(checkApiExposure(open({ host: '0.0.0.0', allowUnauthenticated: true }))).toEqual({ open: true });
    expect(checkApiExposure(parseConfig({ api: { host: '::' } }, { UPCAUSE_API_TOKEN: token }, 't'))).toEqual(
      {
        open: false,
      },
    );
  });
});
