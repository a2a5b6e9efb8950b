/**
 * Poll throughput benchmark: N vendors served by a local Statuspage imitation (in a child process,
 * so its CPU is not ours) polled through BullMQ, the HTTP edge, the provider and the Redis store.
 * Round 1 reads and stores every page; round 2 gets 304s, as a steady state does. Then the CPU one
 * changed page costs (test/bench/poll-cpu.ts), next to JSON.parse of the same bodies.
 *   npm run bench:poll [-- --vendors 2000 --concurrency 32 --pages 200]
 */
import { fork } from 'node:child_process';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { providers } from '../../providers/registry.js';
import { parseConfig } from '../../src/config.js';
import { createHttpClient } from '../../src/http/client.js';
import { createLogger } from '../../src/logger.js';
import { createKeys } from '../../src/store/keys.js';
import { createVendorStore } from '../../src/store/vendors.js';
import { jobCatalog } from '../../workers/jobs.js';
import { createPollWorker } from '../../workers/poll-worker.js';
import { deleteKeys } from '../support/redis.js';
import { measurePollCpu } from './poll-cpu.js';
import { emitRows, type BenchRow } from './rows.js';

const args = new Map(process.argv.slice(2).map((arg, i, all) => [arg, all[i + 1]] as const));
const vendorCount = Number(args.get('--vendors') ?? 2000);
const concurrency = Number(args.get('--concurrency') ?? 32);
const pages = Number(args.get('--pages') ?? 200);
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

