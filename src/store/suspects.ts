import { tryWithLock } from './lock.js';
import { vendorIncidentSchema, type VendorIncident } from '../core/model.js';
import type { Keys } from './keys.js';
import {
  linkIncident,
  suspectSchema,
  type LinkDecision,
  type Suspect,
  type SuspectEvaluation,
} from '../core/detect/suspect.js';
import type { RedisClient } from './redis.js';

/** One entry of keys.vendorChanges, as the vendor store writes it. */
export interface VendorChangeEntry {
  /** Stream entry id. */
  entryId: string;
  vendor: string;
  incidentId: string;
  change: string;
  at: string;
}

export interface SuspectStoreOptions {
  /** How long closed suspects are kept (default 30 days, as error buckets). */
  retentionMs?: number;
  /** Told about stored rows that fail validation; they are skipped. */
  onInvalid?: (key: string, problem: string) => void;
}

// Drops suspects that started before the retention horizon from the by-start set, except open ones
// (a suspect open that long stays listed). A bounded page per save; saves run every minute.
// KEYS: all by start, open. ARGV: exclusive max score.
const trimClosedScript = `
local removed = 0
for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, 1000)) do
  if redis.call('SISMEMBER', KEYS[2], id) == 0 then removed = removed + redis.call('ZREM', KEYS[1], id) end
end
return removed`;

/** Suspected vendor issues in Redis: JSON per id, the open set, and all of them by start time. */
export function createSuspectStore(redis: RedisClient, keys: Keys, options: SuspectStoreOptions = {}) {
  const retentionMs = options.retentionMs ?? 30 * 86_400_000;

  function parse(key: string, raw: string | null): Suspect | null {
    if (raw === null) return null;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (error) {
      options.onInvalid?.(key, `not JSON: ${(error as Error).message}`);
      return null;
    }
    const parsed = suspectSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      options.onInvalid?.(key, `${issue?.path.join('.') || '(row)'}: ${issue?.message ?? 'invalid'}`);
      return null;
    }
    return parsed.data;
  }

  async function getMany(ids: string[]): Promise<Suspect[]> {
    if (ids.length === 0) return [];
    const rows = await redis.mget(...ids.map((id) => keys.suspected(id)));
    return rows.flatMap((raw, i) => parse(keys.suspected(ids[i]!), raw) ?? []);
  }

  async function get(id: string): Promise<Suspect | null> {
    return parse(keys.suspected(id), await redis.get(keys.suspected(id)));
  }

  async function listVendorIncidents(vendor: string): Promise<VendorIncident[]> {
    const rows = await redis.hvals(keys.vendorIncidents(vendor));
    return rows.flatMap((raw) => {
      try {
        const parsed = vendorIncidentSchema.safeParse(JSON.parse(raw));
        return parsed.success ? [parsed.data] : [];
      } catch {
        return [];
      }
    });
  }

  return {
    get,

    /** Suspects still open, as the detector needs them. */
    async listOpen(): Promise<Suspect[]> {
      return getMany(await redis.smembers(keys.suspectedOpen));
    },

    /** Every suspect kept (open, and closed within the retention), oldest first. */
    async listAll(): Promise<Suspect[]> {
      return getMany(await redis.zrange(keys.suspectedAll, '0', '-1'));
    },

    /** Suspects whose `since` lies in [fromMs, toMs], oldest first. */
    async listBySince(fromMs: number, toMs: number): Promise<Suspect[]> {
      return getMany(await redis.zrangebyscore(keys.suspectedAll, fromMs, toMs));
    },

    /** Writes what an evaluation decided; closed suspects expire after the retention. */
    async save(
      evaluation: Pick<SuspectEvaluation, 'opened' | 'updated' | 'closed'>,
      now: Date,
    ): Promise<void> {
      const multi = redis.multi();
      for (const s of [...evaluation.opened, ...evaluation.updated]) {
        multi.set(keys.suspected(s.id), JSON.stringify(s));
        multi.zadd(keys.suspectedAll, Date.parse(s.since), s.id);
        multi.sadd(keys.suspectedOpen, s.id);
      }
      for (const s of evaluation.closed) {
        multi.set(keys.suspected(s.id), JSON.stringify(s), 'PX', retentionMs);
        multi.zadd(keys.suspectedAll, Date.parse(s.since), s.id);
        multi.srem(keys.suspectedOpen, s.id);
      }
      multi.eval(
        trimClosedScript,
        2,
        keys.suspectedAll,
        keys.suspectedOpen,
        `(${now.getTime() - retentionMs}`,
      );
      await multi.exec();
    },

    /**
     * Links a vendor incident to a suspect when linkIncident says it belongs (see there), and stores
     * vendorIncidentId, vendorPostedAt and ackLagMinutes. Reads the stored row first so a stale copy
     * never overwrites a newer one; callers hold the evaluation lock.
     */
    async linkVendorIncident(
      suspect: Suspect,
      incident: VendorIncident,
      windowMinutes?: number,
    ): Promise<LinkDecision> {
      const current = (await get(suspect.id)) ?? suspect;
      const decision = linkIncident(current, incident, windowMinutes);
      if (decision.linked && decision.suspect !== current)
        await redis.set(keys.suspected(current.id), JSON.stringify(decision.suspect), 'KEEPTTL');
      return decision;
    },

    listVendorIncidents,

    async getVendorIncident(vendor: string, id: string): Promise<VendorIncident | null> {
      const raw = await redis.hget(keys.vendorIncidents(vendor), id);
      if (raw === null) return null;
      try {
        const parsed = vendorIncidentSchema.safeParse(JSON.parse(raw));
        if (parsed.success) return parsed.data;
        options.onInvalid?.(
          keys.vendorIncidents(vendor),
          `${id}: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
        );
      } catch (error) {
        options.onInvalid?.(keys.vendorIncidents(vendor), `${id}: not JSON: ${(error as Error).message}`);
      }
      return null;
    },

    /** Vendor incident changes after the stored cursor (oldest first); `saveCursor` once handled. */
    async readVendorChanges(count: number): Promise<VendorChangeEntry[]> {
      const cursor = (await redis.get(keys.suspectsCursor)) ?? '0-0';
      const reply = await redis.xread('COUNT', count, 'STREAMS', keys.vendorChanges, cursor);
      const entries = reply?.[0]?.[1] ?? [];
      return entries.map(([entryId, flat]) => {
        const f: Record<string, string> = {};
        for (let i = 0; i + 1 < flat.length; i += 2) f[flat[i]!] = flat[i + 1]!;
        return {
          entryId,
          vendor: f.vendor ?? '',
          incidentId: f.id ?? '',
          change: f.change ?? '',
          at: f.at ?? '',
        };
      });
    },

    async saveCursor(entryId: string): Promise<void> {
      await redis.set(keys.suspectsCursor, entryId);
    },

    /**
     * Runs `work` while holding the evaluation lock, so two workers never judge or link at once (a
     * BullMQ job can run twice; see the reliability notes). Returns null when another holder has it.
     */
    withLock<T>(ttlMs: number, work: () => Promise<T>): Promise<{ value: T } | null> {
      return tryWithLock(redis, keys.suspectsLock, ttlMs, work);
    },
  };
}
export type SuspectStore = ReturnType<typeof createSuspectStore>;
