import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createLogger } from '../src/logger.js';
import { createIngestWorker, ingestGroup } from '../workers/ingest-worker.js';
import { createTestRedis, redisUrl, type TestRedis } from './support/redis.js';
import { waitUntil } from './support/wait.js';

const childEntry = path.join(path.dirname(fileURLToPath(import.meta.url)), 'support/ingest-child.ts');
const total = 100_000;
const claimAfterMs = 1000;

/** Series the producer writes, each with the bucket field it must land in (written out by hand). */
const series = [
  {
    event: { service: 'checkout', vendor: 'stripe', region: 'eu-west-1', status: 503 },
    field: ['checkout', 'stripe', 'eu-west-1', 'HTTP_503', 'server'],
  },
  {
    event: { service: 'checkout', vendor: 'stripe', region: 'us-east-1', status: 429 },
    field: ['checkout', 'stripe', 'us-east-1', 'HTTP_429', 'rate-limit'],
  },
  {
    event: { service: 'search', vendor: 'algolia', code: 'ETIMEDOUT' },
    field: ['search', 'algolia', '', 'ETIMEDOUT', 'timeout'],
  },
  {
    event: { service: 'video', vendor: '100ms', region: 'eu', code: 'RTMP_START_FAILED', status: 502 },
    field: ['video', '100ms', 'eu', 'RTMP_START_FAILED', 'server'],
  },
  { event: { service: 'video', code: 'ECONNRESET' }, field: ['video', '', '', 'ECONNRESET', 'network'] },
] as const;

/** Deterministic pseudo-random numbers, so a failure can be replayed. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function startChild(prefix: string, consumer: string): { child: ChildProcess; ready: Promise<void> } {
  const child = spawn(process.execPath, ['--import', 'tsx', childEntry], {
    env: {
      ...process.env,
      UPCAUSE_TEST_PREFIX: prefix,
      INGEST_CONSUMER: consumer,
      INGEST_CLAIM_AFTER_MS: String(claimAfterMs),
      INGEST_BATCH_SIZE: '200',
      REDIS_URL: redisUrl,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`ingest child exited early with ${code}`)));
  });
  return { child, ready };
}

function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGKILL');
  return exited;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('ingest worker crash (real Redis, child processes killed with SIGKILL)', () => {
  let t: TestRedis;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    t = await createTestRedis('ingest-crash');
  });
  afterAll(async () => {
    await Promise.all(children.map(kill));
    await t.cleanup();
  });

  test('every one of 100,000 events is counted exactly once across three SIGKILLs and a takeover', async () => {
    const { redis, keys, prefix } = t;
    await redis.xgroup('CREATE', keys.errors, ingestGroup, '0', 'MKSTREAM');
    const random = rng(42);
    const baseMinute = Math.floor(Date.now() / 60_000) - 4;
    const expected = new Map<string, number>();
    const makeEvent = () => {
      const s = series[Math.floor(random() * series.length)] ?? series[0];
      const minute = baseMinute + Math.floor(random() * 3);
      const at = minute * 60_000 + Math.floor(random() * 60_000);
      const key = `${minute}|${JSON.stringify(s.field)}`;
      expected.set(key, (expected.get(key) ?? 0) + 1);
      return { at: random() < 0.5 ? at : new Date(at).toISOString(), ...s.event };
    };

    let consumerNo = 0;
    let current = startChild(prefix, `crash-${consumerNo++}`);
    children.push(current.child);
    await current.ready;
    const killAtRound = new Set([100, 220, 340]);
    const leftPending: number[] = [];
    let written = 0;
    for (let round = 0; written < total; round++) {
      // Per round: one batch entry of 150 events, then single-event entries (flat and JSON); before
      // a kill, a burst of single entries so the victim is busy when the signal lands.
      const pipeline = redis.pipeline();
      const batch = Array.from({ length: Math.min(150, total - written) }, makeEvent);
      pipeline.xadd(keys.errors, 'MAXLEN', '~', 1_000_000, '*', 'events', JSON.stringify(batch));
      written += batch.length;
      const singles = killAtRound.has(round) ? 3000 : 50;
      for (let i = 0; i < singles && written < total; i++, written++) {
        const event = makeEvent();
        if (i % 2 === 0) {
          pipeline.xadd(keys.errors, '*', 'event', JSON.stringify(event));
        } else {
          const flat = Object.entries(event).flatMap(([k, v]) => [k, String(v)]);
          pipeline.xadd(keys.errors, '*', ...flat);
        }
      }
      await pipeline.exec();
      await sleep(8);
      if (killAtRound.has(round)) {
        // Kill mid-batch: wait until the victim holds entries it has read but not yet acknowledged.
        const victim = `crash-${consumerNo - 1}`;
        let held = 0;
        for (let tries = 0; held === 0 && tries < 5000; tries++) {
          const consumers = (await redis.xinfo('CONSUMERS', keys.errors, ingestGroup)) as unknown[][];
          held = Number(consumers.find((c) => c[1] === victim)?.[3] ?? 0);
        }
        await kill(current.child);
        const consumers = (await redis.xinfo('CONSUMERS', keys.errors, ingestGroup)) as unknown[][];
        leftPending.push(Number(consumers.find((c) => c[1] === victim)?.[3] ?? 0));
        current = startChild(prefix, `crash-${consumerNo++}`);
        children.push(current.child);
        await current.ready;
      }
    }
    await kill(current.child);
    expect(leftPending).toHaveLength(3);

    // The final consumer, in this process, takes over whatever the dead ones left pending.
    const worker = createIngestWorker({
      redis,
      keys,
      config: {
        ingest: {
          retentionMs: 30 * 86_400_000,
          streamMaxLen: 1_000_000,
          batchSize: 500,
          dedupeWindowMs: 3_600_000,
          claimAfterMs,
          customersPerMinute: 2000,
        },
      },
      logger: createLogger('error'),
      consumer: 'final',
    });
    const running = worker.run();
    await waitUntil(
      'the group to drain',
      async () => {
        const [pending] = (await redis.xpending(keys.errors, ingestGroup)) as [number];
        const groups = (await redis.xinfo('GROUPS', keys.errors)) as unknown[][];
        const group = groups[0] ?? [];
        return { pending, lag: Number(group[group.indexOf('lag') + 1]) };
      },
      { until: ({ pending, lag }) => pending === 0 && lag === 0, timeoutMs: 60_000, intervalMs: 100 },
    );
    await worker.close();
    await running;

    const actual = new Map<string, number>();
    let sum = 0;
    for (const minute of [baseMinute, baseMinute + 1, baseMinute + 2]) {
      for (const [field, count] of Object.entries(await redis.hgetall(keys.errorBucket(minute)))) {
        actual.set(`${minute}|${field}`, Number(count));
        sum += Number(count);
      }
    }
    expect(sum).toBe(total);
    expect(Object.fromEntries(actual)).toEqual(Object.fromEntries(expected));
    // Kills landed while consumers held unacknowledged entries, so takeover was exercised. (Not every
    // kill is sure to: a victim may acknowledge its last batch between our look and the signal.)
    expect(leftPending.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  }, 120_000);
});
