/**
 * Ingest benchmark: prints, in one run, the figures issue 5 asks for.
 *   (a) reference: redis-benchmark -P 16 XADD with a 200-byte payload (entries/s)
 *   (b) sustained events/s through the stream: this process XADDs batch entries, the ingest worker
 *       runs in a child process (its own core), timed until the buckets hold every event
 *   (c) p99 append-to-bucket latency at a steady 10,000 events/s
 *   (d) Redis bytes per stored bucket series
 *   (e) HTTP NDJSON events/s, from test/bench/ingest-http.ts when that file exists
 *   npm run bench:ingest [-- --events 1500000 --per-entry 200 --latency-seconds 20 --profile]
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { createKeys, type Keys } from '../../src/store/keys.js';
import { ingestGroup } from '../../workers/ingest-worker.js';
import { deleteKeys } from '../support/redis.js';
import { redisBenchmark } from './redis-reference.js';
import { emitRows, type BenchRow } from './rows.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = new Map(process.argv.slice(2).map((arg, i, all) => [arg, all[i + 1]] as const));
const totalEvents = Number(args.get('--events') ?? 1_500_000);
const perEntry = Number(args.get('--per-entry') ?? 200);
const latencySeconds = Number(args.get('--latency-seconds') ?? 20);
const profile = process.argv.includes('--profile');
const profileDir = path.join(tmpdir(), 'upcause-ingest-profiles');
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const { hostname, port } = new URL(redisUrl);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/** (a) What Redis itself does with pipelined XADD on this machine: the ceiling we compare against. */
function xaddReference(): number | null {
  const key = `bench-ingest-ref-${process.pid}`;
  const run = spawnSync(
    'redis-benchmark',
    [
      '-h',
      hostname,
      '-p',
      port || '6379',
      '-P',
      '16',
      '-n',
      '200000',
      '-q',
      'XADD',
      key,
      'MAXLEN',
      '~',
      '100000',
      '*',
      'payload',
      'x'.repeat(200),
    ],
    { encoding: 'utf8' },
  );
  spawnSync('redis-cli', ['-h', hostname, '-p', port || '6379', 'DEL', key]);
  if (run.error) return null;
  const match = /([\d.]+) requests per second/.exec(run.stdout);
  return match ? Number(match[1]) : null;
}

interface WorkerStats {
  events?: number;
  cpuMs?: number;
}

