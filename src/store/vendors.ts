import { createHash } from 'node:crypto';
import { z } from 'zod';
import { BLIND_RETENTION, blindReason, blindSpanSchema } from '../core/correlate/blind-spans.js';
import type { BlindSpan } from '../core/correlate/types.js';
import type { FetchError } from '../core/errors.js';
import type { Validators } from '../http/client.js';
import { confirmChange, pendingChangeSchema, type PendingChange } from '../core/confirm-change.js';
import { mergeIncident, type IncidentChange } from '../core/incident-merge.js';
import {
  sourceHealthSchema,
  vendorIncidentSchema,
  vendorStatusSchema,
  type SourceHealth,
  type VendorIncident,
  type VendorStatus,
} from '../core/model.js';
import { withLock } from './lock.js';
import type { Keys } from './keys.js';
import type { RedisClient } from './redis.js';

/** How polling one vendor's page is going. */
export const pollHealthSchema = z.object({
  state: sourceHealthSchema,
  lastAttemptAt: z.string().nullable(),
  lastSuccessAt: z.string().nullable(),
  lastErrorAt: z.string().nullable(),
  lastErrorKind: z.string().nullable(),
  lastErrorMessage: z.string().nullable(),
  consecutiveFailures: z.number().int(),
  latencyMs: z.number().nullable(),
  /** Start of the current blind span (the first failed read since the last good one); null while readable. */
  blindSince: z.string().nullable(),
  /** What the last good poll could not read (e.g. "incidents.json answered HTTP 404"); null when it read everything. */
  partial: z.string().nullable(),
});
export type PollHealth = z.infer<typeof pollHealthSchema>;

export interface RecordedChange {
  vendor: string;
  id: string;
  change: IncidentChange;
}

export interface VendorView {
  vendor: string;
  /** The last status read, shown as `unknown` while the page cannot be read. */
  status: VendorStatus;
  health: PollHealth;
  openIncidents: VendorIncident[];
}

const neverPolled: PollHealth = {
  state: 'unreachable',
  lastAttemptAt: null,
  lastSuccessAt: null,
  lastErrorAt: null,
  lastErrorKind: null,
  lastErrorMessage: 'not polled yet',
  consecutiveFailures: 0,
  latencyMs: null,
  blindSince: null,
  partial: null,
};

/** Health state a failed fetch leaves the vendor in. */
export function healthForError(error: FetchError): SourceHealth {
  if (error.kind === 'blocked') return 'blocked';
  if (error.kind === 'parse' || error.kind === 'too-large') return 'parse_error';
  return 'unreachable';
}

/** The status to show: the last one read while polling works, `unknown` as soon as it does not. */
export function currentStatus(vendor: string, stored: VendorStatus | null, health: PollHealth): VendorStatus {
  if (stored && health.state === 'ok') return stored;
  return {
    vendor,
    indicator: 'unknown',
    description: health.lastErrorMessage ?? 'status page not read yet',
    components: stored?.components ?? [],
    fetchedAt: stored?.fetchedAt ?? health.lastAttemptAt ?? new Date(0).toISOString(),
    health: health.state,
  };
}

