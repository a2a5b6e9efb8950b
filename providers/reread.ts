import { z } from 'zod';
import { FetchError } from '../src/core/errors.js';
import { createTextCache, sameJson } from '../src/core/memo.js';
import type { VendorIncident } from '../src/core/model.js';
import { validateJson } from './support.js';

/**
 * Reading a JSON page's incident lists item by item, so that an item a poll already read as it is
 * now is neither validated nor normalized again: pages list the same incidents poll after poll and
 * change one at a time. Validation errors read as when the page's schema read the whole body.
 */

/**
 * `decoded` as its outline reads it (the page's schema with its incident lists left unread). An
 * outline asks less than the page's schema, so whatever fails the outline fails the schema too,
 * whose own message is reported.
 */
export function outlined<O extends z.ZodType>(
  decoded: unknown,
  outline: O,
  schema: z.ZodType,
  what: string,
): z.output<O> {
  const result = outline.safeParse(decoded);
  if (!result.success) throw schemaError(decoded, schema, what);
  return result.data;
}

/** An incident list in an outline: read later, item by item. */
export const unreadList = z.array(z.unknown()).nullish();

/** The `parse` FetchError the page's schema gives `decoded`, once its outline or an item failed. */
export function schemaError(decoded: unknown, schema: z.ZodType, what: string): unknown {
  try {
    validateJson(decoded, schema, what);
  } catch (error) {
    return error;
  }
  return new FetchError('parse', `${what}: does not match the expected shape`);
}

/** An incident as the page listed it (decoded JSON) and as it was normalized. */
interface ReadItem {
  raw: unknown;
  incident: VendorIncident;
}

/** What a vendor's endpoint listed at its last read in this thread: each list's items by id. */
interface PreviousRead {
  pageUrl: string | null;
  lists: Array<Map<string, ReadItem>>;
  /** The body's length, which the cache weighs it by. */
  chars: number;
}

/**
 * Each vendor endpoint's last read, by endpoint and vendor. Bounded by the characters of the bodies
 * kept; module-level, so each parse thread has its own.
 */
const previousReads = createTextCache<PreviousRead>({
  maxEntries: 5_000,
  maxChars: 16_000_000,
  maxKeyChars: 1_000,
  weigh: (read) => read.chars,
});

const idOf = (raw: unknown): string | undefined => {
  const id = typeof raw === 'object' && raw !== null ? (raw as { id?: unknown }).id : undefined;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
};

/**
 * The incident lists of one endpoint's body, validated with `schema` and normalized, each in order;
 * null when an item does not validate. An item equal (sameJson) to the one of its id at this vendor
 * endpoint's last read, under the same page URL, is given as normalized then: `normalize` must read
 * nothing but the item, the vendor and the page URL. Every item is validated before any is
 * normalized, as when the page's schema read them all at once, so the same problem is reported first.
 */
export function readIncidentLists<R>(read: {
  endpoint: string;
  body: string;
  lists: Array<unknown[] | null | undefined>;
  vendor: string;
  pageUrl: string | null;
  schema: z.ZodType<R>;
  normalize: (raw: R, vendor: string, pageUrl: string | null) => VendorIncident;
}): VendorIncident[][] | null {
  const { vendor, pageUrl } = read;
  const slot = `${read.endpoint}\n${vendor}`;
  const last = previousReads.get(slot);
  const previous = last?.pageUrl === pageUrl ? last.lists : [];
  const checked: Array<Array<ReadItem | { raw: unknown; parsed: R }>> = [];
  for (const [n, items] of read.lists.entries()) {
    const out: (typeof checked)[number] = [];
    for (const raw of items ?? []) {
      const id = idOf(raw);
      const seen = id === undefined ? undefined : previous[n]?.get(id);
      if (seen && sameJson(seen.raw, raw)) {
        out.push(seen);
        continue;
      }
      const parsed = read.schema.safeParse(raw);
      if (!parsed.success) return null;
      out.push({ raw, parsed: parsed.data });
    }
    checked.push(out);
  }
  const kept: PreviousRead['lists'] = [];
  const incidents = checked.map((items) => {
    const byId = new Map<string, ReadItem>();
    kept.push(byId);
    return items.map((item) => {
      const done =
        'incident' in item ? item : { raw: item.raw, incident: read.normalize(item.parsed, vendor, pageUrl) };
      const id = idOf(done.raw);
      if (id !== undefined) byId.set(id, done);
      return copyOf(done.incident);
    });
  });
  previousReads.set(slot, { pageUrl, lists: kept, chars: read.body.length });
  return incidents;
}

/** A kept incident as an object of the caller's own, which it may change. */
function copyOf(incident: VendorIncident): VendorIncident {
  return {
    ...incident,
    components: [...incident.components],
    regions: [...incident.regions],
    updates: incident.updates.map((update) => ({ ...update })),
  };
}
