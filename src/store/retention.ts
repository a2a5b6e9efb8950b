import { internalIncidentSchema, type InternalIncident } from '../core/contracts.js';
import { vendorIncidentSchema } from '../core/model.js';
import { annotationVersionSchema } from './annotations.js';
import { createIncidentStore } from './incidents.js';
import type { Keys } from './keys.js';
import type { RedisClient } from './redis.js';

/*
 * Retention: deletes history older than the configured horizons, a bounded number of keys per
 * command and per run, so a run never blocks Redis and a large backlog drains over several runs.
 * Every delete is a compare-and-delete script (the row is still what was judged old, and still not
 * open), so concurrent trimmers and writers never lose data nor count a deletion twice. Never
 * deleted: open incidents, open vendor incidents (and those with a resolution or reopening waiting
 * for confirmation), open suspects, what an open incident's latest annotation names, an annotation
 * version not yet handed to delivery, and stream entries some consumer group has not acknowledged.
 */

/** How long each kind of history is kept (ms), and how many keys one command looks at. */
export interface RetentionPolicy {
  incidentsMs: number;
  annotationsMs: number;
  changesMs: number;
  suspectsMs: number;
  vendorIncidentsMs: number;
  streamsMs: number;
  digestRunsMs: number;
  alertsMs: number;
  batchSize: number;
}

export interface TrimOptions {
  policy: RetentionPolicy;
  /** The watched vendors, whose incident histories are trimmed. */
  vendors: readonly string[];
  /** Batches per kind of history in one run (default 20); the rest waits for the next run. */
  maxBatches?: number;
}

/** What one run deleted (or kept on purpose), by kind. */
export interface TrimReport {
  incidents: number;
  annotations: number;
  changes: number;
  vendorIncidents: number;
  digestRuns: number;
  alerts: number;
  /** Closed suspects named by an open incident's annotation whose expiry was pushed back. */
  suspectsKept: number;
  /** Stream entries deleted, by stream key. */
  streamEntries: Record<string, number>;
  /** Old rows kept because a version of their annotation was never handed to delivery. */
  undelivered: number;
  /** Old vendor incidents kept because an open incident's annotation names them. */
  referenced: number;
  /** False when a kind hit its batch budget: the next run carries on. */
  complete: boolean;
}

// KEYS: incidents, active, anns, then (inc, ann) per item. ARGV: (id, raw) per item; raw '' = missing.
// 1 deleted, 0 changed since read (left for a later run), 2 kept: its latest annotation is undelivered,
// 3 gone already (another trimmer deleted it).
const trimIncidentsScript = `
local out = {}
for i = 1, #ARGV, 2 do
  local id, raw = ARGV[i], ARGV[i + 1]
  local inc, ann = KEYS[3 + i], KEYS[4 + i]
  local current = redis.call('GET', inc)
  local n = redis.call('HGET', ann, 'latest')
  if raw ~= '' and not current then
    out[#out + 1] = 3
  elseif (raw == '' and current) or (raw ~= '' and current ~= raw) then
    out[#out + 1] = 0
  elseif n and redis.call('HEXISTS', ann, 'd:' .. n) == 0 then
    out[#out + 1] = 2
  else
    redis.call('DEL', inc, ann)
    redis.call('ZREM', KEYS[2], id)
    redis.call('ZREM', KEYS[3], id)
    out[#out + 1] = redis.call('ZREM', KEYS[1], id) == 1 and 1 or 3
  end
end
return out`;

// KEYS: anns, then (inc, ann) per item. ARGV: (id, raw incident or '') per item. As above, for the
// annotation alone: deleted only while the incident is still as judged (gone, or resolved long ago).
const trimAnnotationsScript = `
local out = {}
for i = 1, #ARGV, 2 do
  local id, raw = ARGV[i], ARGV[i + 1]
  local inc, ann = KEYS[1 + i], KEYS[2 + i]
  local current = redis.call('GET', inc)
  local n = redis.call('HGET', ann, 'latest')
  if raw ~= '' and not current then
    out[#out + 1] = 3
  elseif (raw == '' and current) or (raw ~= '' and current ~= raw) then
    out[#out + 1] = 0
  elseif n and redis.call('HEXISTS', ann, 'd:' .. n) == 0 then
    out[#out + 1] = 2
  else
    redis.call('DEL', ann)
    out[#out + 1] = redis.call('ZREM', KEYS[1], id) == 1 and 1 or 3
  end
end
return out`;

// KEYS: changes, change ids. ARGV: (member, dedupe key) per item. The dedupe entry goes with its member.
const trimChangesScript = `
local removed = 0
for i = 1, #ARGV, 2 do
  if redis.call('ZREM', KEYS[1], ARGV[i]) == 1 then
    removed = removed + 1
    if redis.call('HGET', KEYS[2], ARGV[i + 1]) == ARGV[i] then redis.call('HDEL', KEYS[2], ARGV[i + 1]) end
  end
end
return removed`;

