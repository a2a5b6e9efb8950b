/**
 * Redis Cluster benchmark (issue 14, the "before" row): N error events through the stream path (XADD →
 * ingest worker → minute buckets), once on one Redis and once on a 3-master cluster, with today's key
 * layout, where every key shares the hash tag `{prefix}`. Prints events/s for both and, per master of
 * the cluster, the keys, memory and commands the run added: today one master carries it all.
 *   npm run bench:cluster [-- --events 200000 --per-entry 100]
 * The cluster is UPCAUSE_REDIS_CLUSTER (node list) or, when unset, one this script starts and stops with
 * scripts/redis-cluster.sh. REDIS_URL is the single Redis (default redis://127.0.0.1:6379).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Cluster, type Redis } from 'ioredis';
import { createLogger } from '../../src/logger.js';
import { createKeys, type Keys } from '../../src/store/keys.js';
import { connectRedis, type RedisClient, type RedisTarget } from '../../src/store/redis.js';
import { createIngestWorker, ingestGroup } from '../../workers/ingest-worker.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const script = path.join(here, '../../scripts/redis-cluster.sh');
const args = new Map(process.argv.slice(2).map((arg, i, all) => [arg, all[i + 1]] as const));
const totalEvents = Number(args.get('--events') ?? 200_000);
const perEntry = Number(args.get('--per-entry') ?? 100);
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

const services = ['checkout', 'search', 'video', 'billing', 'auth', 'notifications', 'webinar', 'recording'];
const vendors = ['stripe', 'algolia', '100ms', 'twilio', 'aws', 'cloudflare', 'sendgrid', 'gcp'];
const regions = ['eu-west-1', 'us-east-1', 'ap-south-1', 'eu'];

/** A spread of series and customers over three minutes, so buckets, HyperLogLogs and exemplars all grow. */
function makeEvent(i: number, minuteMs: number): Record<string, unknown> {
  const k = (i * 7919) % 1024;
  return {
    at: new Date(minuteMs + (i % 60_000)).toISOString(),
    service: services[k % services.length],
    vendor: vendors[(k >> 3) % vendors.length],
    region: regions[(k >> 6) % regions.length],
    status: [502, 503, 504][i % 3],
    customer: `customer-${(i * 31) % 5000}`,
  };
}

/** One master as CLUSTER NODES and its own INFO show it. */
interface MasterFigures {
  address: string;
  slots: string;
  keys: number;
  usedMemory: number;
  commands: number;
}

async function figuresOf(node: Redis, slots: string): Promise<MasterFigures> {
  const info = await node.info('all');
  const field = (name: string) => Number(new RegExp(`^${name}:(\\d+)`, 'm').exec(info)?.[1] ?? 0);
  let commands = 0;
  for (const match of info.matchAll(/^cmdstat_[^:]+:calls=(\d+)/gm)) commands += Number(match[1]);
  return {
    address: `${node.options.host}:${node.options.port}`,
    slots,
    keys: await node.dbsize(),
    usedMemory: field('used_memory'),
    commands,
  };
}

/** Every master's figures, with its slot ranges from CLUSTER NODES. */
async function masters(cluster: Cluster): Promise<MasterFigures[]> {
  const listing = String(await cluster.cluster('NODES'));
  const slotsOf = new Map<string, string>();
  for (const line of listing.trim().split('\n')) {
    const [, address = '', flags = '', , , , , , ...ranges] = line.split(' ');
    if (flags.includes('master')) slotsOf.set(address.split('@')[0] ?? '', ranges.join(' '));
  }
  const nodes = cluster.nodes('master');
  const out: MasterFigures[] = [];
  for (const node of nodes) {
    const address = `${node.options.host}:${node.options.port}`;
    out.push(await figuresOf(node, slotsOf.get(address) ?? '?'));
  }
  return out.sort((a, b) => a.address.localeCompare(b.address));
}

async function bucketSum(redis: RedisClient, keys: Keys, minutes: number[]): Promise<number> {
  let sum = 0;
  for (const m of minutes) for (const v of await redis.hvals(keys.errorBucket(m))) sum += Number(v);
  return sum;
}

