/**
 * Retention benchmark: how long trimming a large backlog takes, pass by pass, and what the annotator's
 * tick costs with a long history. Seeds, under its own prefix, old resolved incidents with delivered
 * annotations, old changes, old resolved incidents of many vendors and an old, acknowledged error
 * stream, plus a few open incidents; then runs the trimmer (default batch size, 20 batches per kind)
 * until a pass completes, printing each pass's time and counts, and Redis memory and keys before and
 * after. Its keys are deleted afterwards.
 *   npm run bench:retention [-- --incidents 50000 --changes 100000 --vendors 500 --per-vendor 50 --entries 200000]
 */
import { Redis } from 'ioredis';
import { createIncidentStore } from '../../src/store/incidents.js';
import { createKeys } from '../../src/store/keys.js';
import { createTrimmer } from '../../src/store/retention.js';
import { deleteKeys } from '../support/redis.js';

const args = new Map(process.argv.slice(2).map((arg, i, all) => [arg, all[i + 1]] as const));
const incidents = Number(args.get('--incidents') ?? 50_000);
const changes = Number(args.get('--changes') ?? 100_000);
const vendors = Number(args.get('--vendors') ?? 500);
const perVendor = Number(args.get('--per-vendor') ?? 50);
const entries = Number(args.get('--entries') ?? 200_000);
const open = 20;
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const DAY = 86_400_000;
const now = Date.now();
const old = (days: number) => new Date(now - days * DAY).toISOString();
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

const redis = new Redis(redisUrl);
const keys = createKeys(`bench-retention-${process.pid}`);

async function pipelined(n: number, add: (p: ReturnType<Redis['pipeline']>, i: number) => void) {
  for (let i = 0; i < n; i += 2000) {
    const p = redis.pipeline();
    for (let j = i; j < Math.min(n, i + 2000); j++) add(p, j);
    await p.exec();
  }
}

async function footprint(): Promise<{ keys: number; memory: number }> {
  let count = 0;
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', `${keys.root}*`, 'COUNT', 5000);
    cursor = next;
    count += found.length;
  } while (cursor !== '0');
  const info = await redis.info('memory');
  return { keys: count, memory: Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0) };
}

async function main() {
  const baseline = await footprint();
  const t0 = performance.now();
  const incident = (id: string, resolvedAt: string | null) =>
    JSON.stringify({
      id,
      service: 'backstage',
      title: id,
      startedAt: old(101),
      resolvedAt,
      regions: [],
      customers: [],
    });
  await pipelined(incidents, (p, i) => {
    p.set(keys.incident(`old-${i}`), incident(`old-${i}`, old(100)));
    p.zadd(keys.incidentsByStart, now - 101 * DAY, `old-${i}`);
    p.hset(keys.annotation(`old-${i}`), 'latest', '1', 'v:1', '{}', 'd:1', old(100));
    p.zadd(keys.annotations, now - 100 * DAY, `old-${i}`);
  });
  const store = createIncidentStore(redis, keys);
  for (let i = 0; i < open; i++) await store.upsert(JSON.parse(incident(`open-${i}`, null)));
  await pipelined(changes, (p, i) => {
    const member = JSON.stringify({ at: old(100), service: 'backstage', kind: 'deploy', id: `c-${i}` });
    p.zadd(keys.changes, now - 100 * DAY - i, member);
    p.hset(keys.changeIds, `id:c-${i}`, member);
  });
  const vendorIds = Array.from({ length: vendors }, (_, v) => `vendor-${v}`);
  await pipelined(vendors * perVendor, (p, i) => {
    const vendor = vendorIds[Math.floor(i / perVendor)]!;
    const row = {
      vendor,
      id: `i-${i}`,
      title: 'old',
      impact: 'minor',
      status: 'resolved',
      kind: 'incident',
      startedAt: old(201),
      postedAt: old(201),
      updatedAt: old(200),
      resolvedAt: old(200),
      components: [],
      regions: [],
      updates: [],
      url: null,
    };
    p.hset(keys.vendorIncidents(vendor), row.id, JSON.stringify(row));
  });
  await pipelined(entries, (p, i) => p.xadd(keys.errors, `${now - 8 * DAY}-${i}`, 'events', '[]'));
  // The ingest group has read and acknowledged all of it.
  await redis.xgroup('CREATE', keys.errors, 'ingest', '$');
  const seeded = await footprint();
  console.log(
    `seeded in ${fmt(performance.now() - t0)} ms: ${fmt(incidents)} old incidents with annotations, ` +
      `${fmt(changes)} changes, ${fmt(vendors)} vendors × ${fmt(perVendor)} incidents, ${fmt(entries)} stream entries, ${open} open incidents`,
  );
  console.log(
    `  ${fmt(seeded.keys - baseline.keys)} keys, Redis memory +${fmt((seeded.memory - baseline.memory) / 1_048_576)} MiB`,
  );

  // The annotator's tick: what it reads now (the index) against walking every stored incident.
  await store.ensureActiveIndex();
  let t = performance.now();
  const stats = { read: 0 };
  await store.listActive(now, stats);
  const tickMs = performance.now() - t;
  t = performance.now();
  const all = await redis.zrange(keys.incidentsByStart, '0', '-1');
  for (let i = 0; i < all.length; i += 500)
    await redis.mget(all.slice(i, i + 500).map((id) => keys.incident(id)));
  const walkMs = performance.now() - t;
  console.log(
    `tick: reads ${fmt(stats.read)} incidents in ${tickMs.toFixed(1)} ms; walking all ${fmt(all.length)} takes ${fmt(walkMs)} ms`,
  );

  const trimmer = createTrimmer(redis, keys, {
    policy: {
      incidentsMs: 90 * DAY,
      annotationsMs: 90 * DAY,
      changesMs: 90 * DAY,
      suspectsMs: 90 * DAY,
      vendorIncidentsMs: 180 * DAY,
      streamsMs: 7 * DAY,
      digestRunsMs: 365 * DAY,
      alertsMs: 30 * DAY,
      batchSize: 500,
    },
    vendors: vendorIds,
  });
  const passes: number[] = [];
  const total = { incidents: 0, changes: 0, vendorIncidents: 0, streamEntries: 0 };
  for (let pass = 1; pass <= 200; pass++) {
    t = performance.now();
    const report = await trimmer.run(now);
    passes.push(performance.now() - t);
    total.incidents += report.incidents;
    total.changes += report.changes;
    total.vendorIncidents += report.vendorIncidents;
    total.streamEntries += Object.values(report.streamEntries).reduce((a, b) => a + b, 0);
    if (report.complete) break;
  }
  const after = await footprint();
  console.log(
    `trim: ${passes.length} passes, ${fmt(passes.reduce((a, b) => a + b, 0))} ms in all, slowest pass ${fmt(Math.max(...passes))} ms, ` +
      `mean ${fmt(passes.reduce((a, b) => a + b, 0) / passes.length)} ms`,
  );
  console.log(
    `  deleted ${fmt(total.incidents)} incidents, ${fmt(total.changes)} changes, ${fmt(total.vendorIncidents)} vendor incidents, ${fmt(total.streamEntries)} stream entries`,
  );
  console.log(
    `  left: ${fmt(after.keys - baseline.keys)} keys, Redis memory +${fmt((after.memory - baseline.memory) / 1_048_576)} MiB over the start`,
  );
  t = performance.now();
  await trimmer.run(now);
  console.log(`a pass with nothing left to trim: ${fmt(performance.now() - t)} ms`);
}

try {
  await main();
} finally {
  await deleteKeys(redis, `${keys.root}*`);
  await redis.quit();
}
