import type { ErrorEvent } from '../core/contracts.js';
import type { BucketKeys } from '../store/keys.js';
import { callsField, customerScope, seriesField, seriesOf } from '../core/series.js';
import type { ValidEvent } from './stream-fields.js';

/** One stream entry after decoding: its id and the events in it that passed validation. */
export interface EntryEvents {
  id: string;
  events: ValidEvent[];
}

/** An event carrying a producer id: counted only if the id is new within the dedupe window. */
export interface GuardedEvent {
  idKey: string;
  bucketKey: string;
  /** The error series field, with `count` > 0; '' and 0 for a pure volume report. */
  field: string;
  count: number;
  /** The call-volume field, with `calls` > 0; '' and 0 when the event reports no calls. */
  callsField: string;
  calls: number;
  /** The customers HyperLogLog to add `customer` to, when the event names one. */
  customersKey: string | null;
  customer: string | null;
  /** The customer's failure record, when the event names a customer and records are kept. */
  failure?: CustomerFailureRef;
}

/** Where one customer's failures in one minute are recorded (see keys.customerFailures). */
export interface CustomerFailureRef {
  /** The customer's hash for the hour. */
  key: string;
  /** The minute's counters (customers recorded, failures dropped past the cap). */
  minuteKey: string;
  /** The minute's field in the customer's hash: its offset in the hour. */
  marker: string;
  /** The (service, vendor, region) failed, as customerScope writes it; its field is `<marker>|<scope>`. */
  scope: string;
}

/** One customer's failures in one minute, summed over a plan's events without a producer id. */
export interface CustomerMinute {
  key: string;
  minuteKey: string;
  marker: string;
  total: number;
  /** Scope (see CustomerFailureRef) → failures. */
  scopes: Map<string, number>;
}

/**
 * What one atomic write does: acknowledge `entryIds` and apply their increments, pre-aggregated
 * across the entries (they are applied all together or not at all, so merging them is safe).
 */
export interface BatchPlan {
  entryIds: string[];
  /** Bucket key → series (or call-volume) field → count, for events without a producer id. */
  counts: Map<string, Map<string, number>>;
  /** Customers HyperLogLog key → customers seen, for events without a producer id. */
  customers: Map<string, Set<string>>;
  /** Exemplars list key → event JSON, in LPUSH order (the last is the newest). */
  exemplars: Map<string, string[]>;
  /** Per-customer failure records, for events without a producer id, in first-seen order. */
  customerMinutes: CustomerMinute[];
  /** The per-minute cap on customers recorded, enforced by the write (0 when none are recorded). */
  customersPerMinute: number;
  guarded: GuardedEvent[];
  /** Every key written → when it expires (epoch ms): retention counted from its minute. */
  expireAt: Map<string, number>;
  /** Valid events in the plan, guarded ones included. */
  events: number;
}

export interface PlanOptions {
  retentionMs: number;
  /** Exemplars kept per minute; each batch contributes its first event of each distinct series. */
  exemplarsPerMinute: number;
  /** A plan stops taking entries once it holds this many guarded events (each costs Redis a SET NX). */
  maxGuardedPerPlan: number;
  /**
   * Distinct customers whose failures are recorded per minute (the script enforces it, past it the
   * failures are counted as dropped); undefined records no per-customer failures.
   */
  customersPerMinute?: number;
}

export const defaultPlanOptions = { exemplarsPerMinute: 10, maxGuardedPerPlan: 5000 } as const;

interface SeriesKeys {
  field: string;
  scope: string;
}

/** Series identity through nested maps: no string is built per event, only looked up. */
type SeriesTrie = Map<string, Map<string, Map<string, Map<string, Map<number | undefined, SeriesKeys>>>>>;
/** Call-volume fields by service, vendor and region, the same way. */
type CallsTrie = Map<string, Map<string, Map<string, string>>>;

function child<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let found = map.get(key);
  if (found === undefined) map.set(key, (found = make()));
  return found;
}
// Hoisted: an arrow written inline at the call would be a new closure per event.
const newMap = <K, V>() => new Map<K, V>();
const newSet = () => new Set<string>();
const newList = (): string[] => [];

