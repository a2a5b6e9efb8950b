import { randomUUID } from 'node:crypto';
import type { Config } from '../config.js';
import { vendorKey } from '../core/correlate/signal-shared.js';
import {
  computeDigest,
  digestStretches,
  type DigestVendorInput,
  type OurIncidentInput,
  type StretchName,
} from '../core/digest/compute.js';
import { incidentWindow, type CallsRow, type ErrorRow, type Stretch } from '../core/digest/figures.js';
import { addDays, localMidnight } from '../core/digest/period.js';
import type { Digest, DigestPeriod } from '../core/digest/types.js';
import { customerScope } from '../core/series.js';
import { createAnnotationStore } from './annotations.js';
import { readMinuteCounts } from './error-buckets.js';
import { createIncidentStore } from './incidents.js';
import type { Keys } from './keys.js';
import { addToUnion, mergeUnionInto, type KeysByPartition } from './partition-reads.js';
import { createSuspectStore } from './suspects.js';
import { createVendorStore } from './vendors.js';
import type { RedisClient } from './redis.js';

/** What gathering a digest reads: RedisClient, its keys and the config (vendors, services, console URL). */
export interface DigestDeps {
  redis: RedisClient;
  keys: Keys;
  config: Pick<Config, 'vendors' | 'services' | 'api' | 'ingest'>;
}

const stretchNames: StretchName[] = ['period', 'previous7', 'previous30'];
/** Keys per PFMERGE / EXISTS: long enough to be few round trips, short enough to stay small commands. */
const keyChunk = 500;
const scratchTtlMs = 10 * 60_000;

/** Our failed calls and call volume per watched vendor, summed over regions and codes. */
interface ErrorTally {
  errors: Map<string, ErrorRow>;
  calls: Map<string, CallsRow>;
}

/**
 * Customers per vendor and stretch: each day's HyperLogLogs are merged into a scratch key per
 * (vendor, stretch) as the days are read, so no stretch's key list is ever held whole.
 */
function createCustomerUnion(redis: RedisClient, keys: Keys) {
  const token = randomUUID();
  const scratch = (vendor: string, stretch: StretchName) =>
    keys.digestCustomers(`${token}:${stretch}:${vendor}`);
  const used = new Set<string>();
  const existing = new Map<string, number>();

  return {
    /**
     * Merges one day's HyperLogLogs of every vendor into its scratch keys: one pipeline of EXISTS for
     * the whole day (a missing HyperLogLog is no customer, and tells "none" from "unknown"), then one
     * of PFMERGE, rather than two round trips per vendor.
     */
    async merge(byVendor: ReadonlyMap<string, Set<string>>, stretches: StretchName[]): Promise<void> {
      const chunks: Array<{ vendor: string; keys: string[] }> = [];
      for (const [vendor, set] of byVendor) {
        const all = [...set];
        for (let i = 0; i < all.length; i += keyChunk)
          chunks.push({ vendor, keys: all.slice(i, i + keyChunk) });
      }
      if (chunks.length === 0 || stretches.length === 0) return;
      const exists = redis.pipeline();
      for (const chunk of chunks) exists.exists(...chunk.keys);
      const found = (await exists.exec()) ?? [];
      const merges = redis.multi();
      let merging = false;
      chunks.forEach((chunk, i) => {
        const [error, count] = found[i] ?? [new Error('no reply'), 0];
        if (error)
          throw new Error(`counting customers of ${chunk.vendor}: ${error.message}`, { cause: error });
        if (Number(count) === 0) return;
        merging = true;
        for (const stretch of stretches) {
          const key = scratch(chunk.vendor, stretch);
          used.add(key);
          existing.set(key, (existing.get(key) ?? 0) + Number(count));
          merges.pfmerge(key, ...chunk.keys).pexpire(key, scratchTtlMs);
        }
      });
      // Nothing is sent until exec: a day with no HyperLogLog leaves the transaction unsent.
      if (merging) await merges.exec();
    },
    /** Merges HyperLogLogs from the partitions after the first (see mergeUnionInto): a vendor at a time. */
    async mergeElsewhere(
      byVendor: ReadonlyMap<string, KeysByPartition>,
      stretches: StretchName[],
    ): Promise<void> {
      for (const [vendor, groups] of byVendor) {
        for (const stretch of stretches) {
          const key = scratch(vendor, stretch);
          const found = await mergeUnionInto(redis, keys, key, groups);
          if (found === 0) continue;
          used.add(key);
          existing.set(key, (existing.get(key) ?? 0) + found);
          await redis.pexpire(key, scratchTtlMs);
        }
      }
    },
    /** The estimate; null when no HyperLogLog existed for the vendor in the stretch. */
    async count(vendor: string, stretch: StretchName): Promise<number | null> {
      const key = scratch(vendor, stretch);
      return existing.get(key) ? await redis.pfcount(key) : null;
    },
    async dispose(): Promise<void> {
      if (used.size > 0) await redis.del(...used);
    },
  };
}

