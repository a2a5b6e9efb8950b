import { memoByText } from './memo.js';

/**
 * Which watched vendor an error means, however its producer wrote the vendor: the id or display name
 * (`Discord`), a variant of it (`Discord API`, `twilio-node`), an SDK package (`@datadog/datadog-api-client`,
 * `@aws-sdk/client-s3`), or the host it called (`api.anthropic.com`, `https://api.stripe.com/v1`).
 * A name that matches no watched vendor, or two equally well, is left as written: a wrong match would
 * pin our errors on a vendor they never named.
 */
export interface NamedVendor {
  id: string;
  name: string;
  /** The vendor's status page; its domain is the vendor's (`status.anthropic.com` → `*.anthropic.com`). */
  url?: string | undefined;
}

/**
 * What the edge knows about a host beyond the watched vendors' own domains (the catalog's API hosts):
 * the vendor it belongs to as the catalog names it, and that vendor's status pages.
 */
export type HostOwner = (host: string) => { id: string; name: string; pages: string[] } | undefined;

/** Words that say how a vendor was called, not which one: dropped before names are compared. */
const GENERIC = new Set([
  'api',
  'apis',
  'sdk',
  'sdks',
  'client',
  'clients',
  'lib',
  'library',
  'js',
  'node',
  'nodejs',
  'ts',
  'py',
  'python',
  'go',
  'golang',
  'java',
  'ruby',
  'php',
  'dotnet',
  'net',
  'rest',
  'http',
  'https',
  'grpc',
  'www',
  'com',
  'io',
  'inc',
  'the',
  'official',
  'v1',
  'v2',
  'v3',
  'v4',
]);

function tokens(text: string): string[] {
  const out: string[] = [];
  for (const t of text.toLowerCase().split(/[^a-z0-9]+/)) {
    if (!t || GENERIC.has(t) || out[out.length - 1] === t) continue;
    out.push(t);
  }
  return out;
}

const key = (text: string) => text.trim().toLowerCase();

function normalizeHost(host: string): string {
  return host.trim().toLowerCase().replace(/\.$/, '');
}

function pageHost(url: string): string | null {
  try {
    return normalizeHost(new URL(url).hostname) || null;
  } catch {
    return null;
  }
}

