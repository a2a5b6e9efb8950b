import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Queue, type Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { parseConfig, type Config } from '../src/config.js';
import { digestPeriod } from '../src/core/digest/period.js';
import { digestFileName } from '../src/delivery/digest.js';
import { createSinks } from '../src/delivery/sinks/create.js';
import { createLogger } from '../src/logger.js';
import { listDigestRuns, readDigestRun } from '../src/store/digest-runs.js';
import { createDeliveryWorker } from '../workers/delivery-worker.js';
import {
  lastScheduledTime,
  runScheduledDigest,
  startDigestScheduler,
  type DigestRunResult,
  type DigestScheduler,
  type DigestSchedulerDeps,
} from '../workers/digest-scheduler.js';
import { jobCatalog } from '../workers/jobs.js';
import { createTestRedis, deleteKeys, redisUrl, type TestRedis } from './support/redis.js';
import { waitUntil } from './support/wait.js';

const secret = 'whsec_ZGlnZXN0LXNjaGVkdWxlLXNpZ25pbmcta2V5LTAxMjM0NQ==';

/** A local webhook receiver keeping every digest it is sent (type and period) with its webhook-id. */
async function startReceiver() {
  const received: Array<{ id: string; type: string; period: string }> = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString()) as { type: string; period?: { id: string } };
      received.push({
        id: String(req.headers['webhook-id']),
        type: body.type,
        period: body.period?.id ?? '',
      });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Captured JSON log lines. */
function logSink() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean))
        lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { lines, logger: createLogger('info', stream) };
}

describe('lastScheduledTime (pure, with node-cron matching)', () => {
  test('finds the latest matching second of a 6-field expression within the window, none outside it', () => {
    // Every 20 s at :05, :25, :45.
    const match = (at: Date) => at.getUTCSeconds() % 20 === 5;
    const now = Date.parse('2024-04-05T10:00:50Z');
    expect(lastScheduledTime({ match, seconds: [5, 25, 45] }, now, 60_000)).toBe(
      Date.parse('2024-04-05T10:00:45Z'),
    );
    expect(lastScheduledTime({ match: () => false, seconds: [0] }, now, 3_600_000)).toBeNull();
    // 08:00 is 2 h back: inside a 3 h window, outside a 1 h one.
    const eight = (at: Date) =>
      at.getUTCHours() === 8 && at.getUTCMinutes() === 0 && at.getUTCSeconds() === 0;
    const ten = Date.parse('2024-04-05T10:00:00Z');
    expect(lastScheduledTime({ match: eight, seconds: [0] }, ten, 3 * 3_600_000)).toBe(
      Date.parse('2024-04-05T08:00:00Z'),
    );
    expect(lastScheduledTime({ match: eight, seconds: [0] }, ten, 3_600_000)).toBeNull();
  });
});