/** The local days from the first of the 30 before the period to its last, with the stretches each is in. */
function daysToRead(period: DigestPeriod, stretches: Record<StretchName, Stretch>) {
  const out: Array<{ from: number; to: number; in: StretchName[] }> = [];
  for (let day = addDays(period.firstDay, -30); day <= period.lastDay; day = addDays(day, 1)) {
    const from = localMidnight(day, period.timeZone);
    const to = localMidnight(addDays(day, 1), period.timeZone);
    const inStretches = stretchNames.filter((n) => from >= stretches[n].from && from < stretches[n].to);
    out.push({ from, to, in: inStretches });
  }
  return out;
}

/**
 * Reads our errors a local day at a time (at most 31 + 30 days, never all at once), keeping per
 * watched vendor only sums per minute, service and error class, and merging customers as it goes.
 */
async function gatherErrors(
  deps: DigestDeps,
  period: DigestPeriod,
  now: number,
  customers: ReturnType<typeof createCustomerUnion>,
): Promise<Map<string, ErrorTally>> {
  const { redis, keys, config } = deps;
  const watched = new Map(config.vendors.map((v) => [vendorKey(v.id), v.id]));
  const tallies = new Map(config.vendors.map((v) => [v.id, { errors: new Map(), calls: new Map() }]));
  const oldest = now - config.ingest.retentionMs;
  for (const day of daysToRead(period, digestStretches(period))) {
    // Buckets past the retention have expired, and future ones are empty: not worth a read.
    if (day.to <= oldest || day.from > now) continue;
    const buckets = await readMinuteCounts(
      redis,
      keys,
      Math.floor(day.from / 60_000),
      Math.ceil(day.to / 60_000) - 1,
    );
    const scopes = new Map<string, Set<string>>();
    const elsewhere = new Map<string, KeysByPartition>();
    for (const bucket of buckets) {
      for (const { series, count } of bucket.counts) {
        const vendor = watched.get(vendorKey(series.vendor));
        if (vendor === undefined) continue;
        const tally = tallies.get(vendor)!;
        const id = `${bucket.minute}|${series.service}|${series.errorClass}`;
        const row = tally.errors.get(id);
        if (row) row.count += count;
        else
          tally.errors.set(id, {
            minute: bucket.minute,
            service: series.service,
            errorClass: series.errorClass,
            count,
          });
        // Customers of client errors share the scope's HyperLogLog; only scopes with failures the vendor caused are read.
        if (series.errorClass === 'client') continue;
        // Every partition: a scope's customers sit where its events were counted (see readBuckets).
        const set = scopes.get(vendor) ?? new Set<string>();
        set.add(keys.errorCustomers(bucket.minute, customerScope(series)));
        scopes.set(vendor, set);
        for (const partition of keys.partitions.slice(1)) {
          const groups = elsewhere.get(vendor) ?? new Map();
          addToUnion(groups, partition, partition.errorCustomers(bucket.minute, customerScope(series)));
          elsewhere.set(vendor, groups);
        }
      }
      for (const c of bucket.calls) {
        const vendor = watched.get(vendorKey(c.vendor));
        if (vendor === undefined) continue;
        const tally = tallies.get(vendor)!;
        const id = `${bucket.minute}|${c.service}`;
        const row = tally.calls.get(id);
        if (row) row.calls += c.calls;
        else tally.calls.set(id, { minute: bucket.minute, service: c.service, calls: c.calls });
      }
    }
    await customers.merge(scopes, day.in);
    await customers.mergeElsewhere(elsewhere, day.in);
  }
  return tallies;
}