/** A bare host or a URL's host, when `raw` is written as one (a dot, no spaces); else null. */
function hostIn(raw: string): string | null {
  const text = raw.trim();
  if (/\s/.test(text) || !text.includes('.')) return null;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return pageHost(text);
  // A package name like `@scope/pkg` or a file name is not a host.
  const host = text.split(/[/:?#]/)[0] ?? '';
  return /^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(host) && /[a-z]/i.test(host.split('.').pop() ?? '')
    ? normalizeHost(host)
    : null;
}

interface Resolver {
  exact: Map<string, string>;
  /** Vendor id → its name tokens (id's and display name's), longest first. */
  tokenSets: Array<{ id: string; tokens: string[] }>;
  /** Watched vendors by their status page's host, and by the domain a `status.<domain>` page sits on. */
  byPageHost: Map<string, string>;
  byDomain: Map<string, string>;
}

const resolvers = new WeakMap<readonly NamedVendor[], Resolver>();

function build(vendors: readonly NamedVendor[]): Resolver {
  const exact = new Map<string, string>();
  for (const v of vendors) exact.set(key(v.id), v.id);
  for (const v of vendors) if (!exact.has(key(v.name))) exact.set(key(v.name), v.id);
  const tokenSets: Resolver['tokenSets'] = [];
  for (const v of vendors) {
    for (const t of [tokens(v.id), tokens(v.name)]) if (t.length > 0) tokenSets.push({ id: v.id, tokens: t });
  }
  tokenSets.sort((a, b) => b.tokens.length - a.tokens.length);
  const byPageHost = new Map<string, string>();
  const byDomain = new Map<string, string>();
  const claimed = new Set<string>();
  for (const v of vendors) {
    const host = v.url ? pageHost(v.url) : null;
    if (!host) continue;
    byPageHost.set(host, v.id);
    // Only a page on the vendor's own domain names it: a page hosted on a platform's domain does not.
    const own = /^status\.(.+\..+)$/.exec(host)?.[1];
    if (!own) continue;
    if (claimed.has(own) && byDomain.get(own) !== v.id) byDomain.delete(own);
    else byDomain.set(own, v.id);
    claimed.add(own);
  }
  return { exact, tokenSets, byPageHost, byDomain };
}

/** The one watched vendor whose name tokens lead `words` (most tokens wins; a tie is no match). */
function byTokens(r: Resolver, words: readonly string[]): string | null {
  if (words.length === 0) return null;
  let best: { id: string; size: number } | null = null;
  let tied = false;
  for (const set of r.tokenSets) {
    if (best && set.tokens.length < best.size) break;
    if (set.tokens.length > words.length || !set.tokens.every((t, i) => words[i] === t)) continue;
    if (!best) best = { id: set.id, size: set.tokens.length };
    else if (best.id !== set.id) tied = true;
  }
  return best && !tied ? best.id : null;
}

/** The watched vendor's id for a host: its own status-page domain first, then what the edge knows. */
function byHost(r: Resolver, host: string, owner: HostOwner | undefined): string | null {
  const page = r.byPageHost.get(host);
  if (page) return page;
  for (let domain = host; domain.includes('.'); domain = domain.slice(domain.indexOf('.') + 1)) {
    const id = r.byDomain.get(domain);
    if (id) return id;
  }
  const known = owner?.(host);
  if (!known) return null;
  const exact = r.exact.get(key(known.id));
  if (exact) return exact;
  for (const url of known.pages) {
    const host = pageHost(url);
    const id = host ? r.byPageHost.get(host) : undefined;
    if (id) return id;
  }
  return byTokens(r, tokens(known.name));
}

/** The resolver of a vendor list, built once per list. */
function resolverFor(vendors: readonly NamedVendor[]): Resolver {
  let r = resolvers.get(vendors);
  if (!r) {
    r = build(vendors);
    resolvers.set(vendors, r);
  }
  return r;
}

/** Maps a vendor as an error or a config writes it to a watched vendor's id; anything else unchanged. */
export function vendorResolver(vendors: readonly NamedVendor[], owner?: HostOwner): (raw: string) => string {
  const resolver = resolverFor(vendors);
  const byName = memoByText(
    (raw) => {
      const host = hostIn(raw);
      // A package like `discord.js` reads as a host too: its name words decide when no host rule does.
      return (host ? byHost(resolver, host, owner) : null) ?? byTokens(resolver, tokens(raw)) ?? raw;
    },
    { maxEntries: 10_000, maxChars: 1_000_000, maxKeyChars: 512 },
  );
  return (raw) => resolver.exact.get(key(raw)) ?? byName(raw);
}

/** Host names inside free text: `ECONNRESET api.anthropic.com:443`, `POST https://api.stripe.com/v1/charges`. */
const HOSTS_IN_TEXT =
  /(?:^|[^a-z0-9.-])((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{1,62})(?![a-z0-9-])/gi;

/**
 * The watched vendor whose host an error's own text carries, for events that name no vendor: a client
 * that logs the host it called (`ECONNRESET api.anthropic.com:443`, an endpoint with a URL) says which
 * vendor failed as plainly as a `vendor` field. By host only (the vendor's status-page domain, then
 * the hosts the catalog knows), never by words; null when no host, or hosts of two vendors, appear.
 */
export function vendorInText(
  vendors: readonly NamedVendor[],
  owner?: HostOwner,
): (text: string) => string | null {
  const resolver = resolverFor(vendors);
  return memoByText(
    (text) => {
      let found: string | null = null;
      for (const match of text.matchAll(HOSTS_IN_TEXT)) {
        const id = byHost(resolver, normalizeHost(match[1]!), owner);
        if (id === null) continue;
        if (found !== null && found !== id) return null;
        found = id;
      }
      return found;
    },
    { maxEntries: 10_000, maxChars: 1_000_000, maxKeyChars: 512 },
  );
}

/**
 * The watched vendor an event naming no vendor points at by a host in its `code`, else its `endpoint`
 * (see vendorInText): how the ingest worker and the replay read such events alike.
 */
export function vendorOfUnnamed(
  vendors: readonly NamedVendor[],
  owner?: HostOwner,
): (event: { code?: string | undefined; endpoint?: string | undefined }) => string | null {
  const hostIn = vendorInText(vendors, owner);
  return (e) =>
    (e.code !== undefined ? hostIn(e.code) : null) ?? (e.endpoint !== undefined ? hostIn(e.endpoint) : null);
}
