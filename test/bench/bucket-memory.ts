/**
 * What a day of error buckets costs in Redis memory. Pushes a few minutes of events through the real
 * ingest path (XADD batches to the partition streams, the ingest worker from workers/ingest-worker.ts
 * counting them into buckets) on the local Redis under a prefix of its own, then sums MEMORY USAGE of
 * every key written, by kind, per minute, and extrapolates to a day. Deletes its keys at the end.
 *
 * A scenario is a series cardinality and an event rate. Services × vendors each calls × regions give
 * the (service, vendor, region) scopes; every scope reports its call volume each minute; a tenth of
 * the scopes fail each minute, with one of two codes; half the error events name a customer, drawn
 * from 200 customers per scope out of a pool of 20,000; a tenth of the events carry a producer id.
 * The rest of the rate is error events. Entries are counted as they are pushed and the stream is
 * trimmed once they are, so a high rate does not fill the local Redis; the stream's bytes per event
 * are measured before the first trim.
 *
 * With `--partitions N` the events go to N ingest partitions (routed as the API routes them), all on
 * the one local Redis: what the split itself adds.
 *   npm run bench:bucket-memory [-- --minutes 2 --only 500/1k,5000/1k --partitions 1]
 */
import { Redis } from 'ioredis';
import { createLogger } from '../../src/logger.js';
import { createKeys } from '../../src/store/keys.js';
import { createRedisClient } from '../../src/store/redis.js';
import { createIngestWorker } from '../../workers/ingest-worker.js';
import { deleteKeys } from '../support/redis.js';

const args = new Map(process.argv.slice(2).map((arg, i, all) => [arg, all[i + 1]] as const));
const minutes = Number(args.get('--minutes') ?? 2);
const partitions = Number(args.get('--partitions') ?? 1);
const only = args.get('--only')?.split(',');
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const eventsPerEntry = 200;
const dedupeWindowMs = 3_600_000;
const customersPerMinute = 2000;
const customerPool = 20_000;
const customersPerScope = 200;
/** Entries pushed before waiting for the worker to count them and trimming the streams. */
const entriesPerRound = 250;

interface Scenario {
  name: string;
  vendors: number;
  services: number;
  vendorsPerService: number;
  eventsPerSecond: number;
}

const shapes = [
  { vendors: 500, services: 100, vendorsPerService: 20 },
  { vendors: 5_000, services: 500, vendorsPerService: 40 },
];
const scenarios: Scenario[] = shapes.flatMap((shape) =>
  [1_000, 10_000, 100_000].map((eventsPerSecond) => ({
    name: `${shape.vendors}/${eventsPerSecond / 1000}k`,
    ...shape,
    eventsPerSecond,
  })),
);

/** A small deterministic generator, so two runs push the same events. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Scope {
  service: string;
  vendor: string;
  region: string;
  /** Where this scope's customers start in the pool. */
  customers: number;
}

function scopesOf(s: Scenario, rand: () => number): Scope[] {
  const scopes: Scope[] = [];
  for (let i = 0; i < s.services; i++) {
    const vendors = new Set<number>();
    while (vendors.size < s.vendorsPerService) vendors.add(Math.floor(rand() * s.vendors));
    for (const v of vendors)
      for (const region of ['eu-west-1', 'us-east-1'])
        scopes.push({
          service: `service-${i}`,
          vendor: `vendor-${v}`,
          region,
          customers: Math.floor(rand() * customerPool),
        });
  }
  return scopes;
}

/** One minute's events, one at a time: a volume report per scope, then the failing scopes' errors. */
function* minuteEvents(s: Scenario, scopes: Scope[], minute: number, rand: () => number, ids: { n: number }) {
  const at = minute * 60_000 + 30_000;
  for (const { service, vendor, region } of scopes)
    yield { at, service, vendor, region, calls: 1000 + Math.floor(rand() * 1000) } as Record<string, unknown>;
  const failing = scopes.filter(() => rand() < 0.1);
  const errors = Math.max(0, s.eventsPerSecond * 60 - scopes.length);
  for (let i = 0; i < errors; i++) {
    const scope = failing[Math.floor(rand() * failing.length)]!;
    const event: Record<string, unknown> = {
      at,
      service: scope.service,
      vendor: scope.vendor,
      region: scope.region,
      code: `CODE_${Math.floor(rand() * 2)}`,
      status: 503,
    };
    if (rand() < 0.5)
      event.customer = `customer-${(scope.customers + Math.floor(rand() * customersPerScope)) % customerPool}`;
    if (rand() < 0.1) event.id = `event-${ids.n++}`;
    yield event;
  }
}