/** Our incidents that ran in the stretches, each with its latest annotation. */
async function gatherOurIncidents(
  deps: DigestDeps,
  fromMs: number,
  toMs: number,
): Promise<OurIncidentInput[]> {
  const incidents = await createIncidentStore(deps.redis, deps.keys).list({
    from: new Date(fromMs).toISOString(),
    to: new Date(toMs).toISOString(),
    limit: 100_000,
  });
  const annotations = createAnnotationStore(deps.redis, deps.keys);
  const out: OurIncidentInput[] = [];
  for (let i = 0; i < incidents.length; i += keyChunk) {
    const chunk = incidents.slice(i, i + keyChunk);
    const latest = await Promise.all(chunk.map((incident) => annotations.latest(incident.id)));
    chunk.forEach((incident, k) => out.push({ incident, annotation: latest[k] ?? null }));
  }
  return out;
}

/**
 * Gathers the period's data (and the 30 days before it) from Redis and computes the digest. The only
 * entry point the CLI, the API and the scheduler use.
 */
export async function buildDigest(deps: DigestDeps, period: DigestPeriod, now: Date): Promise<Digest> {
  const { redis, keys, config } = deps;
  const stretches = digestStretches(period);
  const fromMs = stretches.previous30.from;
  const toMs = stretches.period.to;
  const nowMs = now.getTime();
  const vendorStore = createVendorStore(redis, keys);
  const customers = createCustomerUnion(redis, keys);
  try {
    const [incidentLists, blindLists, ourIncidents, suspects, tallies] = await Promise.all([
      Promise.all(config.vendors.map((v) => vendorStore.listIncidents(v.id))),
      Promise.all(config.vendors.map((v) => vendorStore.listBlindSpans(v.id, fromMs, toMs))),
      gatherOurIncidents(deps, fromMs, toMs),
      // Every suspect kept: one that began before the stretches can still cover their errors.
      createSuspectStore(redis, keys).listBySince(0, toMs),
      gatherErrors(deps, period, nowMs, customers),
    ]);
    const vendors: DigestVendorInput[] = [];
    for (const [index, v] of config.vendors.entries()) {
      const tally = tallies.get(v.id);
      const counts = await Promise.all(stretchNames.map((name) => customers.count(v.id, name)));
      vendors.push({
        id: v.id,
        name: v.name,
        url: v.url,
        incidents: (incidentLists[index] ?? []).filter((incident) => {
          const { start, end } = incidentWindow(incident, nowMs);
          return start < toMs && end >= fromMs;
        }),
        errors: [...(tally?.errors.values() ?? [])],
        calls: [...(tally?.calls.values() ?? [])],
        customers: { period: counts[0] ?? null, previous7: counts[1] ?? null, previous30: counts[2] ?? null },
        blindSpans: blindLists[index] ?? [],
      });
    }
    return computeDigest({
      period,
      now: now.toISOString(),
      vendors,
      ourIncidents,
      suspects,
      consoleUrl: config.api.console.publicUrl?.replace(/\/+$/, '') ?? null,
      retentionMs: config.ingest.retentionMs,
    });
  } finally {
    await customers.dispose();
  }
}
