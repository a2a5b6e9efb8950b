/**
 * Child-process entry for the ingest crash test and the ingest benchmark: runs one ingest worker
 * against the prefix in UPCAUSE_TEST_PREFIX until SIGTERM (clean close) or SIGKILL (the crash).
 *   env: UPCAUSE_TEST_PREFIX, INGEST_CONSUMER, INGEST_CLAIM_AFTER_MS, INGEST_BATCH_SIZE, REDIS_URL,
 *   and optionally INGEST_MAX_TRIES, INGEST_PRUNE_AFTER_MS, INGEST_PARTITIONS and
 *   UPCAUSE_REDIS_CLUSTER_NODES (comma-separated: a cluster instead of REDIS_URL)
 * Prints "ready" on stdout once consuming, and its stats (plus CPU ms since ready) as a JSON line on
 * SIGUSR2 and when closed.
 */
import { createLogger } from '../../src/logger.js';
import { createKeys } from '../../src/store/keys.js';
import { createRedisClient } from '../../src/store/redis.js';
import { createIngestWorker } from '../../workers/ingest-worker.js';

const prefix = process.env.UPCAUSE_TEST_PREFIX;
if (!prefix) throw new Error('UPCAUSE_TEST_PREFIX is required');
const clusterNodes = (process.env.UPCAUSE_REDIS_CLUSTER_NODES ?? '').split(',').filter((n) => n !== '');
const redis = createRedisClient(
  {
    url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    ...(clusterNodes.length > 0 ? { cluster: { nodes: clusterNodes } } : {}),
  },
  'worker',
  'upcause-ingest-child',
);
const worker = createIngestWorker({
  redis,
  keys: createKeys(prefix, { partitions: Number(process.env.INGEST_PARTITIONS ?? 1) }),
  config: {
    ingest: {
      retentionMs: 30 * 86_400_000,
      streamMaxLen: 1_000_000,
      batchSize: Number(process.env.INGEST_BATCH_SIZE ?? 500),
      dedupeWindowMs: 3_600_000,
      claimAfterMs: Number(process.env.INGEST_CLAIM_AFTER_MS ?? 1000),
      customersPerMinute: 2000,
      maxTries: Number(process.env.INGEST_MAX_TRIES ?? 5),
      pruneConsumersAfterMs: Number(process.env.INGEST_PRUNE_AFTER_MS ?? 3_600_000),
    },
  },
  logger: createLogger(process.env.INGEST_LOG_LEVEL ?? 'error', process.stderr),
  consumer: process.env.INGEST_CONSUMER,
});

const running = worker.run();
// CPU from here on is the worker's own (module loading and compiling came before).
const cpuAtReady = process.cpuUsage();
process.stdout.write('ready\n');
const report = () => {
  const cpu = process.cpuUsage(cpuAtReady);
  const cpuMs = Math.round((cpu.user + cpu.system) / 1000);
  process.stdout.write(`${JSON.stringify({ ...worker.stats(), cpuMs })}\n`);
};
// SIGUSR2: print stats and keep going (the benchmark reads them between phases).
process.on('SIGUSR2', report);
process.once('SIGTERM', () => {
  void worker.close().then(async () => {
    await running;
    report();
    await redis.quit();
    process.exit(0);
  });
});
