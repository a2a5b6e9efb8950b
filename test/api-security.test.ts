import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApi } from '../src/api/server.js';
import { redactUrl, secretEquals } from '../src/api/auth.js';
import { createRateLimiter } from '../src/api/rate-limit.js';
import { parseConfig, type Config } from '../src/config.js';
import { createLogger, type Logger } from '../src/logger.js';
import { connectRedis } from '../src/store/redis.js';
import { createVendorStore } from '../src/store/vendors.js';
import { createTestRedis, redisUrl, type TestRedis } from './support/redis.js';

const producerToken = 'ingest-token-AAAA-0123456789';
const rotatedToken = 'ingest-token-BBBB-0123456789';
const otherToken = 'ingest-token-CCCC-0123456789';
const readToken = 'read-token-DDDD-0123456789ab';
const pagerdutySecret = 'pd-secret-EEEE-0123456789';
const githubSecret = 'gh-secret-FFFF-0123456789';
const opsgenieToken = 'og-token-GGGG-0123456789';

/** A pino destination that keeps every line, to search for secrets afterwards. */
function captureLogs(level = 'trace'): { logger: Logger; text: () => string } {
  const lines: string[] = [];
  const logger = createLogger(level, { write: (line: string) => void lines.push(line) });
  return { logger, text: () => lines.join('') };
}

function configFor(prefix: string, overrides: { tokens?: boolean; rateLimit?: number } = {}): Config {
  return parseConfig(
    {
      redis: { url: redisUrl, prefix },
      vendors: [],
      services: [{ name: 'backstage' }],
      api: {
        port: 0,
        rateLimit: overrides.rateLimit ?? 6000,
        tokens:
          overrides.tokens === false
            ? []
            : [
                // Two secrets for one name: a rotation in progress shares one quota.
                { name: 'producer', token: producerToken, scopes: ['ingest'] },
                { name: 'producer', token: rotatedToken, scopes: ['ingest'] },
                { name: 'other', token: otherToken, scopes: ['ingest'] },
                { name: 'dashboard', token: readToken, scopes: ['read'] },
              ],
      },
      webhooks: { pagerdutySecret, githubSecret, opsgenieToken },
    },
    {},
    'test',
  );
}

interface Started {
  url: string;
  producer: Redis;
  close(): Promise<void>;
}

async function startApi(t: TestRedis, config: Config, logger: Logger): Promise<Started> {
  const producer = await connectRedis(redisUrl, 'producer', 'test-security-api');
  const app = createApi({ config, store: createVendorStore(producer, t.keys), redis: producer, logger });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    url,
    producer,
    async close() {
      await app.close();
      producer.disconnect();
    },
  };
}

const oneEvent = () => JSON.stringify({ at: Date.now() - 60_000, service: 'backstage', status: 503 });
const postErrors = (url: string, token?: string) =>
  fetch(`${url}/v1/errors`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: oneEvent(),
  });

describe('API security: tokens, scopes, rate limits, body limits', () => {
  let t: TestRedis;

  beforeAll(async () => {
    t = await createTestRedis('api-security');
  });

  afterAll(async () => {
    await t?.cleanup();
  });

  test('no token is 401 with a WWW-Authenticate header; a read-only token is 403 naming the scope', async () => {
    const api = await startApi(t, configFor(t.prefix), createLogger('silent'));
    try {
      const anonymous = await postErrors(api.url);
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get('www-authenticate')).toBe('Bearer');
      expect(await anonymous.json()).toEqual({
        error: 'missing or unknown bearer token (send Authorization: Bearer <token>)',
      });
      expect((await postErrors(api.url, `${producerToken}x`)).status).toBe(401);
      const reader = await postErrors(api.url, readToken);
      expect(reader.status).toBe(403);
      expect(await reader.json()).toEqual({ error: 'token "dashboard" lacks the "ingest" scope' });
    } finally {
      await api.close();
    }
  });

  test('past api.rateLimit a token gets 429 with Retry-After; the quota is per token name, shared across its secrets', async () => {
    const api = await startApi(t, configFor(t.prefix, { rateLimit: 4 }), createLogger('silent'));
    try {
      const statuses: number[] = [];
      for (const token of [producerToken, rotatedToken, producerToken, rotatedToken]) {
        const res = await postErrors(api.url, token);
        statuses.push(res.status);
        expect(Number(res.headers.get('x-ratelimit-limit'))).toBe(4);
      }
      expect(statuses).toEqual([202, 202, 202, 202]);
      const limited = await postErrors(api.url, rotatedToken);
      expect(limited.status).toBe(429);
      const retryAfter = Number(limited.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(((await limited.json()) as { error: string }).error).toMatch(
        /^rate limit of 4 requests per minute exceeded for token "producer" \(api\.rateLimit\); retry in \d+ s$/,
      );
      // Another token has its own quota.
      expect((await postErrors(api.url, otherToken)).status).toBe(202);
    } finally {
      await api.close();
    }
  });

  test('without tokens the quota is per client address', async () => {
    const api = await startApi(
      t,
      configFor(t.prefix, { tokens: false, rateLimit: 2 }),
      createLogger('silent'),
    );
    try {
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await postErrors(api.url)).status);
      expect(statuses).toEqual([202, 202, 429]);
    } finally {
      await api.close();
    }
  });

  test('the rate limiter is a fixed window: the count starts again in the next window', async () => {
    let now = Date.parse('2026-01-01T00:00:10Z');
    const limiter = createRateLimiter({
      redis: t.redis,
      keys: t.keys,
      limit: 2,
      logger: createLogger('silent'),
      now: () => now,
    });
    const who = `token:window-${Math.random()}`;
    expect((await limiter.hit(who)).allowed).toBe(true);
    expect(await limiter.hit(who)).toMatchObject({ allowed: true, remaining: 0 });
    expect(await limiter.hit(who)).toEqual({ allowed: false, limit: 2, remaining: 0, resetSeconds: 50 });
    now += 50_000;
    expect(await limiter.hit(who)).toMatchObject({ allowed: true, remaining: 1 });
  });

  test('the rate limiter fails open, with a warning, when Redis cannot be reached', async () => {
    const logs = captureLogs('warn');
    const dead = await connectRedis(redisUrl, 'producer', 'test-security-dead');
    dead.disconnect();
    const limiter = createRateLimiter({ redis: dead, keys: t.keys, limit: 1, logger: logs.logger });
    for (let i = 0; i < 3; i++) expect((await limiter.hit('token:x')).allowed).toBe(true);
    // One warning, not one per request.
    expect(logs.text().match(/rate limiter cannot reach Redis/g)).toHaveLength(1);
  });

  test('a webhook body over 1 MiB is refused with 413 before its signature is even checked', async () => {
    const api = await startApi(t, configFor(t.prefix), createLogger('silent'));
    try {
      const res = await fetch(`${api.url}/v1/webhooks/pagerduty`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-pagerduty-signature': 'v1=00' },
        body: `{"pad":"${'x'.repeat(1024 * 1024 + 10)}"}`,
      });
      expect(res.status).toBe(413);
      expect(((await res.json()) as { error: string }).error).toMatch(
        /larger than the limit of 1048576 bytes/,
      );
    } finally {
      await api.close();
    }
  });

  test('secretEquals() compares by digest, so unequal lengths are simply unequal', () => {
    expect(secretEquals('abc', 'abc')).toBe(true);
    expect(secretEquals('abc', 'abcd')).toBe(false);
    expect(secretEquals('', 'abc')).toBe(false);
  });

  test('redactUrl() masks secret-bearing query parameters and nothing else', () => {
    expect(redactUrl('/v1/webhooks/opsgenie?token=abc&x=1')).toBe(
      '/v1/webhooks/opsgenie?token=[redacted]&x=1',
    );
    expect(redactUrl('/v1/x?a=1&api_key=k#f')).toBe('/v1/x?a=1&api_key=[redacted]#f');
    expect(redactUrl('/v1/incidents?service=token')).toBe('/v1/incidents?service=token');
  });
});