/** The kind of a key, from its name after its hash tag: eb, ec, cf, cfm, ex, eid, errors… */
function kindOf(key: string): string {
  return key.slice(key.indexOf('}:') + 2).split(':')[0]!;
}

interface Kind {
  keys: number;
  bytes: number;
  fields: number;
}

interface Measured {
  scenario: Scenario;
  scopes: number;
  events: number;
  entries: number;
  seconds: number;
  streamBytesPerEvent: number;
  byKind: Map<string, Kind>;
}

async function measure(redis: Redis, s: Scenario): Promise<Measured> {
  const prefix = `bench-bucket-mem-${process.pid}-${s.vendors}-${s.eventsPerSecond}`;
  const keys = createKeys(prefix, { partitions });
  // Every partition's tag is the prefix or starts with it: `{prefix}`, `{prefix:p1…}`.
  const pattern = `{${prefix}[}:]*`;
  await deleteKeys(redis, pattern);
  const rand = random(14);
  const scopes = scopesOf(s, rand);
  const connection = createRedisClient(redisUrl, 'worker', 'bench-bucket-memory');
  const worker = createIngestWorker({
    redis: connection,
    keys,
    config: {
      ingest: {
        retentionMs: 30 * 86_400_000,
        streamMaxLen: 200_000,
        batchSize: 500,
        dedupeWindowMs,
        claimAfterMs: 30_000,
        customersPerMinute,
      },
    },
    logger: createLogger('error', process.stderr),
    consumer: 'bench',
  });
  const running = worker.run();
  const started = Date.now();
  const first = Math.floor(Date.now() / 60_000) - minutes - 1;
  const ids = { n: 0 };
  let events = 0;
  let entries = 0;
  let streamBytesPerEvent = 0;
  let pipeline = redis.pipeline();
  let queued = 0;

  /** Waits until the worker counted every entry pushed, then empties the streams (all acknowledged). */
  async function drain(): Promise<void> {
    await pipeline.exec();
    pipeline = redis.pipeline();
    queued = 0;
    while (worker.stats().entries < entries) await new Promise((resolve) => setTimeout(resolve, 50));
    if (streamBytesPerEvent === 0) {
      let bytes = 0;
      for (const p of keys.partitions)
        bytes += Number(await redis.call('MEMORY', 'USAGE', p.errors, 'SAMPLES', '0'));
      streamBytesPerEvent = bytes / events;
    }
    for (const p of keys.partitions) await redis.xtrim(p.errors, 'MAXLEN', 0);
  }

  const buffers = new Map<string, Record<string, unknown>[]>();
  async function flush(stream: string, list: Record<string, unknown>[]): Promise<void> {
    pipeline.xadd(stream, 'MAXLEN', '~', 200_000, '*', 'events', JSON.stringify(list));
    entries++;
    if (++queued >= entriesPerRound) await drain();
  }
  for (let m = 0; m < minutes; m++) {
    for (const event of minuteEvents(s, scopes, first + m, rand, ids)) {
      events++;
      const stream = keys.partitionOf(event.service as string, event.vendor as string).errors;
      const list = buffers.get(stream) ?? [];
      list.push(event);
      buffers.set(stream, list);
      if (list.length === eventsPerEntry) {
        buffers.delete(stream);
        await flush(stream, list);
      }
    }
    for (const [stream, list] of buffers) await flush(stream, list);
    buffers.clear();
  }
  await drain();
  const seconds = (Date.now() - started) / 1000;
  await worker.close();
  await running;
  await connection.quit();

  const byKind = new Map<string, Kind>();
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    const sizes = redis.pipeline();
    for (const key of found) sizes.call('MEMORY', 'USAGE', key, 'SAMPLES', '0');
    for (const key of found) sizes.call('TYPE', key);
    const replies = (await sizes.exec()) ?? [];
    const lengths = redis.pipeline();
    found.forEach((key, i) => {
      if (replies[found.length + i]?.[1] === 'hash') lengths.hlen(key);
      else lengths.echo('0');
    });
    const fieldCounts = (await lengths.exec()) ?? [];
    found.forEach((key, i) => {
      const kind = kindOf(key);
      const row = byKind.get(kind) ?? { keys: 0, bytes: 0, fields: 0 };
      row.keys++;
      row.bytes += Number(replies[i]?.[1] ?? 0);
      row.fields += Number(fieldCounts[i]?.[1] ?? 0);
      byKind.set(kind, row);
    });
  } while (cursor !== '0');
  await deleteKeys(redis, pattern);
  return { scenario: s, scopes: scopes.length, events, entries, seconds, streamBytesPerEvent, byKind };
}

