import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { stringify } from 'yaml';
import { createLogger } from '../src/logger.js';
import { createKeys, type Keys } from '../src/store/keys.js';
import { createIngestWorker, ingestGroup, type IngestSettings } from '../workers/ingest-worker.js';
import { runCli } from './support/cli.js';
import { createTestRedis, redisUrl, type TestRedis } from './support/redis.js';
import { waitUntil } from './support/wait.js';

const maxTries = 4;
const settings: IngestSettings = {
  retentionMs: 30 * 86_400_000,
  streamMaxLen: 1_000_000,
  batchSize: 500,
  dedupeWindowMs: 3_600_000,
  claimAfterMs: 1000,
  customersPerMinute: 2000,
  maxTries,
  deadLetterMaxLen: 1000,
};
const minute = Math.floor(Date.now() / 60_000) - 5;
const good = minute;
const poisoned = minute - 1;
const atIn = (m: number) => new Date(m * 60_000 + 7_000).toISOString();

/** A JSON-lines pino destination, so tests can read what the worker logged. */
function captureLogs() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n')) if (line) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, logger: createLogger('warn', stream) };
}

const sum = (hash: Record<string, string>) => Object.values(hash).reduce((a, v) => a + Number(v), 0);

describe('dead letters of the ingest worker (real Redis, real CLI program)', () => {
  let t: TestRedis;
  let keys: Keys;
  let configPath: string;

  beforeAll(async () => {
    t = await createTestRedis('dead-letters');
    keys = createKeys(t.prefix);
    const dir = mkdtempSync(path.join(tmpdir(), 'upcause-dead-letters-'));
    configPath = path.join(dir, 'upcause.yaml');
    writeFileSync(configPath, stringify({ redis: { url: redisUrl, prefix: t.prefix }, vendors: [] }));
  });
  afterAll(async () => {
    await t.cleanup();
  });

  test(`an entry that always fails to apply is set aside after exactly ${maxTries} tries, the rest counted once; retry brings it back`, async () => {
    const { redis } = t;
    // The poisoned minute's bucket holds a string: writing that minute fails in Redis, every time.
    await redis.set(keys.errorBucket(poisoned), 'not a hash');
    await redis.xadd(
      keys.errors,
      '*',
      'events',
      JSON.stringify([
        { at: atIn(good), service: 'checkout', vendor: 'stripe', status: 503 },
        { at: atIn(good), service: 'checkout', vendor: 'stripe', status: 503, count: 2 },
      ]),
    );
    const poison = await redis.xadd(
      keys.errors,
      '*',
      ...['at', atIn(poisoned), 'service', 'search', 'vendor', 'algolia', 'code', 'ETIMEDOUT'],
    );
    await redis.xadd(
      keys.errors,
      '*',
      'event',
      JSON.stringify({ at: atIn(good), service: 'checkout', vendor: 'stripe', status: 503, count: 4 }),
    );
    const { lines, logger } = captureLogs();
    const worker = createIngestWorker({ redis, keys, config: { ingest: settings }, logger, consumer: 'w1' });
    const running = worker.run();
    try {
      await waitUntil('the poisoned entry to be set aside', () => redis.xlen(keys.deadLetters), {
        timeoutMs: 20_000,
      });
    } finally {
      await worker.close();
      await running;
    }

    // Tried exactly maxTries times: maxTries - 1 failures left it pending, the last set it aside.
    const tries = lines.filter((l) => l.entry === poison).map((l) => [l.msg, l.tries]);
    expect(tries).toEqual([
      ...Array.from({ length: maxTries - 1 }, (_, i) => [
        'stream entry failed; left pending to be tried again',
        i + 1,
      ]),
      ['stream entry set aside in the dead-letter stream', maxTries],
    ]);
    const letters = await redis.xrange(keys.deadLetters, '-', '+');
    expect(letters).toHaveLength(1);
    expect(letters[0]![1].slice(0, 2)).toEqual(['reason', expect.stringContaining('WRONGTYPE')]);
    expect(letters[0]![1].slice(2)).toEqual([
      'source-stream',
      keys.errors,
      'source-id',
      poison,
      'tries',
      String(maxTries),
      ...['at', atIn(poisoned), 'service', 'search', 'vendor', 'algolia', 'code', 'ETIMEDOUT'],
    ]);
    // Acknowledged from the source: nothing pending. The other two entries counted exactly once.
    const [pending] = (await redis.xpending(keys.errors, ingestGroup)) as [number];
    expect(pending).toBe(0);
    expect(sum(await redis.hgetall(keys.errorBucket(good)))).toBe(1 + 2 + 4);
    expect(worker.stats()).toMatchObject({ deadLettered: 1, entries: 2, events: 3 });

    // The CLI lists it.
    const listed = await runCli(['--config', configPath, 'dead-letters', '--json']);
    expect(listed.code).toBe(0);
    const body = JSON.parse(listed.stdout) as { total: number; deadLetters: Array<Record<string, unknown>> };
    expect(body.total).toBe(1);
    expect(body.deadLetters[0]).toMatchObject({
      id: letters[0]![0],
      sourceStream: keys.errors,
      sourceId: poison,
      tries: maxTries,
      fields: { at: atIn(poisoned), service: 'search', vendor: 'algolia', code: 'ETIMEDOUT' },
    });
    const table = await runCli(['--config', configPath, 'dead-letters', '--limit', '5']);
    expect(table.stdout).toContain('errors');
    expect(table.stdout).toContain('WRONGTYPE');
    expect(table.stdout).toContain('service=search');

    // Once the cause is fixed, retry puts it back on the errors stream and a worker counts it.
    await redis.del(keys.errorBucket(poisoned));
    const retried = await runCli(['--config', configPath, 'dead-letters', 'retry', '--all']);
    expect(retried.code).toBe(0);
    expect(retried.stdout).toContain('1 retried, 0 skipped');
    expect(await redis.xlen(keys.deadLetters)).toBe(0);
    const again = createIngestWorker({ redis, keys, config: { ingest: settings }, logger, consumer: 'w2' });
    const runningAgain = again.run();
    try {
      await waitUntil('the retried entry to be counted', () => again.stats().entries, {
        until: (n) => n === 1,
      });
    } finally {
      await again.close();
      await runningAgain;
    }
    expect(sum(await redis.hgetall(keys.errorBucket(poisoned)))).toBe(1);
    expect(sum(await redis.hgetall(keys.errorBucket(good)))).toBe(7);
  });

  test('an entry handed out maxTries times and never acknowledged is set aside when claimed, unhandled', async () => {
    const { redis } = t;
    const stream = keys.errors;
    const id = (await redis.xadd(
      stream,
      '*',
      'event',
      JSON.stringify({ at: atIn(good), service: 'crashy' }),
    ))!;
    // A consumer that died on it maxTries times: pending on a gone consumer with that delivery count.
    await redis.xreadgroup('GROUP', ingestGroup, 'gone', 'COUNT', 10, 'STREAMS', stream, '>');
    await redis.xclaim(stream, ingestGroup, 'gone', 0, id, 'IDLE', 60_000, 'RETRYCOUNT', maxTries);
    const before = sum(await redis.hgetall(keys.errorBucket(good)));
    const { logger } = captureLogs();
    const worker = createIngestWorker({ redis, keys, config: { ingest: settings }, logger, consumer: 'w3' });
    const running = worker.run();
    try {
      await waitUntil('the entry to be set aside', () => redis.xlen(keys.deadLetters));
    } finally {
      await worker.close();
      await running;
    }
    const [[, fields]] = (await redis.xrange(keys.deadLetters, '-', '+')) as [[string, string[]]];
    expect(fields.slice(0, 8)).toEqual([
      'reason',
      `handed out ${maxTries} times and never acknowledged`,
      'source-stream',
      stream,
      'source-id',
      id,
      'tries',
      String(maxTries),
    ]);
    expect(worker.stats().entries).toBe(0);
    expect(sum(await redis.hgetall(keys.errorBucket(good)))).toBe(before);

    // Retry by id, then purge what is left.
    const named = await runCli(['--config', configPath, 'dead-letters', 'retry', 'nonsense']);
    expect(named.code).toBe(2);
    expect(named.stderr).toContain('not a stream entry id');
    await redis.xadd(
      keys.deadLetters,
      '*',
      'reason',
      'x',
      'source-stream',
      `${keys.root}:elsewhere`,
      'source-id',
      '1-0',
      'tries',
      '1',
      'a',
      'b',
    );
    const purged = await runCli(['--config', configPath, 'dead-letters', 'purge', '--json']);
    expect(JSON.parse(purged.stdout)).toEqual({ purged: 2 });
    expect(await redis.exists(keys.deadLetters)).toBe(0);
  });

  test('retry refuses a dead letter naming a stream we do not read', async () => {
    const { redis } = t;
    const id = await redis.xadd(
      keys.deadLetters,
      '*',
      ...[
        'reason',
        'x',
        'source-stream',
        `${keys.root}:elsewhere`,
        'source-id',
        '1-0',
        'tries',
        '1',
        'a',
        'b',
      ],
    );
    const neither = await runCli(['--config', configPath, 'dead-letters', 'retry']);
    expect(neither.code).toBe(2);
    expect(neither.stderr).toContain('or pass --all');
    const run = await runCli(['--config', configPath, 'dead-letters', 'retry', id!]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('is not one we read');
    expect(await redis.exists(`${keys.root}:elsewhere`)).toBe(0);
    expect(await redis.xlen(keys.deadLetters)).toBe(1);
  });
});

describe('pruning dead consumers (real Redis, two live consumers)', () => {
  let t: TestRedis;

  beforeAll(async () => {
    t = await createTestRedis('prune-consumers');
  });
  afterAll(async () => {
    await t.cleanup();
  });

  test('a consumer idle past the threshold with nothing pending is deleted; live idle ones are kept', async () => {
    const { redis, keys } = t;
    // Live consumers read at least every second (blockMs), so their idle time stays far below this.
    const pruneAfterMs = 3000;
    const pruning = { ...settings, pruneConsumersAfterMs: pruneAfterMs };
    await redis.xgroup('CREATE', keys.errors, ingestGroup, '0', 'MKSTREAM');
    // A consumer that read once and went away, and one that still holds an entry.
    await redis.xreadgroup('GROUP', ingestGroup, 'dead', 'COUNT', 1, 'STREAMS', keys.errors, '>');
    const held = await redis.xadd(
      keys.errors,
      '*',
      'event',
      JSON.stringify({ at: atIn(good), service: 'a' }),
    );
    await redis.xreadgroup('GROUP', ingestGroup, 'holder', 'COUNT', 1, 'STREAMS', keys.errors, '>');
    const connections = [redis.duplicate(), redis.duplicate()];
    const workers = ['live-a', 'live-b'].map((consumer, i) =>
      createIngestWorker({
        redis: connections[i]!,
        keys,
        // The holder's entry is claimed long after the test, so it keeps a pending entry throughout.
        config: { ingest: { ...pruning, claimAfterMs: 600_000 } },
        logger: createLogger('error'),
        consumer,
      }),
    );
    const running = workers.map((w) => w.run());
    const names = async () =>
      ((await redis.xinfo('CONSUMERS', keys.errors, ingestGroup)) as unknown[][])
        .map((c) => String(c[1]))
        .sort();
    try {
      await waitUntil('the dead consumer to be deleted', names, {
        until: (n) => !n.includes('dead'),
        timeoutMs: 20_000,
      });
      // Both live consumers have existed longer than the threshold by now; let more passes run.
      const start = Date.now();
      await waitUntil('two more thresholds to pass', () => Date.now() - start > 2 * pruneAfterMs, {
        intervalMs: 200,
      });
    } finally {
      await Promise.all(workers.map((w) => w.close()));
      await Promise.all(running);
    }
    expect(await names()).toEqual(['holder', 'live-a', 'live-b']);
    const [[id, consumer]] = (await redis.xpending(keys.errors, ingestGroup, '-', '+', 10)) as [
      [string, string],
    ];
    expect([id, consumer]).toEqual([held, 'holder']);
    for (const c of connections) c.disconnect();
  });
});
