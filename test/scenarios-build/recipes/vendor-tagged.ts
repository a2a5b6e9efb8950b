import { codes, hm, type Recipe } from '../builder.js';
import { intro, ourIncident, story } from '../story.js';

// The vendor posts (early or a little late) and our errors name it: several services at once, or one
// service with a large, sustained spike most of whose errors carry the vendor.

const mongoNet = [
  { code: 'MONGO_NETWORK_TIMEOUT', weight: 3 },
  { code: 'ECONNRESET', weight: 2 },
  { code: 'MONGO_SERVER_SELECTION_TIMEOUT', weight: 2 },
];

export const vendorTagged: Recipe[] = [
  {
    name: 'cloudflare-workers-kv-two-services',
    class: 'vendor-tagged-multi',
    build(b) {
      const v = b.source('cloudflare', '25r9t0vz99rp', 'as posted', { maxUpdates: 7 });
      const onset = b.at(v.post, -9);
      const cf = b.vendor('cloudflare');
      const auth0 = b.vendor('auth0', 'Auth0');
      const s = story(b, {
        onset,
        minutes: 68,
        services: [
          {
            name: 'session-api',
            regions: ['us-east'],
            deps: [{ vendor: cf, components: ['Workers KV', 'Durable Objects'] }, { vendor: auth0 }],
            hits: [{ vendor: cf, codes: codes.server, peak: 26, endpoint: 'kv:sessions' }],
          },
          {
            name: 'edge-auth',
            regions: ['eu'],
            deps: [{ vendor: cf, components: ['Access', 'Workers KV'] }],
            hits: [{ vendor: cf, codes: [...codes.server, ...codes.timeouts], peak: 14, lag: 1 }],
          },
        ],
      });
      ourIncident(b, {
        service: 'session-api',
        title: 'Logins fail: session store lookups erroring',
        onset,
        end: s.end,
        expect: 'upstream',
        regions: ['us-east', 'eu'],
      });
      b.suspects([{ vendor: cf }]);
      b.describe(
        `${intro(v)}. Workers KV went down (a third-party dependency of Cloudflare's, per its 19:57Z update) and took Access, Durable Objects and more with it. From ${hm(onset)} our session-api (us-east) and edge-auth (eu), both reading sessions from Workers KV, get 5xx from Cloudflare in the same minute; nothing of ours changed. A responder concludes: upstream (Cloudflare).`,
      );
    },
  },
  {
    name: 'github-all-services-database-routing',
    class: 'vendor-tagged-multi',
    build(b) {
      const v = b.source('github', 'kz4khcgdsfdv', 'as posted', { maxUpdates: 8 });
      const onset = Date.parse('2024-08-14T23:02:20Z');
      const gh = b.vendor('github');
      const s = story(b, {
        onset,
        minutes: 38,
        services: [
          {
            name: 'ci-dispatcher',
            regions: ['us-east-1'],
            deps: [{ vendor: gh, components: ['Actions', 'Webhooks'] }],
            hits: [{ vendor: gh, codes: [...codes.server, { code: 'ETIMEDOUT', weight: 2 }], peak: 18 }],
          },
          {
            name: 'release-bot',
            regions: ['us-east-1'],
            deps: [
              { vendor: gh, components: ['Git Operations', 'Pull Requests'] },
              { vendor: b.vendor('slack', 'Slack') },
            ],
            hits: [{ vendor: gh, codes: codes.server, peak: 9 }],
          },
        ],
      });
      ourIncident(b, {
        service: 'ci-dispatcher',
        title: 'Builds not starting, webhooks missing',
        onset,
        end: s.end,
        expect: 'upstream',
      });
      b.describe(
        `${intro(v)}; the resolution dates the outage 23:02–23:38 UTC ("all GitHub services on GitHub.com were inaccessible"). Our ci-dispatcher and release-bot both fail on GitHub from 23:02Z, nine minutes before the first post; no change of ours. A responder concludes: upstream (GitHub).`,
      );
    },
  },
  {
    name: 'discord-api-errors-bots',
    class: 'vendor-tagged-multi',
    build(b) {
      const v = b.source('discord', '5dthvyhbs866', 'as posted');
      const onset = b.at(v.post, -4);
      const dc = b.vendor('discord');
      const s = story(b, {
        onset,
        minutes: 62,
        services: [
          {
            name: 'community-bot',
            regions: ['us-west-2'],
            deps: [{ vendor: dc, components: ['API'] }],
            hits: [
              {
                vendor: dc,
                codes: [
                  { code: 'HTTP_500', status: 500, weight: 3 },
                  { code: 'HTTP_502', status: 502, weight: 1 },
                  { code: 'ETIMEDOUT', weight: 2 },
                ],
                peak: 16,
              },
            ],
          },
          {
            name: 'alerts-relay',
            regions: ['eu-central-1'],
            deps: [{ vendor: dc, components: ['API'] }, { vendor: b.vendor('pagerduty', 'PagerDuty') }],
            hits: [{ vendor: dc, codes: codes.server, peak: 6, lag: 2 }],
          },
        ],
      });
      ourIncident(b, {
        service: 'community-bot',
        title: 'Bot commands time out, alert posts missing',
        onset,
        end: s.end,
        expect: 'upstream',
      });
      b.describe(
        `${intro(v)}; identified 05:58Z, fix 06:05Z. Our community-bot (us-west-2) and alerts-relay (eu-central-1) get 500s and timeouts from the Discord API from ${hm(onset)}, four minutes before the post. A responder concludes: upstream (Discord).`,
      );
    },
  },
  {
    name: 'mongodb-azure-westus-connectivity',
    class: 'vendor-tagged-multi',
    build(b) {
      const v = b.source('mongodb', 'ktcy0km7x49f', 'as posted', { regions: ['Azure westus'] });
      const onset = b.at(v.post, -12);
      const mdb = b.vendor('mongodb');
      const s = story(b, {
        onset,
        minutes: 95,
        services: [
          {
            name: 'orders-api',
            regions: ['westus'],
            deps: [{ vendor: mdb, components: ['MongoDB Cloud'] }, { vendor: b.vendor('stripe', 'Stripe') }],
            hits: [{ vendor: mdb, codes: mongoNet, peak: 22, endpoint: 'atlas:orders-prod' }],
          },
          {
            name: 'inventory-sync',
            regions: ['westus'],
            deps: [{ vendor: mdb, components: ['MongoDB Cloud'] }],
            hits: [{ vendor: mdb, codes: mongoNet, peak: 8, endpoint: 'atlas:orders-prod' }],
          },
        ],
      });
      ourIncident(b, {
        service: 'orders-api',
        title: 'Order placement intermittently failing (West US)',
        onset,
        end: s.end,
        expect: 'upstream',
        regions: ['westus'],
      });
      b.describe(
        `${intro(v)}: an Azure networking incident in West US reaching Atlas clusters hosted there. Our orders-api and inventory-sync run in Azure westus against an Atlas cluster there and lose connections to it from ${hm(onset)}, twelve minutes before MongoDB's first post. A responder concludes: upstream (MongoDB Atlas, itself a victim of Azure).`,
      );
    },
  },
  {
    name: 'twilio-latency-multiple-products',
    class: 'vendor-tagged-multi',
    build(b) {
      const v = b.source('twilio', 'mk030xhr99cy', 'as posted', { maxUpdates: 5 });
      const onset = b.at(v.post, -7);
      const tw = b.vendor('twilio');
      const s = story(b, {
        onset,
        minutes: 84,
        services: [
          {
            name: 'notify',
            regions: ['us-east-1'],
            deps: [
              { vendor: tw, components: ['Messaging Services', 'Verify'] },
              { vendor: b.vendor('sendgrid', 'SendGrid') },
            ],
            hits: [{ vendor: tw, codes: codes.timeouts, peak: 14 }],
          },
          {
            name: 'contact-center',
            regions: ['us-east-1'],
            deps: [{ vendor: tw, components: ['Flex Application Platform', 'TaskRouter'] }],
            hits: [
              {
                vendor: tw,
                codes: [...codes.timeouts, { code: 'HTTP_503', status: 503, weight: 1 }],
                peak: 9,
                lag: 3,
              },
            ],
          },
        ],
      });
      ourIncident(b, {
        service: 'notify',
        title: 'OTP and SMS sends timing out',
        onset,
        end: s.end,
        expect: 'upstream',
      });
      b.describe(
        `${intro(v)}: the first post names only Sync; by 01:53Z "increased latency for multiple Twilio services" (Verify, Messaging Services, Flex, TaskRouter among the components). Our notify and contact-center, both in us-east-1, time out on Twilio from ${hm(onset)}. A responder concludes: upstream (Twilio).`,
      );
    },
  },
  {
    name: 'datadog-metrics-submission-calls',
    class: 'vendor-tagged-multi',
    build(b) {
      const v = b.source('datadog', 'k6djtds3mnv0', 'as posted');
      const onset = b.at(v.post, -5);
      const dd = b.vendor('datadog');
      const s = story(b, {
        onset,
        minutes: 36,
        services: [
          {
            name: 'autoscaler',
            regions: ['us-east-1'],
            deps: [{ vendor: dd, components: ['Metrics and Infra Monitoring'] }],
            hits: [
              {
                vendor: dd,
                codes: [
                  { code: 'HTTP_503', status: 503, weight: 3 },
                  { code: 'HTTP_500', status: 500, weight: 1 },
                ],
                peak: 40,
                calls: 120,
                endpoint: 'POST /api/v2/series',
              },
            ],
          },
          {
            name: 'billing-worker',
            regions: ['us-east-1'],
            deps: [
              { vendor: dd, components: ['Metrics and Infra Monitoring'] },
              { vendor: b.vendor('stripe', 'Stripe') },
            ],
            hits: [{ vendor: dd, codes: codes.server, peak: 7, endpoint: 'POST /api/v2/series' }],
          },
        ],
      });
      ourIncident(b, {
        service: 'autoscaler',
        title: 'Autoscaler flying blind: custom metrics not accepted',
        onset,
        end: s.end,
        expect: 'upstream',
      });
      b.describe(
        `${intro(v)}: "submitting new metric data through the API might fail temporarily". Our autoscaler reports its call volume: about 120 submissions a minute, of which a third fail with 503 from ${hm(onset)}; billing-worker's submissions fail too. A responder concludes: upstream (Datadog).`,
      );
    },
  },
  {
    name: 'claude-sonnet-errors-two-services',
    class: 'vendor-tagged-multi',
    build(b) {
      const v = b.source('claude', 'tdp33ycsk4rb', 'as posted');
      const onset = Date.parse('2026-03-12T16:27:30Z');
      const ai = b.vendor('claude');
      const overloaded = [
        { code: 'OVERLOADED', status: 529, weight: 3 },
        { code: 'HTTP_500', status: 500, weight: 2 },
        { code: 'ETIMEDOUT', weight: 1 },
      ];
      const s = story(b, {
        onset,
        minutes: 95,
        services: [
          {
            name: 'support-assistant',
            regions: ['eu-west-1'],
            deps: [
              { vendor: ai, components: ['Claude API (api.anthropic.com)'] },
              { vendor: b.vendor('zendesk', 'Zendesk') },
            ],
            hits: [{ vendor: ai, codes: overloaded, peak: 12 }],
          },
          {
            name: 'doc-summarizer',
            regions: ['us-east-1'],
            deps: [{ vendor: ai, components: ['Claude API (api.anthropic.com)'] }],
            hits: [{ vendor: ai, codes: overloaded, peak: 7, lag: 1 }],
          },
        ],
      });
      ourIncident(b, {
        service: 'support-assistant',
        title: 'Assistant replies failing for agents',
        onset,
        end: s.end,
        expect: 'upstream',
        regions: ['eu-west-1'],
      });
      b.describe(
        `${intro(v)}; its only update says "A repeat of an earlier issue today started at 9:27 PT / 16:27 UTC". Our support-assistant (eu-west-1) and doc-summarizer (us-east-1) get 529/500 from the Claude API from 16:27Z. A responder concludes: upstream (Anthropic).`,
      );
    },
  },
  {
    name: 'newrelic-us-ingest-21-min-late',
    class: 'vendor-tagged-multi',
    build(b) {
      const v = b.source('newrelic', '8z3tkdptn326', 'as posted', { regions: ['US'], maxUpdates: 5 });
      const onset = Date.parse('2023-09-06T02:03:40Z');
      const nr = b.vendor('newrelic');
      const s = story(b, {
        onset,
        minutes: 110,
        services: [
          {
            name: 'telemetry-forwarder',
            regions: ['us-east-1'],
            deps: [{ vendor: nr, components: ['Metric API : US', 'Log API : US'] }],
            hits: [
              {
                vendor: nr,
                codes: [...codes.timeouts, { code: 'HTTP_503', status: 503, weight: 2 }],
                peak: 18,
                endpoint: 'POST /log/v1',
              },
            ],
          },
          {
            name: 'payments',
            regions: ['us-east-1'],
            deps: [{ vendor: nr, components: ['APM Agent : US'] }, { vendor: b.vendor('stripe', 'Stripe') }],
            hits: [{ vendor: nr, codes: codes.timeouts, peak: 5, lag: 2 }],
          },
        ],
      });
      ourIncident(b, {
        service: 'telemetry-forwarder',
        title: 'Log shipping backlog, buffers filling',
        onset,
        end: s.end,
        expect: 'upstream',
      });
      b.suspects([{ vendor: nr, region: 'us-east-1' }]);
      b.describe(
        `${intro(v)}; the resolution dates the impact "Between 02:03 UTC and 05:45 UTC … some customers in the US region". New Relic posted 21 minutes after our telemetry-forwarder and payments (us-east-1) started timing out on its ingest APIs. A responder concludes: upstream (New Relic), and our errors should have raised the suspicion before the post.`,
      );
    },
  },
  {
    name: 'onepassword-authentications-fail',
    class: 'vendor-tagged-single',
    build(b) {
      const v = b.source('onepassword', '1sr4xv874lyd', 'as posted');
      const onset = b.at(v.post, -5);
      const op = b.vendor('onepassword');
      const s = story(b, {
        onset,
        minutes: 30,
        services: [
          {
            name: 'secrets-sync',
            regions: ['eu-west-1'],
            deps: [{ vendor: op, components: ['Sign in', 'SSO (Single Sign On)'] }],
            hits: [
              {
                vendor: op,
                codes: [
                  { code: 'HTTP_503', status: 503, weight: 3 },
                  { code: 'HTTP_500', status: 500, weight: 2 },
                  { code: 'ETIMEDOUT', weight: 1 },
                ],
                peak: 24,
                endpoint: 'connect:/v1/vaults',
              },
            ],
          },
          { name: 'web', regions: ['eu-west-1'], deps: [{ vendor: b.vendor('stripe', 'Stripe') }] },
        ],
      });
      ourIncident(b, {
        service: 'secrets-sync',
        title: 'Deploys blocked: secrets cannot be fetched',
        onset,
        end: s.end,
        expect: 'upstream',
      });
      b.describe(
        `${intro(v)}: "an issue causing authentications to fail", fixed 14:34Z. Only our secrets-sync (eu-west-1) uses 1Password; from ${hm(onset)} almost all its errors are 5xx from 1Password, about 24 a minute for half an hour against a baseline under one. web is unaffected. A responder concludes: upstream (1Password).`,
      );
    },
  },
  {
    name: 'figma-service-disruption-design-sync',
    class: 'vendor-tagged-single',
    build(b) {
      const v = b.source('figma', 'j7t3nh1xfj10', 'as posted');
      const onset = Date.parse('2023-07-10T17:36:25Z');
      const fg = b.vendor('figma');
      const s = story(b, {
        onset,
        minutes: 23,
        services: [
          {
            name: 'design-sync',
            regions: ['us-west-2'],
            deps: [{ vendor: fg, components: ['REST API'] }, { vendor: b.vendor('github', 'GitHub') }],
            hits: [
              {
                vendor: fg,
                codes: [
                  { code: 'HTTP_502', status: 502, weight: 2 },
                  { code: 'HTTP_503', status: 503, weight: 2 },
                  { code: 'ETIMEDOUT', weight: 1 },
                ],
                peak: 15,
              },
            ],
          },
        ],
      });
      ourIncident(b, {
        service: 'design-sync',
        title: 'Design token export failing',
        onset,
        end: s.end,
        expect: 'upstream',
        delay: 4,
      });
      b.describe(
        `${intro(v)}; the resolution says "From 17:36 to 17:58 UTC, Figma was available in a limited capacity". Our design-sync, the one service that calls the Figma REST API, fails with 502/503 from 17:36Z to 17:59Z. A responder concludes: upstream (Figma).`,
      );
    },
  },
  {
    name: 'laravel-serverless-postgres-ohio',
    class: 'vendor-tagged-single',
    build(b) {
      const v = b.source('laravel', 'm8jldqnhjnv6', 'as posted', { regions: ['US East (Ohio)'] });
      const onset = b.at(v.post, -8);
      const lc = b.vendor('laravel');
      const s = story(b, {
        onset,
        minutes: 105,
        services: [
          {
            name: 'shop',
            regions: ['us-east-2'],
            deps: [
              { vendor: lc, components: ['Serverless Postgres - US East (Ohio)'] },
              { vendor: b.vendor('stripe', 'Stripe') },
            ],
            hits: [
              {
                vendor: lc,
                codes: [
                  { code: 'PG_CONNECT_TIMEOUT', weight: 3 },
                  { code: 'CONNECTION_REFUSED', weight: 1 },
                ],
                peak: 19,
                endpoint: 'pg:shop-main',
              },
            ],
          },
        ],
      });
      ourIncident(b, {
        service: 'shop',
        title: 'Storefront 500s: database unreachable',
        onset,
        end: s.end,
        expect: 'upstream',
        regions: ['us-east-2'],
      });
      b.describe(
        `${intro(v)}: "Our upstream provider of Serverless Postgres is having connectivity issues due to high latencies." Our shop runs on Laravel Cloud in US East (Ohio) with its Serverless Postgres; from ${hm(onset)} its database connections time out, close to 20 a minute for well over an hour. A responder concludes: upstream (Laravel Cloud).`,
      );
    },
  },
  {
    name: 'zoom-inbound-traffic-recurrence',
    class: 'vendor-tagged-single',
    build(b) {
      const v = b.source('zoom', '884p1zssvs3r', 'as posted', { maxUpdates: 7 });
      const onset = b.at(v.post, -6);
      const zm = b.vendor('zoom');
      const s = story(b, {
        onset,
        minutes: 25,
        services: [
          {
            name: 'webinar-scheduler',
            regions: ['us-east-1'],
            deps: [
              { vendor: zm, components: ['Zoom Meetings'] },
              { vendor: b.vendor('sendgrid', 'SendGrid') },
            ],
            hits: [
              {
                vendor: zm,
                codes: [...codes.server, { code: 'ETIMEDOUT', weight: 2 }],
                peak: 17,
                again: [{ lag: 44, minutes: 48, peak: 12 }],
              },
            ],
          },
        ],
        tail: 30,
      });
      ourIncident(b, {
        service: 'webinar-scheduler',
        title: 'Webinar joins and creations failing',
        onset,
        end: s.end,
        expect: 'upstream',
      });
      b.describe(
        `${intro(v)}: inbound traffic issues in data centers in Europe, India, Japan, Saudi Arabia and Australia, North America added at 00:52Z, recovery at 00:53Z, a recurrence at 01:12Z and a rollback at 01:56Z. Our webinar-scheduler (us-east-1) fails on Zoom from ${hm(onset)}, recovers, and fails again with the recurrence; one incident of ours spans both. A responder concludes: upstream (Zoom).`,
      );
    },
  },
  {
    name: 'statuspage-api-intermittent-calls',
    class: 'vendor-tagged-single',
    build(b) {
      const v = b.source('atlassianstatuspage', '3s2rf0nphzpx', 'as posted');
      const onset = b.at(v.post, -6);
      const sp = b.vendor('atlassianstatuspage');
      const s = story(b, {
        onset,
        minutes: 50,
        services: [
          {
            name: 'status-publisher',
            regions: ['eu-west-1'],
            deps: [{ vendor: sp, components: ['Authenticated API'] }],
            hits: [
              {
                vendor: sp,
                codes: [
                  { code: 'HTTP_502', status: 502, weight: 2 },
                  { code: 'HTTP_504', status: 504, weight: 1 },
                ],
                peak: 14,
                calls: 30,
                endpoint: 'PATCH /v1/pages/components',
              },
            ],
          },
        ],
      });
      ourIncident(b, {
        service: 'status-publisher',
        title: 'Our public status page is not updating',
        onset,
        end: s.end,
        expect: 'upstream',
      });
      b.describe(
        `${intro(v)}; identified 08:25Z, "The API has fully recovered" 08:47Z. Our status-publisher reports its volume: about 30 calls a minute to the Statuspage API, of which roughly half fail with 502/504 from ${hm(onset)} until 08:50Z. A responder concludes: upstream (Atlassian Statuspage).`,
      );
    },
  },
  {
    name: 'hashicorp-terraform-api-slow',
    class: 'vendor-tagged-single',
    build(b) {
      const v = b.source('hashicorp', 't62dzq30dqgr', 'as posted');
      const onset = b.at(v.post, -10);
      const hc = b.vendor('hashicorp');
      const s = story(b, {
        onset,
        minutes: 42,
        services: [
          {
            name: 'infra-deployer',
            regions: ['us-west-2'],
            deps: [{ vendor: hc, components: ['HCP Terraform'] }, { vendor: b.vendor('github', 'GitHub') }],
            hits: [{ vendor: hc, codes: codes.timeouts, peak: 11, endpoint: 'POST /api/v2/runs' }],
          },
        ],
      });
      ourIncident(b, {
        service: 'infra-deployer',
        title: 'Infrastructure runs stuck, rollout blocked',
        onset,
        end: s.end,
        expect: 'upstream',
      });
      b.describe(
        `${intro(v)}; "a database problem", emergency maintenance at 16:05Z, successful by 16:19Z. Our infra-deployer times out on the HCP Terraform API from ${hm(onset)}, ten minutes before the post, at about 11 a minute until 16:22Z. A responder concludes: upstream (HashiCorp).`,
      );
    },
  },
  {
    name: 'twitch-login-issues-companion',
    class: 'vendor-tagged-single',
    build(b) {
      const v = b.source('twitch', 'x9n7yqg7qnpp', 'as posted');
      const onset = b.at(v.post, -3);
      const tv = b.vendor('twitch');
      const s = story(b, {
        onset,
        minutes: 34,
        services: [
          {
            name: 'stream-companion',
            regions: ['eu-central-1'],
            deps: [{ vendor: tv, components: ['Login'] }],
            hits: [
              {
                vendor: tv,
                codes: [
                  { code: 'HTTP_503', status: 503, weight: 2 },
                  { code: 'HTTP_500', status: 500, weight: 1 },
                  { code: 'ECONNRESET', weight: 1 },
                ],
                peak: 13,
                endpoint: 'POST /oauth2/token',
              },
            ],
          },
        ],
      });
      ourIncident(b, {
        service: 'stream-companion',
        title: 'Viewers cannot link their Twitch accounts',
        onset,
        end: s.end,
        expect: 'upstream',
      });
      b.describe(
        `${intro(v)}: "some users are unable to log in", fixed 11:20Z. Our stream-companion's token exchanges with Twitch fail with 5xx and resets from ${hm(onset)}. A responder concludes: upstream (Twitch).`,
      );
    },
  },
  {
    name: 'reddit-api-errors-social-listening',
    class: 'vendor-tagged-multi',
    build(b) {
      const v = b.source('reddit', '1prwn9hxgnh1', 'as posted');
      const onset = b.at(v.post, -6);
      const rd = b.vendor('reddit');
      const s = story(b, {
        onset,
        minutes: 62,
        services: [
          {
            name: 'social-listening',
            regions: ['us-east-1'],
            deps: [{ vendor: rd, components: ['Desktop Web'] }],
            hits: [
              {
                vendor: rd,
                codes: [
                  { code: 'HTTP_500', status: 500, weight: 2 },
                  { code: 'HTTP_503', status: 503, weight: 2 },
                  { code: 'ETIMEDOUT', weight: 1 },
                ],
                peak: 15,
                endpoint: 'GET /r/{sub}/new',
              },
            ],
          },
          {
            name: 'brand-alerts',
            regions: ['us-east-1'],
            deps: [{ vendor: rd }, { vendor: b.vendor('slack', 'Slack') }],
            hits: [{ vendor: rd, codes: codes.server, peak: 5, lag: 2, endpoint: 'GET /search' }],
          },
        ],
      });
      ourIncident(b, {
        service: 'social-listening',
        title: 'Mentions feed stalled',
        onset,
        end: s.end,
        expect: 'upstream',
      });
      b.describe(
        `${intro(v)}: "an elevated level of API errors"; fix at 18:15Z. Our social-listening and brand-alerts both read the Reddit API and get 5xx and timeouts from ${hm(onset)}, six minutes before the post. A responder concludes: upstream (Reddit).`,
      );
    },
  },
];
