/**
 * Redis Cluster benchmark: N error events through the stream path (XADD → ingest worker processes →
 * minute buckets), first with 1 worker on one Redis (one partition, every key under `{prefix}`), then
 * with `ingest.partitions` 3 on a 3-master cluster and 1, 2 and 4 worker processes. Prints events/s,
 * the workers' CPU per event, and per master of the cluster the share of keys, memory and commands
 * each run added (the target: every master between 25 % and 45 %).
 *   npm run bench:cluster [-- --events 200000 --per-entry 100 --services 24]
 * The cluster is UPCAUSE_REDIS_CLUSTER (node list) or, when unset, one this script starts and stops with
 * scripts/redis-cluster.sh. REDIS_URL is the single Redis (default redis://127.0.0.1:6379). On a 2-core
 * machine the producer and the workers share the cores: events/s cannot grow with workers there; the
 * distribution and the CPU per event show whether it would with cores to spare.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Cluster, type Redis } from 'ioredis';
import { createKeys, type Keys } from '../../src/store/keys.js';
import { connectRedis, type RedisClient } from '../../src/store/redis.js';
import { ingestGroup } from '../../workers/ingest-worker.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const script = path.join(here, '../../scripts/redis-cluster.sh');
const child = path.join(here, '../support/ingest-child.ts');
const args = new Map(process.argv.slice(2).map((arg, i, all) => [arg, all[i + 1]] as const));
const totalEvents = Number(args.get('--events') ?? 200_000);
const perEntry = Number(args.get('--per-entry') ?? 100);
const serviceCount = Number(args.get('--services') ?? 24);
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

/** Services as a company names them; each producer batches its own service's events. */
const services = Array.from({ length: serviceCount }, (_, i) => `service-${String(i + 1).padStart(2, '0')}`);
const vendors = ['stripe', 'algolia', '100ms', 'twilio', 'aws', 'cloudflare', 'sendgrid', 'gcp'];
const regions = ['eu-west-1', 'us-east-1', 'ap-south-1', 'eu'];

/** Every (service, vendor) pair: what a partition is chosen by. */
const pairs = services.flatMap((service) => vendors.map((vendor) => ({ service, vendor })));

/** One entry of `perEntry` events of one service's calls to one vendor, over regions, customers and three minutes. */
function makeEntry(service: string, vendor: string, seed: number, minutes: number[]): string {
  return JSON.stringify(
    Array.from({ length: perEntry }, (_, i) => {
      const k = ((seed * perEntry + i) * 7919) % 1024;
      return {
        at: new Date((minutes[(seed + i) % 3] as number) * 60_000 + (i % 60) * 1000).toISOString(),
        service,
        vendor,
        region: regions[k % regions.length],
        status: [502, 503, 504][i % 3],
        customer: `customer-${(seed * 31 + i * 17) % 5000}`,
      };
    }),
  );
}

interface WorkerStats {
  events?: number;
  batches?: number;
  cpuMs?: number;
}

