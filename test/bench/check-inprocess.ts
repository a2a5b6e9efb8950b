/**
 * The support check's own cost, in this process: the same seed as bench:check (200 vendors, 30 days of
 * minute buckets, pages from a recorded payload), then `runCheck` called directly for each kind of
 * question, one at a time, with and without the shared cache. No HTTP, no autocannon: what is left
 * is the check. Run under `node --cpu-prof --import tsx` to see where the time goes.
 *   npx tsx test/bench/check-inprocess.ts [--vendors 200 --days 30 --rounds 200 --only vendor|service|every]
 */
import { loadavg } from 'node:os';
import { Redis } from 'ioredis';
import { parseConfig } from '../../src/config.js';
import { createCheckCache, runCheck } from '../../src/store/check.js';
import { createKeys } from '../../src/store/keys.js';
import { statuspagePayloads } from '../support/payloads.js';
import { deleteKeys } from '../support/redis.js';
import { random, regions, seedBuckets, seedVendors, servicesFor, seededVendorEntries } from './check-seed.js';

const argv = process.argv.slice(2);
const args = new Map(argv.map((arg, i, all) => [arg, all[i + 1]] as const));
const vendorCount = Number(args.get('--vendors') ?? 200);
const days = Number(args.get('--days') ?? 30);
const rounds = Number(args.get('--rounds') ?? 200);
const only = args.get('--only');
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

type Kind = 'vendor' | 'service' | 'every vendor';

async function main() {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const prefix = `bench-check-inproc-${process.pid}`;
  const keys = createKeys(prefix);
  const vendorIds = Array.from({ length: vendorCount }, (_, i) => `v${i}`);
  const services = servicesFor(vendorIds, 40, 10);
  const now = Date.now();
  try {
    const payloads = await statuspagePayloads();
    await seedBuckets(redis, keys, { services, days, now, seriesPerMinute: 8, ttlSeconds: 3600 });
    await seedVendors(redis, keys, vendorIds, payloads, { now: new Date(now), blindEvery: 25 });
    const config = parseConfig(
      {
        redis: { url: redisUrl, prefix },
        vendors: seededVendorEntries(vendorIds),
        services,
        log: { level: 'warn' },
      },
      {},
      'bench',
    );
    const rand = random(99);
    const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)]!;
    const question = (kind: Kind) => {
      const q: Record<string, string> = {};
      if (kind === 'vendor') q.vendor = pick(vendorIds);
      if (kind === 'service') q.service = pick(services).name;
      if (rand() < 0.3) q.region = pick(['eu', 'Frankfurt', 'us-east-1', 'Sydney', ...regions]);
      if (rand() < 0.5) q.at = new Date(now - Math.floor(rand() * (days - 1) * 86_400_000)).toISOString();
      if (rand() < 0.1) q.customer = `cust-${Math.floor(rand() * 500)}`;
      return q;
    };
    const cache = createCheckCache();
    const at = new Date(now + 1000);
    console.log(
      `in-process runCheck, ${vendorCount} vendors, ${days} days (load average ${loadavg()[0]!.toFixed(1)}; seeded by ${Math.round(performance.now())} ms)`,
    );
    for (const kind of ['vendor', 'service', 'every vendor'] as const) {
      if (only !== undefined && !kind.startsWith(only)) continue;
      const n = kind === 'every vendor' ? Math.max(5, Math.floor(rounds / 10)) : rounds;
      const times: number[] = [];
      let bytes = 0;
      const cpu = process.cpuUsage();
      for (let i = 0; i < n; i++) {
        const q = question(kind);
        const started = performance.now();
        const answer = await runCheck({ redis, keys, config, cache }, q, at);
        bytes += JSON.stringify(answer).length;
        times.push(performance.now() - started);
      }
      const used = process.cpuUsage(cpu);
      // The first ten are what bench:check's one-at-a-time sample sees: caches cold, code not yet optimized.
      const first = times.slice(0, 10).sort((a, b) => a - b);
      times.sort((a, b) => a - b);
      const mean = times.reduce((s, x) => s + x, 0) / times.length;
      console.log(
        `  ${kind.padEnd(12)}: mean ${mean.toFixed(2)} ms, median ${times[times.length >> 1]!.toFixed(2)} ms, ` +
          `p99 ${times[Math.floor(times.length * 0.99)]!.toFixed(2)} ms, ` +
          `CPU ${((used.user + used.system) / 1000 / n).toFixed(2)} ms each, first ten median ${first[first.length >> 1]!.toFixed(2)} ms, ${Math.round(bytes / n / 1024)} KiB per answer (${n} asked)`,
      );
    }
    const heap = process.memoryUsage();
    console.log(
      `  heap used ${Math.round(heap.heapUsed / 2 ** 20)} MiB, resident ${Math.round(heap.rss / 2 ** 20)} MiB`,
    );
  } finally {
    await deleteKeys(redis, `${keys.root}*`);
    redis.disconnect();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