function seriesFor(trie: SeriesTrie, event: ErrorEvent): SeriesKeys {
  type ByStatus = Map<number | undefined, SeriesKeys>;
  const byVendor = child(trie, event.service, newMap<string, Map<string, Map<string, ByStatus>>>);
  const byRegion = child(byVendor, event.vendor ?? '', newMap<string, Map<string, ByStatus>>);
  const byCode = child(byRegion, event.region ?? '', newMap<string, ByStatus>);
  const byStatus = child(byCode, event.code ?? '', newMap<number | undefined, SeriesKeys>);
  let found = byStatus.get(event.status);
  if (!found) {
    const series = seriesOf(event);
    found = { field: seriesField(series), scope: customerScope(series) };
    byStatus.set(event.status, found);
  }
  return found;
}

function callsFieldFor(trie: CallsTrie, event: ErrorEvent): string {
  const byVendor = child(trie, event.service, newMap<string, Map<string, string>>);
  const byRegion = child(byVendor, event.vendor ?? '', newMap<string, string>);
  const region = event.region ?? '';
  let found = byRegion.get(region);
  if (found === undefined) {
    found = callsField({ service: event.service, vendor: event.vendor ?? '', region });
    byRegion.set(region, found);
  }
  return found;
}

/** One minute's keys and tallies within a plan. */
interface MinuteSlot {
  bucketKey: string;
  exemplarKey: string;
  expireAt: number;
  counts: Map<string, number> | null;
  exemplarFields: Set<string>;
  customersKeys: Map<string, string>;
  /** Customer → its failure record this minute (events without a producer id). */
  customerMinutes: Map<string, CustomerMinute>;
}

function createPlan(customersPerMinute: number): BatchPlan {
  return {
    customersPerMinute,
    entryIds: [],
    counts: new Map(),
    customers: new Map(),
    exemplars: new Map(),
    customerMinutes: [],
    guarded: [],
    expireAt: new Map(),
    events: 0,
  };
}

/**
 * Builds write plans one entry at a time, so a caller can decode an entry, add it and let its event
 * objects go: they then die young, which keeps the garbage collector cheap at high rates. Entries are
 * never split across plans, so each entry's acknowledgement and increments stay in one atomic write.
 */
