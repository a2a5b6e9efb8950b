import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { readMinuteCounts } from '../src/store/error-buckets.js';
import { createIngestWorker } from '../workers/ingest-worker.js';
import { createTestRedis, redisUrl, type TestRedis } from './support/redis.js';
import { waitUntil } from './support/wait.js';

describe('events naming a watched vendor their own way are counted under its id (real Redis, ingest worker)', () => {
  let t: TestRedis;
  beforeAll(async () => {
    t = await createTestRedis('ingest-vendor-names');
  });
  afterAll(async () => {
    await t.cleanup();
  });

  test('display name, variant, SDK package and host map to the id, as does a host in the code or endpoint of an event naming none; an unknown vendor stays as written', async () => {
    const config = parseConfig(
      {
        redis: { url: redisUrl, prefix: t.prefix },
        vendors: [
          { id: 'discord-api', name: 'Discord', provider: 'statuspage', url: 'https://discordstatus.com' },
          { id: 'anthropic', name: 'Anthropic', provider: 'statuspage', url: 'https://status.anthropic.com' },
          { id: 'datadog', name: 'Datadog', provider: 'statuspage', url: 'https://status.datadoghq.com' },
        ],
        ingest: { retention: '2d' },
      },
      {},
      'test',
    );
    const minute = Math.floor(Date.now() / 60_000) - 2;
    const at = new Date(minute * 60_000 + 5_000).toISOString();
    const named = [
      'Discord',
      'Discord API',
      'discord.js',
      'api.anthropic.com',
      '@datadog/datadog-api-client',
      'acme-pay',
    ];
    for (const vendor of named)
      await t.redis.xadd(t.keys.errors, '*', 'at', at, 'service', 'bots', 'vendor', vendor, 'status', '503');
    // No vendor field: the host the client logged in its code or endpoint names the vendor; none, none.
    const unnamed = [
      ['code', 'ECONNRESET api.anthropic.com:443'],
      ['endpoint', 'POST https://discord.com/api/v10/channels/1/messages'],
      ['code', 'ECONNRESET db.internal.example:5432'],
    ];
    for (const [field, value] of unnamed)
      await t.redis.xadd(t.keys.errors, '*', 'at', at, 'service', 'bots', field!, value!, 'status', '503');
    const worker = createIngestWorker({
      redis: t.redis,
      keys: t.keys,
      config,
      logger: createLogger('silent'),
    });
    const running = worker.run();
    try {
      await waitUntil(
        'the worker to count every entry',
        () => worker.stats().entries >= named.length + unnamed.length,
      );
    } finally {
      await worker.close();
      await running;
    }
    const [bucket] = await readMinuteCounts(t.redis, t.keys, minute, minute);
    const byVendor: Record<string, number> = {};
    for (const c of bucket?.counts ?? [])
      byVendor[c.series.vendor] = (byVendor[c.series.vendor] ?? 0) + c.count;
    expect(byVendor).toEqual({ 'discord-api': 4, anthropic: 2, datadog: 1, 'acme-pay': 1, '': 1 });
  });
});
