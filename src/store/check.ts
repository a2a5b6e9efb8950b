import type { Config } from '../config.js';
import {
  checkAnswer,
  extendedMinutes,
  normalizeErrors,
  vendorsToCheck,
  type CheckConfig,
} from '../core/check/answer.js';
import type { PageState } from '../core/check/judge.js';
import { checkMinutes, checkWindow, resolveCheckQuery } from '../core/check/query.js';
import type { CheckAnswer, CheckQuery } from '../core/check/types.js';
import { blindSpanSchema } from '../core/correlate/blind-spans.js';
import { INPUT_WINDOWS, vendorIdOf } from '../core/correlate/select-input.js';
import type { BlindSpan, CallCount, MinuteCount } from '../core/correlate/types.js';
import { suspectSchema, type Suspect } from '../core/detect/suspect.js';
import { vendorIncidentSchema, type VendorIncident } from '../core/model.js';
import { customerScope, parseCallsField, parseSeriesField, type Series } from '../core/series.js';
import type { CallsKey } from '../core/series.js';
import { readCustomerFailures } from './customer-failures.js';
import type { Keys } from './keys.js';
import {
  addHash,
  addToUnion,
  countUnion,
  readSummedHashes,
  type KeysByPartition,
} from './partition-reads.js';
import { catalogHostOwner } from '../catalog-hosts.js';
import type { RedisClient } from './redis.js';

/*
 * Reading what the support check needs, in few round trips: (1) the error minutes around `at`, the
 * vendor-side version and the suspects' ids; (2) per vendor judged, its poll health, blind spans and
 * (when the cache has not got them) its incidents, plus the suspects themselves and the customer's
 * failures; (3) for the few vendors with errors, distinct customers. The rules are in src/core/check.
 */

export interface CheckDeps {
  redis: RedisClient;
  keys: Keys;
  config: Config;
  /** Shared between requests (see createCheckCache); without one every read goes to Redis. */
  cache?: CheckCache;
}

const MINUTE = 60_000;

/** A minute's bucket as the core reads it; kept as is in the cache, so a request builds nothing per row. */
type Bucket = { counts: MinuteCount[]; calls: CallCount[] };

/**
 * What many checks in a row share: parsed minute buckets for a second (a burst of agents asking about
 * now reads each minute once), and vendor incidents until keys.vendorChanges moves (every store write
 * appends there, so its newest id versions the whole vendor side).
 */
export function createCheckCache(options: { bucketTtlMs?: number; maxMinutes?: number } = {}) {
  const ttl = options.bucketTtlMs ?? 1000;
  const maxMinutes = options.maxMinutes ?? 50_000;
  const minutes = new Map<number, { at: number; bucket: Bucket }>();
  let version: string | null = null;
  const incidents = new Map<string, VendorIncident[]>();
  return {
    bucket(minute: number, now: number): Bucket | undefined {
      const hit = minutes.get(minute);
      return hit && now - hit.at < ttl ? hit.bucket : undefined;
    },
    keepBucket(minute: number, bucket: Bucket, now: number): void {
      // Expired buckets are never served: drop them (oldest first, in insertion order) rather than
      // keep a day of past minutes on the heap for the collector to walk.
      for (const [m, hit] of minutes) {
        if (now - hit.at < ttl) break;
        minutes.delete(m);
      }
      if (minutes.size >= maxMinutes) minutes.clear();
      minutes.delete(minute);
      minutes.set(minute, { at: now, bucket });
    },
    /** Incidents of `vendor` if cached at `tip`; switching tips drops them all. */
    incidents(vendor: string, tip: string): VendorIncident[] | undefined {
      if (tip !== version) {
        incidents.clear();
        version = tip;
      }
      return incidents.get(vendor);
    },
    keepIncidents(vendor: string, tip: string, list: VendorIncident[]): void {
      if (tip === version) incidents.set(vendor, list);
    },
  };
}
export type CheckCache = ReturnType<typeof createCheckCache>;

/**
 * Bucket fields as parsed, shared between requests: the same few hundred series recur every minute,
 * so each field is parsed once. Cleared when it grows past a bound (series are open-ended).
 */
const knownFields = new Map<string, Series | CallsKey | null>();
const MAX_KNOWN_FIELDS = 100_000;

/** HGETALL without ioredis's reply transformer: a flat [field, value, …] array, read straight into rows. */
const HGETALL = 'HGETALL';

function parseBucket(minute: number, hash: string[] | Record<string, string>): Bucket {
  const bucket: Bucket = { counts: [], calls: [] };
  const flat = Array.isArray(hash) ? hash : Object.entries(hash).flat();
  for (let i = 0; i + 1 < flat.length; i += 2) {
    const field = flat[i]!;
    let known = knownFields.get(field);
    if (known === undefined) {
      known = parseSeriesField(field) ?? parseCallsField(field);
      if (knownFields.size >= MAX_KNOWN_FIELDS) knownFields.clear();
      knownFields.set(field, known);
    }
    const n = Number(flat[i + 1]);
    if (!known || !Number.isFinite(n) || n <= 0) continue;
    if ('code' in known) bucket.counts.push({ minute, series: known, count: n });
    else bucket.calls.push({ minute, ...known, calls: n });
  }
  return bucket;
}

function safeJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function reply<T>(entry: [Error | null, unknown] | undefined, what: string): T {
  if (!entry) throw new Error(`no reply reading ${what}`);
  const [error, value] = entry;
  if (error) throw new Error(`reading ${what}: ${error.message}`, { cause: error });
  return value as T;
}

/** A hash read with HGETALL (a flat array, or an object where the client maps it) as an object. */
function hashOf(reply: string[] | Record<string, string>): Record<string, string> {
  if (!Array.isArray(reply)) return reply;
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < reply.length; i += 2) out[reply[i]!] = reply[i + 1]!;
  return out;
}

function pageOf(hash: Record<string, string>): PageState | null {
  if (!hash.state) return null;
  return {
    state: hash.state,
    lastSuccessAt: hash.lastSuccessAt || null,
    blindSince: hash.blindSince || null,
    blindReason: hash.blindReason || null,
    lastErrorMessage: hash.lastErrorMessage || null,
  };
}

type Pipeline = ReturnType<RedisClient['pipeline']>;

/**
 * Minute buckets [from, to]: cached ones now, the others queued on `pipeline` (first in it) for
 * partition 0 and read from any further partitions beside it; `take` parses their replies once the
 * pipeline ran, adds the partitions up and keeps the buckets in the cache.
 */
function queueMinutes(deps: CheckDeps, pipeline: Pipeline, from: number, to: number, now: number) {
  const buckets = new Map<number, Bucket>();
  const missing: number[] = [];
  for (let m = from; m <= to; m++) {
    const hit = deps.cache?.bucket(m, now);
    if (hit) buckets.set(m, hit);
    else {
      missing.push(m);
      pipeline.call(HGETALL, deps.keys.errorBucket(m));
    }
  }
  const others = deps.keys.partitions.slice(1);
  const elsewhere =
    others.length > 0 && missing.length > 0
      ? readSummedHashes(deps.redis, others, missing, (partition, m) => partition.errorBucket(m))
      : null;
  // Read whether or not take() is reached; take() reports its failure.
  elsewhere?.catch(() => {});
  return {
    buckets,
    /** How many replies in the pipeline are ours. */
    queued: missing.length,
    async take(replies: Array<[Error | null, unknown]>): Promise<Map<number, Bucket>> {
      const rest = elsewhere ? await elsewhere : [];
      missing.forEach((m, i) => {
        const flat = reply<string[]>(replies[i], deps.keys.errorBucket(m));
        let hash: string[] | Record<string, string> = flat;
        if (rest[i] && Object.keys(rest[i]).length > 0) {
          hash = hashOf(flat);
          addHash(hash, rest[i]);
        }
        const bucket = parseBucket(m, hash);
        buckets.set(m, bucket);
        deps.cache?.keepBucket(m, bucket, now);
      });
      return buckets;
    },
  };
}

/** Minute buckets [from, to], through the cache, in one pipeline (per partition). */
async function readMinutes(
  deps: CheckDeps,
  from: number,
  to: number,
  now: number,
): Promise<Map<number, Bucket>> {
  const pipeline = deps.redis.pipeline();
  const minutes = queueMinutes(deps, pipeline, from, to, now);
  if (minutes.queued === 0) return minutes.buckets;
  return minutes.take((await pipeline.exec()) ?? []);
}

/** A vendor's last good read is stale after three missed polls, and never before 10 min (the check and the console). */
export function staleAfterMs(config: Config): number {
  return Math.max(3 * config.poll.intervalMs, 10 * MINUTE);
}

/** The check's settings from the config. */
export function checkConfigOf(config: Config): CheckConfig {
  return { vendors: config.vendors, services: config.services, staleAfterMs: staleAfterMs(config) };
}

