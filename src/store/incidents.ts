import { setTimeout as sleep } from 'node:timers/promises';
import { internalIncidentSchema, type InternalIncident } from '../core/contracts.js';
import type { Keys } from './keys.js';
import type { RedisClient } from './redis.js';

/** How a write changed an incident, as announced on the incident-changes stream. */
export type IncidentChange = 'opened' | 'updated' | 'resolved' | 'reopened';

/**
 * The stream every incident write appends a notice to (fields `id`, `change`, `at`), so the correlator
 * re-evaluates that incident.
 */
export function incidentChangesKey(keys: Keys): string {
  return keys.incidentChanges;
}

/** What an incident write did: the incident as stored now, and the change (null when nothing changed). */
export interface IncidentWrite {
  incident: InternalIncident;
  change: IncidentChange | null;
}

/** The fields PATCH may set. */
export type IncidentPatch = Partial<Pick<InternalIncident, 'title' | 'resolvedAt' | 'regions' | 'customers'>>;

export interface IncidentQuery {
  /** Incidents still open at or resolved after this instant (ISO). */
  from?: string;
  /** Incidents that started at or before this instant (ISO). */
  to?: string;
  service?: string;
  openOnly?: boolean;
  /** At most this many, newest start first (default 500). */
  limit?: number;
}

/** How long a resolved incident stays relevant to the annotator (a vendor may post about it late). */
export const RELEVANT_AFTER_RESOLVED_MS = 24 * 3_600_000;

/** The `incidentsActive` score of an incident: until when it is relevant (`+inf` while open). */
export function relevantUntil(incident: Pick<InternalIncident, 'resolvedAt'>): string {
  return incident.resolvedAt === null
    ? '+inf'
    : String(Date.parse(incident.resolvedAt) + RELEVANT_AFTER_RESOLVED_MS);
}

/** The change a write makes, or null for an identical one. */
export function incidentChange(
  before: InternalIncident | null,
  after: InternalIncident,
): IncidentChange | null {
  if (!before) return 'opened';
  if (before.resolvedAt === null && after.resolvedAt !== null) return 'resolved';
  if (before.resolvedAt !== null && after.resolvedAt === null) return 'reopened';
  return JSON.stringify(before) === JSON.stringify(after) ? null : 'updated';
}

/** The incident with the fields a patch sets; fields it leaves undefined keep their stored value. */
export function applyIncidentPatch(before: InternalIncident, fields: IncidentPatch): InternalIncident {
  const defined = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
  return { ...before, ...defined };
}

// Compare-and-set: writes only if the stored JSON is still what the caller read, so concurrent writers
// (API, webhooks, several processes) never lose each other's updates; the caller re-reads and retries.
const casScript = `
local current = redis.call('GET', KEYS[1])
if current == false then current = '' end
if current ~= ARGV[1] then return 0 end
if ARGV[5] == '' then return 1 end
redis.call('SET', KEYS[1], ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[4])
redis.call('ZADD', KEYS[4], ARGV[8], ARGV[4])
redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[6], '*', 'id', ARGV[4], 'change', ARGV[5], 'at', ARGV[7])
return 1`;

const maxAttempts = 30;

/** Thrown when an incident keeps changing under a writer (more than `maxAttempts` lost races). */
export class IncidentConflictError extends Error {
  override readonly name = 'IncidentConflictError';
}