describe('log redaction', () => {
  let t: TestRedis;

  beforeAll(async () => {
    t = await createTestRedis('api-redaction');
  });

  afterAll(async () => {
    await t?.cleanup();
  });

  test('no token, webhook secret or signature reaches the log, at trace level, for good and bad requests', async () => {
    const logs = captureLogs('trace');
    const api = await startApi(t, configFor(t.prefix), logs.logger);
    const wrongToken = 'wrong-token-HHHH-0123456789';
    try {
      const raw = readFileSync(
        new URL('./fixtures/webhooks/pagerduty-incident-triggered-from-docs.json', import.meta.url),
      );
      const pdSignature = createHmac('sha256', pagerdutySecret).update(raw).digest('hex');
      const og = readFileSync(
        new URL('./fixtures/webhooks/opsgenie-alert-create-from-docs.json', import.meta.url),
      );
      const requests: Array<[string, RequestInit]> = [
        [
          '/v1/errors',
          {
            method: 'POST',
            headers: { authorization: `Bearer ${producerToken}`, 'content-type': 'application/json' },
            body: oneEvent(),
          },
        ],
        [
          '/v1/errors',
          {
            method: 'POST',
            headers: { authorization: `Bearer ${wrongToken}`, 'content-type': 'application/json' },
            body: oneEvent(),
          },
        ],
        [
          '/v1/errors',
          {
            method: 'POST',
            headers: { authorization: `Bearer ${readToken}`, 'content-type': 'application/json' },
            body: '[',
          },
        ],
        ['/v1/vendors', { headers: { authorization: `Bearer ${readToken}` } }],
        [
          '/v1/webhooks/pagerduty',
          {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-pagerduty-signature': `v1=${pdSignature}` },
            body: raw,
          },
        ],
        [
          '/v1/webhooks/pagerduty',
          {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-pagerduty-signature': `v1=${pagerdutySecret}` },
            body: raw,
          },
        ],
        [
          `/v1/webhooks/opsgenie?token=${opsgenieToken}`,
          { method: 'POST', headers: { 'content-type': 'application/json' }, body: og },
        ],
        [
          `/v1/webhooks/opsgenie?token=${wrongToken}`,
          { method: 'POST', headers: { 'content-type': 'application/json' }, body: og },
        ],
        [
          '/v1/webhooks/opsgenie',
          {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${opsgenieToken}` },
            body: og,
          },
        ],
        [
          '/v1/webhooks/github',
          {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              'x-hub-signature-256': `sha256=${githubSecret}`,
              'x-github-event': 'deployment_status',
            },
            body: '{}',
          },
        ],
      ];
      const statuses = [];
      for (const [path, init] of requests) statuses.push((await fetch(`${api.url}${path}`, init)).status);
      expect(statuses).toEqual([202, 401, 403, 200, 202, 401, 202, 401, 202, 401]);
    } finally {
      await api.close();
    }
    const text = logs.text();
    // The requests were logged (so the check below searched something real)…
    expect(text).toMatch(/"url":"\/v1\/webhooks\/opsgenie\?token=\[redacted\]"/);
    expect(text).toMatch(/incoming request/);
    // …and no secret appears anywhere in them.
    for (const secret of [
      producerToken,
      readToken,
      wrongToken,
      pagerdutySecret,
      githubSecret,
      opsgenieToken,
    ]) {
      expect(text.includes(secret), `log contains ${secret.slice(0, 8)}…`).toBe(false);
    }
  });
});