/** Answers the support check from Redis at `now` (the query's `at` defaults to it). Throws CheckQueryError on bad input. */
export async function runCheck(deps: CheckDeps, query: CheckQuery, now = new Date()): Promise<CheckAnswer> {
  const { redis, keys, config, cache } = deps;
  const t = now.getTime();
  const checkConfig = checkConfigOf(config);
  const q = resolveCheckQuery(query, { now: t, vendors: config.vendors, services: config.services });
  const window = checkWindow(q.at, t);
  const { from, to } = checkMinutes(q.at, t);
  const windowEnd = (window.to + 1) * MINUTE;

  // Round trip 1: uncached minutes, the vendor-side version, suspect ids.
  const first = redis.pipeline();
  const minutes = queueMinutes(deps, first, from, to, t);
  first.xrevrange(keys.vendorChanges, '+', '-', 'COUNT', 1);
  first.zrangebyscore(keys.suspectedAll, q.at - INPUT_WINDOWS.vendorLookbackMs, windowEnd);
  first.smembers(keys.suspectedOpen);
  const one = (await first.exec()) ?? [];
  const buckets = await minutes.take(one);
  const n = minutes.queued;
  const tip = reply<Array<[string, string[]]>>(one[n], keys.vendorChanges)[0]?.[0] ?? '';
  const suspectIds = [
    ...new Set([
      ...reply<string[]>(one[n + 1], keys.suspectedAll),
      ...reply<string[]>(one[n + 2], keys.suspectedOpen),
    ]),
  ];

  const errors: MinuteCount[] = [];
  const calls: CallCount[] = [];
  for (const bucket of buckets.values()) {
    for (const c of bucket.counts) errors.push(c);
    for (const c of bucket.calls) calls.push(c);
  }
  const normalized = normalizeErrors(checkConfig, q, errors, calls);
  const vendors = vendorsToCheck(checkConfig, q, normalized.errors, normalized.calls, window);

  // Round trip 2: per vendor health, blind spans, incidents not cached; the suspects; the customer.
  const second = redis.pipeline();
  const needIncidents = vendors.filter((v) => !cache?.incidents(v, tip));
  for (const v of vendors) {
    second.call(HGETALL, keys.vendorHealth(v));
    second.zrangebyscore(keys.vendorBlind(v), window.from * MINUTE - INPUT_WINDOWS.blindLookbackMs, '+inf');
  }
  for (const v of needIncidents) second.hvals(keys.vendorIncidents(v));
  if (suspectIds.length > 0) second.mget(...suspectIds.map((id) => keys.suspected(id)));
  const [two, customerFailures] = await Promise.all([
    second.exec().then((r) => r ?? []),
    q.customer !== null ? readCustomerFailures(redis, keys, q.customer, window.from, window.to) : null,
  ]);
  const pages = new Map<string, PageState | null>();
  const blind = new Map<string, BlindSpan[]>();
  vendors.forEach((v, i) => {
    const health = hashOf(reply<string[]>(two[2 * i], keys.vendorHealth(v)));
    const page = pageOf(health);
    pages.set(v, page);
    const spans = reply<string[]>(two[2 * i + 1], keys.vendorBlind(v)).flatMap((row) => {
      const parsed = blindSpanSchema.safeParse(safeJson(row));
      return parsed.success ? [parsed.data] : [];
    });
    if (page?.blindSince)
      spans.push({
        vendor: v,
        since: page.blindSince,
        until: null,
        reason: page.blindReason ?? 'unreadable',
      });
    blind.set(v, spans);
  });
  const incidents = new Map<string, VendorIncident[]>();
  for (const v of vendors) {
    const hit = cache?.incidents(v, tip);
    if (hit) incidents.set(v, hit);
  }
  needIncidents.forEach((v, i) => {
    const rows = reply<string[]>(two[2 * vendors.length + i], keys.vendorIncidents(v));
    const list = rows.flatMap((row) => {
      const parsed = vendorIncidentSchema.safeParse(safeJson(row));
      return parsed.success ? [parsed.data] : [];
    });
    incidents.set(v, list);
    cache?.keepIncidents(v, tip, list);
  });
  const suspects: Suspect[] =
    suspectIds.length > 0
      ? reply<Array<string | null>>(two[2 * vendors.length + needIncidents.length], 'suspects').flatMap(
          (row) => {
            const parsed = suspectSchema.safeParse(safeJson(row));
            return parsed.success ? [parsed.data] : [];
          },
        )
      : [];

  // Round trip 3, rarely: an incident running since before the window needs the hour before it.
  const extended = extendedMinutes(q, incidents.values(), t);
  if (extended !== null) {
    const earlier = await readMinutes(deps, extended, from - 1, t);
    for (const bucket of earlier.values()) {
      for (const c of bucket.counts) errors.push(c);
      for (const c of bucket.calls) calls.push(c);
    }
  }

  const answer = checkAnswer(
    checkConfig,
    q,
    { errors, calls, incidents, suspects, blind, pages, customerFailures, readFrom: extended ?? from },
    t,
  );
  await countCustomers(deps, answer, errors, window);
  return answer;
}

/** Distinct customers with errors on each vendor in the window (HyperLogLog union), for the few vendors with errors. */
async function countCustomers(
  deps: CheckDeps,
  answer: CheckAnswer,
  errors: readonly MinuteCount[],
  window: { from: number; to: number },
): Promise<void> {
  const withErrors = answer.vendors.filter((v) => v.ourErrors.services.length > 0).slice(0, 10);
  if (withErrors.length === 0) return;
  const idOf = vendorIdOf(deps.config.vendors, catalogHostOwner);
  const scopes = new Map<string, KeysByPartition>();
  for (const e of errors) {
    if (e.minute < window.from || e.minute > window.to || !e.series.vendor) continue;
    const id = idOf(e.series.vendor);
    if (answer.query.service !== null && e.series.service !== answer.query.service) continue;
    let groups = scopes.get(id);
    if (!groups) scopes.set(id, (groups = new Map()));
    // Every partition: a scope's customers sit where its events were counted (see readBuckets).
    for (const p of deps.keys.partitions)
      addToUnion(groups, p, p.errorCustomers(e.minute, customerScope(e.series)));
  }
  await Promise.all(
    withErrors.map(async (v) => {
      const groups = scopes.get(v.vendor);
      if (groups) v.ourErrors.customers = await countUnion(deps.redis, deps.keys, groups);
    }),
  );
}
