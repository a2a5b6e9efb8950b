import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApi } from '../src/api/server.js';
import { createReporter } from '../src/client/index.js';
import { parseConfig } from '../src/config.js';
import { decodeEntry } from '../src/ingest/stream-fields.js';
import { createLogger } from '../src/logger.js';
import { describeRedisError, isRedisFailure } from '../src/store/redis-errors.js';
import { connectRedis } from '../src/store/redis.js';
import { createVendorStore } from '../src/store/vendors.js';
import { createTestRedis, redisUrl, type TestRedis } from './support/redis.js';
import { waitUntil } from './support/wait.js';

const ingestToken = 'ingest-token-0123456789abcdef';

async function startApi(t: TestRedis, redisDeadlineMs = 300) {
  const config = parseConfig(
    {
      redis: { url: redisUrl, prefix: t.prefix },
      api: { port: 0, tokens: [{ name: 'producer', token: ingestToken, scopes: ['ingest'] }] },
    },
    {},
    'test',
  );
  const redis = await connectRedis(redisUrl, 'producer', 'test-ingest-idempotency');
  const app = createApi({
    config,
    store: createVendorStore(redis, t.keys),
    redis,
    logger: createLogger('silent'),
    redisDeadlineMs,
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    url,
    async close() {
      await app.close();
      redis.disconnect();
    },
  };
}

function post(url: string, body: string, key?: string) {
  return fetch(`${url}/v1/errors`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-ndjson',
      authorization: `Bearer ${ingestToken}`,
      ...(key === undefined ? {} : { 'idempotency-key': key }),
    },
    body,
  });
}

const at = () => new Date(Date.now() - 60_000).toISOString();
const ndjson = (...codes: string[]) =>
  codes.map((code) => JSON.stringify({ at: at(), service: 'backstage', vendor: '100ms', code })).join('\n');

/** Events stored in the stream, summed over its entries (what the ingest worker will count). */
async function storedEvents(t: TestRedis): Promise<{ entries: number; events: number }> {
  const entries = await t.redis.xrange(t.keys.errors, '-', '+');
  const window = { now: Date.now(), retentionMs: 86_400_000 };
  const events = entries.reduce((sum, [, fields]) => sum + decodeEntry(fields, window).events.length, 0);
  return { entries: entries.length, events };
}

describe('POST /v1/errors with an Idempotency-Key (real Redis)', () => {
  let t: TestRedis;
  let api: Awaited<ReturnType<typeof startApi>>;

  beforeAll(async () => {
    t = await createTestRedis('ingest-idem');
    api = await startApi(t);
  });

  afterAll(async () => {
    await api?.close();
    await t?.cleanup();
  });

  test('a retry of a request that landed answers 200 with the first answer and stores nothing more', async () => {
    const body = ndjson('A', 'B');
    const first = await post(api.url, body, 'req-landed');
    expect(first.status).toBe(202);
    const firstAnswer = (await first.json()) as Record<string, unknown>;
    const again = await post(api.url, body, 'req-landed');
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await again.json()).toEqual({ ...firstAnswer, replayed: true });
    expect(await storedEvents(t)).toEqual({ entries: 1, events: 2 });
    await t.redis.del(t.keys.errors);
  });

  test('the same key sent five times at once stores the batch once', async () => {
    const body = ndjson('C');
    const answers = await Promise.all([1, 2, 3, 4, 5].map(() => post(api.url, body, 'req-burst')));
    expect(answers.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 202]);
    expect(await storedEvents(t)).toEqual({ entries: 1, events: 1 });
    await t.redis.del(t.keys.errors);
  });

  test('a key reused with another body is refused with 422, and a malformed key with 400', async () => {
    expect((await post(api.url, ndjson('D'), 'req-reused')).status).toBe(202);
    const reused = await post(api.url, ndjson('E'), 'req-reused');
    expect(reused.status).toBe(422);
    expect(((await reused.json()) as { error: string }).error).toMatch(/different body/);
    const long = await post(api.url, ndjson('F'), 'k'.repeat(201));
    expect(long.status).toBe(400);
    expect(((await long.json()) as { error: string }).error).toMatch(/Idempotency-Key: expected 1–200/);
    expect(await storedEvents(t)).toEqual({ entries: 1, events: 1 });
    await t.redis.del(t.keys.errors);
  });

  test('Redis frozen by CLIENT PAUSE: 503 "outcome unknown", the write lands on resume, the retry counts once', async () => {
    const control = new Redis(redisUrl, { maxRetriesPerRequest: null });
    const body = ndjson('G', 'H', 'I');
    try {
      // Writes (scripts included) wait; the safety timeout ends the pause if this test dies.
      await control.call('CLIENT', 'PAUSE', '10000', 'WRITE');
      const first = await post(api.url, body, 'req-frozen');
      await control.call('CLIENT', 'UNPAUSE');
      expect(first.status).toBe(503);
      expect(first.headers.get('retry-after')).toBe('1');
      const answer = (await first.json()) as { error: string; outcome: string };
      expect(answer.outcome).toBe('unknown');
      expect(answer.error).toMatch(/^Redis at 127\.0\.0\.1:6379 did not answer within 300 ms/);
      expect(answer.error).toMatch(/retry with the same Idempotency-Key/);
      expect(answer.error).not.toMatch(/nothing was stored/);
      const retry = await post(api.url, body, 'req-frozen');
      expect(retry.status).toBe(200);
      expect(await retry.json()).toMatchObject({ accepted: 3, replayed: true });
      expect(await storedEvents(t)).toEqual({ entries: 1, events: 3 });
    } finally {
      await control.call('CLIENT', 'UNPAUSE').catch(() => {});
      control.disconnect();
      await t.redis.del(t.keys.errors);
    }
  });

  test('without a key a frozen Redis still gets an honest 503 that asks for one', async () => {
    const control = new Redis(redisUrl, { maxRetriesPerRequest: null });
    try {
      await control.call('CLIENT', 'PAUSE', '10000', 'WRITE');
      const res = await post(api.url, ndjson('J'));
      await control.call('CLIENT', 'UNPAUSE');
      expect(res.status).toBe(503);
      const { error } = (await res.json()) as { error: string };
      expect(error).toMatch(/the outcome is unknown/);
      expect(error).toMatch(/send an Idempotency-Key header/);
    } finally {
      await control.call('CLIENT', 'UNPAUSE').catch(() => {});
      control.disconnect();
    }
  });
});

