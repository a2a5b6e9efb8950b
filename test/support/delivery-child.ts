/**
 * Child-process entry for the delivery kill test: runs one delivery worker with a single webhook sink
 * against the prefix in UPCAUSE_TEST_PREFIX until SIGTERM (clean close) or SIGKILL (the crash).
 *   env: UPCAUSE_TEST_PREFIX, DELIVERY_SINK_URL, DELIVERY_SECRET, REDIS_URL
 * Prints "ready" on stdout once the worker runs. Locks are short (1 s) so a takeover is quick.
 */
import { Redis } from 'ioredis';
import { createSinks } from '../../src/delivery/sinks/create.js';
import { createLogger } from '../../src/logger.js';
import { createKeys } from '../../src/store/keys.js';
import { createDeliveryWorker } from '../../workers/delivery-worker.js';

const prefix = process.env.UPCAUSE_TEST_PREFIX;
const url = process.env.DELIVERY_SINK_URL;
const secret = process.env.DELIVERY_SECRET;
if (!prefix || !url || !secret)
  throw new Error('UPCAUSE_TEST_PREFIX, DELIVERY_SINK_URL and DELIVERY_SECRET are required');

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
const keys = createKeys(prefix);
const worker = createDeliveryWorker({
  connection,
  redis,
  keys,
  prefix: keys.bull,
  sinks: createSinks([{ type: 'webhook', name: 'hook', url, secret, events: ['annotation'] }], {
    timeoutMs: 3000,
  }),
  logger: createLogger(process.env.DELIVERY_LOG_LEVEL ?? 'error', process.stderr),
  claimMarginMs: 200,
  workerOptions: { lockDuration: 1000, stalledInterval: 500, drainDelay: 1 },
});

void worker.run();
await worker.waitUntilReady();
process.stdout.write('ready\n');
process.once('SIGTERM', () => {
  void worker.close().then(async () => {
    await Promise.all([connection.quit(), redis.quit()]);
    process.exit(0);
  });
});
