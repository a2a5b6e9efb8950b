/**
 * Seeding for the support-check benchmark: minute error buckets in the layout the ingest script
 * writes (keys.errorBucket: series field → count, call-volume fields beside them; distinct customers
 * as HyperLogLogs), written straight to Redis in pipelines, plus each vendor's status page as read.
 */
import type { Redis } from 'ioredis';
import { parseIncidents, parseSummary } from '../../providers/statuspage.js';
import { FetchError } from '../../src/core/errors.js';
import { callsField, customerScope, seriesField, type Series } from '../../src/core/series.js';
import type { Keys } from '../../src/store/keys.js';
import { createVendorStore } from '../../src/store/vendors.js';

export const regions = ['eu-west-1', 'us-east-1', 'ap-southeast-2'];

/** A seeded PRNG, so runs compare. */
export function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let r = Math.imul(s ^ (s >>> 15), 1 | s);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

export interface ServiceSeed {
  name: string;
  regions: string[];
  dependsOn: Array<{ vendor: string }>;
}

/** The config entries of seeded vendors: Statuspage pages on a closed local port, never fetched. */
export function seededVendorEntries(vendorIds: readonly string[]) {
  return vendorIds.map((id) => ({ id, name: id, provider: 'statuspage', url: `http://127.0.0.1:9/${id}` }));
}

/** `count` services, each depending on `perService` of the vendors. */
export function servicesFor(vendorIds: string[], count: number, perService: number): ServiceSeed[] {
  const rand = random(7);
  return Array.from({ length: count }, (_, i) => ({
    name: `svc${i}`,
    regions: [regions[i % regions.length]!],
    dependsOn: Array.from({ length: perService }, () => ({
      vendor: vendorIds[Math.floor(rand() * vendorIds.length)]!,
    })).filter((d, j, all) => all.findIndex((o) => o.vendor === d.vendor) === j),
  }));
}

/**
 * Writes `days` of minute buckets ending at `now`: per minute a handful of error series and the call
 * volume of the same (service, vendor, region); spikes on some vendors (a few of them now); distinct
 * customers for the last day. Every key expires in `ttlSeconds`, a safety net should cleanup not run.
 * Returns the number of fields written.
 */
export async function seedBuckets(
  redis: Redis,
  keys: Keys,
  options: {
    services: ServiceSeed[];
    days: number;
    now: number;
    seriesPerMinute: number;
    ttlSeconds: number;
  },
): Promise<number> {
  const rand = random(42);
  const { services, now, ttlSeconds } = options;
  const last = Math.floor(now / 60_000);
  const first = last - options.days * 1440 + 1;
  const pairs = services.flatMap((s) =>
    s.dependsOn.map((d) => ({ service: s.name, vendor: d.vendor, region: s.regions[0]! })),
  );
  // Spikes: every 40th pair has a 30-minute burst of errors somewhere in the period; every 200th, now.
  const spikes = new Map<number, Array<{ from: number; to: number }>>();
  pairs.forEach((_, i) => {
    if (i % 40 === 0) {
      const from = first + Math.floor(rand() * (last - first - 60));
      spikes.set(i, [{ from, to: from + 30 }]);
    }
    if (i % 200 === 0) (spikes.get(i) ?? spikes.set(i, []).get(i)!).push({ from: last - 20, to: last });
  });
  let fields = 0;
  let pipeline = redis.pipeline();
  let queued = 0;
  for (let minute = first; minute <= last; minute++) {
    const values: Array<string | number> = [];
    const hll: Array<[string, string[]]> = [];
    for (let k = 0; k < options.seriesPerMinute; k++) {
      const index = Math.floor(rand() * pairs.length);
      const pair = pairs[index]!;
      const spiking = spikes.get(index)?.some((s) => minute >= s.from && minute <= s.to) ?? false;
      const series: Series = {
        ...pair,
        code: rand() < 0.7 ? 'HTTP_503' : 'ETIMEDOUT',
        errorClass: rand() < 0.7 ? 'server' : 'timeout',
      };
      values.push(seriesField(series), spiking ? 40 + Math.floor(rand() * 60) : 1 + Math.floor(rand() * 3));
      values.push(callsField(pair), 200 + Math.floor(rand() * 800));
      if (last - minute < 1440) {
        hll.push([customerScope(pair), Array.from({ length: 3 }, () => `cust-${Math.floor(rand() * 500)}`)]);
      }
    }
    fields += values.length / 2;
    const bucket = keys.errorBucket(minute);
    pipeline.hset(bucket, ...values);
    pipeline.expire(bucket, ttlSeconds);
    for (const [scope, customers] of hll) {
      const key = keys.errorCustomers(minute, scope);
      pipeline.pfadd(key, ...customers);
      pipeline.expire(key, ttlSeconds);
    }
    queued += 2 + hll.length * 2;
    if (queued >= 5000) {
      await pipeline.exec();
      pipeline = redis.pipeline();
      queued = 0;
    }
  }
  await pipeline.exec();
  return fields;
}

/** Stores each vendor's page as read from the recorded payloads; every `blindEvery`th cannot be read. */
export async function seedVendors(
  redis: Redis,
  keys: Keys,
  vendorIds: string[],
  payloads: { summary: string; incidents: string },
  options: { now: Date; blindEvery: number },
): Promise<void> {
  const store = createVendorStore(redis, keys);
  for (let i = 0; i < vendorIds.length; i += 20) {
    await Promise.all(
      vendorIds.slice(i, i + 20).map(async (vendor, j) => {
        const summary = parseSummary(payloads.summary, vendor, options.now);
        const incidents = parseIncidents(payloads.incidents, vendor);
        await store.applyPoll(
          vendor,
          { status: summary.status, incidents },
          { now: options.now, latencyMs: 40 },
        );
        if ((i + j) % options.blindEvery === options.blindEvery - 1) {
          await store.recordFailure(vendor, new FetchError('http', 'HTTP 503', { status: 503 }), {
            now: options.now,
            latencyMs: 40,
          });
        }
      }),
    );
  }
}