describe('the digest on schedule (real Redis, node-cron, delivery worker, local webhook receiver)', () => {
  let t: TestRedis;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let worker: Worker;
  let admin: Queue;
  const connections: Redis[] = [];
  const queues: Queue[] = [];
  const schedulers: DigestScheduler[] = [];
  const dirs: string[] = [];

  function configWith(digest: Record<string, unknown>): Config {
    return parseConfig(
      {
        redis: { url: redisUrl, prefix: t.prefix },
        vendors: ['stripe', 'twilio'],
        sinks: [
          { type: 'webhook', name: 'hook', url: receiver.url, secret, events: ['digest'] },
          // Annotations only: never handed a digest.
          { type: 'webhook', name: 'annotations-only', url: receiver.url, secret },
        ],
        digest,
      },
      {},
      'test',
    );
  }

  /** One scheduler process's dependencies: its own Redis connection and deliver queue. */
  function instance(
    config: Config,
    by: string,
    extra: Partial<DigestSchedulerDeps> = {},
  ): DigestSchedulerDeps {
    const redis = t.redis.duplicate();
    connections.push(redis);
    const deliverQueue = new Queue(jobCatalog.deliver.queue, { connection: redis, prefix: t.keys.bull });
    queues.push(deliverQueue);
    return {
      redis,
      keys: t.keys,
      config,
      logger: createLogger('silent'),
      deliverQueue,
      by,
      jobOptions: { attempts: 3, backoff: { type: 'delivery', delay: 50 } },
      ...extra,
    };
  }

  beforeAll(async () => {
    t = await createTestRedis('digest-schedule');
    receiver = await startReceiver();
    const connection = t.redis.duplicate();
    connections.push(connection);
    worker = createDeliveryWorker({
      connection,
      redis: t.redis,
      keys: t.keys,
      prefix: t.keys.bull,
      sinks: createSinks(configWith({}).sinks, { timeoutMs: 2000 }),
      logger: createLogger('silent'),
      workerOptions: { drainDelay: 1 },
    });
    void worker.run();
    admin = new Queue(jobCatalog.deliver.queue, { connection: t.redis, prefix: t.keys.bull });
  });
  afterEach(async () => {
    await Promise.all(schedulers.splice(0).map((s) => s.close()));
    await Promise.all(queues.splice(0).map((q) => q.close()));
    await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
    await deleteKeys(t.redis, `${t.keys.root}:digest:*`);
    await deleteKeys(t.redis, `${t.keys.root}:dlv*`);
    await admin.obliterate({ force: true });
    receiver.received.length = 0;
  });
  afterAll(async () => {
    await worker?.close();
    await admin?.close();
    await receiver?.close();
    for (const c of connections) c.disconnect();
    await t?.cleanup();
  });

  const digestsReceived = () => receiver.received.filter((r) => r.type === 'digest');

  test('two schedulers firing every second produce one digest per period: one delivery, one run record', async () => {
    // A fixed clock, so every fire falls on the same period whatever the wall clock does.
    const now = () => Date.parse('2024-04-05T10:00:00Z');
    const config = configWith({ schedule: '* * * * * *', timeZone: 'Europe/Paris' });
    const fires = { a: [] as DigestRunResult[], b: [] as DigestRunResult[] };
    for (const name of ['a', 'b'] as const) {
      schedulers.push(
        await startDigestScheduler(
          instance(config, name, {
            now,
            onRun: (r) => {
              if (r.trigger === 'schedule') fires[name].push(r);
            },
          }),
        ),
      );
    }
    await waitUntil('each scheduler to fire twice', () => fires.a.length >= 2 && fires.b.length >= 2);
    await waitUntil('the digest delivery', () => digestsReceived().length >= 1);
    // Every run so far has finished (onRun is called after it); let the queue drain before counting.
    await waitUntil('the deliver queue to drain', async () => {
      const counts = await queues[0]!.getJobCounts('waiting', 'active', 'delayed');
      return Object.values(counts).every((n) => n === 0);
    });

    expect(digestsReceived()).toEqual([{ id: expect.any(String), type: 'digest', period: '2024-04-04' }]);
    const runs = await listDigestRuns(t.redis, t.keys);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ state: 'done', period: { id: '2024-04-04', timeZone: 'Europe/Paris' } });
    expect(['a', 'b']).toContain(runs[0]!.by);
    expect(runs[0]!.deliveries.map((d) => d.sink)).toEqual(['hook']);
    const all = [...fires.a, ...fires.b, ...(await Promise.all(schedulers.map((s) => s.caughtUp)))];
    expect(all.filter((r) => r?.outcome === 'done')).toHaveLength(1);
    expect(all.filter((r) => r?.outcome === 'failed')).toEqual([]);
  });

  test('runScheduledDigest from two instances at once for one period: one build, one delivery', async () => {
    const config = configWith({ enabled: false, timeZone: 'UTC' });
    const period = digestPeriod('2024-04-01', 1, 'UTC');
    const results = await Promise.all([
      runScheduledDigest(instance(config, 'a'), period, 'schedule'),
      runScheduledDigest(instance(config, 'b'), period, 'schedule'),
    ]);
    expect(results.filter((r) => r.outcome === 'done')).toHaveLength(1);
    expect(['busy', 'already-done']).toContain(results.find((r) => r.outcome !== 'done')?.outcome);
    // Once done, a later call does nothing.
    expect((await runScheduledDigest(instance(config, 'c'), period, 'schedule')).outcome).toBe(
      'already-done',
    );
    await waitUntil('the digest delivery', () => digestsReceived().length >= 1);
    const done = results.find((r) => r.outcome === 'done');
    const key = done?.outcome === 'done' ? done.record.deliveries[0]!.key : '';
    await waitUntil('the delivery job to complete', async () =>
      (await queues[0]!.getJob(key))?.isCompleted(),
    );
    expect(digestsReceived()).toEqual([{ id: key, type: 'digest', period: '2024-04-01' }]);
  });

  test('a run that stopped before its record is redone, and the sink still gets the digest once', async () => {
    const config = configWith({ enabled: false });
    const period = digestPeriod('2024-04-02', 1, 'UTC');
    const first = await runScheduledDigest(instance(config, 'a'), period, 'schedule');
    expect(first.outcome).toBe('done');
    // As if it had crashed after handing the digest over: no done record.
    await t.redis.del(t.keys.digestRun(period.id));
    const again = await runScheduledDigest(instance(config, 'b'), period, 'catch-up');
    expect(again).toMatchObject({ outcome: 'done', record: { by: 'b', trigger: 'catch-up' } });
    await waitUntil('the digest delivery', () => digestsReceived().length >= 1);
    const key = again.outcome === 'done' ? again.record.deliveries[0]!.key : '';
    await waitUntil('the delivery job to complete', async () =>
      (await queues[0]!.getJob(key))?.isCompleted(),
    );
    expect(digestsReceived()).toHaveLength(1);
  });

  describe('catch-up on start (schedule 08:00 Europe/Paris, clock injected)', () => {
    const schedule = { schedule: '0 8 * * *', timeZone: 'Europe/Paris' };

    test("after today's scheduled time with no record: one catch-up run, in the schedule's time zone", async () => {
      // 06:30 UTC is 08:30 in Paris (CEST): today's 08:00 there is half an hour back.
      const now = () => Date.parse('2024-04-05T06:30:00Z');
      const config = configWith({ ...schedule, catchUp: '1h' });
      const scheduler = await startDigestScheduler(instance(config, 'a', { now }));
      schedulers.push(scheduler);
      const result = await scheduler.caughtUp;
      expect(result).toMatchObject({ outcome: 'done', trigger: 'catch-up', period: { id: '2024-04-04' } });
      const run = await readDigestRun(t.redis, t.keys, '2024-04-04');
      expect(run).toMatchObject({ trigger: 'catch-up', by: 'a', state: 'done' });
      expect(run!.period.from).toBe('2024-04-03T22:00:00.000Z');
    });

    test('with a done record: no run', async () => {
      const now = () => Date.parse('2024-04-05T06:30:00Z');
      const config = configWith({ ...schedule, catchUp: '1h' });
      const first = await startDigestScheduler(instance(config, 'a', { now }));
      schedulers.push(first);
      expect((await first.caughtUp)?.outcome).toBe('done');
      const second = await startDigestScheduler(instance(config, 'b', { now }));
      schedulers.push(second);
      expect((await second.caughtUp)?.outcome).toBe('already-done');
      expect(await listDigestRuns(t.redis, t.keys)).toHaveLength(1);
      expect((await readDigestRun(t.redis, t.keys, '2024-04-04'))?.by).toBe('a');
    });

    test('a scheduled time older than catchUp: no run', async () => {
      // 07:30 UTC is 09:30 in Paris: 08:00 there is 1.5 h back, past a 1 h catch-up.
      const now = () => Date.parse('2024-04-05T07:30:00Z');
      const scheduler = await startDigestScheduler(
        instance(configWith({ ...schedule, catchUp: '1h' }), 'a', { now }),
      );
      schedulers.push(scheduler);
      expect(await scheduler.caughtUp).toBeNull();
      expect(await listDigestRuns(t.redis, t.keys)).toEqual([]);
    });

    test('digest.enabled false: no schedule and no catch-up', async () => {
      const now = () => Date.parse('2024-04-05T06:30:00Z');
      const scheduler = await startDigestScheduler(
        instance(configWith({ ...schedule, enabled: false }), 'a', { now }),
      );
      schedulers.push(scheduler);
      expect(await scheduler.caughtUp).toBeNull();
      expect(await listDigestRuns(t.redis, t.keys)).toEqual([]);
    });
  });

  test('writes one file per format into the directory, atomically (no temporary file left)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'upcause-digest-'));
    dirs.push(dir);
    const target = join(dir, 'nested', 'digests');
    const config = configWith({
      enabled: false,
      directory: target,
      formats: ['md', 'html', 'json', 'slack'],
    });
    const period = digestPeriod('2024-04-03', 1, 'UTC');
    const result = await runScheduledDigest(instance(config, 'a'), period, 'schedule');
    if (result.outcome !== 'done') throw new Error(`expected a run, got ${result.outcome}`);
    expect(result.record.files).toEqual(
      (['md', 'html', 'json', 'slack'] as const).map((format) => ({
        format,
        path: join(target, digestFileName('2024-04-03', format)),
        error: null,
      })),
    );
    expect((await readdir(target)).sort()).toEqual([
      'upcause-digest-2024-04-03.html',
      'upcause-digest-2024-04-03.json',
      'upcause-digest-2024-04-03.md',
      'upcause-digest-2024-04-03.slack.json',
    ]);
    const json = JSON.parse(await readFile(join(target, 'upcause-digest-2024-04-03.json'), 'utf8')) as {
      type: string;
      period: { id: string };
    };
    expect(json).toMatchObject({ type: 'digest', period: { id: '2024-04-03' } });
    const slack = JSON.parse(
      await readFile(join(target, 'upcause-digest-2024-04-03.slack.json'), 'utf8'),
    ) as {
      text: string;
    };
    expect(slack.text).toContain('3 Apr 2024');
    expect(await readFile(join(target, 'upcause-digest-2024-04-03.md'), 'utf8')).toContain('2024-04-03');
    expect(await readFile(join(target, 'upcause-digest-2024-04-03.html'), 'utf8')).toMatch(
      /^<!doctype html>/i,
    );
    const stored = await readDigestRun(t.redis, t.keys, '2024-04-03');
    expect(stored?.files.map((f) => f.error)).toEqual([null, null, null, null]);
  });

  test('a directory that cannot be written is logged and recorded, and the webhook still gets the digest', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'upcause-digest-'));
    dirs.push(dir);
    // A regular file where the directory should be: mkdir fails whoever runs the test.
    const blocker = join(dir, 'not-a-directory');
    await writeFile(blocker, 'x');
    const target = join(blocker, 'digests');
    const { lines, logger } = logSink();
    const config = configWith({ enabled: false, directory: target, formats: ['md', 'json'] });
    const period = digestPeriod('2024-04-06', 1, 'UTC');
    const result = await runScheduledDigest(instance(config, 'a', { logger }), period, 'schedule');
    if (result.outcome !== 'done') throw new Error(`expected a run, got ${result.outcome}`);
    expect(result.record.files).toHaveLength(2);
    for (const file of result.record.files) {
      expect(file.error).toMatch(/ENOTDIR|not a directory/i);
      expect(existsSync(file.path)).toBe(false);
    }
    expect((await readDigestRun(t.redis, t.keys, '2024-04-06'))?.files).toEqual(result.record.files);
    const failures = lines.filter((l) => l.msg === 'digest file not written');
    expect(failures.map((l) => l.format)).toEqual(['md', 'json']);
    expect(failures[0]).toMatchObject({ period: '2024-04-06', level: 50 });
    await waitUntil('the digest delivery', () => digestsReceived().length >= 1);
    expect(digestsReceived()).toEqual([
      { id: result.record.deliveries[0]!.key, type: 'digest', period: '2024-04-06' },
    ]);
  });
});