function startWorker(prefix: string) {
  const execArgv = ['--import', 'tsx'];
  if (profile) execArgv.push('--cpu-prof', '--cpu-prof-dir', profileDir);
  const child = spawn(process.execPath, [...execArgv, path.join(here, '../support/ingest-child.ts')], {
    env: {
      ...process.env,
      UPCAUSE_TEST_PREFIX: prefix,
      INGEST_CONSUMER: 'bench',
      // The config defaults, as a deployment runs them.
      INGEST_BATCH_SIZE: '500',
      INGEST_CLAIM_AFTER_MS: '30000',
      REDIS_URL: redisUrl,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const lastStats = (): WorkerStats =>
    JSON.parse(
      out
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .at(-1) ?? '{}',
    );
  return {
    child,
    ready: new Promise<void>((resolve) => {
      const check = () => (out.includes('ready') ? resolve() : setTimeout(check, 20));
      check();
    }),
    /** The worker's counters and CPU so far (SIGUSR2 makes it print them). */
    async stats(): Promise<WorkerStats> {
      const before = out.length;
      child.kill('SIGUSR2');
      while (out.length === before) await sleep(10);
      return lastStats();
    },
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

const services = ['checkout', 'search', 'video', 'billing', 'auth', 'notifications', 'webinar', 'recording'];
const vendors = ['stripe', 'algolia', '100ms', 'twilio', 'aws', 'cloudflare', 'sendgrid', 'gcp'];
const regions = ['eu-west-1', 'us-east-1', 'ap-south-1', 'eu', ''];
const failures: Array<Record<string, unknown>> = [
  { status: 503 },
  { status: 502, code: 'UPSTREAM_ERROR' },
  { status: 429 },
  { code: 'ETIMEDOUT' },
  { code: 'ECONNRESET' },
];

/** A realistic spread: a few hot series carry most errors, a long tail carries the rest. */
function makeEvent(i: number, minuteMs: number): Record<string, unknown> {
  const hot = i % 10 < 7;
  const pick = <T>(list: readonly T[], n: number) => list[n % list.length] as T;
  const k = hot ? i % 7 : (i * 7919) % 1600;
  const region = pick(regions, k >> 6);
  return {
    at: new Date(minuteMs + (i % 60_000)).toISOString(),
    service: pick(services, k),
    vendor: pick(vendors, k >> 3),
    ...(region ? { region } : {}),
    ...pick(failures, k >> 9),
    customer: `customer-${(i * 31) % 5000}`,
  };
}

async function bucketSum(redis: Redis, keys: Keys, minutes: number[]): Promise<number> {
  const pipeline = redis.pipeline();
  for (const m of minutes) pipeline.hvals(keys.errorBucket(m));
  const replies = (await pipeline.exec()) ?? [];
  let sum = 0;
  for (const [, values] of replies) for (const v of (values as string[]) ?? []) sum += Number(v);
  return sum;
}

async function groupLag(redis: Redis, keys: Keys): Promise<number> {
  const groups = (await redis.xinfo('GROUPS', keys.errors)) as unknown[][];
  const group = groups.find((g) => g[1] === ingestGroup) ?? [];
  const lag = group[group.indexOf('lag') + 1];
  return typeof lag === 'number' ? lag : 0;
}

/** (b) Sustained end-to-end rate: producer here, worker in a child, until the buckets hold it all. */
async function throughput(redis: Redis, keys: Keys): Promise<{ eventsPerSecond: number; seconds: number }> {
  const minuteNow = Math.floor(Date.now() / 60_000);
  const minutes = [minuteNow - 3, minuteNow - 2, minuteNow - 1];
  // A pool of distinct payloads, serialized and encoded once: the load generator (a stand-in for many
  // services) should not be what is measured.
  const pool = Array.from({ length: 60 }, (_, p) =>
    Buffer.from(
      JSON.stringify(
        Array.from({ length: perEntry }, (_, i) =>
          makeEvent(p * perEntry + i, (minutes[p % 3] as number) * 60_000),
        ),
      ),
    ),
  );
  const entries = Math.ceil(totalEvents / perEntry);
  const events = entries * perEntry;
  const started = performance.now();
  let sent = 0;
  while (sent < entries) {
    // Flow control: stay at most ~2,000 entries ahead, as a real producer would be bounded by MAXLEN.
    if (sent % 1000 === 0 && (await groupLag(redis, keys)) > 2000) {
      await sleep(5);
      continue;
    }
    const pipeline = redis.pipeline();
    for (let i = 0; i < 50 && sent < entries; i++, sent++) {
      pipeline.xadd(keys.errors, 'MAXLEN', '~', 1_000_000, '*', 'events', pool[sent % pool.length] as Buffer);
    }
    await pipeline.exec();
  }
  let last = -1;
  let lastChange = performance.now();
  for (;;) {
    const sum = await bucketSum(redis, keys, minutes);
    if (sum >= events) break;
    if (sum !== last) [last, lastChange] = [sum, performance.now()];
    if (performance.now() - lastChange > 15_000) throw new Error(`stalled at ${sum} of ${events} events`);
    await sleep(5);
  }
  const seconds = (performance.now() - started) / 1000;
  return { eventsPerSecond: events / seconds, seconds };
}

/** (c) Latency at a steady 10,000 events/s: every 10 ms a 99-event entry plus one probe event. */
async function latency(
  redis: Redis,
  keys: Keys,
): Promise<{ p50: number; p99: number; max: number; samples: number }> {
  const minute = Math.floor(Date.now() / 60_000);
  const filler = JSON.stringify(Array.from({ length: 99 }, (_, i) => makeEvent(i, minute * 60_000)));
  const probes = new Map<string, { sentAt: number; minute: number }>();
  const latencies: number[] = [];
  let stop = false;
  const poller = (async () => {
    while (!stop || probes.size > 0) {
      if (probes.size > 0) {
        const pending = [...probes];
        const pipeline = redis.pipeline();
        for (const [field, p] of pending) pipeline.hexists(keys.errorBucket(p.minute), field);
        const replies = (await pipeline.exec()) ?? [];
        const now = performance.now();
        replies.forEach(([, found], i) => {
          const [field, p] = pending[i] as [string, { sentAt: number }];
          if (found === 1) {
            latencies.push(now - p.sentAt);
            probes.delete(field);
          }
        });
      }
      await sleep(1);
    }
  })();
  const ticks = latencySeconds * 100;
  const start = performance.now();
  for (let tick = 0; tick < ticks; tick++) {
    const due = start + tick * 10;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    const at = Date.now();
    const probeMinute = Math.floor(at / 60_000);
    const service = `latency-probe-${tick}`;
    const field = JSON.stringify([service, '', '', '', 'unknown']);
    const pipeline = redis.pipeline();
    pipeline.xadd(keys.errors, 'MAXLEN', '~', 1_000_000, '*', 'events', filler);
    pipeline.xadd(keys.errors, 'MAXLEN', '~', 1_000_000, '*', 'event', JSON.stringify({ at, service }));
    probes.set(field, { sentAt: performance.now(), minute: probeMinute });
    void pipeline.exec();
  }
  stop = true;
  await poller;
  latencies.sort((a, b) => a - b);
  const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN;
  return { p50: q(0.5), p99: q(0.99), max: latencies.at(-1) ?? NaN, samples: latencies.length };
}

/** (d) Memory per series field in the minute buckets, and per customers/exemplars key. */
async function memory(redis: Redis, keys: Keys) {
  const sizeOf = async (pattern: string) => {
    let cursor = '0';
    let bytes = 0;
    let count = 0;
    let fields = 0;
    do {
      const [next, found] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      for (const key of found) {
        bytes += Number(await redis.memory('USAGE', key, 'SAMPLES', '0'));
        count++;
        if (pattern.endsWith(':eb:*')) fields += await redis.hlen(key);
      }
    } while (cursor !== '0');
    return { bytes, count, fields };
  };
  return {
    buckets: await sizeOf(`${keys.root}:eb:*`),
    customers: await sizeOf(`${keys.root}:ec:*`),
    exemplars: await sizeOf(`${keys.root}:ex:*`),
  };
}

/** (e) The HTTP path's own bench (another file), when present: `benchHttpIngest()` → { eventsPerSec }. */
let httpEventsPerSecond: number | null = null;

async function httpBench(): Promise<string> {
  const file = path.join(here, 'ingest-http.ts');
  if (!existsSync(file)) return 'skipped (test/bench/ingest-http.ts not present)';
  try {
    const mod = (await import(file)) as {
      benchHttpIngest?: () => Promise<{ eventsPerSec: number; serverCpuUsPerEvent?: number }>;
    };
    if (typeof mod.benchHttpIngest !== 'function')
      return 'skipped (ingest-http.ts exports no benchHttpIngest())';
    const result = await mod.benchHttpIngest();
    httpEventsPerSecond = result.eventsPerSec;
    const cpu =
      result.serverCpuUsPerEvent === undefined
        ? ''
        : `, ${result.serverCpuUsPerEvent.toFixed(1)} µs CPU per event`;
    return `${fmt(result.eventsPerSec)} events/s${cpu} (target ≥ 50,000)`;
  } catch (error) {
    return `failed: ${(error as Error).message}`;
  }
}

async function main() {
  console.log(`ingest benchmark: ${fmt(totalEvents)} events, ${perEntry} per entry, Redis ${redisUrl}`);
  const rows: BenchRow[] = [];
  const reference = xaddReference();
  const hincrby = redisBenchmark(redisUrl, { requests: 200_000, pipeline: 16 }, [
    'HINCRBY',
    `bench-ingest-ref-h-${process.pid}`,
    'field',
    '1',
  ]);
  spawnSync('redis-cli', ['-h', hostname, '-p', port || '6379', 'DEL', `bench-ingest-ref-h-${process.pid}`]);
  const ping = redisBenchmark(redisUrl, { requests: 20_000, clients: 1 }, ['PING']);
  console.log(
    `(a) redis-benchmark -P 16 XADD MAXLEN ~ 100000, 200-byte payload: ${reference === null ? 'not installed' : `${fmt(reference)} entries/s`}`,
  );

  const prefix = `bench-ingest-${process.pid}`;
  const keys = createKeys(prefix);
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
  await redis.xgroup('CREATE', keys.errors, ingestGroup, '$', 'MKSTREAM');
  const worker = startWorker(prefix);
  try {
    await worker.ready;
    await sleep(300); // the consumer joins the group and blocks on its first read
    const before = await worker.stats();
    const b = await throughput(redis, keys);
    const after = await worker.stats();
    const cpuUs =
      (((after.cpuMs ?? 0) - (before.cpuMs ?? 0)) * 1000) /
      Math.max((after.events ?? 0) - (before.events ?? 0), 1);
    const ratio = reference ? ` = ${(b.eventsPerSecond / reference).toFixed(2)}× the XADD reference` : '';
    console.log(
      `(b) stream path end to end: ${fmt(b.eventsPerSecond)} events/s over ${b.seconds.toFixed(1)} s${ratio} ` +
        `(target ≥ 200,000 and ≥ 0.4×; the reference counts 200-byte entries, we count events, ${perEntry} per entry)`,
    );
    rows.push({
      bench: 'ingest',
      figure: `stream path end to end (${perEntry} events per entry)`,
      value: b.eventsPerSecond,
      unit: 'events/s',
      better: 'higher',
      ...(reference
        ? { reference: { what: 'redis-benchmark -P 16 XADD, 200-byte entries', value: reference } }
        : {}),
      target: 200_000,
    });
    rows.push({
      bench: 'ingest',
      figure: 'events per CPU-second of the ingest worker',
      value: 1e6 / cpuUs,
      unit: 'events/s',
      better: 'higher',
      ...(hincrby
        ? { reference: { what: 'redis-benchmark -P 16 HINCRBY', value: hincrby.requestsPerSecond } }
        : {}),
    });
    console.log(
      `    the worker process spent ${cpuUs.toFixed(2)} µs CPU per event (read, validate, aggregate, write): ` +
        `${fmt(1e6 / cpuUs)} events/s per core it gets, whatever else the machine runs`,
    );
    const m = await memory(redis, keys);
    await redis.xtrim(keys.errors, 'MAXLEN', 0);
    const c = await latency(redis, keys);
    console.log(
      `(c) append-to-bucket latency at 10,000 events/s: p50 ${c.p50.toFixed(1)} ms, p99 ${c.p99.toFixed(1)} ms, ` +
        `max ${c.max.toFixed(1)} ms over ${c.samples} probes (target p99 ≤ 25 ms)`,
    );
    rows.push({
      bench: 'ingest',
      figure: 'append-to-bucket latency p99 at 10,000 events/s',
      value: c.p99,
      unit: 'ms',
      better: 'lower',
      ...(ping ? { reference: { what: 'redis-benchmark PING p99, one client', value: ping.p99Ms } } : {}),
      target: 25,
    });
    console.log(
      `(d) Redis memory: ${fmt(m.buckets.bytes / Math.max(m.buckets.fields, 1))} bytes per bucket series ` +
        `(${fmt(m.buckets.fields)} series in ${m.buckets.count} minute buckets, ${fmt(m.buckets.bytes)} bytes); ` +
        `customers HyperLogLog ${fmt(m.customers.bytes / Math.max(m.customers.count, 1))} bytes per (minute, scope); ` +
        `exemplars ${fmt(m.exemplars.bytes / Math.max(m.exemplars.count, 1))} bytes per minute`,
    );
    await worker.stop();
    if (profile) console.log(`    worker CPU profile written to ${profileDir}`);
  } finally {
    if (worker.child.exitCode === null) worker.child.kill('SIGKILL');
    await deleteKeys(redis, `${keys.root}*`);
    await redis.quit();
  }
  // Last, after our keys are gone: it is another module and may fail in its own way.
  console.log(`(e) HTTP NDJSON: ${await httpBench()}`);
  if (hincrby || ping)
    console.log(
      `references: redis-benchmark -P 16 HINCRBY ${hincrby ? fmt(hincrby.requestsPerSecond) : '—'} ops/s; ` +
        `PING, one client, p99 ${ping ? ping.p99Ms.toFixed(2) : '—'} ms`,
    );
  if (httpEventsPerSecond !== null)
    rows.push({
      bench: 'ingest',
      figure: 'HTTP NDJSON POST /v1/errors',
      value: httpEventsPerSecond,
      unit: 'events/s',
      better: 'higher',
      ...(reference
        ? { reference: { what: 'redis-benchmark -P 16 XADD, 200-byte entries', value: reference } }
        : {}),
      target: 50_000,
    });
  emitRows(rows);
}

await main();