/** Vendor incidents, statuses, poll health and HTTP validators in Redis. */
export function createVendorStore(
  redis: RedisClient,
  keys: Keys,
  options: {
    changesMaxLen?: number;
    /** Polls in a row that must show a resolution or reopening before it is stored (1: at once). */
    confirmPolls?: number;
    /** Resolved incidents older than this are trimmed (retention.vendorIncidents); none when absent. */
    retentionMs?: number;
  } = {},
) {
  const changesMaxLen = options.changesMaxLen ?? 100_000;
  const confirmPolls = options.confirmPolls ?? 1;
  const { retentionMs } = options;

  /** Whether an incident was resolved before the retention horizon at `now`. */
  function pastRetention(incident: VendorIncident, now: Date): boolean {
    if (retentionMs === undefined || incident.resolvedAt === null) return false;
    return Date.parse(incident.resolvedAt) < now.getTime() - retentionMs;
  }

  function withVendorLock<T>(vendor: string, work: () => Promise<T>): Promise<T> {
    return withLock(
      redis,
      keys.vendorLock(vendor),
      { ttlMs: 30_000, waitMs: 15_000, retryMs: 25, what: `vendor ${vendor} store` },
      work,
    );
  }

  async function readHealth(vendor: string): Promise<PollHealth> {
    const raw = await redis.hgetall(keys.vendorHealth(vendor));
    if (!raw.state) return neverPolled;
    const parsed = pollHealthSchema.safeParse({
      state: raw.state,
      lastAttemptAt: raw.lastAttemptAt || null,
      lastSuccessAt: raw.lastSuccessAt || null,
      lastErrorAt: raw.lastErrorAt || null,
      lastErrorKind: raw.lastErrorKind || null,
      lastErrorMessage: raw.lastErrorMessage || null,
      consecutiveFailures: Number(raw.consecutiveFailures ?? 0),
      latencyMs: raw.latencyMs ? Number(raw.latencyMs) : null,
      blindSince: raw.blindSince || null,
      partial: raw.partial || null,
    });
    return parsed.success ? parsed.data : neverPolled;
  }

  async function readStatus(vendor: string): Promise<VendorStatus | null> {
    const raw = await redis.get(keys.vendorStatus(vendor));
    if (!raw) return null;
    const parsed = vendorStatusSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  }

  async function listIncidents(
    vendor: string,
    filter: { openOnly?: boolean } = {},
  ): Promise<VendorIncident[]> {
    let rows: string[];
    if (filter.openOnly) {
      const ids = await redis.smembers(keys.vendorOpen(vendor));
      rows = ids.length
        ? ((await redis.hmget(keys.vendorIncidents(vendor), ...ids)).filter(Boolean) as string[])
        : [];
    } else {
      rows = await redis.hvals(keys.vendorIncidents(vendor));
    }
    return rows
      .map((row) => vendorIncidentSchema.safeParse(JSON.parse(row)))
      .flatMap((parsed) => (parsed.success ? [parsed.data] : []))
      .sort((a, b) => Date.parse(b.startedAt) - Date.parse(a.startedAt));
  }

  /** The open incidents a poll found gone, closed at `now` (rows unreadable or resolved already are skipped). */
  function closeVanished(rows: (string | null)[], now: Date): VendorIncident[] {
    return rows.flatMap((row) => {
      const parsed = row ? vendorIncidentSchema.safeParse(JSON.parse(row)) : null;
      if (!parsed?.success || parsed.data.resolvedAt !== null) return [];
      const at = now.toISOString();
      return [
        { ...parsed.data, status: 'resolved', resolvedAt: at, resolvedBy: 'absence' as const, updatedAt: at },
      ];
    });
  }

  /**
   * The stored rows of `ids`, as HMGET gives them, except `unchangedRow` for an id whose row exists and
   * whose digest of the incident last merged into it is `digestOf(id)` (compared in Redis, so an
   * unchanged incident's row never crosses the wire). With `vanished`, also the open incidents not
   * among `ids` and their rows, in the same round trip.
   */
  async function readChangedRows(
    vendor: string,
    ids: string[],
    digestOf: (id: string) => string | undefined,
    vanished: boolean,
  ): Promise<{ rows: (string | null)[]; vanished: { ids: string[]; rows: (string | null)[] } }> {
    const reply = (await redis.eval(
      readChangedScript,
      3,
      keys.vendorIncidents(vendor),
      keys.vendorDigests(vendor),
      keys.vendorOpen(vendor),
      vanished ? '1' : '0',
      ...ids.flatMap((id) => [id, digestOf(id) ?? '']),
    )) as string[];
    const row = (value: string | undefined) => (value ? value : null);
    const gone = { ids: [] as string[], rows: [] as (string | null)[] };
    for (let i = ids.length; i < reply.length; i += 2) {
      gone.ids.push(reply[i]!);
      gone.rows.push(row(reply[i + 1]));
    }
    return { rows: reply.slice(0, ids.length).map(row), vanished: gone };
  }

  /** Changes waiting for confirmation, by incident id; unreadable entries are dropped. */
  async function readPending(key: string): Promise<Map<string, PendingChange>> {
    const rows = await redis.hgetall(key);
    return new Map(
      Object.entries(rows).flatMap(([id, row]) => {
        const parsed = pendingChangeSchema.safeParse(safeJson(row));
        return parsed.success ? [[id, parsed.data] as const] : [];
      }),
    );
  }

  /** Queues the closing of the open blind span, if any, at a good read at `now` (atomic in the script). */
  function closeBlindSpan(multi: ReturnType<RedisClient['multi']>, vendor: string, now: Date) {
    multi.eval(
      closeBlindScript,
      2,
      keys.vendorHealth(vendor),
      keys.vendorBlind(vendor),
      vendor,
      now.toISOString(),
      String(now.getTime()),
      String(now.getTime() - BLIND_RETENTION.maxAgeMs),
      String(BLIND_RETENTION.maxSpans),
    );
  }

  return {
    async getValidators(url: string): Promise<Validators> {
      const raw = await redis.hgetall(keys.validators(url));
      return {
        ...(raw.etag ? { etag: raw.etag } : {}),
        ...(raw.lastModified ? { lastModified: raw.lastModified } : {}),
      };
    },

    async saveValidators(entries: Iterable<[string, Validators]>): Promise<void> {
      const multi = redis.multi();
      for (const [url, validators] of entries) {
        const key = keys.validators(url);
        multi.del(key);
        const fields = Object.entries(validators).filter(([, v]) => v !== undefined) as [string, string][];
        if (fields.length) multi.hset(key, Object.fromEntries(fields));
      }
      await multi.exec();
    },

    /** Upserts the incidents of a successful poll and records what changed; one writer per vendor at a time. */
    async applyPoll(
      vendor: string,
      result: {
        status: VendorStatus | null;
        incidents: VendorIncident[];
        openSetComplete?: boolean;
        partial?: string[];
      },
      meta: { now: Date; latencyMs: number },
    ): Promise<RecordedChange[]> {
      return withVendorLock(vendor, async () => {
        const listed = [...new Set(result.incidents.map((i) => i.id))];
        const pendingKey = keys.vendorPending(vendor);
        const pending = confirmPolls > 1 ? await readPending(pendingKey) : new Map<string, PendingChange>();
        // An incident the page shows exactly as it did when it was last merged, over the row that merge
        // left, merges to no change again: its row is neither read nor written (see readChangedRows).
        // So every row this poll writes gets the digest of what was merged into it, or loses its digest.
        const digests = new Map(result.incidents.map((next) => [next.id, incidentDigest(next)] as const));
        // A change waiting for confirmation is merged whatever the page shows. Open incidents the page
        // no longer lists (when it lists every open one) have ended without a word from the vendor.
        const read = await readChangedRows(
          vendor,
          listed,
          (id) => (pending.has(id) ? undefined : digests.get(id)),
          result.openSetComplete === true,
        );
        const vanished = read.vanished.ids;
        const closedByAbsence = closeVanished(read.vanished.rows, meta.now);
        const ids = [...listed, ...vanished];
        const rows = [...read.rows, ...read.vanished.rows];
        const previous = new Map<string, VendorIncident>();
        rows.forEach((row, index) => {
          const parsed = row && row !== unchangedRow ? vendorIncidentSchema.safeParse(JSON.parse(row)) : null;
          if (parsed?.success) previous.set(ids[index]!, parsed.data);
        });
        const unchanged = new Set(ids.filter((_, index) => rows[index] === unchangedRow));
        const changes: RecordedChange[] = [];
        const multi = redis.multi();
        const seen: Record<string, string> = {};
        for (const id of vanished) multi.hdel(keys.vendorDigests(vendor), id);
        for (const next of [...closedByAbsence, ...result.incidents]) {
          if (unchanged.has(next.id)) continue;
          // Closed by absence: not in `digests`, and its digest is dropped above.
          const digest = digests.get(next.id);
          const merged = mergeIncident(previous.get(next.id), next);
          // A first sighting of an incident resolved before the retention horizon is history trimmed
          // already (pages list old incidents for months): storing it again would only churn.
          if (!previous.has(next.id) && pastRetention(next, meta.now)) continue;
          const confirmed = confirmChange(merged.change, pending.get(next.id), confirmPolls);
          // A flip that did not hold (the page shows the stored state again) is forgotten.
          if (pending.has(next.id) && !confirmed.pending) multi.hdel(pendingKey, next.id);
          if (confirmed.pending) {
            multi.hset(pendingKey, next.id, JSON.stringify(confirmed.pending));
            multi.pexpire(pendingKey, PENDING_TTL_MS);
            continue;
          }
          const { incident, change } = merged;
          previous.set(next.id, incident);
          if (digest !== undefined) seen[next.id] = digest;
          if (!change) continue;
          changes.push({ vendor, id: incident.id, change });
          multi.hset(keys.vendorIncidents(vendor), incident.id, JSON.stringify(incident));
          if (incident.resolvedAt === null) multi.sadd(keys.vendorOpen(vendor), incident.id);
          else multi.srem(keys.vendorOpen(vendor), incident.id);
          multi.xadd(
            keys.vendorChanges,
            'MAXLEN',
            '~',
            changesMaxLen,
            '*',
            'vendor',
            vendor,
            'id',
            incident.id,
            'change',
            change,
            'at',
            meta.now.toISOString(),
          );
        }
        if (Object.keys(seen).length > 0) multi.hset(keys.vendorDigests(vendor), seen);
        if (result.status) multi.set(keys.vendorStatus(vendor), JSON.stringify(result.status));
        closeBlindSpan(multi, vendor, meta.now);
        multi.hset(keys.vendorHealth(vendor), {
          ...successFields(meta),
          partial: (result.partial ?? []).join('; ').slice(0, 500),
        });
        await multi.exec();
        return changes;
      });
    },

    /** A 304: the page is reachable and unchanged. */
    async recordNotModified(vendor: string, meta: { now: Date; latencyMs: number }): Promise<void> {
      const multi = redis.multi();
      closeBlindSpan(multi, vendor, meta.now);
      await multi.hset(keys.vendorHealth(vendor), successFields(meta)).exec();
    },

    async recordFailure(
      vendor: string,
      error: FetchError,
      meta: { now: Date; latencyMs: number },
    ): Promise<PollHealth> {
      const at = meta.now.toISOString();
      const key = keys.vendorHealth(vendor);
      const [[, failures]] = (await redis
        .multi()
        .hincrby(key, 'consecutiveFailures', 1)
        .hset(key, {
          state: healthForError(error),
          lastAttemptAt: at,
          lastErrorAt: at,
          lastErrorKind: error.kind,
          lastErrorMessage: error.message.slice(0, 500),
          latencyMs: String(Math.round(meta.latencyMs)),
        })
        // The first failure since the last good read opens a blind span; later ones keep its start.
        .hsetnx(key, 'blindSince', at)
        .hsetnx(key, 'blindReason', blindReason(error))
        .exec()) as [[Error | null, number]];
      return { ...(await readHealth(vendor)), consecutiveFailures: failures };
    },

    readHealth,
    readStatus,
    listIncidents,

    /**
     * Blind spans of the vendor's page that were open at some point in [fromMs, toMs], oldest first:
     * the closed ones kept (see BLIND_RETENTION) and the one still open, if any.
     */
    async listBlindSpans(vendor: string, fromMs: number, toMs: number): Promise<BlindSpan[]> {
      const [closed, open] = await Promise.all([
        redis.zrangebyscore(keys.vendorBlind(vendor), fromMs, '+inf'),
        redis.hmget(keys.vendorHealth(vendor), 'blindSince', 'blindReason'),
      ]);
      const spans = closed.flatMap((row) => {
        const parsed = blindSpanSchema.safeParse(safeJson(row));
        return parsed.success ? [parsed.data] : [];
      });
      const [since, reason] = open;
      if (since) spans.push({ vendor, since, until: null, reason: reason ?? 'unreadable' });
      return spans
        .filter((s) => Date.parse(s.since) <= toMs)
        .sort((a, b) => Date.parse(a.since) - Date.parse(b.since));
    },

    async getIncident(vendor: string, id: string): Promise<VendorIncident | null> {
      const raw = await redis.hget(keys.vendorIncidents(vendor), id);
      const parsed = raw ? vendorIncidentSchema.safeParse(JSON.parse(raw)) : null;
      return parsed?.success ? parsed.data : null;
    },

    async view(vendor: string): Promise<VendorView> {
      const [stored, health, openIncidents] = await Promise.all([
        readStatus(vendor),
        readHealth(vendor),
        listIncidents(vendor, { openOnly: true }),
      ]);
      return { vendor, status: currentStatus(vendor, stored, health), health, openIncidents };
    },
  };
}
export type VendorStore = ReturnType<typeof createVendorStore>;

