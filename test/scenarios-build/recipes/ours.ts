import { codes, hm, type Builder, type Recipe, type VendorEvent } from '../builder.js';
import { MINUTE, type Code } from '../series.js';
import { intro, ourIncident, own, story, type Svc } from '../story.js';

// Our own faults, each next to a real vendor incident that could be mistaken for the cause: errors
// that say the caller is wrong (4xx, INVALID_*), every vendor failing in the same minute (our egress),
// a vendor incident scoped to customers elsewhere or to a component we do not use, call volumes that
// show our calls to the vendor healthy, or a vendor incident hours after ours. None should be blamed
// on the vendor, and no vendor should be suspected.

const egressVendors = (b: Builder) => [
  b.vendor('stripe', 'Stripe'),
  b.vendor('sendgrid', 'SendGrid'),
  b.vendor('auth0', 'Auth0'),
];

/** The same failure on every vendor a service calls, from the same minute; their usual noise before. */
function everyVendor(vendors: string[], codeList: Code[], peak: number) {
  return vendors.map((vendor, i) => ({
    vendor,
    codes: codeList,
    quietCodes: codes.timeouts,
    peak: peak * (1 - 0.12 * i),
    ramp: 1,
  }));
}

function internal(
  b: Builder,
  o: {
    v: VendorEvent;
    onset: number;
    minutes: number;
    services: Svc[];
    service: string;
    title: string;
    regions?: string[];
    text: string;
  },
) {
  const s = story(b, { onset: o.onset, minutes: o.minutes, services: o.services });
  const inc = ourIncident(b, {
    service: o.service,
    title: o.title,
    onset: o.onset,
    end: s.end,
    expect: 'internal',
    ...(o.regions ? { regions: o.regions } : {}),
  });
  b.suspects([]);
  b.describe(o.text);
  return { ...s, inc };
}