/** Our incidents in Redis: JSON per id, a sorted set by start time, and a change stream. */
export function createIncidentStore(
  redis: RedisClient,
  keys: Keys,
  options: { now?: () => number; changesMaxLen?: number } = {},
) {
  const now = options.now ?? Date.now;
  const changesMaxLen = String(options.changesMaxLen ?? 100_000);
  const changesKey = incidentChangesKey(keys);

  function decode(raw: string | null): InternalIncident | null {
    if (raw === null) return null;
    try {
      const parsed = internalIncidentSchema.safeParse(JSON.parse(raw));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }

  async function get(id: string): Promise<InternalIncident | null> {
    return decode(await redis.get(keys.incident(id)));
  }

  /**
   * Reads the incident, lets `decide` compute the new one (null: leave it), and writes it atomically
   * if nobody wrote in between (else retries with the fresh value).
   */
  async function update(
    id: string,
    decide: (before: InternalIncident | null) => InternalIncident | null,
  ): Promise<IncidentWrite | null> {
    for (let attempt = 0; attempt < maxAttempts; attempt += 1) {
      // After a lost race, a short random pause keeps many writers of one incident from lock-stepping.
      if (attempt > 0) await sleep(Math.random() * Math.min(50, 2 * attempt));
      const raw = await redis.get(keys.incident(id));
      const before = decode(raw);
      const decided = decide(before);
      if (!decided) return before ? { incident: before, change: null } : null;
      // Validation here keeps the stored shape the contract's, whatever the caller built.
      const after = internalIncidentSchema.parse({ ...decided, id });
      const change = incidentChange(before, after);
      const written = await redis.eval(
        casScript,
        4,
        keys.incident(id),
        keys.incidentsByStart,
        changesKey,
        keys.incidentsActive,
        raw ?? '',
        JSON.stringify(after),
        String(Date.parse(after.startedAt)),
        id,
        change ?? '',
        changesMaxLen,
        new Date(now()).toISOString(),
        relevantUntil(after),
      );
      if (written === 1) return { incident: after, change };
    }
    throw new IncidentConflictError(
      `incident ${id} changed under ${maxAttempts} consecutive writes; try again`,
    );
  }

  /** Creates or replaces an incident by id. */
  async function upsert(incident: InternalIncident): Promise<IncidentWrite> {
    const result = await update(incident.id, () => incident);
    return result!;
  }

  /** Sets some fields of an existing incident; null when there is no such incident. */
  function patch(id: string, fields: IncidentPatch): Promise<IncidentWrite | null> {
    return update(id, (before) => (before ? applyIncidentPatch(before, fields) : null));
  }

  /** Incidents matching the query, newest start first. */
  async function list(query: IncidentQuery = {}): Promise<InternalIncident[]> {
    if (query.openOnly) return listOpen(query);
    const limit = query.limit ?? 500;
    const fromMs = query.from ? Date.parse(query.from) : null;
    const max = query.to ? String(Date.parse(query.to)) : '+inf';
    const found: InternalIncident[] = [];
    const page = 200;
    // Walks back from `to` in pages: an incident that started long ago may still be open.
    for (let offset = 0; found.length < limit; offset += page) {
      const ids = await redis.zrevrangebyscore(keys.incidentsByStart, max, '-inf', 'LIMIT', offset, page);
      if (ids.length === 0) break;
      const raws = await redis.mget(ids.map((id) => keys.incident(id)));
      for (const raw of raws) {
        const incident = decode(raw);
        if (!incident) continue;
        if (query.service !== undefined && incident.service !== query.service) continue;
        if (query.openOnly && incident.resolvedAt !== null) continue;
        if (fromMs !== null && incident.resolvedAt !== null && Date.parse(incident.resolvedAt) < fromMs)
          continue;
        found.push(incident);
        if (found.length >= limit) break;
      }
      if (ids.length < page) break;
    }
    return found;
  }

  /** Open incidents matching the query, newest start first, read from `incidentsActive` (not history). */
  async function listOpen(query: IncidentQuery): Promise<InternalIncident[]> {
    await ensureActiveIndex();
    const ids = await redis.zrangebyscore(keys.incidentsActive, '+inf', '+inf');
    const toMs = query.to ? Date.parse(query.to) : Infinity;
    const found: InternalIncident[] = [];
    for (let i = 0; i < ids.length; i += 500) {
      const raws = await redis.mget(ids.slice(i, i + 500).map((id) => keys.incident(id)));
      for (const raw of raws) {
        const incident = decode(raw);
        if (!incident || incident.resolvedAt !== null) continue;
        if (query.service !== undefined && incident.service !== query.service) continue;
        if (Date.parse(incident.startedAt) > toMs) continue;
        found.push(incident);
      }
    }
    found.sort((a, b) => Date.parse(b.startedAt) - Date.parse(a.startedAt));
    return found.slice(0, query.limit ?? 500);
  }

  /**
   * Builds `incidentsActive` from every stored incident, once per install (data written before the
   * index existed). ZADD NX: an entry the writer put in place meanwhile is newer and is kept.
   */
  async function ensureActiveIndex(): Promise<void> {
    if ((await redis.exists(keys.incidentsActiveBuilt)) === 1) return;
    const page = 500;
    const at = now();
    let cursor = '0';
    do {
      const [next, flat] = await redis.zscan(keys.incidentsByStart, cursor, 'COUNT', page);
      cursor = next;
      const ids = flat.filter((_, i) => i % 2 === 0);
      if (ids.length === 0) continue;
      const raws = await redis.mget(ids.map((id) => keys.incident(id)));
      const args: string[] = [];
      raws.forEach((raw) => {
        const incident = decode(raw);
        if (!incident) return;
        const until = relevantUntil(incident);
        if (until === '+inf' || Number(until) >= at) args.push(until, incident.id);
      });
      if (args.length > 0) await redis.zadd(keys.incidentsActive, 'NX', ...args);
    } while (cursor !== '0');
    await redis.set(keys.incidentsActiveBuilt, new Date(at).toISOString());
  }

  /**
   * Incidents open, or resolved within RELEVANT_AFTER_RESOLVED_MS of `at`, read from `incidentsActive`
   * alone: the cost follows open work, not history. Entries past their time, or whose incident is gone,
   * are dropped from the index on the way.
   */
  async function listActive(at: number = now(), stats?: { read: number }): Promise<InternalIncident[]> {
    await ensureActiveIndex();
    await redis.zremrangebyscore(keys.incidentsActive, '-inf', `(${at}`);
    const found: InternalIncident[] = [];
    const page = 500;
    let cursor = '0';
    do {
      const [next, flat] = await redis.zscan(keys.incidentsActive, cursor, 'COUNT', page);
      cursor = next;
      const ids = flat.filter((_, i) => i % 2 === 0);
      if (ids.length === 0) continue;
      if (stats) stats.read += ids.length;
      const raws = await redis.mget(ids.map((id) => keys.incident(id)));
      const gone: string[] = [];
      raws.forEach((raw, i) => {
        const incident = decode(raw);
        if (raw === null) gone.push(ids[i]!);
        if (!incident) return;
        if (incident.resolvedAt === null || Number(relevantUntil(incident)) >= at) found.push(incident);
      });
      if (gone.length > 0) await redis.zrem(keys.incidentsActive, ...gone);
    } while (cursor !== '0');
    // ZSCAN may return a member twice while the set changes under it.
    const unique = new Map(found.map((incident) => [incident.id, incident]));
    return [...unique.values()].sort((a, b) => Date.parse(b.startedAt) - Date.parse(a.startedAt));
  }

  return { get, update, upsert, patch, list, listActive, ensureActiveIndex, changesKey };
}
export type IncidentStore = ReturnType<typeof createIncidentStore>;
