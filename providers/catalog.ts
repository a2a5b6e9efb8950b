import { z } from 'zod';
// tsc copies an imported .json file into dist next to this module, so the build needs no extra step.
import data from './catalog.json' with { type: 'json' };

/** What a vendor is to its customers; used to browse the catalog, never to poll. */
export const catalogCategories = [
  'video-rtc',
  'communications',
  'cloud',
  'edge-cdn',
  'hosting-paas',
  'email',
  'messaging-chat',
  'payments',
  'identity',
  'data',
  'observability',
  'devtools',
  'ai',
  'productivity',
  'other',
] as const;
export type CatalogCategory = (typeof catalogCategories)[number];

const httpUrl = z.url({ protocol: /^https?$/ });

// Platforms that cannot work from the base URL alone; the provider reads these keys from `options`.
const requiredOptions: Record<string, z.ZodType> = {
  statusio: z.object({ pageId: z.string().regex(/^[0-9a-f]{24}$/, '24 hex characters') }),
  statuspal: z.object({ subdomain: z.string().min(1) }),
  rss: z.object({ feed: z.string().startsWith('/') }),
  'aws-rss': z.object({ feeds: z.array(z.string().startsWith('/')).min(1) }),
  html: z.object({
    path: z.string().startsWith('/'),
    selectors: z.object({ incident: z.string().min(1), title: z.string().min(1) }),
  }),
};

/** One vendor a company can watch by id alone. */
export const catalogEntrySchema = z
  .object({
    id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'lowercase kebab-case (letters, digits, single dashes)'),
    name: z.string().min(1),
    category: z.enum(catalogCategories),
    /** The human status page. */
    page: httpUrl,
    /** Provider id from the registry. */
    provider: z.string().min(1),
    /** Base URL the provider fetches from (often the status page itself). */
    url: httpUrl,
    /** Provider settings, when the platform needs them (a page id, a feed path). */
    options: z.record(z.string(), z.unknown()).optional(),
    /** How the vendor names regions or sites, when known. */
    regions: z.string().min(1).optional(),
    /** Where the platform and endpoint facts come from: a fixture, a repo and path, or a "search-index file" id for public code found without a repository name. */
    evidence: z.string().min(1),
  })
  .superRefine((entry, ctx) => {
    const schema = requiredOptions[entry.provider];
    if (!schema) return;
    const parsed = schema.safeParse(entry.options ?? {});
    if (parsed.success) return;
    for (const issue of parsed.error.issues)
      ctx.addIssue({ code: 'custom', path: ['options', ...issue.path], message: issue.message });
  });
export type CatalogEntry = z.infer<typeof catalogEntrySchema>;

/** The raw rows of providers/catalog.json, for callers that validate them against the registry. */
export const catalogRows: readonly unknown[] = data;

function describe(row: unknown, index: number): string {
  const id = typeof row === 'object' && row !== null ? (row as { id?: unknown }).id : undefined;
  return typeof id === 'string' ? `catalog[${index}] ("${id}")` : `catalog[${index}]`;
}

/**
 * Validates catalog rows; a bad row, a duplicate id or (when `providerIds` is given) an unknown
 * provider is a programming error and fails the boot with a message naming the row and field.
 */
export function loadCatalog(
  rows: readonly unknown[] = catalogRows,
  providerIds?: Iterable<string>,
): ReadonlyMap<string, CatalogEntry> {
  const known = providerIds ? new Set(providerIds) : null;
  const catalog = new Map<string, CatalogEntry>();
  rows.forEach((row, index) => {
    const parsed = catalogEntrySchema.safeParse(row);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(entry)'}: ${i.message}`);
      throw new Error(`${describe(row, index)}: ${issues.join('; ')}`);
    }
    const entry = parsed.data;
    if (catalog.has(entry.id)) throw new Error(`catalog[${index}]: duplicate vendor id "${entry.id}"`);
    if (known && !known.has(entry.provider))
      throw new Error(
        `${describe(row, index)}: provider: unknown provider "${entry.provider}" (known: ${[...known].join(', ')})`,
      );
    catalog.set(entry.id, entry);
  });
  return catalog;
}

/** The shipped catalog, schema-checked at import; provider ids are checked where the registry is built. */
export const catalog = loadCatalog();
