import { codes, hm, type Recipe } from '../builder.js';
import { intro, ourIncident, story } from '../story.js';

// The vendor never posts. Each story is modelled on a real incident of the vendor (its date, times and
// what failed), whose post is withheld from the scenario. Strong: our errors name the vendor in two or
// more services, or one service has a large sustained spike most of whose errors name it — upstream,
// and our own errors should raise the suspicion within minutes. Weak: one service, a modest rise —
// unclear.

const withheld = 'modelled on, post withheld';

export const vendorSilent: Recipe[] = [
  {
    name: 'twilio-silent-rest-api-5xx',
    class: 'vendor-silent-strong',
    build(b) {
      const v = b.source('twilio', '2wzgw8hkx813', withheld, { hidden: true });
      const onset = b.at(v.post, -4);
      const tw = b.vendor('twilio');
      const s = story(b, {
        onset,
        minutes: 60,
        services: [
          {
            name: 'notify',
            regions: ['us-east-1'],
            deps: [
              { vendor: tw, components: ['REST API', 'SMS'] },
              { vendor: b.vendor('sendgrid', 'SendGrid') },
            ],
            hits: [
              {
                vendor: tw,
                codes: [
                  { code: 'HTTP_500', status: 500, weight: 3 },
                  { code: 'HTTP_503', status: 503, weight: 1 },
                ],
                peak: 16,
                endpoint: 'POST /2010-04-01/Messages',
              },
            ],
          },
          {
            name: 'voice-router',
            regions: ['us-east-1'],
            deps: [{ vendor: tw, components: ['REST API', 'PSTN US1'] }],
            hits: [
              {
                vendor: tw,
                codes: [{ code: 'HTTP_500', status: 500, weight: 1 }],
                peak: 7,
                lag: 1,
                endpoint: 'POST /2010-04-01/Calls',
              },
            ],
          },
        ],
      });
      ourIncident(b, {
        service: 'notify',
        title: 'SMS sends failing with 500',
        onset,
        end: s.end,
        expect: 'upstream',
      });
      b.suspects([{ vendor: tw, region: 'us-east-1' }]);
      b.describe(
        `Modelled on ${intro(v)} ("Traffic and 500 Error Spike At API Edge"), with the post withheld: here Twilio never says anything. From ${hm(onset)} our notify and voice-router (us-east-1) both get 500s from the Twilio REST API; nothing of ours changed. A responder concludes: upstream (Twilio), suspected from our errors within minutes.`,
      );
    },
  },
  {
    name: 'mongodb-silent-frankfurt-connections',
    class: 'vendor-silent-strong',
    build(b) {
      const v = b.source('mongodb', 'ycmhyqf42dhq', withheld, { hidden: true });
      const onset = b.at(v.post, -9);
      const mdb = b.vendor('mongodb');
      const net = [
        { code: 'MONGO_SERVER_SELECTION_TIMEOUT', weight: 3 },
        { code: 'ECONNRESET', weight: 1 },
        { code: 'EAI_AGAIN', weight: 1 },
      ];
      const s = story(b, {
        onset,
        minutes: 70,
        services: [
          {
            name: 'accounts',
            regions: ['eu-central-1'],
            deps: [{ vendor: mdb, components: ['MongoDB Cloud'] }],
            hits: [{ vendor: mdb, codes: net, peak: 11, endpoint: 'atlas:accounts-fra' }],
          },
          {
            name: 'catalog',
            regions: ['eu-central-1'],
            deps: [
              { vendor: mdb, components: ['MongoDB Cloud'] },
              { vendor: b.vendor('algolia', 'Algolia') },
            ],
            hits: [{ vendor: mdb, codes: net, peak: 8, lag: 2, endpoint: 'atlas:catalog-fra' }],
          },
        ],
      });
      ourIncident(b, {
        service: 'accounts',
        title: 'Sign-ins intermittently failing (Frankfurt)',
        onset,
        end: s.end,
        expect: 'upstream',
        regions: ['eu-central-1'],
      });
      b.suspects([{ vendor: mdb, region: 'eu-central-1' }]);
      b.describe(
        `Modelled on ${intro(v)} ("intermittent connection issues for some clusters in the AWS Frankfurt (eu-central-1) region", later traced to DNS resolution), post withheld. Our accounts and catalog services, both in eu-central-1 against Atlas clusters there, lose connections from ${hm(onset)}; MongoDB says nothing. A responder concludes: upstream (MongoDB Atlas).`,
      );
    },
  },
  {
    name: 'vercel-silent-ai-gateway-calls',
    class: 'vendor-silent-strong',
    build(b) {
      const v = b.source('vercel', '0yhb4d2sr850', withheld, { hidden: true });
      const onset = b.at(v.post, -3);
      const vc = b.vendor('vercel');
      const s = story(b, {
        onset,
        minutes: 44,
        services: [
          {
            name: 'chat',
            regions: ['iad1'],
            deps: [{ vendor: vc, components: ['AI Gateway'] }],
            hits: [
              {
                vendor: vc,
                codes: [
                  { code: 'HTTP_503', status: 503, weight: 3 },
                  { code: 'HTTP_502', status: 502, weight: 1 },
                ],
                peak: 95,
                calls: 160,
                endpoint: 'POST /v1/chat/completions',
              },
            ],
          },
          { name: 'billing', regions: ['iad1'], deps: [{ vendor: b.vendor('stripe', 'Stripe') }] },
        ],
      });
      ourIncident(b, {
        service: 'chat',
        title: 'Chat answers failing for most users',
        onset,
        end: s.end,
        expect: 'upstream',
      });
      b.suspects([{ vendor: vc }]);
      b.describe(
        `Modelled on ${intro(v)} ("AI Gateway model requests and metadata API calls are unavailable"), post withheld. One service of ours uses it: chat reports its call volume, ~160 calls a minute, and from ${hm(onset)} more than half fail with 503 from Vercel, for 44 minutes, against a baseline well under 1%. A large, sustained spike whose errors all name the vendor: a responder concludes upstream (Vercel).`,
      );
    },
  },
  {
    name: 'grafana-silent-tokyo-logs-read-path',
    class: 'vendor-silent-strong',
    build(b) {
      const v = b.source('grafana', 'pch7l558kbsr', withheld, { hidden: true });
      const onset = Date.parse('2024-07-09T09:35:20Z');
      const gc = b.vendor('grafana');
      const s = story(b, {
        onset,
        minutes: 43,
        services: [
          {
            name: 'alert-evaluator',
            regions: ['ap-northeast-1'],
            deps: [{ vendor: gc, components: ['Logs / AWS Japan - prod-ap-northeast-0'] }],
            hits: [
              {
                vendor: gc,
                codes: [
                  { code: 'HTTP_502', status: 502, weight: 2 },
                  { code: 'HTTP_504', status: 504, weight: 1 },
                ],
                peak: 12,
                endpoint: 'GET /loki/api/v1/query_range',
              },
            ],
          },
          {
            name: 'support-console',
            regions: ['ap-northeast-1'],
            deps: [{ vendor: gc, components: ['Logs / AWS Japan - prod-ap-northeast-0'] }],
            hits: [{ vendor: gc, codes: codes.timeouts, peak: 6, lag: 1 }],
          },
        ],
      });
      ourIncident(b, {
        service: 'alert-evaluator',
        title: 'Log-based alerts not evaluating',
        onset,
        end: s.end,
        expect: 'upstream',
        regions: ['ap-northeast-1'],
      });
      b.suspects([{ vendor: gc, region: 'ap-northeast-1' }]);
      b.describe(
        `Modelled on ${intro(v)}: a full read-path outage of a Loki cell in prod-ap-northeast-0 "from ~9:35 UTC to until 10:17 UTC", post withheld. Our alert-evaluator and support-console (ap-northeast-1) query that stack and fail from 09:35Z. A responder concludes: upstream (Grafana Cloud).`,
      );
    },
  },
  {
    name: 'claude-silent-opus-errors-two-services',
    class: 'vendor-silent-strong',
    build(b) {
      const v = b.source('claude', 's914kvccjthq', withheld, { hidden: true });
      const onset = b.at(v.post, -6);
      const ai = b.vendor('claude');
      const errs = [
        { code: 'HTTP_500', status: 500, weight: 2 },
        { code: 'OVERLOADED', status: 529, weight: 2 },
      ];
      const s = story(b, {
        onset,
        minutes: 50,
        services: [
          {
            name: 'contract-review',
            regions: ['eu-west-2'],
            deps: [{ vendor: ai, components: ['Claude API (api.anthropic.com)'] }],
            hits: [{ vendor: ai, codes: errs, peak: 9 }],
          },
          {
            name: 'inbox-triage',
            regions: ['us-west-2'],
            deps: [
              { vendor: ai, components: ['Claude API (api.anthropic.com)'] },
              { vendor: b.vendor('gmail-api', 'Gmail API') },
            ],
            hits: [{ vendor: ai, codes: errs, peak: 14, lag: 1 }],
          },
        ],
      });
      ourIncident(b, {
        service: 'inbox-triage',
        title: 'Mail triage backlog growing, model calls failing',
        onset,
        end: s.end,
        expect: 'upstream',
      });
      b.suspects([{ vendor: ai }]);
      b.describe(
        `Modelled on ${intro(v)}, post withheld. From ${hm(onset)} our contract-review (eu-west-2) and inbox-triage (us-west-2) both get 500/529 from the Claude API; no change of ours; Anthropic's page stays green. A responder concludes: upstream (Anthropic).`,
      );
    },
  },
  {
    name: 'discord-silent-bots-cannot-send-calls',
    class: 'vendor-silent-strong',
    build(b) {
      const v = b.source('discord', '1vlhvhz07l6q', withheld, { hidden: true });
      const onset = b.at(v.post, -5);
      const dc = b.vendor('discord');
      const s = story(b, {
        onset,
        minutes: 48,
        services: [
          {
            name: 'raid-bot',
            regions: ['us-east-2'],
            deps: [{ vendor: dc, components: ['API'] }],
            hits: [
              {
                vendor: dc,
                codes: [
                  { code: 'HTTP_500', status: 500, weight: 3 },
                  { code: 'HTTP_503', status: 503, weight: 1 },
                ],
                peak: 38,
                calls: 55,
                endpoint: 'POST /channels/{id}/messages',
              },
            ],
          },
        ],
      });
      ourIncident(b, {
        service: 'raid-bot',
        title: 'Bot silent in every server',
        onset,
        end: s.end,
        expect: 'upstream',
      });
      b.suspects([{ vendor: dc, region: 'us-east-2' }]);
      b.describe(
        `Modelled on ${intro(v)} ("an issue that is affecting any bot interactions with channels in Discord"), post withheld. Our raid-bot reports ~55 message sends a minute; from ${hm(onset)} about 70% fail with 500 from Discord, for 48 minutes. One service, but a large sustained spike whose errors all name the vendor: a responder concludes upstream (Discord).`,
      );
    },
  },
  {
    name: 'onepassword-silent-modest-rise',
    class: 'vendor-silent-weak',
    build(b) {
      const v = b.source('onepassword', '9lym261crjlv', withheld, { hidden: true });
      const onset = b.at(v.post, -7);
      const op = b.vendor('onepassword');
      const s = story(b, {
        onset,
        minutes: 40,
        services: [
          {
            name: 'secrets-sync',
            regions: ['us-east-1'],
            deps: [{ vendor: op }],
            hits: [
              {
                vendor: op,
                codes: [
                  { code: 'HTTP_500', status: 500, weight: 1 },
                  { code: 'ETIMEDOUT', weight: 1 },
                ],
                peak: 2.2,
                baseline: 0.3,
              },
            ],
          },
          { name: 'api', regions: ['us-east-1'], deps: [{ vendor: b.vendor('stripe', 'Stripe') }] },
        ],
      });
      ourIncident(b, {
        service: 'secrets-sync',
        title: 'Some secret rotations failing',
        onset,
        end: s.end,
        expect: 'unclear',
      });
      b.describe(
        `Modelled on ${intro(v)}, post withheld. From ${hm(onset)} our secrets-sync sees a modest rise of 1Password errors, from 0.3 to about 2 a minute; no other service is affected and 1Password says nothing. Too little to name the vendor, nothing to clear it. A responder concludes: unclear.`,
      );
    },
  },
  {
    name: 'hashicorp-silent-slow-runs-modest',
    class: 'vendor-silent-weak',
    build(b) {
      const v = b.source('hashicorp', '96lr1g74yxcm', withheld, { hidden: true });
      const onset = b.at(v.post, -10);
      const hc = b.vendor('hashicorp');
      const s = story(b, {
        onset,
        minutes: 60,
        services: [
          {
            name: 'infra-deployer',
            regions: ['eu-west-1'],
            deps: [{ vendor: hc, components: ['HCP Terraform'] }],
            hits: [
              {
                vendor: hc,
                codes: [
                  { code: 'ETIMEDOUT', weight: 2 },
                  { code: 'HTTP_504', status: 504, weight: 1 },
                ],
                peak: 2.5,
                baseline: 0.4,
              },
            ],
          },
        ],
      });
      ourIncident(b, {
        service: 'infra-deployer',
        title: 'Terraform runs slow',
        onset,
        end: s.end,
        expect: 'unclear',
      });
      b.describe(
        `Modelled on ${intro(v)}, post withheld. Our infra-deployer's timeouts to HCP Terraform rise from 0.4 to about 2.5 a minute from ${hm(onset)}; one service, a modest rise, and a silent vendor. A responder concludes: unclear.`,
      );
    },
  },
  {
    name: 'figma-silent-search-modest-calls',
    class: 'vendor-silent-weak',
    build(b) {
      const v = b.source('figma', '5kkh9324zswc', withheld, { hidden: true });
      const onset = b.at(v.post, -6);
      const fg = b.vendor('figma');
      const s = story(b, {
        onset,
        minutes: 35,
        services: [
          {
            name: 'asset-search',
            regions: ['us-west-2'],
            deps: [{ vendor: fg, components: ['REST API'] }],
            hits: [
              {
                vendor: fg,
                codes: [
                  { code: 'HTTP_504', status: 504, weight: 2 },
                  { code: 'ETIMEDOUT', weight: 1 },
                ],
                peak: 2,
                baseline: 0.3,
                calls: 70,
              },
            ],
          },
        ],
      });
      ourIncident(b, {
        service: 'asset-search',
        title: 'Design asset search sometimes empty',
        onset,
        end: s.end,
        expect: 'unclear',
      });
      b.describe(
        `Modelled on ${intro(v)} (file search slow or failing), post withheld. Our asset-search reports ~70 calls a minute to the Figma REST API; from ${hm(onset)} its failures rise from under 0.5% to about 3%. One service, a modest rise, a silent vendor. A responder concludes: unclear.`,
      );
    },
  },
  {
    name: 'discord-silent-bot-api-modest',
    class: 'vendor-silent-weak',
    build(b) {
      const v = b.source('discord', '2m51vghvkmw9', withheld, { hidden: true });
      const onset = b.at(v.post, -8);
      const dc = b.vendor('discord');
      const s = story(b, {
        onset,
        minutes: 55,
        services: [
          {
            name: 'moderation-bot',
            regions: ['eu-west-3'],
            deps: [{ vendor: dc, components: ['API'] }],
            hits: [
              {
                vendor: dc,
                codes: [
                  { code: 'HTTP_500', status: 500, weight: 1 },
                  { code: 'HTTP_502', status: 502, weight: 1 },
                ],
                peak: 1.8,
                baseline: 0.2,
              },
            ],
          },
          { name: 'dashboard', regions: ['eu-west-3'], deps: [{ vendor: b.vendor('stripe', 'Stripe') }] },
        ],
      });
      ourIncident(b, {
        service: 'moderation-bot',
        title: 'Some moderation actions not applied',
        onset,
        end: s.end,
        expect: 'unclear',
      });
      b.describe(
        `Modelled on ${intro(v)} ("Some developer interactions with the API may be failing"), post withheld. Our moderation-bot's Discord errors rise from 0.2 to under 2 a minute from ${hm(onset)}; nothing else moves and Discord is silent. A responder concludes: unclear.`,
      );
    },
  },
];
