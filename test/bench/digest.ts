/**
 * Digest benchmark: how long the daily digest takes to gather and render when a company watches many
 * vendors. 200 watched vendors, 40 services each depending on 10 of them, 31 days of minute error
 * buckets (the period and the 30 days it is compared with) and every vendor's recorded incidents in
 * Redis; then buildDigest for yesterday and for the last 7 days, and each renderer. The reference:
 * every seeded minute bucket read back raw (pipelined HGETALL), the least a digest over them reads.
 *   npm run bench:digest [-- --vendors 200 --days 31 --runs 3]
 */
import { loadavg } from 'node:os';
import { Redis } from 'ioredis';
import { parseConfig } from '../../src/config.js';
import { defaultDigestPeriod } from '../../src/core/digest/period.js';
import { renderDigest } from '../../src/core/digest/render.js';
import { digestFormats, type Digest } from '../../src/core/digest/types.js';
import { buildDigest } from '../../src/store/digest.js';
import { createKeys } from '../../src/store/keys.js';
import { statuspagePayloads } from '../support/payloads.js';
import { deleteKeys } from '../support/redis.js';
import { seedBuckets, seedVendors, servicesFor, seededVendorEntries } from './check-seed.js';
import { emitRows, type BenchRow } from './rows.js';

const argv = process.argv.slice(2);
const args = new Map(argv.map((arg, i, all) => [arg, all[i + 1]] as const));
const vendorCount = Number(args.get('--vendors') ?? 200);
const days = Number(args.get('--days') ?? 31);
const runs = Number(args.get('--runs') ?? 3);
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

const ms = (start: number) => performance.now() - start;
const fmt = (n: number) => `${Math.round(n).toLocaleString('en')} ms`;
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

async function main(): Promise<void> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 3 });
  const prefix = `bench-digest-${process.pid}`;
  const keys = createKeys(prefix);
  try {
    const payloads = await statuspagePayloads();
    const vendorIds = Array.from({ length: vendorCount }, (_, i) => `v${i}`);
    const services = servicesFor(vendorIds, 40, 10);
    const now = Date.now();
    const seeding = performance.now();
    const fields = await seedBuckets(redis, keys, {
      services,
      days,
      now,
      seriesPerMinute: 8,
      ttlSeconds: 3 * 3600,
    });
    await seedVendors(redis, keys, vendorIds, payloads, { now: new Date(now), blindEvery: 25 });
    console.log(
      `seeded ${vendorCount} vendors (${payloads.source}), ${services.length} services, ${days} days × 1440 ` +
        `minute buckets (${fields.toLocaleString('en')} fields) in ${fmt(ms(seeding))}`,
    );
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

    // The reference: every minute bucket of the seeded days, read back raw.
    const rawStart = performance.now();
    const firstMinute = Math.floor(now / 60_000) - days * 1440;
    for (let m = firstMinute; m <= firstMinute + days * 1440; m += 1000) {
      const pipeline = redis.pipeline();
      for (let k = m; k < Math.min(m + 1000, firstMinute + days * 1440 + 1); k++)
        pipeline.hgetall(keys.errorBucket(k));
      await pipeline.exec();
    }
    const rawMs = ms(rawStart);
    console.log(`reference: every minute bucket read back raw (pipelined HGETALL): ${fmt(rawMs)}`);
    const rows: BenchRow[] = [];

    for (const periodDays of [1, 7]) {
      const period = defaultDigestPeriod(new Date(now), periodDays, 'UTC');
      const times: number[] = [];
      let digest: Digest | null = null;
      let heapPeak = 0;
      for (let run = 0; run < runs; run++) {
        const start = performance.now();
        digest = await buildDigest({ redis, keys, config }, period, new Date(now));
        times.push(ms(start));
        heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
      }
      times.sort((a, b) => a - b);
      console.log(
        `buildDigest ${period.id} (${periodDays} day${periodDays > 1 ? 's' : ''}, ${digest!.vendors.length} ` +
          `vendors to report, ${digest!.quiet.length} quiet): median ${fmt(times[Math.floor(times.length / 2)]!)}, ` +
          `worst ${fmt(times.at(-1)!)} over ${runs} runs; heap ${mib(heapPeak)}`,
      );
      rows.push({
        bench: 'digest',
        figure: `buildDigest, ${periodDays} day${periodDays > 1 ? 's' : ''} (${vendorCount} vendors, median of ${runs})`,
        value: times[Math.floor(times.length / 2)]!,
        unit: 'ms',
        better: 'lower',
        reference: { what: `every seeded minute bucket read raw (${days} days)`, value: rawMs },
      });
      for (const format of digestFormats) {
        const start = performance.now();
        const { body } = renderDigest(digest!, format);
        console.log(
          `  render ${format}: ${fmt(ms(start))}, ${(Buffer.byteLength(body) / 1024).toFixed(0)} KiB`,
        );
      }
    }
    emitRows(rows);
    console.log(
      `load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
  } finally {
    await deleteKeys(redis, `${keys.root}*`);
    redis.disconnect();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
