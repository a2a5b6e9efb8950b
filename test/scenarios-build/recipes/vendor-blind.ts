import { codes, hm, type Recipe } from '../builder.js';
import { intro, ourIncident, story } from '../story.js';

// We cannot read the vendor's status page during the window: its front door serves an HTML 502/503
// page (a `vendorSnapshots` entry with contentType text/html), or the `vendorHealth` form says the same
// ("unreachable" … "ok"). What the vendor posted meanwhile is unknown, so its silence proves nothing and
// the verdict is never internal: upstream when our own errors point strongly at the vendor, else
// unclear. When the page answers again, a summary.json snapshot shows what was open then.

const blind = 'page unreadable; the incident appears only in the summary read once the page answered';

export const vendorBlind: Recipe[] = [
  {
    name: 'discord-page-down-sessions-failing',
    class: 'vendor-blind',
    build(b) {
      const v = b.source('discord', '9jsfqjk8tc47', blind, { hidden: true });
      const onset = b.at(v.post, -6);
      const dc = b.vendor('discord');
      const s = story(b, {
        onset,
        minutes: 19,
        services: [
          {
            name: 'community-bot',
            regions: ['us-east-1'],
            deps: [{ vendor: dc, components: ['API'] }],
            hits: [
              {
                vendor: dc,
                codes: [
                  { code: 'HTTP_503', status: 503, weight: 2 },
                  { code: 'ECONNRESET', weight: 1 },
                ],
                peak: 22,
              },
            ],
          },
          {
            name: 'voice-relay',
            regions: ['us-east-1'],
            deps: [{ vendor: dc, components: ['API'] }],
            hits: [{ vendor: dc, codes: codes.server, peak: 9, lag: 1 }],
          },
        ],
      });
      const down = b.at(onset, -2);
      const up = b.at(v.post, 17);
      b.pageDown(dc, down, 503);
      b.pageUp(v, 'discord', up);
      ourIncident(b, {
        service: 'community-bot',
        title: 'Bot offline in every server',
        onset,
        end: s.end,
        expect: 'upstream',
      });
      b.suspects([{ vendor: dc, region: 'us-east-1' }]);
      b.describe(
        `${intro(v)}: "Users may be unable to connect to discord or perform actions like sending messages"; a rollback at 02:05Z. Our poll of Discord's status page gets an HTML 503 page from ${hm(down)} and a readable summary only at ${hm(up)}, showing the incident. Meanwhile our community-bot and voice-relay both fail on the Discord API from ${hm(onset)}. Blind, with our errors pointing squarely at Discord: a responder concludes upstream (Discord), never internal.`,
      );
    },
  },
  {
    name: 'github-page-unreachable-health-form',
    class: 'vendor-blind',
    build(b) {
      const v = b.source('github', 'y7lb2rg4btd7', blind, { hidden: true });
      const onset = b.at(v.post, -5);
      const gh = b.vendor('github');
      const s = story(b, {
        onset,
        minutes: 36,
        services: [
          {
            name: 'pr-bot',
            regions: ['us-west-2'],
            deps: [{ vendor: gh, components: ['API Requests', 'Webhooks'] }],
            hits: [{ vendor: gh, codes: [...codes.server, { code: 'ETIMEDOUT', weight: 2 }], peak: 13 }],
          },
          {
            name: 'deploy-gate',
            regions: ['us-west-2'],
            deps: [{ vendor: gh, components: ['Actions', 'API Requests'] }],
            hits: [{ vendor: gh, codes: codes.server, peak: 7, lag: 2 }],
          },
        ],
      });
      const down = b.at(onset, -3);
      const up = b.at(v.post, 22);
      b.pageHealth(gh, down, up, 'HTTP 503');
      b.pageUp(v, 'github', up);
      ourIncident(b, {
        service: 'pr-bot',
        title: 'PR checks stuck, bot not responding',
        onset,
        end: s.end,
        expect: 'upstream',
      });
      b.suspects([{ vendor: gh, region: 'us-west-2' }]);
      b.describe(
        `${intro(v)}. Expressed in the vendorHealth form: GitHub's status page is unreachable (HTTP 503) from ${hm(down)} to ${hm(up)}, when a summary shows the incident. Our pr-bot and deploy-gate get 5xx and timeouts from GitHub from ${hm(onset)}. A responder concludes: upstream (GitHub), never internal while blind.`,
      );
    },
  },
  {
    name: 'twilio-page-dark-10-min-500s',
    class: 'vendor-blind',
    build(b) {
      const v = b.source(
        'twilio',
        '8582cj8hcbdf',
        'model of the outage; the page never answered during the replay',
        { hidden: true },
      );
      const onset = Date.parse('2024-09-30T17:35:20Z');
      const tw = b.vendor('twilio');
      const s = story(b, {
        onset,
        minutes: 10,
        services: [
          {
            name: 'notify',
            regions: ['us-east-1'],
            deps: [{ vendor: tw, components: ['SMS'] }, { vendor: b.vendor('sendgrid', 'SendGrid') }],
            hits: [
              {
                vendor: tw,
                codes: [
                  { code: 'HTTP_500', status: 500, weight: 3 },
                  { code: 'HTTP_503', status: 503, weight: 1 },
                ],
                peak: 28,
                endpoint: 'POST /2010-04-01/Messages',
              },
            ],
          },
          {
            name: 'contact-center',
            regions: ['us-east-1'],
            deps: [{ vendor: tw, components: ['TaskRouter', 'Flex Programmable Voice'] }],
            hits: [{ vendor: tw, codes: [{ code: 'HTTP_500', status: 500, weight: 1 }], peak: 14 }],
          },
        ],
        tail: 40,
      });
      b.pageDown(tw, b.at(onset, -4), 502);
      b.pageDown(tw, b.at(onset, 22), 502);
      ourIncident(b, {
        service: 'notify',
        title: 'SMS and TaskRouter calls failing with 500',
        onset,
        end: s.end,
        expect: 'upstream',
        delay: 4,
      });
      b.suspects([{ vendor: tw, region: 'us-east-1' }]);
      b.describe(
        `Modelled on ${intro(v)} ("Twilio APIs were degraded for 10 minutes between 17:35 and 17:45 UTC"). Here Twilio's status page answers only with an HTML 502 page, at ${hm(b.at(onset, -4))} and again at ${hm(b.at(onset, 22))}: we never read it during the replay. Our notify and contact-center both get 500s from Twilio 17:35–17:45Z. Blind, our errors pointing at Twilio in two services: a responder concludes upstream (Twilio).`,
      );
    },
  },
  {
    name: 'vercel-page-503-deploy-api-single',
    class: 'vendor-blind',
    build(b) {
      const v = b.source('vercel', 'l2dzfxmss51w', blind, { hidden: true });
      const onset = b.at(v.post, -8);
      const vc = b.vendor('vercel');
      const s = story(b, {
        onset,
        minutes: 62,
        services: [
          {
            name: 'release-orchestrator',
            regions: ['us-east-1'],
            deps: [{ vendor: vc, components: ['API', 'Builds'] }, { vendor: b.vendor('github', 'GitHub') }],
            hits: [
              {
                vendor: vc,
                codes: [
                  { code: 'HTTP_500', status: 500, weight: 2 },
                  { code: 'HTTP_504', status: 504, weight: 1 },
                  { code: 'ETIMEDOUT', weight: 1 },
                ],
                peak: 16,
                endpoint: 'POST /v13/deployments',
              },
            ],
          },
        ],
      });
      const down = b.at(onset, -1);
      b.pageDown(vc, down, 503);
      b.pageDown(vc, b.at(onset, 35), 503);
      b.pageUp(v, 'vercel', Date.parse('2026-02-03T17:40:00Z'));
      ourIncident(b, {
        service: 'release-orchestrator',
        title: 'Releases blocked: deployment API erroring',
        onset,
        end: s.end,
        expect: 'upstream',
      });
      b.suspects([{ vendor: vc }]);
      b.describe(
        `${intro(v)}. Vercel's status page serves an HTML 503 from ${hm(down)}; the next readable summary, at 17:40Z, shows nothing open (the incident was resolved at 17:30Z). Our release-orchestrator, the one service calling the Vercel API, fails ~16 times a minute for an hour from ${hm(onset)}, almost all its errors naming Vercel. One service, a large sustained spike on a vendor we cannot read: a responder concludes upstream (Vercel).`,
      );
    },
  },
  {
    name: 'mongodb-page-unreachable-data-api-health',
    class: 'vendor-blind',
    build(b) {
      const v = b.source('mongodb', 'rwrw7zq8jhx0', blind, { hidden: true });
      const onset = b.at(v.post, -10);
      const mdb = b.vendor('mongodb');
      const s = story(b, {
        onset,
        minutes: 90,
        services: [
          {
            name: 'mobile-sync',
            regions: ['eu-west-1'],
            deps: [{ vendor: mdb, components: ['MongoDB Atlas App Services and Device Sync'] }],
            hits: [
              {
                vendor: mdb,
                codes: [
                  { code: 'HTTP_503', status: 503, weight: 2 },
                  { code: 'HTTP_500', status: 500, weight: 1 },
                ],
                peak: 12,
                endpoint: 'POST /app/data-api/v1/action/find',
              },
            ],
          },
          {
            name: 'order-triggers',
            regions: ['eu-west-1'],
            deps: [{ vendor: mdb, components: ['MongoDB Atlas App Services and Device Sync'] }],
            hits: [{ vendor: mdb, codes: codes.server, peak: 6, lag: 2 }],
          },
        ],
      });
      const down = b.at(onset, -6);
      const up = b.at(v.post, 70);
      b.pageHealth(mdb, down, up, 'timeout after 10 s');
      b.pageUp(v, 'mongodb', up);
      ourIncident(b, {
        service: 'mobile-sync',
        title: 'Mobile app cannot load data',
        onset,
        end: s.end,
        expect: 'upstream',
        regions: ['eu-west-1'],
      });
      b.suspects([{ vendor: mdb, region: 'eu-west-1' }]);
      b.describe(
        `${intro(v)}: "Database Triggers and Data APIs being unable to connect to their backing cluster". vendorHealth form: MongoDB's status page times out from ${hm(down)} and is read again only at ${hm(up)}. Our mobile-sync and order-triggers both get 5xx from the Data API from ${hm(onset)}. A responder concludes: upstream (MongoDB Atlas).`,
      );
    },
  },
  {
    name: 'claude-page-503-modest-rise',
    class: 'vendor-blind',
    build(b) {
      const v = b.source(
        'claude',
        'v3j5tpfcr3dn',
        'model of the outage; the page never answered during the replay',
        { hidden: true },
      );
      const onset = b.at(v.post, -4);
      const ai = b.vendor('claude');
      const s = story(b, {
        onset,
        minutes: 45,
        services: [
          {
            name: 'doc-summarizer',
            regions: ['us-east-1'],
            deps: [{ vendor: ai, components: ['Claude API (api.anthropic.com)'] }],
            hits: [
              {
                vendor: ai,
                codes: [
                  { code: 'HTTP_500', status: 500, weight: 1 },
                  { code: 'OVERLOADED', status: 529, weight: 1 },
                ],
                peak: 2.4,
                baseline: 0.4,
              },
            ],
          },
          { name: 'search', regions: ['us-east-1'], deps: [{ vendor: b.vendor('algolia', 'Algolia') }] },
        ],
      });
      b.pageDown(ai, b.at(onset, -10), 503);
      ourIncident(b, {
        service: 'doc-summarizer',
        title: 'Some summaries failing',
        onset,
        end: s.end,
        expect: 'unclear',
      });
      b.describe(
        `Modelled on ${intro(v)}. Anthropic's status page has answered with an HTML 503 since ${hm(b.at(onset, -10))} and stays unreadable. Our doc-summarizer's Claude errors rise modestly, from 0.4 to about 2 a minute; nothing else moves. We cannot see the vendor and our errors do not point strongly at it: a responder concludes unclear (not internal).`,
      );
    },
  },
  {
    name: 'flyio-page-502-untagged-iad',
    class: 'vendor-blind',
    build(b) {
      const v = b.source(
        'flyio',
        'p7d4dxqbc95w',
        'model of the outage; the page never answered during the replay',
        { hidden: true },
      );
      const onset = b.at(v.post, -6);
      const fly = b.vendor('flyio');
      const s = story(b, {
        onset,
        minutes: 75,
        services: [
          {
            name: 'api',
            regions: ['iad'],
            deps: [{ vendor: fly, components: ['IAD - Ashburn, Virginia (US)'] }],
            hits: [
              {
                codes: [
                  { code: 'TIMEOUT', weight: 2 },
                  { code: 'HTTP_503', status: 503, weight: 2 },
                ],
                peak: 8,
              },
            ],
          },
        ],
      });
      b.pageDown(fly, b.at(onset, -3), 502);
      b.pageDown(fly, b.at(onset, 60), 502);
      ourIncident(b, {
        service: 'api',
        title: 'API latency and 503s in the US East',
        onset,
        end: s.end,
        expect: 'unclear',
        regions: ['iad'],
      });
      b.describe(
        `Modelled on ${intro(v)}. Fly.io's status page answers only with an HTML 502 throughout. Our api (iad) logs timeouts and 503s that name no vendor from ${hm(onset)}; no change of ours. Untagged errors and a page we cannot read: nothing says whose fault it is. A responder concludes: unclear (not internal).`,
      );
    },
  },
  {
    name: 'datadog-page-503-our-deploy-too',
    class: 'vendor-blind',
    build(b) {
      const v = b.source(
        'datadog',
        'v5hkkzbnqdd8',
        'model of the outage; the page never answered during the replay',
        { hidden: true },
      );
      const onset = b.at(v.post, -5);
      const dd = b.vendor('datadog');
      const s = story(b, {
        onset,
        minutes: 30,
        services: [
          {
            name: 'reporting',
            regions: ['us-east-1'],
            deps: [
              { vendor: dd, components: ['Metrics and Infra Monitoring'] },
              { vendor: b.vendor('snowflake', 'Snowflake') },
            ],
            hits: [
              {
                vendor: dd,
                codes: [
                  { code: 'HTTP_500', status: 500, weight: 1 },
                  { code: 'ETIMEDOUT', weight: 1 },
                ],
                peak: 5,
                endpoint: 'GET /api/v1/query',
              },
            ],
          },
        ],
      });
      b.change(
        b.at(onset, -3),
        'reporting',
        'deploy',
        'reporting@2.31.0',
        'Rewrite of the usage-report metric queries',
      );
      b.pageDown(dd, b.at(onset, -8), 503);
      ourIncident(b, {
        service: 'reporting',
        title: 'Usage reports failing to generate',
        onset,
        end: s.end,
        expect: 'unclear',
      });
      b.describe(
        `Modelled on ${intro(v)} ("Partial outage of metrics query"). Datadog's status page serves an HTML 503 from ${hm(b.at(onset, -8))} on. Three minutes before our errors we deploy a rewrite of reporting's metric queries; then reporting alone gets 500s and timeouts from the Datadog query API, ~5 a minute. Our change competes, and the vendor cannot be seen: a responder concludes unclear — not internal while blind.`,
      );
    },
  },
  {
    name: 'grafana-page-unreachable-modest-health',
    class: 'vendor-blind',
    build(b) {
      const v = b.source(
        'grafana',
        'zgv8wq8rvsdr',
        'model of the outage; the page never answered during the replay',
        { hidden: true },
      );
      const onset = b.at(v.post, -6);
      const gc = b.vendor('grafana');
      const s = story(b, {
        onset,
        minutes: 50,
        services: [
          {
            name: 'log-search',
            regions: ['us-central1'],
            deps: [{ vendor: gc, components: ['Logs / GCP US Central - prod-us-central-0'] }],
            hits: [
              {
                vendor: gc,
                codes: [
                  { code: 'HTTP_504', status: 504, weight: 1 },
                  { code: 'ETIMEDOUT', weight: 1 },
                ],
                peak: 1.9,
                baseline: 0.3,
              },
            ],
          },
        ],
      });
      b.pageHealth(gc, b.at(onset, -15), null, 'HTTP 502');
      ourIncident(b, {
        service: 'log-search',
        title: 'Log search occasionally times out',
        onset,
        end: s.end,
        expect: 'unclear',
      });
      b.describe(
        `Modelled on ${intro(v)}. vendorHealth form: Grafana's status page has been unreachable (HTTP 502) since ${hm(b.at(onset, -15))} and never comes back in the replay. Our log-search's timeouts to Grafana rise modestly, 0.3 to under 2 a minute, from ${hm(onset)}. A responder concludes: unclear (not internal).`,
      );
    },
  },
];