const mib = (bytes: number) => (bytes / 1048576).toFixed(bytes < 10 * 1048576 ? 2 : 1);
const gib = (bytes: number) => (bytes / 1073741824).toFixed(1);
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
/** Kinds written per minute (cf: per customer and hour, a field per minute): a day of buckets. */
const bucketKinds = ['eb', 'ec', 'cf', 'cfm', 'ex'];

async function main() {
  const redis = new Redis(redisUrl);
  const chosen = scenarios.filter((s) => !only || only.includes(s.name));
  console.log(
    `bucket memory: ${minutes} minutes per scenario, ${partitions} partition(s), ` +
      `${eventsPerEntry} events per stream entry, customersPerMinute ${customersPerMinute}, ` +
      `dedupe window ${dedupeWindowMs / 60_000} min\n`,
  );
  const results: Measured[] = [];
  for (const s of chosen) {
    const r = await measure(redis, s);
    results.push(r);
    console.log(
      `${s.name}: ${fmt(s.vendors)} vendors, ${fmt(r.scopes)} (service, vendor, region) scopes, ` +
        `${fmt(s.eventsPerSecond)} events/s, ${fmt(r.events)} events in ${fmt(r.entries)} entries, ` +
        `counted in ${r.seconds.toFixed(1)} s`,
    );
    for (const [kind, { keys, bytes, fields }] of [...r.byKind].sort((a, b) => b[1].bytes - a[1].bytes)) {
      const per = bucketKinds.includes(kind) ? ` = ${mib(bytes / minutes)} MiB a minute` : '';
      const hash = fields > 0 ? `, ${fmt(fields)} hash fields (${fmt(bytes / fields)} bytes each)` : '';
      console.log(
        `  ${kind.padEnd(7)} ${fmt(keys).padStart(9)} keys ${mib(bytes).padStart(8)} MiB${per}${hash}`,
      );
    }
    const eid = r.byKind.get('eid');
    if (eid) console.log(`  eid: ${fmt(eid.bytes / eid.keys)} bytes per producer id kept`);
    console.log(
      `  stream: ${r.streamBytesPerEvent.toFixed(0)} bytes per event (${eventsPerEntry} a entry)\n`,
    );
  }
  console.log(
    '| scenario | scopes | events/s | eb | ec | cf | buckets a minute | a day | 30 days | eid bytes/id | stream bytes/event |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of results) {
    const perMinute = (kind: string) => (r.byKind.get(kind)?.bytes ?? 0) / minutes;
    const buckets = bucketKinds.reduce((sum, k) => sum + perMinute(k), 0);
    const eid = r.byKind.get('eid');
    console.log(
      `| ${r.scenario.name} | ${fmt(r.scopes)} | ${fmt(r.scenario.eventsPerSecond)} | ` +
        `${mib(perMinute('eb'))} | ${mib(perMinute('ec'))} | ${mib(perMinute('cf'))} | ` +
        `${mib(buckets)} MiB | ${gib(buckets * 1440)} GiB | ${gib(buckets * 1440 * 30)} GiB | ` +
        `${eid ? fmt(eid.bytes / eid.keys) : '—'} | ${r.streamBytesPerEvent.toFixed(0)} |`,
    );
  }
  await redis.quit();
}

await main();
process.exit(0);
