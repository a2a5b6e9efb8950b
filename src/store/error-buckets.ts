import { z } from 'zod';
import { errorEventSchema, type ErrorEvent } from '../core/contracts.js';
import type { MinuteCounts } from '../core/detect/baseline.js';
import type { Keys } from './keys.js';
import {
  customerScope,
  parseCallsField,
  parseSeriesField,
  type CallsCount,
  type CallsKey,
  type Series,
} from '../core/series.js';
import type { RedisClient } from './redis.js';
import {
  addToUnion,
  countEach,
  countUnion,
  readSummedHashes,
  type KeysByPartition,
} from './partition-reads.js';

/*
 * Reading the per-minute error buckets the ingest writes (field = seriesField or callsField, value =
 * count). Two views of the same read: readBuckets for people and the API (customers counted, rows
 * sorted, a validated query), readMinuteCounts for the detector and the loader (lean: no customers,
 * no sorting, one pipeline).
 */

/** A read spanning more minutes than this is refused: it would be one huge pipeline. */
export const maxReadMinutes = 31 * 24 * 60;
const pipelineChunk = 500;

const instant = z.union([z.number(), z.string(), z.date()]).transform((value, ctx) => {
  const ms = value instanceof Date ? value.getTime() : typeof value === 'number' ? value : Date.parse(value);
  if (!Number.isFinite(ms)) {
    ctx.addIssue({ code: 'custom', message: 'expected epoch ms, an ISO-8601 string or a Date' });
    return z.NEVER;
  }
  return ms;
});

/** Which buckets to read: the minutes overlapping [from, to), optionally one service and/or vendor. */
export const bucketQuerySchema = z
  .strictObject({
    from: instant,
    to: instant,
    service: z.string().min(1).optional(),
    /** '' selects events that named no vendor. */
    vendor: z.string().optional(),
  })
  .refine((q) => q.to > q.from, { message: '"to" must be after "from"', path: ['to'] })
  .refine((q) => Math.ceil(q.to / 60_000) - Math.floor(q.from / 60_000) <= maxReadMinutes, {
    message: `a read spans at most ${maxReadMinutes} minutes (31 days)`,
    path: ['to'],
  });
export type BucketQuery = z.input<typeof bucketQuerySchema>;

/** One series in one minute. */
export interface SeriesMinute extends Series {
  /** Epoch ms / 60000. */
  minute: number;
  /** The minute's start, ISO-8601. */
  at: string;
  count: number;
  /** Distinct customers (HyperLogLog estimate) that minute in the series' (service, vendor, region). */
  customers: number;
}

/** Calls one service made to one vendor in one region in one minute, where producers report them. */
export interface CallsMinute extends CallsCount {
  /** Epoch ms / 60000. */
  minute: number;
  /** The minute's start, ISO-8601. */
  at: string;
}

export interface BucketCounts {
  /** Sorted by minute, then service, vendor, region, code. */
  series: SeriesMinute[];
  /** Sum of counts over the series returned. */
  total: number;
  /** Distinct customers across every minute and scope returned (a HyperLogLog union). */
  customers: number;
  /** Call volume in the same minutes and selection, sorted by minute, then service, vendor, region. */
  calls: CallsMinute[];
  /** Sum of calls over the rows returned. */
  totalCalls: number;
}

/** Thrown for a query that does not validate; the message names the bad field. */
export class BucketQueryError extends Error {
  override readonly name = 'BucketQueryError';
}

function compareScope(a: CallsKey & { minute: number }, b: CallsKey & { minute: number }): number {
  return (
    a.minute - b.minute ||
    a.service.localeCompare(b.service) ||
    a.vendor.localeCompare(b.vendor) ||
    a.region.localeCompare(b.region)
  );
}

function compare(a: SeriesMinute, b: SeriesMinute): number {
  return compareScope(a, b) || a.code.localeCompare(b.code);
}

async function inChunks<T, R>(items: T[], run: (chunk: T[]) => Promise<R[]>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += pipelineChunk)
    out.push(...(await run(items.slice(i, i + pipelineChunk))));
  return out;
}

/** Each minute's bucket, summed over the partitions: the hashes in the order of `minutes`. */
function fetchBuckets(redis: RedisClient, keys: Keys, minutes: readonly number[]) {
  return readSummedHashes(redis, keys.partitions, minutes, (partition, m) => partition.errorBucket(m));
}

/** What a bucket field holds: an error series, a call-volume scope, or neither (null: not ours). */
type BucketField = { series: Series } | { calls: CallsKey } | null;

/** Reads bucket fields, each distinct field once: the same fields recur minute after minute. */
function createFieldReader(): (field: string) => BucketField {
  const seen = new Map<string, BucketField>();
  return (field) => {
    let known = seen.get(field);
    if (known === undefined) {
      const series = parseSeriesField(field);
      const calls = series ? null : parseCallsField(field);
      known = series ? { series } : calls ? { calls } : null;
      seen.set(field, known);
    }
    return known;
  };
}

/**
 * Reads the per-minute error counts the ingest worker wrote, with customers per scope and overall,
 * and the call volume beside them.
 */
