import { codes, hm, type Recipe } from '../builder.js';
import { intro, ourIncident, own, story } from '../story.js';

// A change of ours lands minutes before a real vendor outage: when our errors point at the vendor
// (its 5xx and timeouts, in services we did not touch or in a spike the vendor confirms), the deploy is
// a coincidence. And maintenance windows: the vendor's own announced work is the cause when it covers
// our component and our errors on it spike — not when it names other endpoints or promises no impact
// while our errors are our own.

export const vendorDeploy: Recipe[] = [
  {
    name: 'twilio-serverless-failures-after-our-deploy',
    class: 'deploy-during-vendor-outage',
    build(b) {
      const v = b.source('twilio', 'lrzw2x0hwg8n', 'as posted');
      const onset = Date.parse('2025-09-16T22:10:10Z');
      const tw = b.vendor('twilio');
      const s = story(b, {
        onset,
        minutes: 10,
        services: [
          {
            name: 'ivr',
            regions: ['us-west-2'],
            deps: [{ vendor: tw, components: ['SERVERLESS / Functions'] }],
            hits: [
              {
                vendor: tw,
                codes: [
                  { code: 'HTTP_500', status: 500, weight: 2 },
                  { code: 'HTTP_503', status: 503, weight: 2 },
                ],
                peak: 25,
              },
            ],
          },
          {
            name: 'callbacks',
            regions: ['us-west-2'],
            deps: [{ vendor: tw, components: ['SERVERLESS / Functions', 'SERVERLESS / Assets'] }],
            hits: [{ vendor: tw, codes: codes.server, peak: 11 }],
          },
        ],
        tail: 45,
      });
      b.change(b.at(onset, -5), 'ivr', 'deploy', 'ivr@7.3.0', 'New holiday-hours menu');
      ourIncident(b, {
        service: 'ivr',
        title: 'Callers hear an application error',
        onset,
        end: s.end,
        expect: 'upstream',
        delay: 4,
      });
      b.describe(
        `${intro(v)}: failures of "Serverless Invocation and Authoring API … at 3:10pm PT to 3:19pm PT" (22:10–22:19Z). Five minutes before, we deploy a new menu to our ivr. From 22:10Z both ivr and callbacks — which we did not deploy — get 5xx from Twilio Functions, for nine minutes. The deploy is a coincidence: a responder concludes upstream (Twilio).`,
      );
    },
  },
  {
    name: 'claude-haiku-errors-after-our-deploy',
    class: 'deploy-during-vendor-outage',
    build(b) {
      const v = b.source('claude', 's0pmy4yywshv', 'as posted');
      const onset = b.at(v.post, -7);
      const ai = b.vendor('claude');
      const errs = [
        { code: 'HTTP_500', status: 500, weight: 2 },
        { code: 'OVERLOADED', status: 529, weight: 2 },
        { code: 'ETIMEDOUT', weight: 1 },
      ];
      const s = story(b, {
        onset,
        minutes: 45,
        services: [
          {
            name: 'support-assistant',
            regions: ['eu-central-1'],
            deps: [{ vendor: ai, components: ['Claude API (api.anthropic.com)'] }],
            hits: [{ vendor: ai, codes: errs, peak: 14 }],
          },
          {
            name: 'ticket-tagger',
            regions: ['eu-central-1'],
            deps: [{ vendor: ai, components: ['Claude API (api.anthropic.com)'] }],
            hits: [{ vendor: ai, codes: errs, peak: 6, lag: 1 }],
          },
        ],
      });
      b.change(
        b.at(onset, -3),
        'support-assistant',
        'deploy',
        'assistant@2026.03.03-2',
        'Prompt and tool-schema update',
      );
      ourIncident(b, {
        service: 'support-assistant',
        title: 'Assistant failing after release',
        onset,
        end: s.end,
        expect: 'upstream',
      });
      b.describe(
        `${intro(v)}. Three minutes before our errors we release a prompt update of support-assistant. From ${hm(onset)} both support-assistant and ticket-tagger (not deployed) get 500/529 from the Claude API, and Anthropic posts seven minutes later. A responder concludes: upstream (Anthropic), despite the release.`,
      );
    },
  },
  {
    name: 'github-git-operations-after-our-runner-deploy',
    class: 'deploy-during-vendor-outage',
    build(b) {
      const v = b.source('github', 'qd96yfgvmcf9', 'as posted');
      const onset = Date.parse('2025-01-13T23:35:25Z');
      const gh = b.vendor('github');
      const s = story(b, {
        onset,
        minutes: 49,
        services: [
          {
            name: 'ci-runner',
            regions: ['us-east-2'],
            deps: [
              { vendor: gh, components: ['Git Operations', 'Actions'] },
              { vendor: b.vendor('docker-hub', 'Docker Hub') },
            ],
            hits: [
              {
                vendor: gh,
                codes: [
                  { code: 'HTTP_503', status: 503, weight: 2 },
                  { code: 'ECONNRESET', weight: 2 },
                  { code: 'ETIMEDOUT', weight: 1 },
                ],
                peak: 24,
                endpoint: 'git fetch',
              },
            ],
          },
        ],
      });
      b.change(
        b.at(onset, -8),
        'ci-runner',
        'deploy',
        'runner-image-2025.01.13',
        'New base image for CI runners',
      );
      ourIncident(b, {
        service: 'ci-runner',
        title: 'All CI jobs failing at checkout',
        onset,
        end: s.end,
        expect: 'upstream',
      });
      b.describe(
        `${intro(v)}; the resolution: "between 23:35 UTC and 00:24 UTC all Git operations were unavailable due to a configuration change causing our internal load balancer to drop…". Eight minutes before, we roll out a new CI runner image. Only ci-runner calls GitHub, and from 23:35Z its git fetches fail with 503s, resets and timeouts — ~24 a minute, all naming GitHub — until 00:24Z. A deploy would fail in other ways; these errors and the vendor's own window agree. A responder concludes: upstream (GitHub).`,
      );
    },
  },
  {
    name: 'cloudflare-r2-outage-after-our-flag',
    class: 'deploy-during-vendor-outage',
    build(b) {
      const v = b.source('cloudflare', 'pgz7g5xlpxzr', 'as posted', { maxUpdates: 7 });
      const onset = b.at(v.post, -6);
      const cf = b.vendor('cloudflare');
      const r2 = [
        { code: 'HTTP_503', status: 503, weight: 3 },
        { code: 'HTTP_500', status: 500, weight: 1 },
        { code: 'ETIMEDOUT', weight: 1 },
      ];
      const s = story(b, {
        onset,
        minutes: 60,
        services: [
          {
            name: 'media',
            regions: ['weur'],
            deps: [{ vendor: cf, components: ['R2', 'Images'] }],
            hits: [{ vendor: cf, codes: r2, peak: 17, endpoint: 'r2:media-prod' }],
          },
          {
            name: 'exports',
            regions: ['weur'],
            deps: [{ vendor: cf, components: ['R2'] }, { vendor: b.vendor('sendgrid', 'SendGrid') }],
            hits: [{ vendor: cf, codes: r2, peak: 6, lag: 1, endpoint: 'r2:exports' }],
          },
        ],
      });
      b.change(
        b.at(onset, -4),
        'media',
        'flag',
        'media.avif-variants',
        'Enable AVIF variants for product images',
      );
      ourIncident(b, {
        service: 'media',
        title: 'Image uploads and variants failing',
        onset,
        end: s.end,
        expect: 'upstream',
      });
      b.describe(
        `${intro(v)}: R2, Durable Objects, Images, Stream and more. Four minutes before our errors we turn on AVIF variants in media. From ${hm(onset)} media and exports (untouched) both get 5xx from R2. A responder concludes: upstream (Cloudflare).`,
      );
    },
  },
  {
    name: 'discord-api-errors-after-our-config',
    class: 'deploy-during-vendor-outage',
    build(b) {
      const v = b.source('discord', '4z88xmn4qxxc', 'as posted');
      const onset = b.at(v.post, -5);
      const dc = b.vendor('discord');
      const s = story(b, {
        onset,
        minutes: 20,
        services: [
          {
            name: 'community-bot',
            regions: ['eu-west-1'],
            deps: [{ vendor: dc, components: ['API'] }],
            hits: [
              {
                vendor: dc,
                codes: [
                  { code: 'HTTP_500', status: 500, weight: 2 },
                  { code: 'HTTP_502', status: 502, weight: 1 },
                  { code: 'ETIMEDOUT', weight: 2 },
                ],
                peak: 19,
              },
            ],
          },
          {
            name: 'alerts-relay',
            regions: ['eu-west-1'],
            deps: [{ vendor: dc, components: ['API'] }],
            hits: [{ vendor: dc, codes: codes.server, peak: 4, lag: 2 }],
          },
        ],
      });
      b.change(
        b.at(onset, -6),
        'community-bot',
        'config',
        'shard-count-24',
        'Bot sharding raised from 16 to 24',
      );
      ourIncident(b, {
        service: 'community-bot',
        title: 'Bot commands failing after resharding',
        onset,
        end: s.end,
        expect: 'upstream',
      });
      b.describe(
        `${intro(v)}: "increased error rates and latency on our APIs"; recovering from 22:34Z. Six minutes before our errors we reshard the community-bot. From ${hm(onset)} the bot, and alerts-relay which we did not touch, get 5xx and timeouts from Discord. A responder concludes: upstream (Discord).`,
      );
    },
  },
  {
    name: 'flyio-bom-emergency-network-maintenance',
    class: 'maintenance',
    build(b) {
      const v = b.source('flyio', 'xtfrp9ptl3k0', 'as posted, kind maintenance', {
        regions: ['BOM'],
        kind: 'maintenance',
      });
      const onset = b.at(v.post, -3);
      const fly = b.vendor('flyio');
      const s = story(b, {
        onset,
        minutes: 26,
        services: [
          {
            name: 'web',
            regions: ['bom'],
            deps: [{ vendor: fly, components: ['BOM - Mumbai, India'] }],
            hits: [
              {
                codes: [
                  { code: 'HTTP_503', status: 503, weight: 2 },
                  { code: 'TIMEOUT', weight: 1 },
                ],
                peak: 12,
              },
            ],
          },
          {
            name: 'worker',
            regions: ['bom'],
            deps: [{ vendor: fly, components: ['BOM - Mumbai, India'] }],
            hits: [
              {
                vendor: fly,
                codes: [
                  { code: 'ECONNRESET', weight: 2 },
                  { code: 'ETIMEDOUT', weight: 2 },
                ],
                peak: 8,
                endpoint: 'flycast:db',
              },
            ],
          },
        ],
      });
      ourIncident(b, {
        service: 'web',
        title: 'Indian users see errors',
        onset,
        end: s.end,
        expect: 'upstream',
        regions: ['bom'],
      });
      b.describe(
        `${intro(v)}: "One of our upstream providers is performing an emergency network maintenance in BOM. Apps in BOM may experience temporary connectivity issues"; completed 19:58Z. Our web and worker run in bom: web logs untagged 503s, worker's private-network calls time out and reset, from ${hm(onset)} until the maintenance completes. A responder concludes: upstream (Fly.io's maintenance).`,
      );
    },
  },
  {
    name: 'twilio-flex-maintenance-reboot',
    class: 'maintenance',
    build(b) {
      const v = b.source('twilio', 'rjnxfkkyzxyr', 'as posted, kind maintenance', { kind: 'maintenance' });
      const onset = b.at(v.post, 9);
      const tw = b.vendor('twilio');
      const s = story(b, {
        onset,
        minutes: 9,
        services: [
          {
            name: 'contact-center',
            regions: ['eu-west-1'],
            deps: [{ vendor: tw, components: ['Flex Application Platform', 'Flex Agent Desktop'] }],
            hits: [
              {
                vendor: tw,
                codes: [
                  { code: 'HTTP_503', status: 503, weight: 3 },
                  { code: 'HTTP_502', status: 502, weight: 1 },
                ],
                peak: 18,
                endpoint: 'flex:sso-login',
              },
            ],
          },
        ],
        tail: 30,
      });
      ourIncident(b, {
        service: 'contact-center',
        title: 'Agents cannot log in to Flex',
        onset,
        end: s.end,
        expect: 'upstream',
        delay: 3,
      });
      b.describe(
        `${intro(v)} (impact none): a planned Flex maintenance in all regions, "We'll start the cluster reboot in the next 10 minutes … Login failures for customers logging in via legacy SSO". Our contact-center agents log in with legacy SSO; from ${hm(onset)}, nine minutes after the post, logins fail with 503 from Flex for about nine minutes. Impact none, but the maintenance covers our component and our errors confirm it. A responder concludes: upstream (Twilio's maintenance).`,
      );
    },
  },
  {
    name: 'discord-billing-maintenance-purchases',
    class: 'maintenance',
    build(b) {
      const v = b.source('discord', 'ksldf0t982kj', 'as posted, kind maintenance', { kind: 'maintenance' });
      const onset = b.at(v.post, -1);
      const dc = b.vendor('discord');
      const s = story(b, {
        onset,
        minutes: 18,
        services: [
          {
            name: 'premium',
            regions: ['us-east-1'],
            deps: [{ vendor: dc, components: ['API', 'Payments'] }],
            hits: [
              {
                vendor: dc,
                codes: [{ code: 'HTTP_503', status: 503, weight: 1 }],
                peak: 13,
                endpoint: 'POST /applications/{id}/entitlements',
              },
            ],
          },
        ],
        tail: 30,
      });
      ourIncident(b, {
        service: 'premium',
        title: 'Premium purchases failing',
        onset,
        end: s.end,
        expect: 'upstream',
        delay: 5,
      });
      b.describe(
        `${intro(v)} (impact none): "a maintenance operation on our billing database and have paused traffic. Checkout, purchases, and subscription updates will be temporarily offline." Our premium service's entitlement and purchase calls get 503 from Discord for the 18 minutes it lasts. A responder concludes: upstream (Discord's maintenance).`,
      );
    },
  },
  {
    name: 'github-eu-maintenance-our-regression',
    class: 'maintenance',
    build(b) {
      const v = b.source('github', '4843jm0lsls6', 'as posted, kind maintenance', {
        kind: 'maintenance',
        maxUpdates: 5,
      });
      const onset = b.at(v.post, 12);
      const gh = b.vendor('github');
      const s = story(b, {
        onset,
        minutes: 70,
        services: [
          {
            name: 'ci-orchestrator',
            regions: ['eu-west-1'],
            deps: [{ vendor: gh, components: ['Actions', 'API Requests'] }],
            hits: [{ codes: own.schema, peak: 14 }],
          },
        ],
      });
      b.change(
        b.at(onset, -4),
        'ci-orchestrator',
        'deploy',
        'orchestrator@5.0.0',
        'Job spec v5 (breaking serializer change)',
      );
      ourIncident(b, {
        service: 'ci-orchestrator',
        title: 'Pipelines failing to schedule',
        onset,
        end: s.end,
        expect: 'internal',
      });
      b.suspects([]);
      b.describe(
        `${intro(v)}: "routine maintenance on our network infrastructure in the EU. This will not impact production traffic, but may result in slightly increased latency". Four minutes before our errors we deploy job spec v5 of the ci-orchestrator (eu-west-1); from ${hm(onset)} it fails with SCHEMA_MISMATCH and DESERIALIZATION_FAILED, while its GitHub calls stay at baseline. A responder concludes: internal.`,
      );
    },
  },
  {
    name: 'redis-maintenance-other-endpoint-our-oom',
    class: 'maintenance',
    build(b) {
      const v = b.source('redislabs', '1d3x5l9t2dnq', 'as posted, kind maintenance', { kind: 'maintenance' });
      const onset = b.at(v.post, 25);
      const rc = b.vendor('redislabs');
      const s = story(b, {
        onset,
        minutes: 40,
        services: [
          {
            name: 'recommendations',
            regions: ['us-east-1'],
            deps: [
              {
                vendor: rc,
                components: ['redis-14210.c118.us-east-1-4.ec2.cloud.redislabs.com'],
                quiet: [{ code: 'ETIMEDOUT', weight: 1 }],
              },
            ],
            hits: [{ codes: own.oom, peak: 10 }],
          },
        ],
      });
      ourIncident(b, {
        service: 'recommendations',
        title: 'Recommendations empty, pods restarting',
        onset,
        end: s.end,
        expect: 'internal',
      });
      b.suspects([]);
      b.describe(
        `${intro(v)} (impact none): "Service maintenance applies to all of the resources with the following pattern in their endpoint : c292". Our recommendations service uses a database on a c118 endpoint; from ${hm(onset)} its pods crash with OUT_OF_MEMORY while its Redis calls stay at baseline. A responder concludes: internal.`,
      );
    },
  },
];
