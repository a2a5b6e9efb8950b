import { createHash } from 'node:crypto';
import type { BucketKeys } from '../store/keys.js';
import { createPlanner, type BatchPlan, type EntryEvents, type PlanOptions } from './aggregate.js';
import type { RedisClient } from '../store/redis.js';

/**
 * Applies a plan in one script, so acknowledging entries and counting their events cannot come
 * apart: a consumer killed before the script leaves the entries pending (another consumer claims and
 * counts them); killed after, they are acknowledged and counted.
 *
 * Exactly-once on at-least-once delivery: the script first checks that EVERY entry is still pending
 * in the group. If one is not, another consumer that was handed the same entry (XAUTOCLAIM after a
 * stall) has acknowledged and counted it already; the script then changes nothing and names those
 * entries, and the caller drops them and re-plans. Because the check and the writes run atomically,
 * two consumers holding the same entry count it once. Checking first (XPENDING) rather than trusting
 * XACK's reply lets the plan merge increments across entries.
 *
 * Redis does not roll a script back when a command fails half-way, so before writing anything the
 * script also checks that every key is absent or of the type it will write: a key of the wrong type
 * fails the batch cleanly (entries stay pending) instead of leaving it half counted.
 *
 * KEYS: [stream, ...every key the plan writes]; data refers to keys by their index in KEYS.
 * ARGV: group, dedupeWindowMs, exemplarsKept, key types (one letter per KEYS[2..]: h hash, s string,
 * l list), then six JSON arrays, decoded by cjson in the script:
 *   ids [id…] · counts [key, field, n, …] · customers [[key, [member…]]…] ·
 *   exemplars [[key, [json…]]…] ·
 *   guarded [idKey, bucketKey, field, n, customersKey|0, customer, callsField, calls,
 *            failureKey|0, minuteKey, marker, scopeIndex, …] ·
 *   expiries [key, atMs, …]
 * then customersPerMinute and two more arrays,
 *   failures [failureKey, minuteKey, marker, total, scopeCount, scopeIndex, n, …(scopeCount pairs), …] ·
 *   scopes [scope…] (each scope JSON once per batch; failures refer to it by 1-based index)
 * A guarded event adds its errors when n > 0 and its call volume when calls > 0, both under its one
 * SET NX: a duplicate adds neither.
 *
 * Per-customer failures: a customer not yet recorded in a minute is recorded only while fewer than
 * customersPerMinute are (the minute's `customers` counter); past it its failures are added to the
 * minute's `dropped` counter instead, so readers can tell a minute's records are incomplete. Being in
 * the same script, a redelivered entry records nothing twice. The marker's HINCRBY tells a new
 * customer-minute (its reply equals the increment) without a separate HEXISTS, and each minute's
 * counter is read once and written once per script: this is the hot path of customer-heavy batches.
 * JSON rather than one argument per value: a batch has tens of thousands of values, and sending each
 * as its own argument cost more CPU (client and server) than the rest of the write.
 * Reply: {1, duplicates} applied, or {0, 0, conflictingId…} unchanged.
 */
