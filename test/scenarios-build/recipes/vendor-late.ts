import { codes, hm, type Recipe } from '../builder.js';
import { intro, ourIncident, story } from '../story.js';

// Status pages lag: the vendor posts 20–60 minutes after our errors began (late), or dates the impact
// earlier than its first post, often in a single retroactive post after our incident has closed
// (backdated). Our errors are the first evidence; the post, when it comes, confirms them.

export const vendorLate: Recipe[] = [
  {
    name: 'cloudflare-workers-kv-40-min-late',
    class: 'vendor-late-post',
    build(b) {
      const v = b.source('cloudflare', 'ynmln394h6fg', 'as posted');
      const onset = Date.parse('2025-07-23T10:00:25Z');
      const cf = b.vendor('cloudflare');
      const s = story(b, {
        onset,
        minutes: 44,
        services: [
          {
            name: 'feature-flags',
            regions: ['eu-west-1'],
            deps: [{ vendor: cf, components: ['Workers KV'] }],
            hits: [{ vendor: cf, codes: codes.server, peak: 15, endpoint: 'kv:flags' }],
          },
          {
            name: 'cart',
            regions: ['us-east-1'],
            deps: [{ vendor: cf, components: ['Workers KV'] }, { vendor: b.vendor('stripe', 'Stripe') }],
            hits: [
              {
                vendor: cf,
                codes: [...codes.server, { code: 'ETIMEDOUT', weight: 2 }],
                peak: 9,
                lag: 1,
                endpoint: 'kv:carts',
              },
            ],
          },
        ],
      });
      ourIncident(b, {
        service: 'cart',
        title: 'Carts intermittently empty',
        onset,
        end: s.end,
        expect: 'upstream',
      });
      b.suspects([{ vendor: cf }]);
      b.describe(
        `${intro(v)}: its first post, already "A fix has been implemented", says Workers KV operations failed "since 10:00 UTC". Our feature-flags (eu-west-1) and cart (us-east-1) get 5xx from Workers KV from 10:00Z, forty minutes before the post. A responder concludes: upstream (Cloudflare), suspected from our errors well before the post.`,
      );
    },
  },
  {
    name: 'digitalocean-spaces-nyc3-37-min-late',
    class: 'vendor-late-post',
    build(b) {
      const v = b.source('digitalocean', 'l5qcjkdlysp4', 'as posted', { regions: ['NYC3'] });
      const onset = Date.parse('2024-08-22T17:18:40Z');
      const dob = b.vendor('digitalocean');
      const s = story(b, {
        onset,
        minutes: 40,
        services: [
          {
            name: 'media',
            regions: ['nyc3'],
            deps: [{ vendor: dob, components: ['Spaces / NYC3'] }],
            hits: [
              {
                vendor: dob,
                codes: [
                  { code: 'HTTP_503', status: 503, weight: 3 },
                  { code: 'SlowDown', status: 503, weight: 1 },
                  { code: 'ETIMEDOUT', weight: 2 },
                ],
                peak: 18,
                endpoint: 's3:media-nyc3',
              },
            ],
          },
          {
            name: 'backup-worker',
            regions: ['nyc3'],
            deps: [{ vendor: dob, components: ['Spaces / NYC3'] }],
            hits: [{ vendor: dob, codes: codes.server, peak: 6, lag: 2, endpoint: 's3:backups-nyc3' }],
          },
        ],
      });
      ourIncident(b, {
        service: 'media',
        title: 'Images and uploads failing',
        onset,
        end: s.end,
        expect: 'upstream',
        regions: ['nyc3'],
      });
      b.suspects([{ vendor: dob, region: 'nyc3' }]);
      b.describe(
        `${intro(v)}; the resolution dates the impact "From 17:18 UTC until 17:58 UTC" in NYC3. Our media and backup-worker, both in nyc3, get 503s from Spaces from 17:18Z; DigitalOcean posts 37 minutes later, as the impact ends. A responder concludes: upstream (DigitalOcean), suspected from our errors.`,
      );
    },
  },
  {
    name: 'flyio-machines-api-23-min-late',
    class: 'vendor-late-post',
    build(b) {
      const v = b.source('flyio', 'w9dz70y1c6p6', 'as posted');
      const onset = Date.parse('2026-02-07T16:00:50Z');
      const fly = b.vendor('flyio');
      const s = story(b, {
        onset,
        minutes: 75,
        services: [
          {
            name: 'preview-orchestrator',
            regions: ['syd'],
            deps: [{ vendor: fly, components: ['Machines API'] }, { vendor: b.vendor('github', 'GitHub') }],
            hits: [
              {
                vendor: fly,
                codes: [
                  { code: 'HTTP_503', status: 503, weight: 3 },
                  { code: 'HTTP_500', status: 500, weight: 1 },
                  { code: 'ETIMEDOUT', weight: 2 },
                ],
                peak: 20,
                endpoint: 'POST /v1/apps/machines',
              },
            ],
          },
        ],
      });
      ourIncident(b, {
        service: 'preview-orchestrator',
        title: 'Preview environments fail to start',
        onset,
        end: s.end,
        expect: 'upstream',
        regions: ['syd'],
      });
      b.suspects([{ vendor: fly, region: 'syd' }]);
      b.describe(
        `${intro(v)}: "widespread Machines API issues since 16:00 UTC. You may experience 5xx errors"; from ~16:20Z better "in most regions" but SYD, NRT and SIN keep failing until the 17:17Z fix. Our preview-orchestrator runs in syd and is the only service calling the Machines API: nearly all of its errors are 5xx from Fly.io, ~20 a minute from 16:00Z. A responder concludes: upstream (Fly.io).`,
      );
    },
  },
  {
    name: 'github-copilot-chat-23-min-late',
    class: 'vendor-late-post',
    build(b) {
      const v = b.source('github', 'p55k2jdgsrgc', 'as posted');
      const onset = Date.parse('2024-07-16T00:30:30Z');
      const gh = b.vendor('github');
      const s = story(b, {
        onset,
        minutes: 150,
        services: [
          {
            name: 'review-assistant',
            regions: ['us-east-1'],
            deps: [{ vendor: gh, components: ['Copilot'] }],
            hits: [
              {
                vendor: gh,
                codes: [
                  { code: 'HTTP_500', status: 500, weight: 2 },
                  { code: 'HTTP_503', status: 503, weight: 2 },
                ],
                peak: 12,
                endpoint: 'POST /copilot/chat',
              },
            ],
          },
        ],
      });
      ourIncident(b, {
        service: 'review-assistant',
        title: 'Automated review comments not posted',
        onset,
        end: s.end,
        expect: 'upstream',
      });
      b.suspects([{ vendor: gh, region: 'us-east-1' }]);
      b.describe(
        `${intro(v)}; the first post names nothing, Copilot chat is named at 01:35Z, and the resolution says "between 00:30 UTC and 03:07 UTC, Copilot Chat was degraded and rejected all requests". Our review-assistant, the only caller, gets 5xx from 00:30Z for two and a half hours. A responder concludes: upstream (GitHub).`,
      );
    },
  },
  {
    name: 'github-migrations-credential-37-min-late',
    class: 'vendor-late-post',
    build(b) {
      const v = b.source('github', '538zgs80s3zg', 'as posted');
      const onset = Date.parse('2024-06-27T20:39:20Z');
      const gh = b.vendor('github');
      const s = story(b, {
        onset,
        minutes: 58,
        services: [
          {
            name: 'repo-migrator',
            regions: ['eu-central-1'],
            deps: [{ vendor: gh, components: ['API Requests'] }],
            hits: [
              {
                vendor: gh,
                codes: [
                  { code: 'HTTP_500', status: 500, weight: 3 },
                  { code: 'HTTP_502', status: 502, weight: 1 },
                ],
                peak: 11,
                endpoint: 'POST /graphql startRepositoryMigration',
              },
            ],
          },
          {
            name: 'audit-export',
            regions: ['eu-central-1'],
            deps: [{ vendor: gh, components: ['API Requests'] }],
            hits: [{ vendor: gh, codes: codes.server, peak: 4, lag: 3 }],
          },
        ],
      });
      ourIncident(b, {
        service: 'repo-migrator',
        title: 'Customer repository migrations failing',
        onset,
        end: s.end,
        expect: 'upstream',
      });
      b.suspects([{ vendor: gh, region: 'eu-central-1' }]);
      b.describe(
        `${intro(v)}: "Some GitHub Enterprise Importer migrations are failing"; the resolution: "Between … 20:39 UTC and 21:37 UTC the Migrations service was unable to process migrations. This was due to a invalid infrastructure credential" — GitHub's credential, answered to us as 500s, not a 401 of ours. Our repo-migrator and audit-export fail from 20:39Z, 37 minutes before the post. A responder concludes: upstream (GitHub).`,
      );
    },
  },
  {
    name: 'cloudflare-singapore-53-min-late-untagged',
    class: 'vendor-late-post',
    build(b) {
      const v = b.source('cloudflare', 'wcln78w0lx1h', 'as posted', { regions: ['Singapore'] });
      const onset = Date.parse('2026-07-29T11:33:30Z');
      const cf = b.vendor('cloudflare');
      const s = story(b, {
        onset,
        minutes: 70,
        services: [
          {
            name: 'marketplace',
            regions: ['ap-southeast-1'],
            deps: [{ vendor: cf }, { vendor: b.vendor('stripe', 'Stripe') }],
            hits: [
              {
                codes: [
                  { code: 'TIMEOUT', weight: 3 },
                  { code: 'HTTP_5XX', weight: 1 },
                  { code: 'ECONNRESET', weight: 1 },
                ],
                peak: 10,
              },
            ],
          },
        ],
      });
      ourIncident(b, {
        service: 'marketplace',
        title: 'Marketplace slow and erroring in South-East Asia',
        onset,
        end: s.end,
        expect: 'upstream',
        regions: ['ap-southeast-1'],
      });
      b.describe(
        `${intro(v)}: it dates the problem "from 11:33 UTC", 53 minutes before its first post. Our marketplace (ap-southeast-1, behind Cloudflare) logs timeouts and resets naming no vendor from 11:33Z; nothing of ours changed. Before the post the untagged errors alone cannot say who; once Cloudflare posts a performance incident in Singapore starting with our errors, they can. A responder concludes: upstream (Cloudflare).`,
      );
    },
  },
  {
    name: 'cloudflare-brussels-48-min-late-untagged',
    class: 'vendor-late-post',
    build(b) {
      const v = b.source('cloudflare', 'hrlcw10v0hhg', 'as posted', { regions: ['Brussels'] });
      const onset = Date.parse('2025-06-24T11:48:20Z');
      const cf = b.vendor('cloudflare');
      const s = story(b, {
        onset,
        minutes: 62,
        services: [
          {
            name: 'tickets',
            regions: ['europe-west1'],
            deps: [{ vendor: cf }, { vendor: b.vendor('adyen', 'Adyen') }],
            hits: [{ codes: codes.untagged, peak: 12 }],
          },
        ],
      });
      ourIncident(b, {
        service: 'tickets',
        title: 'Ticket shop erroring for Belgian buyers',
        onset,
        end: s.end,
        expect: 'upstream',
        regions: ['europe-west1'],
      });
      b.describe(
        `${intro(v)}; the vendor's own text puts the start "at 11:48 UTC", 48 minutes before the post. Our tickets service runs in GCP europe-west1 (St. Ghislain, Belgium) behind Cloudflare and logs 503s and timeouts with no vendor named from 11:48Z. No change of ours. A responder concludes: upstream (Cloudflare).`,
      );
    },
  },
  {
    name: 'flyio-sjc-after-maintenance-28-min-late-untagged',
    class: 'vendor-late-post',
    build(b) {
      const v = b.source('flyio', 'f8n0y37h1s82', 'as posted', { regions: ['SJC'] });
      const onset = b.at(v.post, -28);
      const fly = b.vendor('flyio');
      const s = story(b, {
        onset,
        minutes: 105,
        services: [
          {
            name: 'realtime',
            regions: ['sjc'],
            deps: [{ vendor: fly, components: ['SJC - San Jose, California (US)'] }],
            hits: [
              {
                codes: [
                  { code: 'ECONNRESET', weight: 2 },
                  { code: 'TIMEOUT', weight: 2 },
                  { code: 'HTTP_502', status: 502, weight: 1 },
                ],
                peak: 9,
              },
            ],
          },
        ],
      });
      ourIncident(b, {
        service: 'realtime',
        title: 'Websocket drops on the US West Coast',
        onset,
        end: s.end,
        expect: 'upstream',
        regions: ['sjc'],
      });
      b.describe(
        `${intro(v)}: "network issues resulting from the earlier scheduled maintenance in SJC" — posted 28 minutes after our realtime service (sjc) began logging resets, timeouts and 502s with no vendor named. Nothing of ours changed; the fix lands at 15:13Z. A responder concludes: upstream (Fly.io).`,
      );
    },
  },
  {
    name: 'digitalocean-spaces-dns-hold-backdated',
    class: 'vendor-backdated',
    build(b) {
      const v = b.source('digitalocean', 'jm44h02t22ck', 'backdated to the postmortem start', {
        backdateTo: '2024-11-28T22:38:00Z',
        maxUpdates: 7,
      });
      const onset = Date.parse('2024-11-28T22:39:10Z');
      const dob = b.vendor('digitalocean');
      const s = story(b, {
        onset,
        minutes: 255,
        services: [
          {
            name: 'image-proxy',
            regions: ['fra1'],
            deps: [{ vendor: dob, components: ['Spaces CDN / FRA1', 'Spaces / FRA1'] }],
            hits: [
              {
                codes: [
                  { code: 'ENOTFOUND', weight: 3 },
                  { code: 'UPSTREAM_TIMEOUT', weight: 1 },
                  { code: 'HTTP_5XX', weight: 1 },
                ],
                peak: 5,
                again: [{ lag: 262, minutes: 64, peak: 22 }],
              },
            ],
          },
        ],
        tail: 25,
      });
      ourIncident(b, {
        service: 'image-proxy',
        title: 'Product images broken',
        onset,
        end: s.end,
        expect: 'upstream',
      });
      b.describe(
        `${intro(v)}. The postmortem (posted a week later, kept as the last update) dates it from 22:38 UTC: the registrar put digitaloceanspaces.com on clientHold, DNS resolution failed intermittently, worst 03:00–04:03 UTC as caches expired. The incident's start is set to 22:38Z accordingly; its first post is 00:21Z, 1 h 43 min after our image-proxy (fra1) began logging ENOTFOUND and upstream timeouts for its Spaces origin, with no vendor field. A responder concludes: upstream (DigitalOcean).`,
      );
    },
  },
  {
    name: 'cloudflare-durable-objects-wnam-retroactive',
    class: 'vendor-backdated',
    build(b) {
      const v = b.source('cloudflare', '53gvrmlyg747', 'retroactive, backdated to the stated start', {
        regions: ['WNAM'],
        backdateTo: '2026-07-28T14:29:00Z',
      });
      const onset = Date.parse('2026-07-28T14:29:40Z');
      const cf = b.vendor('cloudflare');
      const s = story(b, {
        onset,
        minutes: 27,
        services: [
          {
            name: 'collab-sync',
            regions: ['us-west-2'],
            deps: [{ vendor: cf, components: ['Durable Objects'] }],
            hits: [
              {
                vendor: cf,
                codes: [
                  { code: 'HTTP_503', status: 503, weight: 2 },
                  { code: 'HTTP_500', status: 500, weight: 1 },
                ],
                peak: 19,
                endpoint: 'do:rooms',
              },
            ],
          },
          {
            name: 'presence',
            regions: ['us-west-2'],
            deps: [{ vendor: cf, components: ['Durable Objects'] }],
            hits: [{ vendor: cf, codes: codes.server, peak: 7, lag: 1 }],
          },
        ],
      });
      ourIncident(b, {
        service: 'collab-sync',
        title: 'Shared documents not syncing (US West)',
        onset,
        end: s.end,
        expect: 'upstream',
        closeAfter: 12,
      });
      b.suspects([{ vendor: cf, region: 'us-west-2' }]);
      b.describe(
        `${intro(v)}: a single retroactive post, "Between 14:29 UTC and 14:55 UTC … issues with Durable Objects in the WNAM region"; its start is set to 14:29Z. Our collab-sync and presence (us-west-2) fail on Durable Objects from 14:29Z; our incident is closed before Cloudflare says anything. A responder concludes: upstream (Cloudflare) — suspected from our errors, confirmed by the later post.`,
      );
    },
  },
  {
    name: 'flyio-europe-bgp-retroactive-untagged',
    class: 'vendor-backdated',
    build(b) {
      const v = b.source('flyio', 'r2q0xmdqzr39', 'retroactive post, as posted');
      const onset = Date.parse('2026-08-03T14:50:15Z');
      const fly = b.vendor('flyio');
      const s = story(b, {
        onset,
        minutes: 13,
        services: [
          {
            name: 'web',
            regions: ['cdg'],
            deps: [{ vendor: fly, components: ['Customer Applications'] }],
            hits: [
              {
                codes: [
                  { code: 'TIMEOUT', weight: 3 },
                  { code: 'ECONNRESET', weight: 2 },
                ],
                peak: 26,
              },
            ],
          },
        ],
        tail: 40,
      });
      const inc = ourIncident(b, {
        service: 'web',
        title: 'European visitors cannot reach the site',
        onset,
        end: s.end,
        expect: 'upstream',
        delay: 4,
        closeAfter: 6,
      });
      b.describe(
        `${intro(v)}: one retroactive post, "A BGP misconfiguration … caused most traffic from Europe endpoints to be dropped, between 14:50 UTC and 15:02 UTC". Its recorded start is the post (15:16Z); only the text carries the window. Our web app on Fly.io (cdg) sees European requests time out and reset, errors that name no vendor, 14:50–15:03Z; we close our incident at ${hm(inc.end!)}, before the post. A responder concludes: upstream (Fly.io).`,
      );
    },
  },
  {
    name: 'cloudflare-origin-congestion-east-retroactive',
    class: 'vendor-backdated',
    build(b) {
      const v = b.source('cloudflare', 'tblqdfkxj9x9', 'retroactive post, as posted');
      const onset = Date.parse('2025-10-07T08:05:50Z');
      const cf = b.vendor('cloudflare');
      const s = story(b, {
        onset,
        minutes: 90,
        services: [
          {
            name: 'api',
            regions: ['us-east-1'],
            deps: [{ vendor: cf, components: ['CDN/Cache'] }, { vendor: b.vendor('auth0', 'Auth0') }],
            hits: [
              {
                vendor: cf,
                codes: [
                  { code: 'HTTP_522', status: 522, weight: 2 },
                  { code: 'HTTP_524', status: 524, weight: 2 },
                ],
                peak: 9,
                endpoint: 'edge→origin',
              },
            ],
          },
          {
            name: 'assets',
            regions: ['us-east-1'],
            deps: [{ vendor: cf, components: ['CDN/Cache'] }],
            hits: [{ vendor: cf, codes: [{ code: 'HTTP_522', status: 522, weight: 1 }], peak: 5, lag: 2 }],
          },
        ],
      });
      const inc = ourIncident(b, {
        service: 'api',
        title: 'Edge returning 522/524 for our origin',
        onset,
        end: s.end,
        expect: 'upstream',
        closeAfter: 6,
      });
      b.suspects([{ vendor: cf, region: 'us-east-1' }]);
      b.describe(
        `${intro(v)}: a single post after the fact, "degraded origin connectivity from our global network to origins in Eastern North America … between 08:05 UTC and 09:36 UTC". Our origin is in us-east-1; our edge-log pipeline attributes 522/524 answers to Cloudflare for api and assets from 08:05Z. We close our incident at ${hm(inc.end!)}; the post comes after. A responder concludes: upstream (Cloudflare).`,
      );
    },
  },
  {
    name: 'statuspage-database-maintenance-backdated',
    class: 'vendor-backdated',
    build(b) {
      const v = b.source('atlassianstatuspage', 'cjk3z1vlfv55', 'backdated to the postmortem start', {
        backdateTo: '2023-10-28T06:00:00Z',
      });
      const onset = Date.parse('2023-10-28T06:00:45Z');
      const sp = b.vendor('atlassianstatuspage');
      const s = story(b, {
        onset,
        minutes: 105,
        services: [
          {
            name: 'status-embed',
            regions: ['eu-west-1'],
            deps: [{ vendor: sp, components: ['Public API', 'HTTPS Pages'] }],
            hits: [
              {
                vendor: sp,
                codes: [
                  { code: 'HTTP_502', status: 502, weight: 2 },
                  { code: 'HTTP_503', status: 503, weight: 1 },
                  { code: 'ETIMEDOUT', weight: 1 },
                ],
                peak: 8,
              },
            ],
          },
        ],
      });
      ourIncident(b, {
        service: 'status-embed',
        title: 'In-app status banner failing to load',
        onset,
        end: s.end,
        expect: 'upstream',
      });
      b.suspects([{ vendor: sp, region: 'eu-west-1' }]);
      b.describe(
        `${intro(v)}. First post 07:36Z; the summary added on November 6 says "From 06:00 UTC to 07:45 UTC … intermittent issues with all Statuspage functionality" (a database performance issue during a scheduled maintenance); the start is set to 06:00Z. Our status-embed reads the Statuspage public API and fails intermittently from 06:00Z. A responder concludes: upstream (Atlassian Statuspage).`,
      );
    },
  },
  {
    name: 'cloudflare-vancouver-12-min-retroactive-untagged',
    class: 'vendor-backdated',
    build(b) {
      const v = b.source('cloudflare', 'srjs1hzdt19y', 'retroactive post, as posted', {
        regions: ['Vancouver'],
      });
      const onset = Date.parse('2025-10-20T14:15:30Z');
      const cf = b.vendor('cloudflare');
      const s = story(b, {
        onset,
        minutes: 12,
        services: [
          {
            name: 'rideshare-api',
            regions: ['vancouver'],
            deps: [{ vendor: cf }, { vendor: b.vendor('twilio', 'Twilio') }],
            hits: [
              {
                codes: [
                  { code: 'HTTP_503', status: 503, weight: 2 },
                  { code: 'TIMEOUT', weight: 2 },
                ],
                peak: 22,
              },
            ],
          },
        ],
        tail: 40,
      });
      const inc = ourIncident(b, {
        service: 'rideshare-api',
        title: 'Ride requests failing in Vancouver',
        onset,
        end: s.end,
        expect: 'upstream',
        delay: 3,
        closeAfter: 9,
      });
      b.describe(
        `${intro(v)}: one post after the fact, "issues with Network Performance in Vancouver between 14:15 UTC and 14:27 UTC". Our rideshare-api serves Vancouver behind Cloudflare; it logs 503s and timeouts with no vendor named exactly then, and our incident (${hm(inc.start)}–${hm(inc.end!)}) is closed when the post arrives. No change of ours. A responder concludes: upstream (Cloudflare).`,
      );
    },
  },
];