export const ours: Recipe[] = [
  // ── 4xx of ours to a vendor that happens to have an incident ────────────────────────────────────
  {
    name: 'ours-twilio-token-rotation-401-during-content-api-incident',
    class: 'ours-4xx-during-vendor-incident',
    build(b) {
      const v = b.source('twilio', 'gtz8vlsbmqq5', 'as posted');
      const onset = b.at(v.post, 6);
      const tw = b.vendor('twilio');
      b.change(
        b.at(onset, -2),
        'notify',
        'config',
        'secrets-2024-10-15',
        'Twilio credentials moved to the new secrets store',
      );
      internal(b, {
        v,
        onset,
        minutes: 45,
        services: [
          {
            name: 'notify',
            regions: ['eu-west-1'],
            deps: [{ vendor: tw, components: ['Conversations', 'Programmable Messaging'] }],
            hits: [
              {
                vendor: tw,
                codes: [
                  { code: 'INVALID_CREDENTIALS', status: 401, weight: 4 },
                  { code: 'AUTHENTICATION_FAILED', status: 401, weight: 1 },
                ],
                quietCodes: codes.timeouts,
                peak: 30,
              },
            ],
          },
        ],
        service: 'notify',
        title: 'No SMS or WhatsApp messages going out',
        text: `${intro(v)}: message creation with content templates gets 5xx. Two minutes before our errors we move Twilio's credentials to a new secrets store; from ${hm(onset)} every send from notify is answered 401 (INVALID_CREDENTIALS). The vendor incident overlaps, but our errors say the caller is wrong, right after our change. A responder concludes: internal.`,
      });
    },
  },
  {
    name: 'ours-github-token-expired-401-during-actions-incident',
    class: 'ours-4xx-during-vendor-incident',
    build(b) {
      const v = b.source('github', 'lfrlwdg67fn8', 'as posted');
      const onset = b.at(v.post, -9);
      const gh = b.vendor('github');
      internal(b, {
        v,
        onset,
        minutes: 70,
        services: [
          {
            name: 'release-bot',
            regions: ['us-east-1'],
            deps: [{ vendor: gh, components: ['API Requests', 'Actions'] }],
            hits: [
              {
                vendor: gh,
                codes: [
                  { code: 'BAD_CREDENTIALS', status: 401, weight: 3 },
                  { code: 'HTTP_403', status: 403, weight: 1 },
                ],
                quietCodes: codes.server,
                peak: 12,
              },
            ],
          },
        ],
        service: 'release-bot',
        title: 'Release bot cannot tag or publish',
        text: `${intro(v)}: degraded performance for Actions and API Requests. From ${hm(onset)} our release-bot's GitHub calls are answered 401 "Bad credentials" and 403 — its app token expired that afternoon (no change event: an expiry). GitHub's trouble shows as slowness and 5xx, not as a refused key. A responder concludes: internal.`,
      });
    },
  },
  {
    name: 'ours-dns-automation-422-during-cloudflare-api-incident',
    class: 'ours-4xx-during-vendor-incident',
    build(b) {
      const v = b.source('cloudflare', '2z2h3by3j0tq', 'as posted');
      const onset = b.at(v.post, 35);
      const cf = b.vendor('cloudflare');
      b.change(
        b.at(onset, -4),
        'dns-automation',
        'deploy',
        'dns-automation@3.2.0',
        'Record templates for the new tenant domains',
      );
      internal(b, {
        v,
        onset,
        minutes: 50,
        services: [
          {
            name: 'dns-automation',
            regions: ['eu-central-1'],
            deps: [{ vendor: cf, components: ['API'] }],
            hits: [
              {
                vendor: cf,
                codes: [
                  { code: 'INVALID_PARAMETER', status: 422, weight: 3 },
                  { code: 'BAD_REQUEST', status: 400, weight: 2 },
                ],
                quietCodes: [
                  { code: 'HTTP_503', status: 503, weight: 1 },
                  { code: 'ETIMEDOUT', weight: 1 },
                ],
                peak: 16,
                endpoint: 'POST /zones/{id}/dns_records',
              },
            ],
          },
        ],
        service: 'dns-automation',
        title: 'New tenant domains not provisioned',
        text: `${intro(v)}: "issues with API availability". Thirty-five minutes into it we deploy new record templates to dns-automation; from ${hm(onset)} Cloudflare's API answers our record creations 422/400 (invalid parameters), at a rate its own 5xx never reached. Same vendor, same component, same hour — but the errors say our requests are malformed, right after our deploy. A responder concludes: internal.`,
      });
    },
  },
  {
    name: 'ours-oversized-prompts-400-during-claude-incident',
    class: 'ours-4xx-during-vendor-incident',
    build(b) {
      const v = b.source('claude', '5zg05jnrqmzg', 'as posted');
      const onset = b.at(v.post, 8);
      const ai = b.vendor('claude');
      b.change(
        b.at(onset, -3),
        'research-agent',
        'deploy',
        'agent@0.19.0',
        'Attach full document history to every request',
      );
      internal(b, {
        v,
        onset,
        minutes: 40,
        services: [
          {
            name: 'research-agent',
            regions: ['us-west-2'],
            deps: [{ vendor: ai, components: ['Claude API (api.anthropic.com)'] }],
            hits: [
              {
                vendor: ai,
                codes: [
                  { code: 'INVALID_REQUEST_ERROR', status: 400, weight: 4 },
                  { code: 'REQUEST_TOO_LARGE', status: 413, weight: 1 },
                ],
                quietCodes: [{ code: 'OVERLOADED', status: 529, weight: 1 }],
                peak: 18,
              },
            ],
          },
        ],
        service: 'research-agent',
        title: 'Research agent answers failing',
        text: `${intro(v)}. Three minutes before our errors we ship a release of research-agent that attaches the whole document history to each request; from ${hm(onset)} the Claude API answers 400 invalid_request_error and 413. Anthropic's incident is real and overlapping, but our errors are rejections of what we send. A responder concludes: internal.`,
      });
    },
  },
  {
    name: 'ours-revoked-api-key-403-during-datadog-incident',
    class: 'ours-4xx-during-vendor-incident',
    build(b) {
      const v = b.source('datadog', '8vb1cy5ctz0p', 'as posted');
      const onset = b.at(v.post, -4);
      const dd = b.vendor('datadog');
      b.change(
        b.at(onset, -1),
        'platform-config',
        'config',
        'key-rotation-2024-01',
        'Quarterly API key rotation (old keys revoked)',
      );
      internal(b, {
        v,
        onset,
        minutes: 35,
        services: [
          {
            name: 'autoscaler',
            regions: ['us-east-1'],
            deps: [{ vendor: dd, components: ['Metrics and Infra Monitoring'] }],
            hits: [
              {
                vendor: dd,
                codes: [
                  { code: 'FORBIDDEN', status: 403, weight: 3 },
                  { code: 'INVALID_API_KEY', status: 403, weight: 1 },
                ],
                quietCodes: codes.server,
                peak: 22,
              },
            ],
          },
          {
            name: 'platform-config',
            regions: ['us-east-1'],
            deps: [],
          },
        ],
        service: 'autoscaler',
        title: 'Autoscaler cannot read metrics',
        text: `${intro(v)}: elevated errors and slow queries for metrics. A minute before our errors our quarterly key rotation revokes the old Datadog keys; the autoscaler still holds one, and from ${hm(onset)} its metric queries are answered 403. A responder concludes: internal.`,
      });
    },
  },
  {
    name: 'ours-oauth-scope-change-401-during-zoom-incident',
    class: 'ours-4xx-during-vendor-incident',
    build(b) {
      const v = b.source('zoom', 'tmh7nlfws9h6', 'as posted');
      const onset = b.at(v.post, 14);
      const zm = b.vendor('zoom');
      b.change(
        b.at(onset, -5),
        'meeting-sync',
        'config',
        'zoom-app-scopes',
        'Zoom OAuth app: scopes narrowed to meeting:read',
      );
      internal(b, {
        v,
        onset,
        minutes: 55,
        services: [
          {
            name: 'meeting-sync',
            regions: ['us-east-1'],
            deps: [{ vendor: zm, components: ['Zoom Meetings / Live Transcription'] }],
            hits: [
              {
                vendor: zm,
                codes: [
                  { code: 'INVALID_ACCESS_TOKEN', status: 401, weight: 2 },
                  { code: 'INSUFFICIENT_SCOPE', status: 403, weight: 2 },
                ],
                quietCodes: codes.server,
                peak: 10,
              },
            ],
          },
        ],
        service: 'meeting-sync',
        title: 'Meetings no longer created from the CRM',
        text: `${intro(v)}: AI Companion chat compose degraded for users in the USA. Five minutes before our errors we narrow our Zoom OAuth app's scopes; from ${hm(onset)} meeting-sync's calls are answered 401/403. A responder concludes: internal.`,
      });
    },
  },
  {
    name: 'ours-reddit-client-secret-401-during-api-errors',
    class: 'ours-4xx-during-vendor-incident',
    build(b) {
      const v = b.source('reddit', '33j0rhq8zq02', 'as posted');
      const onset = b.at(v.post, 26);
      const rd = b.vendor('reddit');
      b.change(
        b.at(onset, -3),
        'social-listening',
        'config',
        'reddit-app-2023-12',
        'Reddit API client moved to the new app registration',
      );
      internal(b, {
        v,
        onset,
        minutes: 48,
        services: [
          {
            name: 'social-listening',
            regions: ['us-east-1'],
            deps: [{ vendor: rd }],
            hits: [
              {
                vendor: rd,
                codes: [
                  { code: 'INVALID_CLIENT', status: 401, weight: 3 },
                  { code: 'UNAUTHORIZED', status: 401, weight: 1 },
                ],
                quietCodes: codes.server,
                peak: 14,
                endpoint: 'POST /api/v1/access_token',
              },
            ],
          },
        ],
        service: 'social-listening',
        title: 'Mentions feed empty since the app migration',
        text: `${intro(v)}: "an elevated level of API errors". Twenty-six minutes into it, three minutes after we move our API client to a new app registration, every token request of social-listening is answered 401 invalid_client. A responder concludes: internal.`,
      });
    },
  },
  // ── our egress: every vendor fails in the same minute ────────────────────────────────────────────
  {
    name: 'ours-nat-change-every-vendor-times-out',
    class: 'ours-egress-all-vendors',
    build(b) {
      const v = b.source('twilio', 'k30whmb4tbfb', 'as posted');
      const onset = b.at(v.post, 22);
      const tw = b.vendor('twilio');
      const vendors = [...egressVendors(b), tw];
      b.change(b.at(onset, -2), 'api', 'config', 'nat-gw-swap', 'Egress moved to the new NAT gateways');
      internal(b, {
        v,
        onset,
        minutes: 30,
        services: [
          {
            name: 'api',
            regions: ['us-east-1'],
            deps: vendors.map((vendor) => ({ vendor, components: vendor === tw ? ['SMS'] : [] })),
            hits: everyVendor(
              vendors,
              [
                { code: 'ETIMEDOUT', weight: 3 },
                { code: 'ECONNRESET', weight: 1 },
              ],
              9,
            ),
          },
        ],
        service: 'api',
        title: 'Checkout, sign-up and notifications all failing',
        text: `${intro(v)} (SMS delays to one Nigerian network). Two minutes before our errors we move egress to new NAT gateways; from ${hm(onset)} our api times out on Stripe, SendGrid, Auth0 and Twilio in the same minute. Every vendor failing at once points at us; the Twilio incident is about a carrier far from our traffic. A responder concludes: internal.`,
      });
    },
  },
  {
    name: 'ours-resolver-fails-during-cloudflare-london-incident',
    class: 'ours-egress-all-vendors',
    build(b) {
      const v = b.source('cloudflare', 'yfp205vv1vs9', 'as posted', { regions: ['London', 'LHR'] });
      const onset = b.at(v.post, 30);
      const cf = b.vendor('cloudflare');
      const vendors = [...egressVendors(b), b.vendor('twilio', 'Twilio')];
      const dns = [
        { code: 'EAI_AGAIN', weight: 3 },
        { code: 'ENOTFOUND', weight: 2 },
      ];
      internal(b, {
        v,
        onset,
        minutes: 40,
        services: [
          {
            name: 'web',
            regions: ['eu-west-2'],
            deps: [
              { vendor: cf, components: ['London, United Kingdom - (LHR)'] },
              ...vendors.slice(0, 3).map((vendor) => ({ vendor })),
            ],
            hits: everyVendor(vendors.slice(0, 3), dns, 8),
          },
          {
            name: 'jobs',
            regions: ['eu-west-2'],
            deps: vendors.slice(1).map((vendor) => ({ vendor })),
            hits: everyVendor(vendors.slice(1), dns, 5),
          },
        ],
        service: 'web',
        title: 'Payments, e-mail and SMS failing from London',
        regions: ['eu-west-2'],
        text: `${intro(v)}: network performance in London "starting at 22:50 UTC". We run in eu-west-2 (London) behind Cloudflare. From ${hm(onset)} our web and jobs services fail DNS lookups (EAI_AGAIN, ENOTFOUND) for Stripe, SendGrid, Auth0 and Twilio in the same minute — calls that do not go through Cloudflare at all; our resolver pods had been evicted. A responder concludes: internal.`,
      });
    },
  },
  {
    name: 'ours-ca-bundle-tls-every-vendor-during-github-incident',
    class: 'ours-egress-all-vendors',
    build(b) {
      const v = b.source('github', '5dvz23w3gl38', 'as posted');
      const onset = b.at(v.post, -3);
      const gh = b.vendor('github');
      const vendors = [gh, ...egressVendors(b)];
      const tls = [
        { code: 'TLS_HANDSHAKE_FAILED', weight: 3 },
        { code: 'SSL_CERT_VERIFY_FAILED', weight: 1 },
      ];
      b.change(b.at(onset, -2), 'platform', 'config', 'ca-bundle-2024-07', 'Base image CA bundle update');
      internal(b, {
        v,
        onset,
        minutes: 45,
        services: [
          {
            name: 'platform',
            regions: ['us-west-2'],
            deps: vendors.map((vendor) => ({ vendor, components: vendor === gh ? ['API Requests'] : [] })),
            hits: everyVendor(vendors, tls, 7),
          },
        ],
        service: 'platform',
        title: 'Outbound HTTPS failing from the platform service',
        text: `${intro(v)}: "API Requests is experiencing degraded performance". Two minutes before our errors we roll out a base image with a new CA bundle; from ${hm(onset)} platform's TLS handshakes fail to GitHub, Stripe, SendGrid and Auth0 alike. A responder concludes: internal.`,
      });
    },
  },
  {
    name: 'ours-firewall-egress-refused-two-services',
    class: 'ours-egress-all-vendors',
    build(b) {
      const v = b.source('datadog', '12bh9ls36gp1', 'as posted');
      const onset = b.at(v.post, 18);
      const dd = b.vendor('datadog');
      const vendors = [dd, ...egressVendors(b)];
      const refused = [
        { code: 'ECONNREFUSED', weight: 3 },
        { code: 'EHOSTUNREACH', weight: 1 },
      ];
      b.change(
        b.at(onset, -1),
        'billing',
        'deploy',
        'netpol-2024-01-22',
        'Network policy: default-deny egress for the billing namespace',
      );
      internal(b, {
        v,
        onset,
        minutes: 35,
        services: [
          {
            name: 'billing',
            regions: ['eu-west-1'],
            deps: vendors.map((vendor) => ({ vendor, components: vendor === dd ? ['Log Management'] : [] })),
            hits: everyVendor(vendors, refused, 6),
          },
          {
            name: 'invoices',
            regions: ['eu-west-1'],
            deps: vendors.slice(0, 3).map((vendor) => ({ vendor })),
            hits: everyVendor(vendors.slice(0, 3), refused, 3),
          },
        ],
        service: 'billing',
        title: 'Billing jobs failing on every integration',
        text: `${intro(v)} (Lambda logs mis-categorized). A minute before our errors we apply a default-deny egress policy to the billing namespace; from ${hm(onset)} billing and invoices get ECONNREFUSED/EHOSTUNREACH from Datadog, Stripe, SendGrid and Auth0 in the same minute. A responder concludes: internal.`,
      });
    },
  },
  // ── vendor incident scoped to customers elsewhere ───────────────────────────────────────────────
  {
    name: 'ours-durable-objects-apac-we-are-us',
    class: 'ours-other-region',
    build(b) {
      const v = b.source('cloudflare', 'tnwbx3v5z97h', 'as posted');
      const onset = b.at(v.post, 20);
      const cf = b.vendor('cloudflare');
      internal(b, {
        v,
        onset,
        minutes: 50,
        services: [
          {
            name: 'collab',
            regions: ['us-east-1'],
            deps: [{ vendor: cf, components: ['Durable Objects'] }],
            hits: [{ codes: own.lock, peak: 11 }],
          },
        ],
        service: 'collab',
        title: 'Document saves failing',
        regions: ['us-east-1'],
        text: `${intro(v)}: Durable Objects errors that "potentially impacts multiple customers in the Asia-Pacific (APAC) region". Our collab runs in us-east-1 on Durable Objects; its Cloudflare calls stay at baseline while it fails with MIGRATION_LOCK_HELD and DEADLOCK_DETECTED from our own schema migration. A responder concludes: internal.`,
      });
    },
  },
  {
    name: 'ours-github-eu-residency-incident-we-are-us',
    class: 'ours-other-region',
    build(b) {
      const v = b.source('github', 'd33mtmnttgsh', 'as posted');
      const onset = b.at(v.post, -5);
      const gh = b.vendor('github');
      b.change(b.at(onset, -6), 'code-indexer', 'deploy', 'indexer@4.8.1', 'Parallel repository indexing');
      internal(b, {
        v,
        onset,
        minutes: 40,
        services: [
          {
            name: 'code-indexer',
            regions: ['us-east-1'],
            deps: [{ vendor: gh, components: ['API Requests', 'Git Operations'] }],
            hits: [{ codes: own.dbPool, peak: 13 }],
          },
        ],
        service: 'code-indexer',
        title: 'Code search index stale',
        text: `${intro(v)}: migrations failing "for a subset of users in the EU region with data residency". We use github.com from us-east-1; our GitHub calls are at baseline. Six minutes before our errors we deploy parallel indexing and code-indexer exhausts its database pool. A responder concludes: internal.`,
      });
    },
  },
  {
    name: 'ours-onepassword-us-customers-we-are-eu',
    class: 'ours-other-region',
    build(b) {
      const v = b.source('onepassword', 'z20sn66ynbfl', 'as posted');
      const onset = b.at(v.post, 16);
      const op = b.vendor('onepassword');
      internal(b, {
        v,
        onset,
        minutes: 45,
        services: [
          {
            name: 'secrets-sync',
            regions: ['eu-central-1'],
            deps: [{ vendor: op, components: ['Europe / 1Password Connect'] }],
            hits: [{ codes: own.queue, peak: 9 }],
          },
        ],
        service: 'secrets-sync',
        title: 'Secret propagation delayed',
        regions: ['eu-central-1'],
        text: `${intro(v)}: slowdowns for "customers in the US region", every component named "USA/Global". Our secrets-sync uses 1Password's European region from eu-central-1; its 1Password calls stay at baseline while its own work queue overflows (QUEUE_FULL). A responder concludes: internal.`,
      });
    },
  },
  {
    name: 'ours-twilio-flex-us-incident-we-are-ie1',
    class: 'ours-other-region',
    build(b) {
      const v = b.source('twilio', 'h3cjc0nkvh57', 'as posted');
      const onset = Date.parse('2025-03-04T13:42:10Z');
      const tw = b.vendor('twilio');
      internal(b, {
        v,
        onset,
        minutes: 40,
        services: [
          {
            name: 'contact-center',
            regions: ['eu-west-1'],
            deps: [{ vendor: tw, components: ['Flex Conversations'], calls: 90 }],
            hits: [{ codes: own.cache, peak: 12 }],
          },
        ],
        service: 'contact-center',
        title: 'Agents see blank customer panels',
        regions: ['eu-west-1'],
        text: `${intro(v)}: "Conversations and Flex customers in US region were impacted with 500s errors … 13:40 and 13:55PM UTC". Our contact-center runs on Flex in IE1 (eu-west-1) and reports its volume: ~90 calls a minute to Twilio, failures at baseline throughout. At 13:42Z our CRM cache stampedes. Same vendor, same product, same minutes — another region, and our calls to it healthy. A responder concludes: internal.`,
      });
    },
  },
  {
    name: 'ours-laravel-mysql-other-regions-we-are-sydney',
    class: 'ours-other-region',
    build(b) {
      const v = b.source('laravel', 'dsgc43m010mg', 'as posted', {
        regions: ['EU Central (Frankfurt)', 'EU West (London)', 'US East (Ohio)'],
      });
      const onset = b.at(v.post, 4);
      const lc = b.vendor('laravel');
      b.change(b.at(onset, -9), 'shop', 'deploy', 'shop@2026.06.09', 'Checkout rewrite');
      internal(b, {
        v,
        onset,
        minutes: 35,
        services: [
          {
            name: 'shop',
            regions: ['ap-southeast-2'],
            deps: [{ vendor: lc, components: ['Laravel MySQL - AP Southeast (Sydney)'] }],
            hits: [{ codes: own.nullRef, peak: 15 }],
          },
        ],
        service: 'shop',
        title: 'Checkout throwing errors',
        regions: ['ap-southeast-2'],
        text: `${intro(v)}: intermittent MySQL connectivity for "customers in the EUC1, EUW2, and USE2 regions". Our shop runs in Sydney; its database calls are at baseline. Nine minutes before our errors we deploy a checkout rewrite, and from ${hm(onset)} it throws NULL_REFERENCE. A responder concludes: internal.`,
      });
    },
  },
  // ── vendor incident on a component we do not use ────────────────────────────────────────────────
  {
    name: 'ours-redis-control-plane-incident-our-cache',
    class: 'ours-other-component',
    build(b) {
      const v = b.source('redislabs', 'sfsljhbd88sf', 'as posted');
      const onset = b.at(v.post, 12);
      const rc = b.vendor('redislabs');
      b.change(b.at(onset, -7), 'catalog', 'deploy', 'catalog@9.4.0', 'Cache keys now include locale');
      internal(b, {
        v,
        onset,
        minutes: 50,
        services: [
          {
            name: 'catalog',
            regions: ['us-central1'],
            deps: [{ vendor: rc, components: ['Database'] }],
            hits: [{ codes: own.cache, peak: 14 }],
          },
        ],
        service: 'catalog',
        title: 'Catalog pages slow, database overloaded',
        text: `${intro(v)}: the GCP outage takes down Redis Cloud's API, admin console and integrations — "At no point was database connectivity or availability affected". Our catalog only uses its Redis database, and its Redis calls stay at baseline; seven minutes after our deploy changes the cache keys, it stampedes (CACHE_STAMPEDE). A responder concludes: internal.`,
      });
    },
  },
  {
    name: 'ours-cloudflare-stream-incident-our-db',
    class: 'ours-other-component',
    build(b) {
      const v = b.source('cloudflare', 'q83wbrxcsynw', 'as posted');
      const onset = b.at(v.post, 40);
      const cf = b.vendor('cloudflare');
      internal(b, {
        v,
        onset,
        minutes: 45,
        services: [
          {
            name: 'storefront',
            regions: ['eu-west-1'],
            deps: [
              { vendor: cf, components: ['CDN/Cache', 'WAF'] },
              { vendor: b.vendor('stripe', 'Stripe') },
            ],
            hits: [{ codes: own.dbPool, peak: 16 }],
          },
        ],
        service: 'storefront',
        title: 'Storefront 500s: database connections exhausted',
        text: `${intro(v)}: upload delays in Stream, which we do not use. Our storefront sits behind Cloudflare's CDN and WAF, whose traffic is normal; from ${hm(onset)} it fails with DB_POOL_EXHAUSTED after a campaign e-mail. A responder concludes: internal.`,
      });
    },
  },
  {
    name: 'ours-github-copilot-incident-our-lock',
    class: 'ours-other-component',
    build(b) {
      const v = b.source('github', '1x0f4x1wwqmb', 'as posted');
      const onset = b.at(v.post, 11);
      const gh = b.vendor('github');
      b.change(b.at(onset, -3), 'ci-orchestrator', 'deploy', 'orchestrator@5.6.2', 'Queue table migration');
      internal(b, {
        v,
        onset,
        minutes: 40,
        services: [
          {
            name: 'ci-orchestrator',
            regions: ['sa-east-1'],
            deps: [{ vendor: gh, components: ['Actions', 'Webhooks'] }],
            hits: [{ codes: own.lock, peak: 10 }],
          },
        ],
        service: 'ci-orchestrator',
        title: 'Pipelines stuck in queued',
        text: `${intro(v)}: Copilot completions degraded for users in Australia and South America. Our ci-orchestrator runs in São Paulo but uses Actions and Webhooks, not Copilot; its GitHub calls are at baseline. Three minutes after our queue-table migration it fails with MIGRATION_LOCK_HELD. A responder concludes: internal.`,
      });
    },
  },
  {
    name: 'ours-vercel-domains-incident-our-regression',
    class: 'ours-other-component',
    build(b) {
      const v = b.source('vercel', '3fsq3yfsdlxn', 'as posted');
      const onset = b.at(v.post, 9);
      const vc = b.vendor('vercel');
      b.change(b.at(onset, -5), 'web', 'deploy', 'web@a41c9e2', 'New pricing page');
      internal(b, {
        v,
        onset,
        minutes: 30,
        services: [
          {
            name: 'web',
            regions: ['fra1'],
            deps: [{ vendor: vc, components: ['CDN', 'Functions'] }],
            hits: [{ codes: own.render, peak: 13 }],
          },
        ],
        service: 'web',
        title: 'Pricing page and checkout erroring',
        text: `${intro(v)}: domain registrations fail, which we do not use. Five minutes after we deploy a new pricing page, our web (on Vercel, fra1) throws TEMPLATE_RENDER_FAILED; its Vercel traffic is otherwise normal. A responder concludes: internal.`,
      });
    },
  },
  // ── call volumes show our calls to the vendor healthy ───────────────────────────────────────────
  {
    name: 'ours-atlas-calls-healthy-during-atlas-incident',
    class: 'ours-calls-healthy',
    build(b) {
      const v = b.source('mongodb', '72ddl3rspzyl', 'as posted');
      const onset = b.at(v.post, 3);
      const mdb = b.vendor('mongodb');
      b.change(b.at(onset, -4), 'orders', 'deploy', 'orders@12.1.0', 'Order totals refactor');
      internal(b, {
        v,
        onset,
        minutes: 32,
        services: [
          {
            name: 'orders',
            regions: ['us-east-1'],
            deps: [{ vendor: mdb, components: ['MongoDB Cloud'], calls: 420 }],
            hits: [{ codes: own.nullRef, peak: 19 }],
          },
        ],
        service: 'orders',
        title: 'Orders failing to save',
        text: `${intro(v)}: Atlas data-explorer operations time out. Our orders service reports its volume to Atlas: ~420 calls a minute with failures at their usual rate (a few in a thousand) before, during and after. Four minutes after our refactor is deployed, it throws NULL_REFERENCE. A responder concludes: internal.`,
      });
    },
  },
  {
    name: 'ours-twilio-voice-calls-healthy-queue-full',
    class: 'ours-calls-healthy',
    build(b) {
      const v = b.source('twilio', 'gd6wrfsmpsz8', 'as posted');
      const onset = b.at(v.post, -6);
      const tw = b.vendor('twilio');
      internal(b, {
        v,
        onset,
        minutes: 38,
        services: [
          {
            name: 'voice-router',
            regions: ['us-east-1'],
            deps: [{ vendor: tw, components: ['PSTN US1'], calls: 85 }],
            hits: [{ codes: own.queue, peak: 12 }],
          },
        ],
        service: 'voice-router',
        title: 'Calls routed late, callers waiting',
        text: `${intro(v)}: intermittent 5xx on voice-call updates. Our voice-router reports ~85 Twilio calls a minute and its failure ratio stays at baseline throughout; from ${hm(onset)} it fails on its own work queue (QUEUE_FULL, CONSUMER_LAG_EXCEEDED). No change of ours — a traffic surge. A responder concludes: internal.`,
      });
    },
  },
  {
    name: 'ours-r2-calls-healthy-render-failures',
    class: 'ours-calls-healthy',
    build(b) {
      const v = b.source('cloudflare', 'gvfk4vrdsvv3', 'as posted');
      const onset = b.at(v.post, 12);
      const cf = b.vendor('cloudflare');
      b.change(b.at(onset, -6), 'thumbnails', 'deploy', 'thumbnails@1.40.0', 'New image pipeline');
      internal(b, {
        v,
        onset,
        minutes: 30,
        services: [
          {
            name: 'thumbnails',
            regions: ['weur'],
            deps: [{ vendor: cf, components: ['R2'], calls: 240 }],
            hits: [{ codes: own.oom, peak: 10 }],
          },
        ],
        service: 'thumbnails',
        title: 'Thumbnails missing on listings',
        text: `${intro(v)}: "Performance issues with R2". Our thumbnails service reports ~240 R2 calls a minute, failing at their usual rate; six minutes after its new pipeline is deployed it runs out of memory. A responder concludes: internal.`,
      });
    },
  },
  {
    name: 'ours-claude-calls-healthy-workers-oom',
    class: 'ours-calls-healthy',
    build(b) {
      const v = b.source('claude', '0j8dkb38jymf', 'as posted');
      const onset = b.at(v.post, -3);
      const ai = b.vendor('claude');
      internal(b, {
        v,
        onset,
        minutes: 40,
        services: [
          {
            name: 'doc-summarizer',
            regions: ['us-east-1'],
            deps: [{ vendor: ai, components: ['Claude API (api.anthropic.com)'], calls: 60 }],
            hits: [{ codes: own.oom, peak: 9 }],
          },
        ],
        service: 'doc-summarizer',
        title: 'Summaries delayed, workers restarting',
        text: `${intro(v)}. Our doc-summarizer reports ~60 Claude calls a minute; their failures stay at baseline while its workers crash with OUT_OF_MEMORY on a batch of huge PDFs from ${hm(onset)}. No change of ours. A responder concludes: internal.`,
      });
    },
  },
  {
    name: 'ours-datadog-calls-healthy-schema-mismatch',
    class: 'ours-calls-healthy',
    build(b) {
      const v = b.source('datadog', '767nqf71jn93', 'as posted');
      const onset = b.at(v.post, 5);
      const dd = b.vendor('datadog');
      b.change(b.at(onset, -3), 'events-consumer', 'deploy', 'events@3.0.0', 'Event envelope v3');
      internal(b, {
        v,
        onset,
        minutes: 36,
        services: [
          {
            name: 'events-consumer',
            regions: ['us-east-1'],
            deps: [{ vendor: dd, components: ['Metrics and Infra Monitoring'], calls: 150 }],
            hits: [{ codes: own.schema, peak: 17 }],
          },
        ],
        service: 'events-consumer',
        title: 'Events not processed',
        text: `${intro(v)}: delayed monitor notifications and metrics graphing. Three minutes after event envelope v3 is deployed, events-consumer fails with SCHEMA_MISMATCH; its ~150 Datadog submissions a minute keep succeeding at the usual rate. A responder concludes: internal.`,
      });
    },
  },
  {
    name: 'ours-grafana-calls-healthy-cache-stampede',
    class: 'ours-calls-healthy',
    build(b) {
      const v = b.source('grafana', '7qss92yz1wc5', 'as posted', { regions: ['prod-us-east-0'] });
      const onset = b.at(v.post, -8);
      const gc = b.vendor('grafana');
      internal(b, {
        v,
        onset,
        minutes: 45,
        services: [
          {
            name: 'dashboards-api',
            regions: ['us-east-1'],
            deps: [
              { vendor: gc, components: ['Metrics / AWS US East - prod-us-east-0: Querying'], calls: 110 },
            ],
            hits: [{ codes: own.cache, peak: 11 }],
          },
        ],
        service: 'dashboards-api',
        title: 'Customer dashboards failing to load',
        text: `${intro(v)}: degraded read performance for Hosted Metrics in prod-us-east-0 — the stack our dashboards-api queries. It reports ~110 queries a minute to Grafana, failing at their usual rate, while from ${hm(onset)} its own cache stampedes after a cold restart. No change event. A responder concludes: internal.`,
      });
    },
  },
  // ── the vendor incident comes hours after ours ──────────────────────────────────────────────────
  {
    name: 'ours-deploy-then-discord-incident-2h-later',
    class: 'ours-vendor-later',
    build(b) {
      const v = b.source('discord', 'qg86chss85f8', 'as posted');
      const onset = b.at(v.post, -190);
      const dc = b.vendor('discord');
      b.change(b.at(onset, -5), 'community-bot', 'deploy', 'bot@8.2.0', 'Slash-command router rewrite');
      internal(b, {
        v,
        onset,
        minutes: 50,
        services: [
          {
            name: 'community-bot',
            regions: ['us-east-1'],
            deps: [{ vendor: dc, components: ['API'] }],
            hits: [{ codes: own.nullRef, peak: 12 }],
          },
        ],
        service: 'community-bot',
        title: 'Slash commands broken',
        text: `${intro(v)}. Ours began at ${hm(onset)}, five minutes after a rewrite of the bot's command router, with NULL_REFERENCE errors, and was over more than two hours before Discord's incident started. A responder concludes: internal.`,
      });
    },
  },
  {
    name: 'ours-config-then-zoom-incident-4h-later',
    class: 'ours-vendor-later',
    build(b) {
      const v = b.source('zoom', 'v57n1qjwtvsr', 'as posted');
      const onset = b.at(v.post, -300);
      const zm = b.vendor('zoom');
      b.change(
        b.at(onset, -2),
        'meeting-sync',
        'config',
        'worker-concurrency-64',
        'Worker concurrency raised to 64',
      );
      internal(b, {
        v,
        onset,
        minutes: 45,
        services: [
          {
            name: 'meeting-sync',
            regions: ['ap-southeast-1'],
            deps: [{ vendor: zm, components: ['Zoom Chat'] }],
            hits: [{ codes: own.dbPool, peak: 10 }],
          },
        ],
        service: 'meeting-sync',
        title: 'Meeting reminders not sent (APAC)',
        regions: ['ap-southeast-1'],
        text: `${intro(v)} (Zoom chat degraded in APAC). Our meeting-sync in ap-southeast-1 failed from ${hm(onset)}, two minutes after we raised its worker concurrency, exhausting its database pool; it recovered four hours before Zoom's incident began. A responder concludes: internal.`,
      });
    },
  },
  {
    name: 'ours-timeouts-then-cloudflare-apac-incident-3h-later',
    class: 'ours-vendor-later',
    build(b) {
      const v = b.source('cloudflare', 'v876jc64pmqz', 'as posted');
      const onset = b.at(v.post, -235);
      const cf = b.vendor('cloudflare');
      internal(b, {
        v,
        onset,
        minutes: 40,
        services: [
          {
            name: 'rooms',
            regions: ['ap-northeast-1'],
            deps: [{ vendor: cf, components: ['Durable Objects'] }],
            hits: [
              { codes: own.lock, peak: 9 },
              { vendor: cf, codes: codes.timeouts, peak: 1.2, baseline: 0.3 },
            ],
          },
        ],
        service: 'rooms',
        title: 'Room state writes failing (Tokyo)',
        regions: ['ap-northeast-1'],
        text: `${intro(v)}: Durable Objects errors in the Asia-Pacific region. Our rooms service in Tokyo failed ${Math.round((v.post - onset) / MINUTE / 60)} hours earlier, with DEADLOCK_DETECTED from its own database and only a faint rise of Cloudflare timeouts; it was over long before Cloudflare's incident. A responder concludes: internal.`,
      });
    },
  },
];