export const applyBatchLua = `
local stream = KEYS[1]
local group = ARGV[1]
local window = ARGV[2]
local keep = tonumber(ARGV[3])
local types = ARGV[4]
-- unpack() is bounded by the Lua C stack, so long lists go in slices of 1000.
local function many(cmd, first, second, list)
  for i = 1, #list, 1000 do
    local j = math.min(i + 999, #list)
    if second then redis.call(cmd, first, second, unpack(list, i, j))
    else redis.call(cmd, first, unpack(list, i, j)) end
  end
end

local ids = cjson.decode(ARGV[5])
local conflicts = {}
for _, id in ipairs(ids) do
  local pending = redis.call('XPENDING', stream, group, id, id, 1)
  if #pending == 0 then conflicts[#conflicts + 1] = id end
end
if #conflicts > 0 then
  local reply = {0, 0}
  for _, id in ipairs(conflicts) do reply[#reply + 1] = id end
  return reply
end
local expected = {h = 'hash', s = 'string', l = 'list'}
for k = 2, #KEYS do
  local want = expected[string.sub(types, k - 1, k - 1)]
  local has = redis.call('TYPE', KEYS[k]).ok
  if has ~= 'none' and has ~= want then
    return redis.error_reply('WRONGTYPE ' .. KEYS[k] .. ' holds a ' .. has .. ', not a ' .. want .. '; nothing written')
  end
end
many('XACK', stream, group, ids)

local counts = cjson.decode(ARGV[6])
for i = 1, #counts, 3 do
  redis.call('HINCRBY', KEYS[counts[i]], counts[i + 1], counts[i + 2])
end
for _, item in ipairs(cjson.decode(ARGV[7])) do
  many('PFADD', KEYS[item[1]], false, item[2])
end
for _, item in ipairs(cjson.decode(ARGV[8])) do
  many('LPUSH', KEYS[item[1]], false, item[2])
  redis.call('LTRIM', KEYS[item[1]], 0, keep - 1)
end
local cap = tonumber(ARGV[11])
local scopes = cjson.decode(ARGV[13])
local recorded, added, dropped = {}, {}, {}
-- Records total failures of one customer in one minute, per scope: pairs (scopeIndex, n) in list[from..to].
local function record(key, minuteKey, marker, total, list, from, to)
  if redis.call('HINCRBY', key, marker, total) == total then
    local n = recorded[minuteKey]
    if n == nil then n = tonumber(redis.call('HGET', minuteKey, 'customers') or '0') end
    if n >= cap then
      redis.call('HDEL', key, marker)
      recorded[minuteKey] = n
      dropped[minuteKey] = (dropped[minuteKey] or 0) + total
      return
    end
    recorded[minuteKey] = n + 1
    added[minuteKey] = (added[minuteKey] or 0) + 1
  end
  local prefix = marker .. '|'
  for i = from, to, 2 do redis.call('HINCRBY', key, prefix .. scopes[list[i]], list[i + 1]) end
end
local failures = cjson.decode(ARGV[12])
local f = 1
while f <= #failures do
  local last = f + 4 + 2 * failures[f + 4]
  record(KEYS[failures[f]], KEYS[failures[f + 1]], failures[f + 2], failures[f + 3], failures, f + 5, last)
  f = last + 1
end
local guarded = cjson.decode(ARGV[9])
local duplicates = 0
for i = 1, #guarded, 12 do
  if redis.call('SET', KEYS[guarded[i]], '1', 'PX', window, 'NX') then
    if guarded[i + 3] > 0 then redis.call('HINCRBY', KEYS[guarded[i + 1]], guarded[i + 2], guarded[i + 3]) end
    if guarded[i + 4] > 0 then redis.call('PFADD', KEYS[guarded[i + 4]], guarded[i + 5]) end
    if guarded[i + 7] > 0 then redis.call('HINCRBY', KEYS[guarded[i + 1]], guarded[i + 6], guarded[i + 7]) end
    if guarded[i + 8] > 0 then
      record(KEYS[guarded[i + 8]], KEYS[guarded[i + 9]], guarded[i + 10], guarded[i + 3], {guarded[i + 11], guarded[i + 3]}, 1, 1)
    end
  else
    duplicates = duplicates + 1
  end
end
for minuteKey, n in pairs(added) do redis.call('HINCRBY', minuteKey, 'customers', n) end
for minuteKey, n in pairs(dropped) do redis.call('HINCRBY', minuteKey, 'dropped', n) end
local expiries = cjson.decode(ARGV[10])
for i = 1, #expiries, 2 do
  redis.call('PEXPIREAT', KEYS[expiries[i]], expiries[i + 1])
end
return {1, duplicates}
`;

const applyBatchSha = createHash('sha1').update(applyBatchLua).digest('hex');

export type ApplyResult = { applied: true; duplicates: number } | { applied: false; conflicts: string[] };

/** Thrown when Redis refuses a batch write; the entries stay pending and are claimed again later. */
export class BucketWriteError extends Error {
  override readonly name = 'BucketWriteError';
}

export interface BucketWriterOptions {
  stream: string;
  group: string;
  dedupeWindowMs: number;
  exemplarsPerMinute: number;
}

/**
 * JSON for the script's cjson, which refuses a lone UTF-16 surrogate (JSON.stringify writes one as
 * "\\udXXX"); the rare text that has one gets U+FFFD instead, as Redis would store it anyway.
 */
function toScriptJson(value: unknown): string {
  const json = JSON.stringify(value);
  if (!json.includes('\\ud')) return json;
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'string' ? v.replace(/\p{Cs}/gu, '\uFFFD') : v,
  );
}