/** A change left waiting (its incident no longer listed) is forgotten after a week without a poll showing it. */
const PENDING_TTL_MS = 7 * 86_400_000;

// Moves the open span (health fields blindSince/blindReason) into the sorted set of closed spans,
// scored by its end, and trims that set to the retention: spans ended too long ago, then the oldest
// beyond the count. KEYS: health, blind. ARGV: vendor, until ISO, until ms, oldest kept ms, max spans.
const closeBlindScript = `
local since = redis.call('HGET', KEYS[1], 'blindSince')
if not since then return 0 end
local reason = redis.call('HGET', KEYS[1], 'blindReason') or 'unreadable'
redis.call('HDEL', KEYS[1], 'blindSince', 'blindReason')
local span = cjson.encode({ vendor = ARGV[1], since = since, ['until'] = ARGV[2], reason = reason })
redis.call('ZADD', KEYS[2], ARGV[3], span)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. ARGV[4])
redis.call('ZREMRANGEBYRANK', KEYS[2], 0, -(tonumber(ARGV[5]) + 1))
return 1`;

/** What readChangedRows gives for an incident shown as it was when last merged. */
const unchangedRow = '=';

// KEYS: incidents, digests, open. ARGV: '1' to list vanished incidents (else '0'), then id, digest, id,
// digest, … (an empty digest never matches). For each id: '' when it has no row, '=' when its row exists
// and its stored digest is the one given, else the row. Then, with '1', each open id not given and its
// row ('' when it has none).
const readChangedScript = `
local out = {}
local given = {}
for i = 2, #ARGV, 2 do
  given[ARGV[i]] = true
  local row = redis.call('HGET', KEYS[1], ARGV[i])
  if not row then
    out[#out + 1] = ''
  elseif ARGV[i + 1] ~= '' and redis.call('HGET', KEYS[2], ARGV[i]) == ARGV[i + 1] then
    out[#out + 1] = '='
  else
    out[#out + 1] = row
  end
end
if ARGV[1] == '1' then
  for _, id in ipairs(redis.call('SMEMBERS', KEYS[3])) do
    if not given[id] then
      out[#out + 1] = id
      out[#out + 1] = redis.call('HGET', KEYS[1], id) or ''
    end
  end
end
return out`;

/** A digest of a normalized incident as a poll read it (before merging). */
function incidentDigest(incident: VendorIncident): string {
  return createHash('sha1').update(JSON.stringify(incident)).digest('base64');
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function successFields(meta: { now: Date; latencyMs: number }): Record<string, string> {
  const at = meta.now.toISOString();
  return {
    state: 'ok',
    lastAttemptAt: at,
    lastSuccessAt: at,
    consecutiveFailures: '0',
    latencyMs: String(Math.round(meta.latencyMs)),
  };
}