// KEYS: incidents hash, open set, pending hash, digests hash. ARGV: (id, raw) per item. Deleted only if
// the row is still the resolved one judged old, and the incident is neither open nor waiting for a
// confirmation; the digest of what was last merged into the row goes with it.
const trimVendorIncidentsScript = `
local removed = 0
for i = 1, #ARGV, 2 do
  local id = ARGV[i]
  if redis.call('HGET', KEYS[1], id) == ARGV[i + 1]
    and redis.call('SISMEMBER', KEYS[2], id) == 0
    and redis.call('HEXISTS', KEYS[3], id) == 0 then
    removed = removed + redis.call('HDEL', KEYS[1], id)
    redis.call('HDEL', KEYS[4], id)
  end
end
return removed`;

// KEYS: runs, then a run record per item. ARGV: periods.
const trimDigestRunsScript = `
local removed = 0
for i = 1, #ARGV do
  if redis.call('ZREM', KEYS[1], ARGV[i]) == 1 then removed = removed + 1 end
  redis.call('DEL', KEYS[1 + i])
end
return removed`;

function parseJson(raw: string | null): unknown {
  if (raw === null) return null;
  try {
    return JSON.parse(raw);
  } catch {
    return null;
  }
}

/** A stream id as [ms, seq], for comparisons. */
function streamId(id: string): [number, number] {
  const [ms, seq] = id.split('-');
  return [Number(ms), Number(seq ?? 0)];
}

function earlier(a: string, b: string): string {
  const [am, as] = streamId(a);
  const [bm, bs] = streamId(b);
  return am < bm || (am === bm && as < bs) ? a : b;
}

/** The dedupe key of a stored change member (as src/store/changes.ts derives it), or null. */
function changeKeyOf(member: string): string | null {
  const c = parseJson(member) as Record<string, unknown> | null;
  if (!c || typeof c !== 'object') return null;
  if (c.id !== undefined) return `id:${String(c.id)}`;
  return `k:${JSON.stringify([c.service, c.kind, c.ref ?? '', c.at])}`;
}