describe('the reporter in API mode against a frozen Redis (real API, real Redis)', () => {
  let t: TestRedis;
  let api: Awaited<ReturnType<typeof startApi>>;

  beforeAll(async () => {
    t = await createTestRedis('ingest-idem-client');
    api = await startApi(t);
  });

  afterAll(async () => {
    await api?.close();
    await t?.cleanup();
  });

  test('retries the 503 with the same Idempotency-Key: the batch that landed on resume counts once', async () => {
    const control = new Redis(redisUrl, { maxRetriesPerRequest: null });
    const reporter = createReporter(
      { apiUrl: api.url, token: ingestToken },
      { service: 'checkout', handleExit: false, retryBaseMs: 50, retryMaxMs: 200, maxAttempts: 20 },
    );
    try {
      await control.call('CLIENT', 'PAUSE', '10000', 'WRITE');
      reporter.report({ at: at(), vendor: 'twilio', code: 'A' });
      reporter.report({ at: at(), vendor: 'twilio', code: 'B' });
      const flushed = reporter.flush();
      await waitUntil('a first attempt answered 503', () => reporter.stats().failedAttempts, {
        until: (n) => n >= 1,
      });
      await control.call('CLIENT', 'UNPAUSE');
      await flushed;
      expect(reporter.stats()).toMatchObject({ sent: 2, dropped: { failed: 0 } });
      expect(reporter.stats().failedAttempts).toBeGreaterThanOrEqual(1);
      expect(await storedEvents(t)).toEqual({ entries: 1, events: 2 });
    } finally {
      await control.call('CLIENT', 'UNPAUSE').catch(() => {});
      control.disconnect();
      await reporter.close();
    }
  });
});

describe('describeRedisError() says what a Redis failure means, in our words', () => {
  const url = 'redis://:secret@10.0.0.5:6380/0';

  test('a refused connection names the address and says nothing was sent', () => {
    const trouble = describeRedisError(new Error('connect ECONNREFUSED 10.0.0.5:6380'), url);
    expect(trouble).toEqual({
      message: 'Redis at 10.0.0.5:6380 refused the connection (is it running?)',
      maybeApplied: false,
    });
  });

  test('with redis.cluster.nodes set, the cluster nodes are named rather than the unused redis.url', () => {
    const where = { url, cluster: { nodes: ['redis://u:pw@10.0.0.1:7000', 'redis://10.0.0.2:7001'] } };
    const trouble = describeRedisError(new Error('connect ECONNREFUSED 10.0.0.1:7000'), where);
    expect(trouble.message).toBe(
      'Redis Cluster at 10.0.0.1:7000, 10.0.0.2:7001 refused the connection (is it running?)',
    );
    expect(describeRedisError(new Error('Command timed out'), { url }).message).toBe(
      'Redis at 10.0.0.5:6380 is not answering (timed out)',
    );
  });

  test('an unsent command (no offline queue) is "not answering"; a timeout leaves the outcome open', () => {
    const unsent = describeRedisError(
      new Error("Stream isn't writeable and enableOfflineQueue options is false"),
      url,
    );
    expect(unsent).toEqual({
      message: 'Redis at 10.0.0.5:6380 is not answering (not connected)',
      maybeApplied: false,
    });
    expect(describeRedisError(new Error('Command timed out'), url)).toEqual({
      message: 'Redis at 10.0.0.5:6380 is not answering (timed out)',
      maybeApplied: true,
    });
    expect(describeRedisError(new Error('Connection is closed.'), url).message).not.toMatch(/secret/);
    expect(isRedisFailure(new Error("Stream isn't writeable and enableOfflineQueue options is false"))).toBe(
      true,
    );
    expect(isRedisFailure(new Error('vendor "x" is not watched'))).toBe(false);
  });
});
