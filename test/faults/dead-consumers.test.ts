import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ingestGroup } from '../../workers/ingest-worker.js';
import { createTestRedis, redisUrl, type TestRedis } from '../support/redis.js';
import { waitUntil } from '../support/wait.js';

const childEntry = path.join(path.dirname(fileURLToPath(import.meta.url)), '../support/ingest-child.ts');
const pruneAfterMs = 3000;

function startChild(prefix: string, consumer: string, env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', childEntry], {
    env: {
      ...process.env,
      UPCAUSE_TEST_PREFIX: prefix,
      INGEST_CONSUMER: consumer,
      REDIS_URL: redisUrl,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`ingest child ${consumer} exited early with ${code}`)));
  });
  return { child, ready };
}

function kill(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  return exited;
}

describe('dead consumers are pruned (real Redis, worker processes killed with SIGKILL)', () => {
  let t: TestRedis;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    t = await createTestRedis('dead-consumers');
  });
  afterAll(async () => {
    await Promise.all(children.map((c) => kill(c)));
    await t.cleanup();
  });

  test("a SIGKILLed consumer's name is deleted once its pending entry was claimed; live idle ones stay", async () => {
    const { redis, keys, prefix } = t;
    await redis.xgroup('CREATE', keys.errors, ingestGroup, '0', 'MKSTREAM');
    const consumers = async () => {
      const rows = (await redis.xinfo('CONSUMERS', keys.errors, ingestGroup)) as unknown[][];
      return Object.fromEntries(rows.map((c) => [String(c[1]), Number(c[3])]));
    };
    // The victim's entry cannot be written while this key has the wrong type: it stays pending on it.
    const minute = Math.floor(Date.now() / 60_000) - 3;
    await redis.set(keys.errorBucket(minute), 'not a hash');
    // Every process has the same pruning threshold, as with one config; these two never claim.
    const prune = { INGEST_PRUNE_AFTER_MS: String(pruneAfterMs) };
    const never = { ...prune, INGEST_CLAIM_AFTER_MS: '600000', INGEST_MAX_TRIES: '100' };
    const victim = startChild(prefix, 'victim', never);
    children.push(victim.child);
    await victim.ready;
    const at = new Date(minute * 60_000 + 5000).toISOString();
    await redis.xadd(keys.errors, '*', 'at', at, 'service', 'checkout', 'code', 'ETIMEDOUT');
    await waitUntil('the victim to hold the entry', consumers, { until: (held) => held.victim === 1 });
    // A live consumer that is handed nothing (no new entries) and never claims: idle, not dead.
    const idle = startChild(prefix, 'idle-live', never);
    children.push(idle.child);
    await idle.ready;
    await kill(victim.child);
    await redis.del(keys.errorBucket(minute));

    const survivor = startChild(prefix, 'survivor', { ...prune, INGEST_CLAIM_AFTER_MS: '1000' });
    children.push(survivor.child);
    await survivor.ready;
    const after = await waitUntil('the victim to be deleted from the group', consumers, {
      until: (c) => !('victim' in c),
      timeoutMs: 60_000,
      intervalMs: 100,
    });
    // Its entries were claimed and counted first: the victim held them, now no one does.
    const counted = Object.values(await redis.hgetall(keys.errorBucket(minute))).reduce(
      (a, v) => a + Number(v),
      0,
    );
    expect(counted).toBe(1);
    expect(after).toEqual({ 'idle-live': 0, survivor: 0 });
    // Created before the victim died, the idle one is older than the threshold; it stays so.
    const start = Date.now();
    await waitUntil('two more thresholds', () => Date.now() - start > 2 * pruneAfterMs, { intervalMs: 200 });
    expect(await consumers()).toEqual({ 'idle-live': 0, survivor: 0 });
    await Promise.all([kill(idle.child, 'SIGTERM'), kill(survivor.child, 'SIGTERM')]);
  });
});