export async function readBuckets(redis: RedisClient, keys: Keys, query: BucketQuery): Promise<BucketCounts> {
  const parsed = bucketQuerySchema.safeParse(query);
  if (!parsed.success) {
    const reason = parsed.error.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`).join('; ');
    throw new BucketQueryError(`invalid bucket query: ${reason}`, { cause: parsed.error });
  }
  const { from, to, service, vendor } = parsed.data;
  const minutes: number[] = [];
  for (let m = Math.floor(from / 60_000); m < Math.ceil(to / 60_000); m++) minutes.push(m);

  const hashes = await inChunks(minutes, (chunk) => fetchBuckets(redis, keys, chunk));

  const readField = createFieldReader();
  const series: SeriesMinute[] = [];
  const calls: CallsMinute[] = [];
  hashes.forEach((hash, i) => {
    const minute = minutes[i] as number;
    for (const [field, value] of Object.entries(hash)) {
      const known = readField(field);
      const s = known && 'series' in known ? known.series : null;
      if (!s) {
        const volume = known && 'calls' in known ? known.calls : null;
        if (!volume || (service !== undefined && volume.service !== service)) continue;
        if (vendor !== undefined && volume.vendor !== vendor) continue;
        const n = Number(value);
        if (Number.isFinite(n) && n > 0)
          calls.push({ ...volume, minute, at: new Date(minute * 60_000).toISOString(), calls: n });
        continue;
      }
      if (service !== undefined && s.service !== service) continue;
      if (vendor !== undefined && s.vendor !== vendor) continue;
      series.push({
        ...s,
        minute,
        at: new Date(minute * 60_000).toISOString(),
        count: Number(value),
        customers: 0,
      });
    }
  });

  // A scope's customers are counted in the partition whose stream held its events: normally its
  // service's, but every partition is read (events from before ingest.partitions was raised sit in
  // partition 0). A scope's count adds up its partitions; the overall union counts each customer once.
  const scopes: KeysByPartition = new Map();
  for (const s of series) {
    for (const p of keys.partitions) addToUnion(scopes, p, p.errorCustomers(s.minute, customerScope(s)));
  }
  const perScope = await countEach(redis, scopes, pipelineChunk);
  const union: KeysByPartition = new Map();
  for (const s of series) {
    for (const p of keys.partitions) {
      const key = p.errorCustomers(s.minute, customerScope(s));
      const n = perScope.get(key) ?? 0;
      s.customers += n;
      if (n > 0) addToUnion(union, p, key);
    }
  }
  // One PFCOUNT over many keys estimates their union (across partitions: see countUnion).
  const customers = await countUnion(redis, keys, union);
  series.sort(compare);
  calls.sort(compareScope);
  return {
    series,
    total: series.reduce((sum, s) => sum + s.count, 0),
    customers,
    calls,
    totalCalls: calls.reduce((sum, c) => sum + c.calls, 0),
  };
}

/** One minute bucket as read: its error series (what the detector judges) and its call volume. */
export interface MinuteBucket extends MinuteCounts {
  /** Calls per (service, vendor, region) that minute, where producers report call volume. */
  calls: readonly CallsCount[];
}

/**
 * The lean read: per-minute error buckets for minutes [from, to] (epoch minutes) in one pipeline of
 * HGETALLs. Not readBuckets: that also counts customers (a PFCOUNT per scope and minute) and sorts
 * every row, which the detector does not need and which cost 16× the time on a 91-minute window.
 * Fields that are neither series nor call volume and counts that are not positive numbers are
 * skipped: any producer can write Redis. Minutes with neither errors nor calls are left out.
 */
export async function readMinuteCounts(
  redis: RedisClient,
  keys: Keys,
  from: number,
  to: number,
): Promise<MinuteBucket[]> {
  const minutes: number[] = [];
  for (let minute = from; minute <= to; minute++) minutes.push(minute);
  const hashes = await fetchBuckets(redis, keys, minutes);
  const readField = createFieldReader();
  const out: MinuteBucket[] = [];
  hashes.forEach((hash, i) => {
    const counts: Array<{ series: Series; count: number }> = [];
    const calls: CallsCount[] = [];
    for (const [field, raw] of Object.entries(hash)) {
      const known = readField(field);
      const count = Number(raw);
      if (!known || !Number.isFinite(count) || count <= 0) continue;
      if ('calls' in known) calls.push({ ...known.calls, calls: count });
      else counts.push({ series: known.series, count });
    }
    if (counts.length || calls.length) out.push({ minute: from + i, counts, calls });
  });
  return out;
}

/** The example events kept for a minute (each partition's, newest first); entries that no longer parse are skipped. */
export async function readExemplars(redis: RedisClient, keys: Keys, minute: number): Promise<ErrorEvent[]> {
  const lists = await Promise.all(keys.partitions.map((p) => redis.lrange(p.errorExemplars(minute), 0, -1)));
  const items = lists.flat();
  const events: ErrorEvent[] = [];
  for (const item of items) {
    try {
      const parsed = errorEventSchema.safeParse(JSON.parse(item));
      if (parsed.success) events.push(parsed.data);
    } catch {
      // A hand-written list item that is not JSON: not ours to show.
    }
  }
  return events;
}
