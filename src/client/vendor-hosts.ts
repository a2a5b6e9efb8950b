import { catalog } from '../../providers/catalog.js';

/** Which vendor a request host belongs to, and the vendor region the host names, when it names one. */
export interface VendorTarget {
  vendor: string;
  region?: string;
}

/**
 * A host pattern: `api.twilio.com` matches that host only; `*.amazonaws.com` matches
 * `amazonaws.com` and every name under it. `region` is a fixed region, or a RegExp whose first
 * capture group is read from the host.
 */
export interface VendorHostRow {
  pattern: string;
  vendor: string;
  region?: string | RegExp;
  /** Where the host is documented. */
  evidence: string;
}

// `service.region.amazonaws.com`, `bucket.s3.region…`, the legacy `s3-region…` and dual-stack
// `service.region.api.aws` all put the region code in one label.
const awsRegion = /(?:^|[.-])([a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d+)\./;
// `REGION-service.googleapis.com` and `SERVICE.REGION.rep.googleapis.com` (also the `us`/`eu` multi-regions).
const gcpRegion =
  /(?:^|\.)((?:us|europe|asia|australia|northamerica|southamerica|me|africa)-[a-z]+\d+)[.-]|\.(us|eu)\.(?:p\.)?rep\.googleapis\.com$/;
// Azure writes regions as one word: westeurope, eastus2, uksouth, southeastasia, koreacentral.
const azureRegion =
  /(?:^|\.)((?:east|west|north|south|central|southeast|northeast|northcentral|southcentral|westcentral)(?:us|europe|asia|india|uk|japan|australia|brazil|canada|france|germany|korea|norway|switzerland|uae|africa|sweden|poland|italy|qatar|israel|mexico|spain)\d?|(?:us|europe|asia|india|uk|japan|australia|brazil|canada|france|germany|korea|norway|switzerland|uae|southafrica|sweden|poland|italy|qatar|israel|mexico|spain|newzealand)(?:east|west|north|south|central|southeast)\d?)\./;

/**
 * Vendor API hosts that the catalog's status-page hostnames do not reveal. Every vendor id here is a
 * catalog id (a test checks it); rows win over hosts derived from the catalog.
 */
export const vendorApiHosts: readonly VendorHostRow[] = [
  {
    pattern: '*.100ms.live',
    vendor: '100ms',
    evidence: '100ms server API at api.100ms.live/v2 (api-evangelist/100ms-live apis.yml)',
  },
  {
    pattern: '*.twilio.com',
    vendor: 'twilio',
    evidence: 'Twilio REST API at api.twilio.com (named in issue 5)',
  },
  { pattern: '*.stripe.com', vendor: 'stripe', evidence: 'Stripe API at api.stripe.com (named in issue 5)' },
  { pattern: '*.openai.com', vendor: 'openai', evidence: 'OpenAI API at api.openai.com (named in issue 5)' },
  {
    pattern: 'api.anthropic.com',
    vendor: 'claude',
    evidence:
      'Anthropic API default base URL https://api.anthropic.com (langchain-anthropic, n8n AnthropicApi credentials)',
  },
  {
    pattern: '*.github.com',
    vendor: 'github',
    evidence: 'GitHub REST API at api.github.com (named in issue 5)',
  },
  { pattern: '*.githubusercontent.com', vendor: 'github', evidence: 'GitHub raw and avatar content hosts' },
  {
    pattern: '*.amazonaws.com',
    vendor: 'aws',
    region: awsRegion,
    evidence:
      'docs.aws.amazon.com/general/latest/gr/rande: protocol://service-code.region-code.amazonaws.com',
  },
  {
    pattern: '*.amazonaws.com.cn',
    vendor: 'aws',
    region: awsRegion,
    evidence: 'AWS China partition endpoints (rande, same syntax)',
  },
  {
    pattern: '*.api.aws',
    vendor: 'aws',
    region: awsRegion,
    evidence: 'rande "dual-stack endpoints": protocol://service-code.region-code.api.aws',
  },
  {
    pattern: '*.googleapis.com',
    vendor: 'gcp',
    region: gcpRegion,
    evidence:
      'docs.cloud.google.com/docs/security/compliance/endpoints: SERVICE.REGION.rep.googleapis.com; REGION-ml.googleapis.com (AI Platform regional endpoints)',
  },
  {
    pattern: 'generativelanguage.googleapis.com',
    vendor: 'google-ai-studio',
    evidence: 'ai.google.dev/api: Gemini API service endpoint https://generativelanguage.googleapis.com',
  },
  {
    pattern: '*.azure.com',
    vendor: 'azure',
    region: azureRegion,
    evidence: 'Azure Resource Manager management.azure.com and regional *.azure.com service hosts',
  },
  {
    pattern: '*.windows.net',
    vendor: 'azure',
    region: azureRegion,
    evidence: 'Azure Storage accounts at <account>.blob|queue|table.core.windows.net',
  },
  {
    pattern: '*.cognitive.microsoft.com',
    vendor: 'azure',
    region: azureRegion,
    evidence: 'Azure AI services regional endpoints <region>.api.cognitive.microsoft.com',
  },
  {
    pattern: '*.mailgun.net',
    vendor: 'mailgun',
    region: /(?:^|\.)(eu)\.mailgun\.net$/,
    evidence:
      'documentation.mailgun.com API overview: US base https://api.mailgun.net/, EU base https://api.eu.mailgun.net/',
  },
  {
    pattern: '*.intercom.io',
    vendor: 'intercom-us',
    evidence: 'developers.intercom.com REST APIs: US https://api.intercom.io/',
  },
  {
    pattern: '*.eu.intercom.io',
    vendor: 'intercom-eu',
    evidence: 'developers.intercom.com REST APIs: Europe https://api.eu.intercom.io',
  },
  {
    pattern: '*.au.intercom.io',
    vendor: 'intercom-au',
    evidence: 'developers.intercom.com REST APIs: Australia https://api.au.intercom.io',
  },
];

/** Hosts and domains never mapped from the catalog: status-page platforms many vendors share, generic sites. */
export const sharedHosts: ReadonlySet<string> = new Set([
  'api.status.io',
  'statuspal.io',
  'statuspal.eu',
  'www.google.com',
  'google.com',
  'statuspage.io',
  'status.io',
  'instatus.com',
  'betteruptime.com',
  // status.python.org is PyPI's page, but python.org is the language's site, not PyPI's API.
  'python.org',
]);

interface HostRule {
  vendor: string;
  region?: string | RegExp;
}

/** A compiled host → vendor lookup table. */
export interface VendorHostMap {
  exact: ReadonlyMap<string, HostRule>;
  /** Domain → rule for `*.domain` patterns. */
  suffix: ReadonlyMap<string, HostRule>;
}

/** Lowercase, without a trailing dot or IPv6 brackets: how hosts are compared. */
export function normalizeHost(host: string): string {
  return host
    .trim()
    .toLowerCase()
    .replace(/\.$/, '')
    .replace(/^\[(.*)\]$/, '$1');
}

/** Vendor ids that name the same vendor family (`intercom-eu`, `aws-rss`) share their first segment. */
const family = (id: string) => id.split('-')[0] ?? id;

/**
 * Host rules derived from catalog rows: the status page's own hostnames, and the vendor's domain
 * where the page sits on it (`status.twilio.com` → `*.twilio.com`, `www.githubstatus.com` with id
 * `github` → `*.github.com`). A host claimed by two unrelated vendors is dropped as ambiguous;
 * within one family the first row wins (the catalog lists the main entry first).
 */
export function catalogHostRows(
  entries: Iterable<{ id: string; page: string; url: string }>,
): VendorHostRow[] {
  const claims = new Map<string, string[]>();
  const claim = (pattern: string, vendor: string) => {
    const host = pattern.replace(/^\*\./, '');
    if (sharedHosts.has(host) || !host.includes('.')) return;
    const list = claims.get(pattern) ?? [];
    if (!list.includes(vendor)) list.push(vendor);
    claims.set(pattern, list);
  };
  for (const entry of entries) {
    for (const url of [entry.page, entry.url]) {
      const host = hostOf(url);
      if (host) claim(host, entry.id);
    }
    const page = hostOf(entry.page);
    if (!page) continue;
    const onOwnDomain = /^status\.(.+\..+)$/.exec(page);
    if (onOwnDomain?.[1]) claim(`*.${onOwnDomain[1]}`, entry.id);
    const named = new RegExp(`^(?:www\\.)?${escape(entry.id)}-?status\\.([a-z]+)$`).exec(page);
    if (named?.[1]) claim(`*.${entry.id}.${named[1]}`, entry.id);
  }
  const rows: VendorHostRow[] = [];
  for (const [pattern, vendors] of claims) {
    const first = vendors[0];
    if (!first || new Set(vendors.map(family)).size > 1) continue;
    rows.push({ pattern, vendor: first, evidence: 'providers/catalog.json status page host' });
  }
  return rows;
}

/** Compiles rows into a lookup table; later rows replace earlier ones for the same pattern. */
export function compileVendorHosts(
  rows: Iterable<Pick<VendorHostRow, 'pattern' | 'vendor' | 'region'>>,
): VendorHostMap {
  const exact = new Map<string, HostRule>();
  const suffix = new Map<string, HostRule>();
  for (const row of rows) {
    const rule: HostRule =
      row.region === undefined ? { vendor: row.vendor } : { vendor: row.vendor, region: row.region };
    const pattern = normalizeHost(row.pattern);
    if (pattern.startsWith('*.')) suffix.set(pattern.slice(2), rule);
    else exact.set(pattern, rule);
  }
  return { exact, suffix };
}

/** The vendor a host belongs to: an exact host first, then the longest matching `*.domain`. */
export function lookupVendorHost(map: VendorHostMap, rawHost: string): VendorTarget | undefined {
  const host = normalizeHost(rawHost);
  if (!host) return undefined;
  let rule = map.exact.get(host);
  for (let domain = host; !rule && domain;) {
    rule = map.suffix.get(domain);
    const dot = domain.indexOf('.');
    domain = dot === -1 ? '' : domain.slice(dot + 1);
  }
  if (!rule) return undefined;
  const region = typeof rule.region === 'string' ? rule.region : regionFrom(rule.region, host);
  return region ? { vendor: rule.vendor, region } : { vendor: rule.vendor };
}

/** Caller overrides: host or `*.domain` → vendor id, or `{ vendor, region }`. */
export type VendorOverrides = Readonly<Record<string, string | VendorTarget>>;

/** Compiles caller overrides into a table consulted before the built-in one. */
export function compileOverrides(overrides: VendorOverrides): VendorHostMap {
  return compileVendorHosts(
    Object.entries(overrides).map(([pattern, target]) =>
      typeof target === 'string' ? { pattern, vendor: target } : { pattern, ...target },
    ),
  );
}

let defaultMap: VendorHostMap | undefined;

/** The shipped table: hosts derived from the catalog, then {@link vendorApiHosts} on top. */
export function defaultVendorHosts(): VendorHostMap {
  defaultMap ??= compileVendorHosts([...catalogHostRows(catalog.values()), ...vendorApiHosts]);
  return defaultMap;
}

/** The vendor for a host, with caller overrides first and the shipped table after. */
export function vendorForHost(host: string, overrides?: VendorHostMap): VendorTarget | undefined {
  return (overrides && lookupVendorHost(overrides, host)) ?? lookupVendorHost(defaultVendorHosts(), host);
}

function regionFrom(pattern: RegExp | undefined, host: string): string | undefined {
  if (!pattern) return undefined;
  const match = pattern.exec(host);
  return match?.slice(1).find((group) => group !== undefined);
}

function hostOf(url: string): string | undefined {
  try {
    return normalizeHost(new URL(url).hostname);
  } catch {
    return undefined;
  }
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
