import { Writable } from 'node:stream';
import { Queue, QueueEvents } from 'bullmq';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { z } from 'zod';
import { FetchError } from '../src/core/errors.js';
import { createLogger } from '../src/logger.js';
import { LoadInputError } from '../src/store/correlation-input.js';
import { createCatalogWorker } from '../workers/catalog-worker.js';
import { enqueue, jobCatalog, type JobEntry } from '../workers/jobs.js';
import { createTestRedis, type TestRedis } from './support/redis.js';

// A catalog-shaped entry on a queue of this test's own, retried up to three times with no delay.
const probe = {
  queue: 'catalog-probe',
  name: 'probe',
  schema: z.strictObject({ vendor: z.string(), fail: z.enum(['none', 'transient', 'load', 'fetch-4xx']) }),
  options: { attempts: 3, backoff: { type: 'fixed', delay: 0 } },
} as const satisfies JobEntry;

describe('createCatalogWorker', () => {
  let t: TestRedis;
  let queue: Queue;
  let events: QueueEvents;
  const calls: Array<{ fail: string; attempt: number }> = [];
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger(
    'info',
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    }),
  );

  beforeEach(async () => {
    t = await createTestRedis('catalog-worker');
    queue = new Queue(probe.queue, { connection: t.redis.duplicate(), prefix: t.keys.bull });
    events = new QueueEvents(probe.queue, { connection: t.redis.duplicate(), prefix: t.keys.bull });
    await events.waitUntilReady();
    calls.length = 0;
    lines.length = 0;
  });
  afterEach(async () => {
    await events.close();
    await queue.close();
    await t.cleanup();
  });

  function startWorker() {
    const worker = createCatalogWorker(
      probe,
      async (data, { attempt, log }) => {
        calls.push({ fail: data.fail, attempt });
        log.info('probing');
        if (data.fail === 'transient') throw new Error('socket hang up');
        if (data.fail === 'load') throw new LoadInputError('incident id: must not be empty');
        if (data.fail === 'fetch-4xx') throw new FetchError('http', 'HTTP 404', { status: 404 });
        return 'ok';
      },
      {
        connection: t.redis.duplicate({ maxRetriesPerRequest: null }),
        prefix: t.keys.bull,
        logger,
      },
    );
    void worker.run();
    return worker;
  }

  test('errors carrying permanent: true fail the job on its first attempt; others use every attempt', async () => {
    const worker = startWorker();
    try {
      for (const fail of ['load', 'fetch-4xx', 'transient'] as const) {
        const job = await queue.add(probe.name, { vendor: 'acme', fail }, probe.options);
        await expect(job.waitUntilFinished(events, 15_000)).rejects.toThrow();
      }
      expect(calls).toEqual([
        { fail: 'load', attempt: 1 },
        { fail: 'fetch-4xx', attempt: 1 },
        { fail: 'transient', attempt: 1 },
        { fail: 'transient', attempt: 2 },
        { fail: 'transient', attempt: 3 },
      ]);
    } finally {
      await worker.close(true);
    }
  });

  test('the handler logs with the vendor, the job name and id, and the attempt', async () => {
    const worker = startWorker();
    try {
      const job = await queue.add(probe.name, { vendor: 'acme', fail: 'none' }, probe.options);
      await expect(job.waitUntilFinished(events, 15_000)).resolves.toBe('ok');
      expect(lines.filter((l) => l.msg === 'probing')).toEqual([
        expect.objectContaining({ vendor: 'acme', jobName: 'probe', job: job.id, attempt: 1 }),
      ]);
    } finally {
      await worker.close(true);
    }
  });

  test('a payload that does not match the schema fails without reaching the handler', async () => {
    const worker = startWorker();
    try {
      const job = await queue.add(probe.name, { vendor: 'acme', fail: 'sometimes' }, probe.options);
      await expect(job.waitUntilFinished(events, 15_000)).rejects.toThrow(/bad payload/);
      expect(await queue.getJob(job.id!)).toMatchObject({ attemptsMade: 1 });
      expect(calls).toEqual([]);
    } finally {
      await worker.close(true);
    }
  });

  test('enqueue() refuses a payload the catalog schema rejects, and a queue the job is not on', async () => {
    const annotate = new Queue(jobCatalog.annotate.queue, {
      connection: t.redis.duplicate(),
      prefix: t.keys.bull,
    });
    try {
      await expect(enqueue(annotate, 'annotate', { incidentId: '', reason: 'manual' })).rejects.toThrow(
        /incidentId must not be empty/,
      );
      await expect(enqueue(queue, 'annotate', { incidentId: 'inc-1', reason: 'manual' })).rejects.toThrow(
        /belongs on queue "annotate"/,
      );
      const job = await enqueue(annotate, 'annotate', { incidentId: 'inc-1', reason: 'manual' });
      expect(job.name).toBe(jobCatalog.annotate.name);
      expect(job.opts.attempts).toBe(jobCatalog.annotate.options.attempts);
    } finally {
      await annotate.obliterate({ force: true });
      await annotate.close();
    }
  });
});