/** XADDs every event (entries of `perEntry`) while the ingest worker in this process applies them; timed until the buckets hold them all. */
async function streamPath(redis: RedisClient, keys: Keys, wanted = totalEvents) {
  await redis.xgroup('CREATE', keys.errors, ingestGroup, '$', 'MKSTREAM');
  const worker = createIngestWorker({
    redis,
    keys,
    config: {
      ingest: {
        retentionMs: 30 * 86_400_000,
        streamMaxLen: 1_000_000,
        batchSize: 500,
        dedupeWindowMs: 3_600_000,
        claimAfterMs: 30_000,
        customersPerMinute: 2000,
        maxTries: 5,
      },
    },
    logger: createLogger('error', process.stderr),
    consumer: 'bench',
  });
  const running = worker.run();
  const minuteNow = Math.floor(Date.now() / 60_000);
  const minutes = [minuteNow - 3, minuteNow - 2, minuteNow - 1];
  const pool = Array.from({ length: 30 }, (_, p) =>
    JSON.stringify(
      Array.from({ length: perEntry }, (_, i) =>
        makeEvent(p * perEntry + i, (minutes[p % 3] as number) * 60_000),
      ),
    ),
  );
  const entries = Math.ceil(wanted / perEntry);
  const events = entries * perEntry;
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let sent = 0; sent < entries;) {
    // Stay at most ~1,000 entries ahead of the worker, as MAXLEN bounds a real producer.
    const group = ((await redis.xinfo('GROUPS', keys.errors)) as unknown[][])[0] ?? [];
    const lag = Number(group[group.indexOf('lag') + 1] ?? 0);
    if (lag > 1000) {
      await sleep(5);
      continue;
    }
    const pipeline = redis.pipeline();
    for (let i = 0; i < 100 && sent < entries; i++, sent++) {
      pipeline.xadd(keys.errors, '*', 'events', pool[sent % pool.length] as string);
    }
    await pipeline.exec();
  }
  for (let last = -1, since = performance.now(); ;) {
    const sum = await bucketSum(redis, keys, minutes);
    if (sum >= events) break;
    if (sum !== last) [last, since] = [sum, performance.now()];
    if (performance.now() - since > 15_000) throw new Error(`stalled at ${sum} of ${events} events`);
    await sleep(10);
  }
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  await worker.close();
  await running;
  return {
    events,
    seconds,
    eventsPerSecond: events / seconds,
    cpuUsPerEvent: (used.user + used.system) / events,
  };
}

async function deleteRun(redis: RedisClient, keys: Keys) {
  const nodes: Redis[] = redis instanceof Cluster ? redis.nodes('master') : [redis];
  for (const node of nodes) {
    let cursor = '0';
    do {
      const [next, page] = await node.scan(cursor, 'MATCH', `${keys.root}*`, 'COUNT', 1000);
      cursor = next;
      for (const key of page) await node.del(key);
    } while (cursor !== '0');
  }
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i] ?? 0)).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

async function main() {
  let nodes = (process.env.UPCAUSE_REDIS_CLUSTER ?? '').split(',').filter((n) => n.trim() !== '');
  const ownDir = nodes.length === 0 ? mkdtempSync(path.join(tmpdir(), 'upcause-bench-cluster-')) : null;
  const env = { ...process.env, UPCAUSE_CLUSTER_DIR: ownDir ?? '' };
  if (ownDir) nodes = execFileSync(script, ['start'], { env, encoding: 'utf8' }).trim().split(',');
  console.log(
    `cluster benchmark: ${fmt(totalEvents)} events, ${perEntry} per entry; single Redis ${redisUrl}; cluster ${nodes.join(',')}`,
  );
  const prefix = `bench-cluster-${process.pid}`;
  const keys = createKeys(prefix);
  try {
    const single = await connectRedis(redisUrl, 'worker', 'bench-cluster-single');
    // A first, unreported pass warms the JIT and loads the scripts, so neither row pays for it.
    await streamPath(single, createKeys(`${prefix}-warm`), Math.min(totalEvents, 50_000));
    await deleteRun(single, createKeys(`${prefix}-warm`));
    const one = await streamPath(single, keys);
    await deleteRun(single, keys);
    await single.quit();

    const target: RedisTarget = { url: redisUrl, cluster: { nodes } };
    const cluster = (await connectRedis(target, 'worker', 'bench-cluster')) as Cluster;
    const before = await masters(cluster);
    const many = await streamPath(cluster, keys);
    const after = await masters(cluster);
    await deleteRun(cluster, keys);
    await cluster.quit();

    console.log('\nstream path (1 ingest worker in this process; CPU is this whole process per event)');
    console.log(
      table(
        ['where', 'events', 'seconds', 'events/s', 'CPU µs/event'],
        [
          ['single Redis', one],
          [`cluster, ${after.length} masters`, many],
        ].map(([name, r]) => {
          const run = r as typeof one;
          return [
            name as string,
            fmt(run.events),
            run.seconds.toFixed(2),
            fmt(run.eventsPerSecond),
            run.cpuUsPerEvent.toFixed(1),
          ];
        }),
      ),
    );
    const added = after.map((a) => {
      const b = before.find((x) => x.address === a.address);
      return {
        ...a,
        keys: a.keys - (b?.keys ?? 0),
        memory: a.usedMemory - (b?.usedMemory ?? 0),
        commands: a.commands - (b?.commands ?? 0),
      };
    });
    const total = (pick: (r: (typeof added)[number]) => number) =>
      added.reduce((sum, r) => sum + Math.max(0, pick(r)), 0) || 1;
    const share = (n: number, of: number) => `${((100 * Math.max(0, n)) / of).toFixed(1)} %`;
    console.log(`\nper master, what the cluster run added (key layout today: every key under {${prefix}})`);
    console.log(
      table(
        ['master', 'slots', 'keys', 'memory MiB', 'commands', 'share of keys', 'of memory', 'of commands'],
        added.map((r) => [
          r.address,
          r.slots,
          fmt(r.keys),
          mib(r.memory),
          fmt(r.commands),
          share(
            r.keys,
            total((x) => x.keys),
          ),
          share(
            r.memory,
            total((x) => x.memory),
          ),
          share(
            r.commands,
            total((x) => x.commands),
          ),
        ]),
      ),
    );
    console.log(
      "\n(commands include this script's own reads; phase 2 aims for 25–45 % per master with partitioned tags)",
    );
  } finally {
    if (ownDir) execFileSync(script, ['stop'], { env, stdio: 'inherit' });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
