import { z } from 'zod';

/** One vendor a company can watch by id alone. */
export const catalogEntrySchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lowercase letters, digits and dashes'),
  name: z.string().min(1),
  /** Provider id from the registry. */
  provider: z.string().min(1),
  /** Base URL the provider fetches from (often the status page itself). */
  url: z.url({ protocol: /^https?$/ }),
  /** Provider settings, when the platform needs them (a page id, a feed path). */
  options: z.record(z.string(), z.unknown()).optional(),
  /** Where the evidence for the entry came from. */
  evidence: z.string().min(1),
});
export type CatalogEntry = z.infer<typeof catalogEntrySchema>;

// Kept as data: each row was checked against a recorded payload or a public record of the page.
const entries: CatalogEntry[] = [
  {
    id: '100ms',
    name: '100ms',
    provider: 'statuspage',
    url: 'https://status.100ms.live',
    evidence: 'Statuspage v2 status.json used by public integrations',
  },
  {
    id: 'tokbox',
    name: 'Vonage Video API (TokBox)',
    provider: 'statuspage',
    url: 'https://status.tokbox.com',
    evidence: 'Statuspage incident pages for TokBox and Vonage Video API',
  },
  {
    id: 'vonage-api',
    name: 'Vonage Communications APIs',
    provider: 'statuspage',
    url: 'https://vonageapi.statuspage.io',
    evidence: 'Statuspage page k4cdqxp909c5',
  },
  {
    id: 'twilio',
    name: 'Twilio',
    provider: 'statuspage',
    url: 'https://status.twilio.com',
    evidence: 'recorded summary.json; stactus history',
  },
  {
    id: 'sendgrid',
    name: 'SendGrid',
    provider: 'statuspage',
    url: 'https://status.sendgrid.com',
    evidence: 'Statuspage page 3tgl2vf85cht',
  },
  {
    id: 'zoom',
    name: 'Zoom',
    provider: 'statuspage',
    url: 'https://www.zoomstatus.com',
    evidence: 'stactus history',
  },
  {
    id: 'auth0',
    name: 'Auth0',
    provider: 'statuspage',
    url: 'https://status.auth0.com',
    evidence: 'Statuspage page 8q60stg1rk7l',
  },
  {
    id: 'datadog',
    name: 'Datadog (US1)',
    provider: 'statuspage',
    url: 'https://status.datadoghq.com',
    evidence: 'stactus history',
  },
  {
    id: 'datadog-eu',
    name: 'Datadog (EU)',
    provider: 'statuspage',
    url: 'https://status.datadoghq.eu',
    evidence: 'Statuspage page 5by3sysm209d',
  },
  {
    id: 'cloudflare',
    name: 'Cloudflare',
    provider: 'statuspage',
    url: 'https://www.cloudflarestatus.com',
    evidence: 'stactus history',
  },
  {
    id: 'github',
    name: 'GitHub',
    provider: 'statuspage',
    url: 'https://www.githubstatus.com',
    evidence: 'recorded summary, incidents and history feeds',
  },
  {
    id: 'claude',
    name: 'Anthropic (Claude)',
    provider: 'statuspage',
    url: 'https://status.claude.com',
    evidence: 'recorded scheduled-maintenances.json; stactus history',
  },
  {
    id: 'cloudamqp',
    name: 'CloudAMQP',
    provider: 'statuspage',
    url: 'https://status.cloudamqp.com',
    evidence: 'recorded summary.json',
  },
  {
    id: 'digitalocean',
    name: 'DigitalOcean',
    provider: 'statuspage',
    url: 'https://status.digitalocean.com',
    evidence: 'stactus history',
  },
  {
    id: 'discord',
    name: 'Discord',
    provider: 'statuspage',
    url: 'https://discordstatus.com',
    evidence: 'stactus history',
  },
  {
    id: 'figma',
    name: 'Figma',
    provider: 'statuspage',
    url: 'https://status.figma.com',
    evidence: 'stactus history',
  },
  {
    id: 'flyio',
    name: 'Fly.io',
    provider: 'statuspage',
    url: 'https://status.flyio.net',
    evidence: 'stactus history',
  },
  {
    id: 'grafana-cloud',
    name: 'Grafana Cloud',
    provider: 'statuspage',
    url: 'https://status.grafana.com',
    evidence: 'stactus history',
  },
  {
    id: 'hashicorp',
    name: 'HashiCorp',
    provider: 'statuspage',
    url: 'https://status.hashicorp.com',
    evidence: 'stactus history',
  },
  {
    id: 'mongodb',
    name: 'MongoDB Cloud',
    provider: 'statuspage',
    url: 'https://status.mongodb.com',
    evidence: 'stactus history',
  },
  {
    id: 'newrelic',
    name: 'New Relic',
    provider: 'statuspage',
    url: 'https://status.newrelic.com',
    evidence: 'stactus history',
  },
  {
    id: 'redis-cloud',
    name: 'Redis Cloud',
    provider: 'statuspage',
    url: 'https://status.redis.io',
    evidence: 'stactus history',
  },
  {
    id: 'vercel',
    name: 'Vercel',
    provider: 'statuspage',
    url: 'https://www.vercel-status.com',
    evidence: 'stactus history',
  },
  {
    id: 'onepassword',
    name: '1Password',
    provider: 'statuspage',
    url: 'https://status.1password.com',
    evidence: 'stactus history',
  },
  {
    id: 'statuspage',
    name: 'Atlassian Statuspage',
    provider: 'statuspage',
    url: 'https://metastatuspage.com',
    evidence: 'stactus history',
  },
];

/** Validates the catalog; duplicate ids are a programming error and fail the boot. */
export function loadCatalog(rows: unknown[] = entries): ReadonlyMap<string, CatalogEntry> {
  const catalog = new Map<string, CatalogEntry>();
  rows.forEach((row, index) => {
    const parsed = catalogEntrySchema.safeParse(row);
    if (!parsed.success) {
      throw new Error(
        `catalog[${index}]: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      );
    }
    if (catalog.has(parsed.data.id)) throw new Error(`catalog: duplicate vendor id "${parsed.data.id}"`);
    catalog.set(parsed.data.id, parsed.data);
  });
  return catalog;
}

export const catalog = loadCatalog();