/** One ingest worker process (test/support/ingest-child.ts) on the run's keys. */
function startWorker(prefix: string, partitions: number, name: string, clusterNodes: string[]) {
  const proc = spawn(process.execPath, ['--import', 'tsx', child], {
    env: {
      ...process.env,
      UPCAUSE_TEST_PREFIX: prefix,
      INGEST_CONSUMER: name,
      INGEST_BATCH_SIZE: '500',
      INGEST_CLAIM_AFTER_MS: '30000',
      INGEST_PARTITIONS: String(partitions),
      REDIS_URL: redisUrl,
      UPCAUSE_REDIS_CLUSTER_NODES: clusterNodes.join(','),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  proc.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const last = (): WorkerStats =>
    JSON.parse(
      out
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .at(-1) ?? '{}',
    ) as WorkerStats;
  return {
    ready: new Promise<void>((resolve, reject) => {
      proc.once('exit', (code) => reject(new Error(`ingest worker ${name} exited with ${code}`)));
      const check = () => (out.includes('ready') ? resolve() : setTimeout(check, 20));
      check();
    }),
    async stats(): Promise<WorkerStats> {
      const before = out.length;
      proc.kill('SIGUSR2');
      while (out.length === before) await sleep(10);
      return last();
    },
    stop: () =>
      new Promise<void>((resolve) => {
        proc.removeAllListeners('exit');
        proc.once('exit', () => resolve());
        proc.kill('SIGTERM');
      }),
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
  const out: MasterFigures[] = [];
  for (const node of cluster.nodes('master')) {
    const address = `${node.options.host}:${node.options.port}`;
    out.push(await figuresOf(node, slotsOf.get(address) ?? '?'));
  }
  return out.sort((a, b) => a.address.localeCompare(b.address));
}

/** Events counted in the buckets of `minutes`, over every partition. */
async function bucketSum(redis: RedisClient, keys: Keys, minutes: number[]): Promise<number> {
  let sum = 0;
  for (const p of keys.partitions)
    for (const m of minutes) for (const v of await redis.hvals(p.errorBucket(m))) sum += Number(v);
  return sum;
}

/** Entries XADDed but not yet read by the group, over every partition. */
async function lagOf(redis: RedisClient, keys: Keys): Promise<number[]> {
  return Promise.all(
    keys.partitions.map(async (p) => {
      const group = ((await redis.xinfo('GROUPS', p.errors)) as unknown[][])[0] ?? [];
      return Number(group[group.indexOf('lag') + 1] ?? 0);
    }),
  );
}

interface Run {
  events: number;
  seconds: number;
  eventsPerSecond: number;
  /** Every worker process's CPU over the run, per event. */
  workerCpuUsPerEvent: number;
  /** Events per partition, in order. */
  perPartition: number[];
  /** Events per batch the workers wrote (one script call each): smaller with more workers. */
  eventsPerBatch: number;
}

/**
 * XADDs every event (entries of `perEntry`, each to its service and vendor's partition) while `workers` ingest
 * processes apply them; timed until the buckets hold them all.
 */
async function streamPath(
  redis: RedisClient,
  prefix: string,
  partitions: number,
  workers: number,
  clusterNodes: string[],
  wanted = totalEvents,
): Promise<Run> {
  const keys = createKeys(prefix, { partitions });
  for (const p of keys.partitions) await redis.xgroup('CREATE', p.errors, ingestGroup, '$', 'MKSTREAM');
  const procs = Array.from({ length: workers }, (_, i) =>
    startWorker(prefix, partitions, `bench-${i}`, clusterNodes),
  );
  await Promise.all(procs.map((p) => p.ready));
  const minuteNow = Math.floor(Date.now() / 60_000);
  const minutes = [minuteNow - 3, minuteNow - 2, minuteNow - 1];
  const pool = pairs.map(({ service, vendor }, s) => makeEntry(service, vendor, s, minutes));
  const entries = Math.ceil(wanted / perEntry);
  const events = entries * perEntry;
  const perPartition = keys.partitions.map(() => 0);
  const cpuBefore = await Promise.all(procs.map((p) => p.stats()));
  const started = performance.now();
  for (let sent = 0; sent < entries;) {
    // Stay at most ~1,000 entries ahead of the workers per partition, as MAXLEN bounds a real producer.
    const lag = await lagOf(redis, keys);
    const pipelines = new Map<number, ReturnType<RedisClient['pipeline']>>();
    for (let i = 0; i < 100 && sent < entries; i++, sent++) {
      const s = sent % pairs.length;
      const partition = keys.partitionOf(pairs[s]!.service, pairs[s]!.vendor);
      if ((lag[partition.index] ?? 0) > 1000) break;
      let pipeline = pipelines.get(partition.index);
      if (!pipeline) pipelines.set(partition.index, (pipeline = redis.pipeline()));
      pipeline.xadd(partition.errors, '*', 'events', pool[s]!);
      perPartition[partition.index]! += perEntry;
    }
    if (pipelines.size === 0) await sleep(5);
    await Promise.all([...pipelines.values()].map((p) => p.exec()));
  }
  for (let last = -1, since = performance.now(); ;) {
    const sum = await bucketSum(redis, keys, minutes);
    if (sum >= events) break;
    if (sum !== last) [last, since] = [sum, performance.now()];
    if (performance.now() - since > 15_000) throw new Error(`stalled at ${sum} of ${events} events`);
    await sleep(10);
  }
  const seconds = (performance.now() - started) / 1000;
  const cpuAfter = await Promise.all(procs.map((p) => p.stats()));
  await Promise.all(procs.map((p) => p.stop()));
  const cpuMs = cpuAfter.reduce((sum, s, i) => sum + (s.cpuMs ?? 0) - (cpuBefore[i]?.cpuMs ?? 0), 0);
  const batches = cpuAfter.reduce((sum, s, i) => sum + (s.batches ?? 0) - (cpuBefore[i]?.batches ?? 0), 0);
  return {
    events,
    seconds,
    eventsPerSecond: events / seconds,
    workerCpuUsPerEvent: (cpuMs * 1000) / events,
    perPartition,
    eventsPerBatch: events / Math.max(1, batches),
  };
}

/** Deletes the run's keys: the root tag's and every partition's (`{prefix*`), master by master. */
async function deleteRun(redis: RedisClient, prefix: string) {
  const nodes: Redis[] = redis instanceof Cluster ? redis.nodes('master') : [redis];
  for (const node of nodes) {
    let cursor = '0';
    do {
      const [next, page] = await node.scan(cursor, 'MATCH', `{${prefix}*`, 'COUNT', 1000);
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

const pct = (n: number, of: number) => `${((100 * Math.max(0, n)) / (of || 1)).toFixed(1)} %`;

async function main() {
  let nodes = (process.env.UPCAUSE_REDIS_CLUSTER ?? '').split(',').filter((n) => n.trim() !== '');
  const ownDir = nodes.length === 0 ? mkdtempSync(path.join(tmpdir(), 'upcause-bench-cluster-')) : null;
  const env = { ...process.env, UPCAUSE_CLUSTER_DIR: ownDir ?? '' };
  if (ownDir) nodes = execFileSync(script, ['start'], { env, encoding: 'utf8' }).trim().split(',');
  console.log(
    `cluster benchmark: ${fmt(totalEvents)} events per run, ${perEntry} per entry, ${services.length} services × ${vendors.length} vendors; ` +
      `single Redis ${redisUrl}; cluster ${nodes.join(',')}`,
  );
  const base = `bench-cluster-${process.pid}`;
  const runs: Array<{ where: string; partitions: number; workers: number; run: Run }> = [];
  const shares: Array<{ label: string; rows: Array<MasterFigures & { memory: number }> }> = [];
  try {
    const single = await connectRedis(redisUrl, 'worker', 'bench-cluster-single');
    // A first, unreported pass warms Redis and the page cache for the worker processes.
    await streamPath(single, `${base}-warm`, 1, 1, [], Math.min(totalEvents, 50_000));
    await deleteRun(single, `${base}-warm`);
    runs.push({
      where: 'single Redis',
      partitions: 1,
      workers: 1,
      run: await streamPath(single, `${base}-1`, 1, 1, []),
    });
    await deleteRun(single, `${base}-1`);
    await single.quit();
    console.log('single Redis: done');

    const cluster = (await connectRedis(
      { url: redisUrl, cluster: { nodes } },
      'worker',
      'bench-cluster',
    )) as Cluster;
    for (const workers of [1, 2, 4]) {
      const prefix = `${base}-c${workers}`;
      const before = await masters(cluster);
      const run = await streamPath(cluster, prefix, 3, workers, nodes);
      const after = await masters(cluster);
      runs.push({ where: `cluster, ${after.length} masters`, partitions: 3, workers, run });
      shares.push({
        label: `${workers} worker${workers === 1 ? '' : 's'}`,
        rows: after.map((a) => {
          const b = before.find((x) => x.address === a.address);
          return {
            ...a,
            keys: a.keys - (b?.keys ?? 0),
            memory: a.usedMemory - (b?.usedMemory ?? 0),
            commands: a.commands - (b?.commands ?? 0),
          };
        }),
      });
      await deleteRun(cluster, prefix);
      console.log(`cluster, ${workers} worker(s): done`);
    }
    await cluster.quit();

    console.log('\nstream path (worker CPU: every ingest worker process over the run, per event)');
    console.log(
      table(
        [
          'where',
          'partitions',
          'workers',
          'events',
          'seconds',
          'events/s',
          'worker CPU µs/event',
          'events/batch',
          'events per partition',
        ],
        runs.map(({ where, partitions, workers, run }) => [
          where,
          String(partitions),
          String(workers),
          fmt(run.events),
          run.seconds.toFixed(2),
          fmt(run.eventsPerSecond),
          run.workerCpuUsPerEvent.toFixed(1),
          fmt(run.eventsPerBatch),
          run.perPartition.map((n) => pct(n, run.events)).join(' / '),
        ]),
      ),
    );
    console.log('\nper master, what each cluster run added (target: every master between 25 % and 45 %)');
    const rows: string[][] = [];
    for (const { label, rows: figures } of shares) {
      const total = (pick: (r: (typeof figures)[number]) => number) =>
        figures.reduce((sum, r) => sum + Math.max(0, pick(r)), 0);
      for (const r of figures) {
        rows.push([
          label,
          r.address,
          r.slots,
          fmt(r.keys),
          mib(r.memory),
          fmt(r.commands),
          pct(
            r.keys,
            total((x) => x.keys),
          ),
          pct(
            r.memory,
            total((x) => x.memory),
          ),
          pct(
            r.commands,
            total((x) => x.commands),
          ),
        ]);
      }
    }
    console.log(
      table(
        [
          'run',
          'master',
          'slots',
          'keys',
          'memory MiB',
          'commands',
          'share of keys',
          'of memory',
          'of commands',
        ],
        rows,
      ),
    );
    console.log(
      "\n(commands include this script's XADDs and its polling reads; memory is used_memory after minus before)",
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
