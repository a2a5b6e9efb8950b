import { z } from 'zod';
import { FetchError } from '../src/core/errors.js';
import { createTextCache, sameJson } from '../src/core/memo.js';
import type { VendorIncident } from '../src/core/model.js';
import { decodeJson, validateJson } from './support.js';

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
function outlined<O extends z.ZodType>(
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
function schemaError(decoded: unknown, schema: z.ZodType, what: string): unknown {
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

/** A vendor endpoint's last read in this thread: its body, its outline and each list's items in order. */
interface PreviousRead {
  body: string;
  data: unknown;
  pageUrl: string | null;
  lists: ReadItem[][];
}

/**
 * Each vendor endpoint's last read, by endpoint and vendor. Bounded by the characters of the bodies
 * kept (counted twice: the text and what it decoded to); module-level, so each parse thread has its own.
 */
const previousReads = createTextCache<PreviousRead>({
  maxEntries: 5_000,
  maxChars: 32_000_000,
  maxKeyChars: 1_000,
  weigh: (read) => 2 * read.body.length,
});

const idOf = (raw: unknown): string | undefined => {
  const id = typeof raw === 'object' && raw !== null ? (raw as { id?: unknown }).id : undefined;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
};

/**
 * One endpoint's body decoded, read with its `outline` (the page's `schema` with the incident lists
 * left unread), and its incident lists validated with `item` and normalized, each in order. The same
 * body as at this vendor endpoint's last read is not decoded again; otherwise an item equal (sameJson)
 * to the one of its id then, under the same page URL, is given as normalized then: `normalize` must
 * read nothing but the item, the vendor and the page URL. Every item is validated before any is
 * normalized, as when `schema` read them all at once, so the same problem is reported first.
 */
export function readListedBody<O extends z.ZodType, R>(read: {
  endpoint: string;
  body: string;
  vendor: string;
  outline: O;
  schema: z.ZodType;
  lists: (data: z.output<O>) => Array<unknown[] | null | undefined>;
  pageUrl: (data: z.output<O>) => string | null;
  item: z.ZodType<R>;
  normalize: (raw: R, vendor: string, pageUrl: string | null) => VendorIncident;
}): { data: z.output<O>; lists: VendorIncident[][] } {
  const { endpoint, body, vendor } = read;
  const slot = `${endpoint}\n${vendor}`;
  const last = previousReads.get(slot);
  if (last?.body === body)
    return {
      data: last.data as z.output<O>,
      lists: last.lists.map((items) => items.map((item) => copyOf(item.incident))),
    };
  const decoded = decodeJson(body, endpoint);
  const data = outlined(decoded, read.outline, read.schema, endpoint);
  const pageUrl = read.pageUrl(data);
  const previous = last?.pageUrl === pageUrl ? last.lists : [];
  const checked: Array<Array<ReadItem | { raw: unknown; parsed: R }>> = [];
  for (const [n, items] of read.lists(data).entries()) {
    const seenById = new Map<string, ReadItem>();
    for (const item of previous[n] ?? []) {
      const id = idOf(item.raw);
      if (id !== undefined) seenById.set(id, item);
    }
    const out: (typeof checked)[number] = [];
    for (const raw of items ?? []) {
      const id = idOf(raw);
      const seen = id === undefined ? undefined : seenById.get(id);
      if (seen && sameJson(seen.raw, raw)) {
        out.push(seen);
        continue;
      }
      const parsed = read.item.safeParse(raw);
      // An item that does not validate: the page's schema reports it as it always has.
      if (!parsed.success) throw schemaError(decoded, read.schema, endpoint);
      out.push({ raw, parsed: parsed.data });
    }
    checked.push(out);
  }
  const lists = checked.map((items) =>
    items.map((item) =>
      'incident' in item ? item : { raw: item.raw, incident: read.normalize(item.parsed, vendor, pageUrl) },
    ),
  );
  previousReads.set(slot, { body, data, pageUrl, lists });
  return { data, lists: lists.map((items) => items.map((item) => copyOf(item.incident))) };
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
