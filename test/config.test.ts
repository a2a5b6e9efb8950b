import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { readFileSync } from 'node:fs';
import { loadConfig, parseConfig } from '../src/config.js';
import { ConfigError } from '../src/core/errors.js';

const tmp = () => mkdtempSync(path.join(tmpdir(), 'upcause-config-'));

function configError(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('config', () => {
  test('the shipped upcause.example.yaml parses and resolves catalog vendors', () => {
    const config = loadConfig({ path: 'upcause.example.yaml', env: {} });
    const ids = config.vendors.map((v) => v.id);
    expect(ids).toEqual(expect.arrayContaining(['100ms', 'twilio', 'github', 'cloudflare']));
    expect(config.vendors.find((v) => v.id === 'twilio')).toMatchObject({
      provider: 'statuspage',
      url: 'https://status.twilio.com',
    });
    expect(config.vendors.find((v) => v.id === 'datadog')?.components).toEqual(['Logs*', 'APM*']);
    expect(config.poll).toMatchObject({
      intervalMs: 60_000,
      timeoutMs: 10_000,
      maxBodyBytes: 2 * 1024 * 1024,
    });
  });

  test('an absent default file falls back to the built-in default', () => {
    const config = loadConfig({ env: {}, cwd: tmp() });
    expect(config.source).toMatch(/built-in default/);
    expect(config.vendors.length).toBeGreaterThan(0);
    expect(config.redis).toEqual({ url: 'redis://127.0.0.1:6379', prefix: 'upcause' });
  });

  test('an explicitly named file that does not exist is an error', () => {
    expect(configError(() => loadConfig({ path: 'nope.yaml', env: {}, cwd: tmp() }))).toMatch(
      /config file not found/,
    );
    expect(configError(() => loadConfig({ env: { UPCAUSE_CONFIG: 'gone.yaml' }, cwd: tmp() }))).toMatch(
      /gone\.yaml/,
    );
  });

  test('environment variables override the file', () => {
    const config = parseConfig(
      { redis: { url: 'redis://file:6379' }, api: { port: 9000 } },
      {
        REDIS_URL: 'redis://env:6380',
        PORT: '9999',
        UPCAUSE_POLL_INTERVAL: '5m',
      },
      'test',
    );
    expect(config.redis.url).toBe('redis://env:6380');
    expect(config.api.port).toBe(9999);
    expect(config.poll.intervalMs).toBe(300_000);
  });

  test('a bad value names the key and what was expected', () => {
    expect(configError(() => parseConfig({ poll: { interval: 'soon' } }, {}, 'f.yaml'))).toMatch(
      /poll\.interval: expected a duration/,
    );
    expect(configError(() => parseConfig({}, { PORT: 'eighty' }, 'f.yaml'))).toMatch(
      /api\.port \(from PORT\)/,
    );
    expect(configError(() => parseConfig({ vendors: [{ id: 'x', url: 'ftp://a' }] }, {}, 'f.yaml'))).toMatch(
      /vendors\[0\]\.url: expected an http\(s\) URL/,
    );
    expect(configError(() => parseConfig({ pol: {} }, {}, 'f.yaml'))).toMatch(/pol/);
  });

  test('a vendor outside the catalog needs name, provider and url', () => {
    expect(configError(() => parseConfig({ vendors: ['no-such-vendor'] }, {}, 'f.yaml'))).toMatch(
      /vendors\[0\]: "no-such-vendor" is not in the catalog/,
    );
    const config = parseConfig(
      { vendors: [{ id: 'acme', name: 'Acme', provider: 'statuspage', url: 'https://status.acme.test/' }] },
      {},
      'f.yaml',
    );
    expect(config.vendors[0]).toEqual({
      id: 'acme',
      name: 'Acme',
      provider: 'statuspage',
      url: 'https://status.acme.test',
      components: [],
    });
  });

  test('a service depending on an unwatched vendor is rejected', () => {
    const message = configError(() =>
      parseConfig(
        { vendors: ['github'], services: [{ name: 'api', dependsOn: [{ vendor: 'twilio' }] }] },
        {},
        'f.yaml',
      ),
    );
    expect(message).toMatch(
      /services\[0\]\.dependsOn\[0\]\.vendor: "twilio" is not one of the watched vendors/,
    );
  });

  test('provider options are checked by the provider and catalog options are applied', () => {
    const config = parseConfig({ vendors: ['gitlab'] }, {}, 'f.yaml');
    expect(config.vendors[0]).toMatchObject({ provider: 'statusio', url: 'https://api.status.io' });
    expect(config.vendors[0]?.options).toMatchObject({ pageId: expect.stringMatching(/^[0-9a-f]{24}$/) });
    const message = configError(() =>
      parseConfig(
        {
          vendors: [
            {
              id: 'x',
              name: 'X',
              provider: 'statusio',
              url: 'https://api.status.io',
              options: { pageId: 'nope' },
            },
          ],
        },
        {},
        'f.yaml',
      ),
    );
    expect(message).toMatch(/vendors\[0\]\.options\.pageId: .*\(provider statusio\)/);
    expect(
      configError(() =>
        parseConfig(
          { vendors: [{ id: 'x', name: 'X', provider: 'carrier-pigeon', url: 'https://x.test' }] },
          {},
          'f.yaml',
        ),
      ),
    ).toMatch(/vendors\[0\]\.provider: "carrier-pigeon" is not one of .*statuspage/);
  });

  test('invalid YAML is reported with the file name', () => {
    const dir = tmp();
    writeFileSync(path.join(dir, 'upcause.yaml'), 'vendors: [github\n  - x: :');
    expect(configError(() => loadConfig({ env: {}, cwd: dir }))).toMatch(/upcause\.yaml: not valid YAML/);
  });

  test('the parsed config is frozen', () => {
    const config = parseConfig(parseYaml(readFileSync('upcause.example.yaml', 'utf8')), {}, 'example');
    expect(Object.isFrozen(config.poll)).toBe(true);
    expect(Object.isFrozen(config.vendors[0])).toBe(true);
  });
});