async function startServerProcess(): Promise<{ baseUrl: string; stop: () => void }> {
  const child = fork(new URL('./vendor-server-process.ts', import.meta.url).pathname, [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const baseUrl = await new Promise<string>((resolve) => child.once('message', (m) => resolve(String(m))));
  return { baseUrl, stop: () => child.kill() };
}

async function main() {
  const server = await startServerProcess();
  const prefix = `bench-poll-${process.pid}`;
  const keys = createKeys(prefix);
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const config = parseConfig(
    {
      redis: { url: redisUrl, prefix },
      vendors: Array.from({ length: vendorCount }, (_, i) => ({
        id: `v${i}`,
        name: `v${i}`,
        provider: 'statuspage',
        url: `${server.baseUrl}/v${i}`,
      })),
      poll: { allowPrivateNetworks: true, concurrency, timeout: '10s' },
    },
    {},
    'bench',
  );
  const http = createHttpClient({
    timeoutMs: 10_000,
    maxBodyBytes: 2 * 1024 * 1024,
    userAgent: 'upcause-bench',
    allowPrivateNetworks: true,
  });
  const store = createVendorStore(redis, keys);
  const queue = new Queue(jobCatalog.poll.queue, { connection: redis.duplicate(), prefix: keys.bull });
  const events = new QueueEvents(jobCatalog.poll.queue, { connection: redis.duplicate(), prefix: keys.bull });
  await events.waitUntilReady();
  const worker = createPollWorker({
    config,
    connection: redis.duplicate(),
    http,
    store,
    providers,
    logger: createLogger('warn'),
    prefix: keys.bull,
  });
  void worker.run();

  async function round(label: string) {
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    let done = 0;
    const finished = new Promise<void>((resolve) => {
      const onDone = () => {
        done += 1;
        if (done === vendorCount) resolve();
      };
      events.on('completed', onDone);
      events.on('failed', onDone);
    });
    await queue.addBulk(
      config.vendors.map((v) => ({
        name: jobCatalog.poll.name,
        data: { vendor: v.id },
        opts: { attempts: 1, removeOnComplete: true, removeOnFail: true },
      })),
    );
    await finished;
    events.removeAllListeners('completed');
    events.removeAllListeners('failed');
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    loop.disable();
    const cpuMsPerPoll = (cpu.user + cpu.system) / 1000 / vendorCount;
    console.log(
      `${label.padEnd(22)} ${vendorCount} polls in ${seconds.toFixed(2)} s = ${Math.round(vendorCount / seconds)} polls/s; ` +
        `CPU ${cpuMsPerPoll.toFixed(2)} ms/poll; event-loop delay p99 ${(loop.percentile(99) / 1e6).toFixed(1)} ms, max ${(loop.max / 1e6).toFixed(1)} ms`,
    );
    return { cpuMsPerPoll, pollsPerSecond: vendorCount / seconds };
  }

  const usedMemory = async () => Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1] ?? 0);
  const memoryBefore = await usedMemory();
  console.log(
    `poll benchmark: ${vendorCount} vendors, worker concurrency ${concurrency}, payload = recorded-size Statuspage pages`,
  );
  const first = await round('round 1 (200, parse+store)');
  const { cpuMsPerPoll: steady, pollsPerSecond: steadyRate } = await round('round 2 (304, unchanged)');
  const health = await store.readHealth('v0');
  const memory = (await usedMemory()) - memoryBefore;
  console.log(`health of v0 after round 2: ${health.state}, ${health.consecutiveFailures} failures`);
  console.log(
    `steady-state capacity at 20% of one core: ${Math.round((0.2 * 60_000) / steady)} vendors per 60 s cycle (target ≥ 5,000)`,
  );
  const incidents = (await store.listIncidents('v0')).length;
  console.log(
    `Redis memory for ${vendorCount} vendors × ${incidents} incidents: +${(memory / 1024 / 1024).toFixed(1)} MiB ` +
      `(${Math.round(memory / vendorCount / 1024)} KiB per vendor)`,
  );
  console.log(
    'round 1 saturates the CPU on purpose (every page new at once); its event-loop delay is queueing, not one long task.',
  );

  await worker.close();
  await events.close();
  await queue.close();
  http.close();
  await deleteKeys(redis, `${keys.root}*`);
  redis.disconnect();
  server.stop();

  // One vendor's page changing poll after poll, each stage in this process: what a changed page costs.
  const one = await measurePollCpu({ pages });
  const every = await measurePollCpu({ pages: Math.ceil(pages / 4), everyIncident: true });
  for (const [label, r] of [
    ['one incident changed', one],
    ['every incident changed', every],
  ] as const)
    console.log(
      `changed page, ${label} (${r.payloadKiB.toFixed(0)} KiB, ${r.incidents} incidents, ${r.pages} pages): ` +
        `CPU ${r.totalMs.toFixed(2)} ms per page (read ${r.readMs.toFixed(2)} ms, store ${r.storeMs.toFixed(2)} ms); ` +
        `JSON.parse of the same bodies ${r.jsonParseMs.toFixed(2)} ms = ${(r.totalMs / r.jsonParseMs).toFixed(1)}×`,
    );
  const parseRef = (r: typeof one) => ({ what: 'JSON.parse of the same bodies', value: r.jsonParseMs });
  const rows: BenchRow[] = [
    {
      bench: 'poll',
      figure: `CPU per changed page, one of ${one.incidents} incidents changed (read + store)`,
      value: one.totalMs,
      unit: 'ms',
      better: 'lower',
      reference: parseRef(one),
      target: 10,
    },
    {
      bench: 'poll',
      figure: '  of which read (parse, components, regions)',
      value: one.readMs,
      unit: 'ms',
      better: 'lower',
      reference: parseRef(one),
    },
    {
      bench: 'poll',
      figure: '  of which store (applyPoll)',
      value: one.storeMs,
      unit: 'ms',
      better: 'lower',
      reference: parseRef(one),
    },
    {
      bench: 'poll',
      figure: 'CPU per changed page, every incident changed',
      value: every.totalMs,
      unit: 'ms',
      better: 'lower',
      reference: parseRef(every),
    },
    {
      bench: 'poll',
      figure: `${vendorCount} new pages through BullMQ and HTTP, CPU per poll`,
      value: first.cpuMsPerPoll,
      unit: 'ms',
      better: 'lower',
    },
    {
      bench: 'poll',
      figure: `${vendorCount} unchanged pages (304), CPU per poll`,
      value: steady,
      unit: 'ms',
      better: 'lower',
    },
    {
      bench: 'poll',
      figure: `${vendorCount} unchanged pages (304), polls per second`,
      value: steadyRate,
      unit: 'polls/s',
      better: 'higher',
    },
  ];
  emitRows(rows);
}

// Connections handed to BullMQ stay open after its worker closes: the process ends here.
main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