export function createPlanner(keys: BucketKeys, options: PlanOptions) {
  const plans: BatchPlan[] = [];
  const trie: SeriesTrie = new Map();
  const callsTrie: CallsTrie = new Map();
  const cap = options.customersPerMinute ?? 0;
  let plan = createPlan(cap);
  let slots = new Map<number, MinuteSlot>();
  let lastMinute = NaN;
  let slot: MinuteSlot | null = null;

  const slotFor = (minute: number): MinuteSlot => {
    let found = slots.get(minute);
    if (!found) {
      // End of the minute + retention: the last event of a minute is kept for the full retention.
      const expireAt = (minute + 1) * 60_000 + options.retentionMs;
      found = {
        bucketKey: keys.errorBucket(minute),
        exemplarKey: keys.errorExemplars(minute),
        expireAt,
        counts: null,
        exemplarFields: new Set(),
        customersKeys: new Map(),
        customerMinutes: new Map(),
      };
      plan.expireAt.set(found.bucketKey, expireAt);
      slots.set(minute, found);
    }
    return found;
  };
  const customersKeyFor = (at: MinuteSlot, minute: number, scope: string): string => {
    let key = at.customersKeys.get(scope);
    if (key === undefined) {
      key = keys.errorCustomers(minute, scope);
      at.customersKeys.set(scope, key);
      plan.expireAt.set(key, at.expireAt);
    }
    return key;
  };

  const recordCustomers = options.customersPerMinute !== undefined;
  const failureRefFor = (minute: number, customer: string, scope: string): CustomerFailureRef => {
    const hour = Math.floor(minute / 60);
    const key = keys.customerFailures(hour, customer);
    const minuteKey = keys.customerFailuresMinute(minute);
    if (!plan.expireAt.has(key)) plan.expireAt.set(key, (hour + 1) * 3_600_000 + options.retentionMs);
    // The minute's counters live as long as the bucket of that minute.
    if (!plan.expireAt.has(minuteKey))
      plan.expireAt.set(minuteKey, (minute + 1) * 60_000 + options.retentionMs);
    const marker = String(minute - hour * 60);
    return { key, minuteKey, marker, scope };
  };
  const addCustomerFailure = (at: MinuteSlot, minute: number, customer: string, scope: string, n: number) => {
    let record = at.customerMinutes.get(customer);
    if (!record) {
      const ref = failureRefFor(minute, customer, scope);
      record = { key: ref.key, minuteKey: ref.minuteKey, marker: ref.marker, total: 0, scopes: new Map() };
      at.customerMinutes.set(customer, record);
      plan.customerMinutes.push(record);
    }
    record.total += n;
    record.scopes.set(scope, (record.scopes.get(scope) ?? 0) + n);
  };

  function add(entry: EntryEvents): void {
    if (plan.entryIds.length > 0 && plan.guarded.length >= options.maxGuardedPerPlan) {
      plans.push(plan);
      plan = createPlan(cap);
      slots = new Map();
      lastMinute = NaN;
    }
    plan.entryIds.push(entry.id);
    for (const { event, ms } of entry.events) {
      const minute = Math.floor(ms / 60_000);
      if (minute !== lastMinute || !slot) {
        slot = slotFor(minute);
        lastMinute = minute;
      }
      plan.events++;
      // A pure volume report (count 0) adds calls only: no error series, customer or exemplar.
      const series = event.count > 0 ? seriesFor(trie, event) : null;
      const calls = event.calls ?? 0;
      const volume = calls > 0 ? callsFieldFor(callsTrie, event) : null;
      if (!series && !volume) continue;
      const customersKey =
        series && event.customer !== undefined ? customersKeyFor(slot, minute, series.scope) : null;

      if (event.id !== undefined) {
        plan.guarded.push({
          idKey: keys.eventId(event.id),
          bucketKey: slot.bucketKey,
          field: series ? series.field : '',
          count: series ? event.count : 0,
          callsField: volume ?? '',
          calls: volume ? calls : 0,
          customersKey,
          customer: customersKey ? (event.customer ?? null) : null,
          ...(series && customersKey && recordCustomers
            ? { failure: failureRefFor(minute, event.customer as string, series.scope) }
            : {}),
        });
      } else {
        let counts = slot.counts;
        if (!counts) plan.counts.set(slot.bucketKey, (counts = slot.counts = new Map()));
        if (series) counts.set(series.field, (counts.get(series.field) ?? 0) + event.count);
        if (volume) counts.set(volume, (counts.get(volume) ?? 0) + calls);
        if (customersKey) {
          child(plan.customers, customersKey, newSet).add(event.customer as string);
          if (series && recordCustomers)
            addCustomerFailure(slot, minute, event.customer as string, series.scope, event.count);
        }
      }

      if (!series) continue;
      const { field } = series;
      const seen = slot.exemplarFields;
      if (seen.size < options.exemplarsPerMinute && !seen.has(field)) {
        seen.add(field);
        child(plan.exemplars, slot.exemplarKey, newList).push(JSON.stringify(event));
        plan.expireAt.set(slot.exemplarKey, slot.expireAt);
      }
    }
  }

  return {
    add,
    /** The plans so far, in order; the planner is spent afterwards. */
    finish(): BatchPlan[] {
      if (plan.entryIds.length > 0) plans.push(plan);
      return plans;
    },
  };
}

/** Turns decoded entries into one or more write plans (pure; see createPlanner). */
export function planBatches(
  entries: readonly EntryEvents[],
  keys: BucketKeys,
  options: PlanOptions,
): BatchPlan[] {
  const planner = createPlanner(keys, options);
  for (const entry of entries) planner.add(entry);
  return planner.finish();
}
