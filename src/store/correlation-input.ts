import { z } from 'zod';
import type { InternalIncident } from '../core/contracts.js';
import {
  INPUT_WINDOWS,
  candidateVendors,
  errorMinutes,
  indexVendorIncidents,
  selectInput,
  type InputConfig,
  type InputSources,
  type VendorIncidentIndex,
  vendorIdOf,
} from '../core/correlate/select-input.js';
import { vendorKey } from '../core/correlate/signals.js';
import type { CallCount, CorrelationInput } from '../core/correlate/types.js';
import type { Suspect } from '../core/detect/suspect.js';
import type { VendorIncident } from '../core/model.js';
import { createChangeStore } from './changes.js';
import { createIncidentStore } from './incidents.js';
import type { Keys } from './keys.js';
import { readMinuteCounts } from './error-buckets.js';
import { createSuspectStore } from './suspects.js';
import { createVendorStore } from './vendors.js';
import { catalogHostOwner } from '../catalog-hosts.js';
import type { RedisClient } from './redis.js';

/*
 * What the scorer may know about one of our incidents at `now`, read from Redis: the sources are
 * read here, then selected and cut by the pure selectInput (core/correlate/select-input.ts).
 */

const ms = (iso: string) => Date.parse(iso);

/** Where vendor incidents come from: the vendor store, or a cache of it (see createVendorIncidentCache). */
export interface VendorIncidentSource {
  /** Incidents of the vendor overlapping [fromMs, toMs]. */
  select(vendor: string, fromMs: number, toMs: number): Promise<VendorIncident[]>;
}

export interface LoadInputDeps {
  redis: RedisClient;
  keys: Keys;
  config: InputConfig;
  /** Defaults to reading the vendor store on every call. */
  vendorIncidents?: VendorIncidentSource;
}

/** Reads every incident of a vendor from the store each time: simple, and right for one-off reads. */
export function storeVendorIncidents(redis: RedisClient, keys: Keys): VendorIncidentSource {
  const store = createVendorStore(redis, keys);
  return {
    async select(vendor, fromMs, toMs) {
      return indexVendorIncidents(await store.listIncidents(vendor)).select(vendor, fromMs, toMs);
    },
  };
}

/**
 * Keeps each vendor's incidents indexed in memory and drops them all when keys.vendorChanges grows:
 * every store write appends there, so its newest entry id is a version of the whole vendor side. One
 * XREVRANGE per call instead of reading and validating a vendor's whole history per evaluation.
 */
export function createVendorIncidentCache(redis: RedisClient, keys: Keys): VendorIncidentSource {
  const store = createVendorStore(redis, keys);
  let version: string | null = null;
  const indexes = new Map<string, Promise<VendorIncidentIndex>>();
  return {
    async select(vendor, fromMs, toMs) {
      const tip = await redis.xrevrange(keys.vendorChanges, '+', '-', 'COUNT', 1);
      const current = tip[0]?.[0] ?? '';
      if (current !== version) {
        indexes.clear();
        version = current;
      }
      const key = vendorKey(vendor);
      let index = indexes.get(key);
      if (!index) {
        index = store.listIncidents(vendor).then(indexVendorIncidents);
        indexes.set(key, index);
        index.catch(() => indexes.delete(key));
      }
      return (await index).select(vendor, fromMs, toMs);
    },
  };
}

const incidentIdSchema = z
  .string({ error: 'incident id must be a string' })
  .min(1, 'incident id must not be empty')
  .max(512, 'incident id is longer than 512 characters');
const nowSchema = z.date({ error: 'now must be a Date' }).refine((d) => Number.isFinite(d.getTime()), {
  message: 'now must be a valid Date',
});

/** A load request that does not validate; the message names the bad argument. */
export class LoadInputError extends Error {
  override readonly name = 'LoadInputError';
  // A bad id or time stays bad: retrying the same request cannot succeed.
  readonly permanent = true;
}

function check<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new LoadInputError(`${what}: ${parsed.error.issues[0]?.message ?? 'invalid'}`, {
    cause: parsed.error,
  });
}

/** Reads the sources of one incident from Redis as they stand, for selectInput at `now` or earlier. */
export async function loadInputSources(
  deps: LoadInputDeps,
  incident: InternalIncident,
  now: Date,
): Promise<InputSources> {
  const { redis, keys, config } = deps;
  const t = now.getTime();
  const start = ms(incident.startedAt);
  const { from, to } = errorMinutes(incident, t);
  const suspectStore = createSuspectStore(redis, keys);
  const spec = config.services.find((s) => s.name === incident.service);
  const [buckets, suspectsBySince, openSuspects, changes] = await Promise.all([
    readMinuteCounts(redis, keys, from, to),
    suspectStore.listBySince(start - INPUT_WINDOWS.vendorLookbackMs, t),
    suspectStore.listOpen(),
    createChangeStore(redis, keys).list({
      from: new Date(start - INPUT_WINDOWS.changeLookbackMs).toISOString(),
      to: now.toISOString(),
      service: incident.service,
    }),
  ]);
  // Errors name vendors as their producers wrote them ("Discord API", a host, an SDK): read as our ids.
  const idOf = vendorIdOf(config.vendors, catalogHostOwner);
  const errors = buckets.flatMap((b) =>
    b.counts.map((c) => ({
      minute: b.minute,
      series: c.series.vendor ? { ...c.series, vendor: idOf(c.series.vendor) } : c.series,
      count: c.count,
    })),
  );
  const calls = buckets.flatMap((b) =>
    b.calls.map((c): CallCount => ({ minute: b.minute, ...c, vendor: c.vendor ? idOf(c.vendor) : c.vendor })),
  );
  const vendors = candidateVendors(incident, spec, errors, config.vendors);
  const source = deps.vendorIncidents ?? storeVendorIncidents(redis, keys);
  const vendorStore = createVendorStore(redis, keys);
  const candidates = new Set(vendors.map(vendorKey));
  const others = config.vendors.map((v) => v.id).filter((v) => !candidates.has(vendorKey(v)));
  const [lists, blind, otherLists] = await Promise.all([
    Promise.all(vendors.map((v) => source.select(v, start - INPUT_WINDOWS.vendorLookbackMs, t))),
    Promise.all(vendors.map((v) => vendorStore.listBlindSpans(v, start - INPUT_WINDOWS.blindLookbackMs, t))),
    // Other watched vendors' incidents: one may say a candidate took it down (selectInput keeps those).
    Promise.all(others.map((v) => source.select(v, start - INPUT_WINDOWS.vendorLookbackMs, t))),
  ]);
  const suspects = new Map<string, Suspect>();
  for (const s of [...suspectsBySince, ...openSuspects]) suspects.set(s.id, s);
  return {
    incident,
    config,
    errors,
    vendorIncidents: indexVendorIncidents(lists.flat()),
    suspects: [...suspects.values()],
    changes,
    calls,
    blind: blind.flat(),
    others: otherLists.flat(),
  };
}

/**
 * Everything the scorer may know about our incident `incidentId` at `now`, from Redis; null when no
 * such incident is stored. Throws LoadInputError on a bad id or time; Redis errors propagate.
 */
export async function loadCorrelationInput(
  deps: LoadInputDeps,
  incidentId: string,
  now: Date,
): Promise<CorrelationInput | null> {
  const id = check(incidentIdSchema, incidentId, 'loadCorrelationInput');
  const at = check(nowSchema, now, 'loadCorrelationInput');
  const incident = await createIncidentStore(deps.redis, deps.keys).get(id);
  if (!incident) return null;
  return selectInput(await loadInputSources(deps, incident, at), at);
}