/** The retention trimmer over one Redis; `run(now)` does one bounded pass over every kind of history. */
export function createTrimmer(redis: RedisClient, keys: Keys, options: TrimOptions) {
  const { policy } = options;
  const batch = policy.batchSize;
  const maxBatches = options.maxBatches ?? 20;

  function decodeIncident(raw: string | null): InternalIncident | null {
    const parsed = internalIncidentSchema.safeParse(parseJson(raw));
    return parsed.success ? parsed.data : null;
  }

  /** What the latest annotations of open incidents name: `vendor/incident` and suspect ids. */
  async function referenced(): Promise<{ vendorIncidents: Set<string>; suspects: Set<string> }> {
    const vendorIncidents = new Set<string>();
    const suspects = new Set<string>();
    const open = await redis.zrangebyscore(keys.incidentsActive, '+inf', '+inf');
    for (let i = 0; i < open.length; i += batch) {
      const ids = open.slice(i, i + batch);
      const latest = await Promise.all(ids.map((id) => redis.hget(keys.annotation(id), 'latest')));
      const versions = await Promise.all(
        ids.map((id, j) => (latest[j] ? redis.hget(keys.annotation(id), `v:${latest[j]}`) : null)),
      );
      for (const raw of versions) {
        const parsed = annotationVersionSchema.safeParse(parseJson(raw));
        if (!parsed.success) continue;
        for (const c of parsed.data.candidates) {
          if (c.vendorIncidentId) vendorIncidents.add(`${c.vendor}/${c.vendorIncidentId}`);
          if (c.suspectedIssueId) suspects.add(c.suspectedIssueId);
        }
      }
    }
    return { vendorIncidents, suspects };
  }

  /**
   * Pages through `index` (ids scored before the horizon) and hands `apply` the [id, incident JSON]
   * rows whose incident is gone or resolved before the horizon; `apply` answers how many left the
   * index, so paging steps past only what was kept. An unreadable row is left for a person to look at.
   */
  async function trimResolvedBefore(
    index: string,
    horizon: number,
    apply: (items: Array<[string, string]>) => Promise<number>,
  ): Promise<boolean> {
    let offset = 0;
    for (let n = 0; n < maxBatches; n++) {
      const ids = await redis.zrangebyscore(index, '-inf', `(${horizon}`, 'LIMIT', offset, batch);
      if (ids.length === 0) return true;
      const raws = await redis.mget(ids.map((id) => keys.incident(id)));
      const items: Array<[string, string]> = [];
      raws.forEach((raw, i) => {
        const incident = decodeIncident(raw);
        if (raw !== null && !incident) return;
        if (incident && (incident.resolvedAt === null || Date.parse(incident.resolvedAt) >= horizon)) return;
        items.push([ids[i]!, raw ?? '']);
      });
      const deleted = items.length > 0 ? await apply(items) : 0;
      offset += ids.length - deleted;
      if (ids.length < batch) return true;
    }
    return false;
  }

  /** Resolved incidents (with their annotations) resolved before the horizon. */
  async function trimIncidents(now: number, report: TrimReport): Promise<boolean> {
    // Started before the horizon: only those can have been resolved before it.
    return trimResolvedBefore(keys.incidentsByStart, now - policy.incidentsMs, async (items) => {
      const result = (await redis.eval(
        trimIncidentsScript,
        3 + items.length * 2,
        keys.incidentsByStart,
        keys.incidentsActive,
        keys.annotations,
        ...items.flatMap(([id]) => [keys.incident(id), keys.annotation(id)]),
        ...items.flat(),
      )) as number[];
      report.incidents += result.filter((r) => r === 1).length;
      report.undelivered += result.filter((r) => r === 2).length;
      return result.filter((r) => r === 1 || r === 3).length;
    });
  }

  /** Annotations last changed before the horizon whose incident is gone or resolved before it. */
  async function trimAnnotations(now: number, report: TrimReport): Promise<boolean> {
    return trimResolvedBefore(keys.annotations, now - policy.annotationsMs, async (items) => {
      const result = (await redis.eval(
        trimAnnotationsScript,
        1 + items.length * 2,
        keys.annotations,
        ...items.flatMap(([id]) => [keys.incident(id), keys.annotation(id)]),
        ...items.flat(),
      )) as number[];
      // Undelivered ones are counted by the incident pass (the same rows come up there).
      report.annotations += result.filter((r) => r === 1).length;
      return result.filter((r) => r === 1 || r === 3).length;
    });
  }

  /** Our changes dated before the horizon, with their dedupe entries. */
  async function trimChanges(now: number, report: TrimReport): Promise<boolean> {
    const horizon = now - policy.changesMs;
    for (let n = 0; n < maxBatches; n++) {
      const members = await redis.zrangebyscore(keys.changes, '-inf', `(${horizon}`, 'LIMIT', 0, batch);
      if (members.length === 0) return true;
      const args = members.flatMap((m) => [m, changeKeyOf(m) ?? '']);
      report.changes += (await redis.eval(
        trimChangesScript,
        2,
        keys.changes,
        keys.changeIds,
        ...args,
      )) as number;
      if (members.length < batch) return true;
    }
    return false;
  }

  /** Each watched vendor's incidents resolved before the horizon, unless something still needs them. */
  async function trimVendorIncidents(now: number, refs: Set<string>, report: TrimReport): Promise<boolean> {
    const horizon = now - policy.vendorIncidentsMs;
    // Every vendor is scanned each run (a page per command); deletions stop at the batch budget, counted
    // in incidents (most vendors have fewer old ones than a batch).
    let budget = maxBatches * batch;
    for (const vendor of options.vendors) {
      let cursor = '0';
      do {
        if (budget <= 0) return false;
        const [next, flat] = await redis.hscan(keys.vendorIncidents(vendor), cursor, 'COUNT', batch);
        cursor = next;
        const items: string[] = [];
        for (let i = 0; i + 1 < flat.length; i += 2) {
          const [id, raw] = [flat[i]!, flat[i + 1]!];
          const parsed = vendorIncidentSchema.safeParse(parseJson(raw));
          if (!parsed.success || parsed.data.resolvedAt === null) continue;
          if (Date.parse(parsed.data.resolvedAt) >= horizon) continue;
          if (refs.has(`${vendor}/${id}`)) {
            report.referenced += 1;
            continue;
          }
          items.push(id, raw);
        }
        if (items.length === 0) continue;
        budget -= items.length / 2;
        report.vendorIncidents += (await redis.eval(
          trimVendorIncidentsScript,
          4,
          keys.vendorIncidents(vendor),
          keys.vendorOpen(vendor),
          keys.vendorPending(vendor),
          keys.vendorDigests(vendor),
          ...items,
        )) as number;
      } while (cursor !== '0');
    }
    return true;
  }

  /** Digest run records of periods finished before the horizon. */
  async function trimDigestRuns(now: number, report: TrimReport): Promise<boolean> {
    const horizon = now - policy.digestRunsMs;
    for (let n = 0; n < maxBatches; n++) {
      const periods = await redis.zrangebyscore(keys.digestRuns, '-inf', `(${horizon}`, 'LIMIT', 0, batch);
      if (periods.length === 0) return true;
      report.digestRuns += (await redis.eval(
        trimDigestRunsScript,
        1 + periods.length,
        keys.digestRuns,
        ...periods.map((p) => keys.digestRun(p)),
        ...periods,
      )) as number;
      if (periods.length < batch) return true;
    }
    return false;
  }

  /** Alert log entries raised before the horizon, the oldest `batch` at a time. */
  async function trimAlerts(now: number, report: TrimReport): Promise<boolean> {
    const max = `(${now - policy.alertsMs}`;
    for (let n = 0; n < maxBatches; n++) {
      const old = await redis.zcount(keys.alertLog, '-inf', max);
      if (old === 0) return true;
      // More than a batch is old: the first `batch` by time are all old.
      report.alerts +=
        old > batch
          ? await redis.zremrangebyrank(keys.alertLog, 0, batch - 1)
          : await redis.zremrangebyscore(keys.alertLog, '-inf', max);
      if (old <= batch) return true;
    }
    return false;
  }

  /** Closed suspects expire by themselves; one an open incident's annotation names is kept longer. */
  async function keepReferencedSuspects(ids: Set<string>, report: TrimReport): Promise<void> {
    for (const id of ids) {
      // Only a key that has an expiry (a closed suspect) and would lose it sooner than the retention.
      const ttl = await redis.pttl(keys.suspected(id));
      if (ttl > 0 && ttl < policy.suspectsMs) {
        await redis.pexpire(keys.suspected(id), policy.suspectsMs);
        report.suspectsKept += 1;
      }
    }
  }

  /**
   * Entries older than the horizon that every consumer group has acknowledged. `requireGroup`: with no
   * group at all nothing is trimmed (nobody has read the stream yet). XTRIM MINID ~ with a LIMIT deletes
   * whole internal nodes, a bounded number per call; an exact pass then removes the few left (at most
   * one partial node), so the stream ends up holding nothing older than the bound.
   */
  async function trimStream(stream: string, now: number, requireGroup: boolean, report: TrimReport) {
    let bound = `${now - policy.streamsMs}-0`;
    let groups: unknown[];
    try {
      groups = (await redis.xinfo('GROUPS', stream)) as unknown[];
    } catch {
      return true; // no such stream
    }
    if (requireGroup && groups.length === 0) return true;
    for (const group of groups) {
      const fields = group as unknown[];
      const info: Record<string, unknown> = {};
      for (let i = 0; i + 1 < fields.length; i += 2) info[String(fields[i])] = fields[i + 1];
      const name = String(info.name);
      // Undelivered entries lie after last-delivered-id; delivered but unacknowledged ones are pending.
      const [ms, seq] = streamId(String(info['last-delivered-id'] ?? '0-0'));
      bound = earlier(bound, `${ms}-${seq + 1}`);
      if (Number(info.pending ?? 0) > 0) {
        const summary = (await redis.xpending(stream, name)) as unknown[];
        if (typeof summary[1] === 'string') bound = earlier(bound, summary[1]);
      }
    }
    let deleted = 0;
    let complete = false;
    for (let n = 0; n < maxBatches; n++) {
      const removed = Number(await redis.xtrim(stream, 'MINID', '~', bound, 'LIMIT', batch * 10));
      deleted += removed;
      if (removed === 0) {
        complete = true;
        break;
      }
    }
    if (complete) deleted += Number(await redis.xtrim(stream, 'MINID', '=', bound));
    if (deleted > 0) report.streamEntries[stream] = deleted;
    return complete;
  }

  return {
    /** One pass over every kind of history at `now` (epoch ms); deletes at most the batch budget of each. */
    async run(now: number = Date.now()): Promise<TrimReport> {
      const report: TrimReport = {
        incidents: 0,
        annotations: 0,
        changes: 0,
        vendorIncidents: 0,
        digestRuns: 0,
        alerts: 0,
        suspectsKept: 0,
        streamEntries: {},
        undelivered: 0,
        referenced: 0,
        complete: true,
      };
      // The open set of incidents comes from the index: it must exist (installs older than it).
      await createIncidentStore(redis, keys, { now: () => now }).ensureActiveIndex();
      // Entries past their time (the annotator's tick drops them too; this holds when it does not run).
      await redis.zremrangebyscore(keys.incidentsActive, '-inf', `(${now}`);
      const refs = await referenced();
      const done = [
        await trimIncidents(now, report),
        await trimAnnotations(now, report),
        await trimChanges(now, report),
        await trimVendorIncidents(now, refs.vendorIncidents, report),
        await trimDigestRuns(now, report),
        await trimAlerts(now, report),
        ...(await Promise.all(keys.partitions.map((p) => trimStream(p.errors, now, true, report)))),
        await trimStream(keys.incidentChanges, now, false, report),
        await trimStream(keys.vendorChanges, now, false, report),
      ];
      await keepReferencedSuspects(refs.suspects, report);
      report.complete = done.every(Boolean);
      return report;
    },
  };
}
export type Trimmer = ReturnType<typeof createTrimmer>;