/** Flattens a plan into the script's KEYS and ARGV (see applyBatchLua). */
export function encodePlan(
  plan: BatchPlan,
  options: BucketWriterOptions,
): { keys: string[]; args: string[] } {
  const keys = [options.stream];
  const types: string[] = [];
  const index = new Map<string, number>();
  const ref = (key: string, type: 'h' | 's' | 'l'): number => {
    let at = index.get(key);
    if (at === undefined) {
      keys.push(key);
      types.push(type);
      at = keys.length; // Lua KEYS are 1-based and KEYS[1] is the stream.
      index.set(key, at);
    }
    return at;
  };

  const scopes: string[] = [];
  const scopeIndex = new Map<string, number>();
  const scopeRef = (scope: string): number => {
    let at = scopeIndex.get(scope);
    if (at === undefined) scopeIndex.set(scope, (at = scopes.push(scope)));
    return at;
  };

  const counts: Array<number | string> = [];
  for (const [key, fields] of plan.counts) {
    const k = ref(key, 'h');
    for (const [field, n] of fields) counts.push(k, field, n);
  }
  const customers = [...plan.customers].map(([key, members]) => [ref(key, 's'), [...members]]);
  const exemplars = [...plan.exemplars].map(([key, items]) => [ref(key, 'l'), items]);
  const guarded: Array<number | string> = [];
  for (const g of plan.guarded) {
    guarded.push(
      ref(g.idKey, 's'),
      ref(g.bucketKey, 'h'),
      g.field,
      g.count,
      g.customersKey ? ref(g.customersKey, 's') : 0,
      g.customer ?? '',
      g.callsField,
      g.calls,
      ...(g.failure
        ? [
            ref(g.failure.key, 'h'),
            ref(g.failure.minuteKey, 'h'),
            g.failure.marker,
            scopeRef(g.failure.scope),
          ]
        : [0, 0, '', '']),
    );
  }
  const failures: Array<number | string> = [];
  for (const c of plan.customerMinutes) {
    failures.push(ref(c.key, 'h'), ref(c.minuteKey, 'h'), c.marker, c.total, c.scopes.size);
    for (const [scope, n] of c.scopes) failures.push(scopeRef(scope), n);
  }
  // Only keys written above need an expiry, and they are referenced already with their types.
  const expiries: number[] = [];
  for (const [key, at] of plan.expireAt) {
    const k = index.get(key);
    if (k !== undefined) expiries.push(k, at);
  }
  const args = [
    options.group,
    String(options.dedupeWindowMs),
    String(options.exemplarsPerMinute),
    types.join(''),
    toScriptJson(plan.entryIds),
    toScriptJson(counts),
    toScriptJson(customers),
    toScriptJson(exemplars),
    toScriptJson(guarded),
    JSON.stringify(expiries),
    String(plan.customersPerMinute),
    toScriptJson(failures),
    toScriptJson(scopes),
  ];
  return { keys, args };
}

function parseReply(reply: unknown): ApplyResult {
  if (!Array.isArray(reply) || reply.length < 2)
    throw new BucketWriteError(`unexpected reply from the ingest script: ${JSON.stringify(reply)}`);
  if (reply[0] === 1) return { applied: true, duplicates: Number(reply[1]) };
  return { applied: false, conflicts: reply.slice(2).map(String) };
}

/** Runs the ingest script by SHA, loading it on the first NOSCRIPT (after a Redis restart or flush). */
export function createBucketWriter(redis: RedisClient, options: BucketWriterOptions) {
  return {
    async apply(plan: BatchPlan): Promise<ApplyResult> {
      const { keys, args } = encodePlan(plan, options);
      // One array, not spread arguments: a large plan has more values than a call may take.
      const tail = [String(keys.length), ...keys, ...args];
      try {
        return parseReply(await redis.call('EVALSHA', [applyBatchSha, ...tail]));
      } catch (error) {
        if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) {
          throw new BucketWriteError(`ingest script failed: ${(error as Error).message}`, { cause: error });
        }
      }
      try {
        return parseReply(await redis.call('EVAL', [applyBatchLua, ...tail]));
      } catch (error) {
        throw new BucketWriteError(`ingest script failed: ${(error as Error).message}`, { cause: error });
      }
    },
  };
}
export type BucketWriter = ReturnType<typeof createBucketWriter>;

/** What writing a set of entries did. */
export interface WriteOutcome {
  /** Entries this call acknowledged (and counted). */
  entries: number;
  /** Valid events in those entries, minus producer-id duplicates. */
  events: number;
  duplicates: number;
  /** Entries another consumer had acknowledged first: skipped, counted by that consumer. */
  conflicts: number;
}

/**
 * A stream entry whose events are decoded on demand: once per write, and again only if a conflict
 * makes its plan be rebuilt. Holding raw entries rather than decoded events lets each event object
 * die right after it is counted, which keeps garbage collection cheap at high rates.
 */
export interface EntrySource {
  id: string;
  events(): EntryEvents['events'];
}

function plan(sources: readonly EntrySource[], keys: BucketKeys, options: PlanOptions): BatchPlan[] {
  const planner = createPlanner(keys, options);
  for (const source of sources) planner.add({ id: source.id, events: source.events() });
  return planner.finish();
}

/**
 * Plans and writes entries. On a conflict the plan is rebuilt without the entries another consumer
 * already counted; every round drops at least one entry, so this ends.
 */
export async function writeEntries(
  writer: BucketWriter,
  sources: readonly EntrySource[],
  keys: BucketKeys,
  options: PlanOptions,
): Promise<WriteOutcome> {
  const outcome: WriteOutcome = { entries: 0, events: 0, duplicates: 0, conflicts: 0 };
  const byId = new Map(sources.map((source) => [source.id, source]));
  const work = plan(sources, keys, options);
  for (let next = work.shift(); next; next = work.shift()) {
    const result = await writer.apply(next);
    if (result.applied) {
      outcome.entries += next.entryIds.length;
      outcome.events += next.events - result.duplicates;
      outcome.duplicates += result.duplicates;
      continue;
    }
    const taken = new Set(result.conflicts.filter((id) => byId.has(id)));
    if (taken.size === 0)
      throw new BucketWriteError('ingest script refused a batch without naming a conflict');
    outcome.conflicts += taken.size;
    const rest = next.entryIds.filter((id) => !taken.has(id)).map((id) => byId.get(id) as EntrySource);
    work.unshift(...plan(rest, keys, options));
  }
  return outcome;
}
