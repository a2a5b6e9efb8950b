import { changeEventSchema, type ChangeEvent } from '../core/contracts.js';
import type { Keys } from './keys.js';
import type { RedisClient } from './redis.js';

/** The hash of dedupe key → stored member, beside the `keys.changes` sorted set. */
export function changeIdsKey(keys: Keys): string {
  return keys.changeIds;
}

/** What makes two changes the same: the producer's id, else (service, kind, ref, at). */
export function changeDedupeKey(change: ChangeEvent): string {
  return change.id !== undefined
    ? `id:${change.id}`
    : `k:${JSON.stringify([change.service, change.kind, change.ref ?? '', change.at])}`;
}

/** The stored member: the change as JSON with a fixed key order. */
export function encodeChange(change: ChangeEvent): string {
  const { at, service, kind, ref, description, id } = change;
  return JSON.stringify({ at, service, kind, ref, description, id });
}

// One call adds many changes; each is added only if its dedupe key is new (HSETNX), atomically.
const addScript = `
local added = {}
for i = 1, #ARGV, 3 do
  if redis.call('HSETNX', KEYS[2], ARGV[i], ARGV[i + 1]) == 1 then
    redis.call('ZADD', KEYS[1], ARGV[i + 2], ARGV[i + 1])
    added[#added + 1] = 1
  else
    added[#added + 1] = 0
  end
end
return added`;

export interface ChangeQuery {
  from?: string;
  to?: string;
  service?: string;
  /** At most this many, newest first (default 1000). */
  limit?: number;
}

/** Our changes (deploys, config, flags): a sorted set by time with JSON members, deduplicated. */
export function createChangeStore(redis: RedisClient, keys: Keys) {
  const idsKey = changeIdsKey(keys);

  /** Adds changes; returns, per change, whether it was new (false: a duplicate, left as first stored). */
  async function add(changes: ReadonlyArray<ChangeEvent>): Promise<boolean[]> {
    const results: boolean[] = [];
    for (let start = 0; start < changes.length; start += 500) {
      const args = changes
        .slice(start, start + 500)
        .flatMap((c) => [changeDedupeKey(c), encodeChange(c), String(Date.parse(c.at))]);
      const added = (await redis.eval(addScript, 2, keys.changes, idsKey, ...args)) as number[];
      results.push(...added.map((a) => a === 1));
    }
    return results;
  }

  /** Changes in the window, newest first. */
  async function list(query: ChangeQuery = {}): Promise<ChangeEvent[]> {
    const limit = query.limit ?? 1000;
    const max = query.to ? String(Date.parse(query.to)) : '+inf';
    const min = query.from ? String(Date.parse(query.from)) : '-inf';
    const found: ChangeEvent[] = [];
    const page = 500;
    for (let offset = 0; found.length < limit; offset += page) {
      const members = await redis.zrevrangebyscore(keys.changes, max, min, 'LIMIT', offset, page);
      for (const member of members) {
        let value: unknown;
        try {
          value = JSON.parse(member);
        } catch {
          continue;
        }
        const parsed = changeEventSchema.safeParse(value);
        if (!parsed.success) continue;
        if (query.service !== undefined && parsed.data.service !== query.service) continue;
        found.push(parsed.data);
        if (found.length >= limit) break;
      }
      if (members.length < page) break;
    }
    return found;
  }

  return { add, list };
}
export type ChangeStore = ReturnType<typeof createChangeStore>;
