import { codes, hm, type Recipe } from '../builder.js';
import { intro, ourIncident, story } from '../story.js';

// A vendor in front of us (CDN, edge, hosting platform) fails and our own code logs what it sees with
// no vendor named: HTTP_503, TIMEOUT, HTTP_5XX, UPSTREAM_TIMEOUT, ECONNRESET. Untagged errors are
// ambiguous by themselves; a spike that starts with a major vendor incident covering our region, with
// no change of ours before it, is the vendor's. With a change of ours just before, it is unclear.

const refused = [
  { code: 'ECONNREFUSED', weight: 4 },
  { code: 'HTTP_502', status: 502, weight: 1 },
];

export const vendorUntagged: Recipe[] = [
  {
    name: 'cloudflare-5xx-multiple-locations-untagged',
    class: 'vendor-untagged',
    build(b) {
      const v = b.source('cloudflare', 'f116htkkp7hn', 'as posted');
      const onset = b.at(v.post, -8);
      const cf = b.vendor('cloudflare');
      const stripe = b.vendor('stripe', 'Stripe');
      const s = story(b, {
        onset,
        minutes: 82,
        services: [
          {
            name: 'storefront',
            regions: ['eu-west-1'],
            deps: [{ vendor: cf, components: ['CDN/Cache'] }, { vendor: stripe }],
            hits: [{ codes: codes.untagged, peak: 21 }],
          },
          {
            name: 'marketing-site',
            regions: ['us-east-1'],
            deps: [{ vendor: cf, components: ['CDN/Cache', 'Network'] }],
            hits: [{ codes: codes.untagged, peak: 6, lag: 2 }],
          },
        ],
      });
      ourIncident(b, {
        service: 'storefront',
        title: 'Shoppers get 503 pages',
        onset,
        end: s.end,
        expect: 'upstream',
      });
      b.describe(
        `${intro(v)}: "increased level of HTTP 5XX/499 errors rates … connectivity issues in multiple locations"; identified 05:04Z, fix 06:26Z. Our storefront (eu-west-1) and marketing-site (us-east-1) sit behind Cloudflare's CDN; from ${hm(onset)} their logs fill with HTTP_503, TIMEOUT and HTTP_5XX that name no vendor, while their Stripe calls stay at baseline. No change of ours. A responder concludes: upstream (Cloudflare).`,
      );
    },
  },
  {
    name: 'cloudflare-brazil-connectivity-untagged',
    class: 'vendor-untagged',
    build(b) {
      const v = b.source('cloudflare', '733d94ygcgx1', 'as posted', { regions: ['Brazil'] });
      const onset = b.at(v.post, -11);
      const cf = b.vendor('cloudflare');
      const s = story(b, {
        onset,
        minutes: 125,
        services: [
          {
            name: 'checkout-br',
            regions: ['sa-east-1'],
            deps: [
              { vendor: cf, components: ['Brasilia, Brazil - (BSB)'] },
              { vendor: b.vendor('adyen', 'Adyen') },
            ],
            hits: [
              {
                codes: [
                  { code: 'TIMEOUT', weight: 3 },
                  { code: 'ECONNRESET', weight: 2 },
                  { code: 'HTTP_5XX', weight: 1 },
                ],
                peak: 13,
              },
            ],
          },
        ],
      });
      ourIncident(b, {
        service: 'checkout-br',
        title: 'Brazilian customers cannot complete checkout',
        onset,
        end: s.end,
        expect: 'upstream',
        regions: ['br'],
      });
      b.describe(
        `${intro(v)}: "network connectivity issues in Brazil", cause identified a minute later and handed to "external parties". Our checkout-br (sa-east-1, São Paulo) serves Brazilian shoppers through Cloudflare; from ${hm(onset)} its edge logs show timeouts and resets naming no vendor, 13 a minute at peak for two hours. No change of ours. A responder concludes: upstream (Cloudflare).`,
      );
    },
  },
  {
    name: 'cloudflare-jakarta-5xx-untagged',
    class: 'vendor-untagged',
    build(b) {
      const v = b.source('cloudflare', 'gc6gz4npkthm', 'as posted', { regions: ['Jakarta', 'CGK'] });
      const onset = b.at(v.post, -6);
      const cf = b.vendor('cloudflare');
      const s = story(b, {
        onset,
        minutes: 24,
        services: [
          {
            name: 'app-id',
            regions: ['ap-southeast-3'],
            deps: [
              { vendor: cf, components: ['Jakarta, Indonesia - (CGK)'] },
              { vendor: b.vendor('twilio', 'Twilio') },
            ],
            hits: [
              {
                codes: [
                  { code: 'HTTP_503', status: 503, weight: 3 },
                  { code: 'HTTP_5XX', weight: 2 },
                ],
                peak: 17,
              },
            ],
          },
        ],
      });
      ourIncident(b, {
        service: 'app-id',
        title: 'Indonesian app users see server errors',
        onset,
        end: s.end,
        expect: 'upstream',
        regions: ['id'],
      });
      b.describe(
        `${intro(v)}: "an increased rate of HTTP 5xx error responses originating from our Jakarta (CGK) facility", fixed 01:09Z. Our app-id, hosted in ap-southeast-3 (Jakarta) behind Cloudflare, returns 503s that name no vendor from ${hm(onset)} until the fix. A responder concludes: upstream (Cloudflare).`,
      );
    },
  },
  {
    name: 'cloudflare-melbourne-performance-untagged',
    class: 'vendor-untagged',
    build(b) {
      const v = b.source('cloudflare', '6smkpfk32zdn', 'as posted', { regions: ['Melbourne', 'MEL'] });
      const onset = b.at(v.post, -14);
      const cf = b.vendor('cloudflare');
      const s = story(b, {
        onset,
        minutes: 110,
        services: [
          {
            name: 'bookings',
            regions: ['melbourne'],
            deps: [{ vendor: cf }, { vendor: b.vendor('stripe', 'Stripe') }],
            hits: [
              {
                codes: [
                  { code: 'UPSTREAM_TIMEOUT', weight: 3 },
                  { code: 'TIMEOUT', weight: 2 },
                  { code: 'HTTP_503', status: 503, weight: 1 },
                ],
                peak: 9,
              },
            ],
          },
        ],
      });
      ourIncident(b, {
        service: 'bookings',
        title: 'Booking pages slow and timing out in Victoria',
        onset,
        end: s.end,
        expect: 'upstream',
        regions: ['melbourne'],
      });
      b.describe(
        `${intro(v)}; the first post already says "identified", 14 minutes after our first timeouts; fix at 04:04Z. Our bookings service runs in Melbourne behind Cloudflare, and its timeouts name no vendor. Nothing of ours changed. A responder concludes: upstream (Cloudflare).`,
      );
    },
  },
  {
    name: 'cloudflare-dallas-500s-untagged',
    class: 'vendor-untagged',
    build(b) {
      const v = b.source('cloudflare', 'qy92kxdhg16t', 'as posted');
      const onset = b.at(v.post, -5);
      const cf = b.vendor('cloudflare');
      const s = story(b, {
        onset,
        minutes: 95,
        services: [
          {
            name: 'api',
            regions: ['dallas'],
            deps: [{ vendor: cf }, { vendor: b.vendor('auth0', 'Auth0') }],
            hits: [
              {
                codes: [
                  { code: 'HTTP_500', status: 500, weight: 4 },
                  { code: 'HTTP_5XX', weight: 1 },
                ],
                peak: 16,
              },
            ],
          },
        ],
      });
      ourIncident(b, {
        service: 'api',
        title: 'API clients in Texas get 500s',
        onset,
        end: s.end,
        expect: 'upstream',
        regions: ['dallas'],
      });
      b.describe(
        `${intro(v)}. The title names no place; the first body does: "increased level of HTTP 500 errors in Dallas, TX", later also IAD and EWR. Our api runs in Dallas behind Cloudflare and logs HTTP_500 with no vendor from ${hm(onset)}; no change of ours. A responder concludes: upstream (Cloudflare).`,
      );
    },
  },
  {
    name: 'cloudflare-north-america-west-untagged',
    class: 'vendor-untagged',
    build(b) {
      const v = b.source('cloudflare', '42ks97f78px8', 'as posted', { regions: ['North America West'] });
      const onset = b.at(v.post, -5);
      const cf = b.vendor('cloudflare');
      const s = story(b, {
        onset,
        minutes: 34,
        services: [
          {
            name: 'web',
            regions: ['us-west-2'],
            deps: [{ vendor: cf }, { vendor: b.vendor('stripe', 'Stripe') }],
            hits: [{ codes: codes.untagged, peak: 12 }],
          },
          { name: 'jobs', regions: ['us-west-2'], deps: [{ vendor: b.vendor('sendgrid', 'SendGrid') }] },
        ],
      });
      ourIncident(b, {
        service: 'web',
        title: 'Elevated 5xx on the web app (Pacific Northwest)',
        onset,
        end: s.end,
        expect: 'upstream',
        regions: ['us-west-2'],
      });
      b.describe(
        `${intro(v)}: "increased error rates when interacting with Cloudflare services in the Seattle region". Our web (us-west-2) logs untagged 503s and timeouts from ${hm(onset)} to 17:21Z; our jobs service, which does not sit behind Cloudflare, is fine. A responder concludes: upstream (Cloudflare).`,
      );
    },
  },
  {
    name: 'cloudflare-workers-503-two-services-untagged',
    class: 'vendor-untagged',
    build(b) {
      const v = b.source('cloudflare', '9pvscr0vmsy6', 'as posted');
      const onset = b.at(v.post, -3);
      const cf = b.vendor('cloudflare');
      const s = story(b, {
        onset,
        minutes: 31,
        services: [
          {
            name: 'api-gateway',
            regions: ['eu', 'us-east'],
            deps: [{ vendor: cf, components: ['Workers', 'Durable Objects'] }],
            hits: [
              {
                codes: [
                  { code: 'HTTP_503', status: 503, weight: 5 },
                  { code: 'HTTP_5XX', weight: 1 },
                ],
                peak: 30,
                region: 'eu',
              },
            ],
          },
          {
            name: 'image-resizer',
            regions: ['eu'],
            deps: [{ vendor: cf, components: ['Workers'] }],
            hits: [{ codes: [{ code: 'HTTP_503', status: 503, weight: 1 }], peak: 8, lag: 1 }],
          },
        ],
      });
      ourIncident(b, {
        service: 'api-gateway',
        title: 'Gateway returning 503 to every client',
        onset,
        end: s.end,
        expect: 'upstream',
      });
      b.describe(
        `${intro(v)}: "Customers using Workers may have seen 503 errors"; fix 19:13Z. Our api-gateway and image-resizer run as Workers and log 503s with no vendor from ${hm(onset)}, three minutes before the first post. A responder concludes: upstream (Cloudflare).`,
      );
    },
  },
  {
    name: 'cloudflare-waf-outage-with-bambu-cloud',
    class: 'vendor-untagged',
    build(b) {
      const cfInc = b.source('cloudflare', 'lfrm31y6sw9q', 'as posted');
      const bl = b.source('bambulab', 'llgwwjzm8zl1', 'as posted');
      const onset = b.at(cfInc.post, -9);
      const cf = b.vendor('cloudflare');
      const s = story(b, {
        onset,
        minutes: 26,
        services: [
          {
            name: 'storefront',
            regions: ['eu-central-1'],
            deps: [{ vendor: cf, components: ['CDN/Cache'] }, { vendor: b.vendor('stripe', 'Stripe') }],
            hits: [{ codes: codes.untagged, peak: 24 }],
          },
          {
            name: 'print-farm',
            regions: ['eu-central-1'],
            deps: [{ vendor: bl.vendor, components: ['Cloud printing', 'Remote controlling'] }],
            hits: [{ vendor: bl.vendor, codes: codes.server, peak: 7, lag: 1 }],
          },
        ],
      });
      const inc = ourIncident(b, {
        service: 'storefront',
        title: 'Storefront down: 503 for every page',
        onset,
        end: s.end,
        expect: 'upstream',
      });
      b.expectTop(inc.id, cf);
      b.describe(
        `${intro(cfInc)}: "Customers using the Dashboard / Cloudflare APIs are impacted", and the resolution: "A change made to how Cloudflare's Web Application Firewall parses requests caused Cloudflare's network to be unavailable for several minutes". ${intro(bl)}: "Cloud services are experiencing access issues due to a Cloudflare outage". Our storefront behind Cloudflare returns untagged 503s from ${hm(onset)}; our print-farm's calls to Bambu Lab's cloud fail too. The incident is the storefront's: a responder concludes upstream, Cloudflare first.`,
      );
    },
  },
  {
    name: 'vercel-fra1-reroute-untagged',
    class: 'vendor-untagged',
    build(b) {
      const v = b.source('vercel', '2f4kf430rmlz', 'as posted', { regions: ['FRA1', 'Frankfurt'] });
      const onset = b.at(v.post, -9);
      const vc = b.vendor('vercel');
      const s = story(b, {
        onset,
        minutes: 31,
        services: [
          {
            name: 'shop-frontend',
            regions: ['frankfurt'],
            deps: [
              { vendor: vc, components: ['FRA1 - Frankfurt, Germany, Europe'] },
              { vendor: b.vendor('shopify', 'Shopify') },
            ],
            hits: [
              {
                codes: [
                  { code: 'HTTP_5XX', weight: 2 },
                  { code: 'TIMEOUT', weight: 2 },
                  { code: 'HTTP_504', status: 504, weight: 1 },
                ],
                peak: 14,
              },
            ],
          },
        ],
      });
      ourIncident(b, {
        service: 'shop-frontend',
        title: 'German shop slow, pages timing out',
        onset,
        end: s.end,
        expect: 'upstream',
        regions: ['de'],
      });
      b.describe(
        `${intro(v)}: Vercel re-routes FRA1 traffic to CDG1 and reports the impact mitigated at 21:26Z. Our shop-frontend is served from Vercel's Frankfurt region; its request logs show timeouts and 5xx naming no vendor from ${hm(onset)} until the re-route settles. No change of ours. A responder concludes: upstream (Vercel).`,
      );
    },
  },
  {
    name: 'flyio-iad-network-outage-untagged',
    class: 'vendor-untagged',
    build(b) {
      const v = b.source('flyio', 'r6ksm5xyjy4y', 'as posted', { regions: ['IAD'] });
      const onset = b.at(v.post, -7);
      const fly = b.vendor('flyio');
      const s = story(b, {
        onset,
        minutes: 140,
        services: [
          {
            name: 'api',
            regions: ['iad'],
            deps: [
              { vendor: fly, components: ['Customer Applications', 'IAD - Ashburn, Virginia (US)'] },
              { vendor: b.vendor('stripe', 'Stripe') },
            ],
            hits: [
              {
                codes: [
                  { code: 'HTTP_503', status: 503, weight: 2 },
                  { code: 'ECONNRESET', weight: 2 },
                  { code: 'TIMEOUT', weight: 1 },
                ],
                peak: 15,
                after: 0.8,
              },
            ],
          },
        ],
      });
      ourIncident(b, {
        service: 'api',
        title: 'API unreachable from the US East',
        onset,
        end: s.end,
        expect: 'upstream',
        regions: ['iad'],
      });
      b.describe(
        `${intro(v)}: "requests made to the apps may fail", then "The IAD region is unavailable due to an incident at an upstream provider"; IAD restored at 14:13Z. Our api runs on Fly.io in IAD; from ${hm(onset)} it logs 503s, resets and timeouts with no vendor named. A responder concludes: upstream (Fly.io).`,
      );
    },
  },
  {
    name: 'flyio-proxy-refused-two-regions',
    class: 'vendor-untagged',
    build(b) {
      const v = b.source('flyio', 'hgdqk7lt5yw1', 'as posted');
      const onset = b.at(v.post, -4);
      const fly = b.vendor('flyio');
      const s = story(b, {
        onset,
        minutes: 16,
        services: [
          {
            name: 'web',
            regions: ['ams'],
            deps: [{ vendor: fly, components: ['Customer Applications'] }],
            hits: [{ codes: refused, peak: 28 }],
          },
          {
            name: 'api',
            regions: ['ord'],
            deps: [
              { vendor: fly, components: ['Customer Applications'] },
              { vendor: b.vendor('postmark', 'Postmark') },
            ],
            hits: [{ codes: refused, peak: 19 }],
          },
        ],
      });
      ourIncident(b, {
        service: 'web',
        title: 'Site down in Europe and the US',
        onset,
        end: s.end,
        expect: 'upstream',
        delay: 5,
      });
      b.describe(
        `${intro(v)}: "an outage of fly-proxy in multiple regions. Connections to Fly.io apps will receive connection refused errors." Our synthetic checks and edge logs for web (ams) and api (ord) see ECONNREFUSED from ${hm(onset)} in both regions at once, for 16 minutes; no vendor is named in them. A responder concludes: upstream (Fly.io).`,
      );
    },
  },
  {
    name: 'laravel-frankfurt-apps-inaccessible',
    class: 'vendor-untagged',
    build(b) {
      const v = b.source('laravel', 'v99x41hvpyfs', 'as posted', { regions: ['Frankfurt'] });
      const onset = b.at(v.post, -4);
      const lc = b.vendor('laravel');
      const s = story(b, {
        onset,
        minutes: 17,
        services: [
          {
            name: 'portal',
            regions: ['eu-central-1'],
            deps: [{ vendor: lc, components: ['Edge Network'] }, { vendor: b.vendor('mailgun', 'Mailgun') }],
            hits: [
              {
                codes: [
                  { code: 'HTTP_503', status: 503, weight: 3 },
                  { code: 'UPSTREAM_TIMEOUT', weight: 1 },
                ],
                peak: 20,
              },
            ],
          },
        ],
      });
      ourIncident(b, {
        service: 'portal',
        title: 'Customer portal unreachable',
        onset,
        end: s.end,
        expect: 'upstream',
        delay: 4,
      });
      b.describe(
        `${intro(v)}; identified 14:38Z, fix 14:48Z. Our portal is a Laravel Cloud application in Frankfurt; uptime probes and the app's front log 503s and upstream timeouts, no vendor named, from ${hm(onset)}. No change of ours. A responder concludes: upstream (Laravel Cloud).`,
      );
    },
  },
  {
    name: 'ubiquiti-cloud-outage-untagged',
    class: 'vendor-untagged',
    build(b) {
      const v = b.source('ubiquiti', 'kkv1fwx44zn7', 'as posted');
      const onset = b.at(v.post, -10);
      const ui = b.vendor('ubiquiti');
      const s = story(b, {
        onset,
        minutes: 120,
        services: [
          {
            name: 'site-monitor',
            regions: ['us-east-1'],
            deps: [{ vendor: ui, components: ['unifi.ui.com', 'Remote Access Service', 'SSO Service'] }],
            hits: [
              {
                codes: [
                  { code: 'UPSTREAM_TIMEOUT', weight: 3 },
                  { code: 'HTTP_5XX', weight: 2 },
                  { code: 'ECONNRESET', weight: 1 },
                ],
                peak: 10,
              },
            ],
          },
        ],
      });
      ourIncident(b, {
        service: 'site-monitor',
        title: 'Managed sites show as offline',
        onset,
        end: s.end,
        expect: 'upstream',
      });
      b.describe(
        `${intro(v)}: "a widespread outage with some cloud services"; fix at 01:38Z. Our site-monitor polls customers' UniFi consoles through Ubiquiti's cloud with a generic HTTP client that logs no vendor; from ${hm(onset)} its polls time out and fail. No change of ours. A responder concludes: upstream (Ubiquiti).`,
      );
    },
  },
  {
    name: 'github-pages-degraded-docs-proxy',
    class: 'vendor-untagged',
    build(b) {
      const v = b.source('github', '69sb0f8lydp4', 'as posted');
      const onset = Date.parse('2024-09-16T21:11:40Z');
      const gh = b.vendor('github');
      const s = story(b, {
        onset,
        minutes: 42,
        services: [
          {
            name: 'docs-proxy',
            regions: ['us-east-1'],
            deps: [{ vendor: gh, components: ['Pages'] }],
            hits: [
              {
                codes: [
                  { code: 'HTTP_502', status: 502, weight: 2 },
                  { code: 'UPSTREAM_TIMEOUT', weight: 2 },
                ],
                peak: 8,
              },
            ],
          },
        ],
      });
      ourIncident(b, {
        service: 'docs-proxy',
        title: 'Docs site returning 502',
        onset,
        end: s.end,
        expect: 'upstream',
      });
      b.describe(
        `${intro(v)}; the resolution dates it "between 21:11 UTC and 22:20 UTC, Actions and Pages services were degraded". Our docs-proxy fronts a GitHub Pages site and logs 502s and upstream timeouts without naming the origin from 21:11Z, twenty minutes before the first post. A responder concludes: upstream (GitHub).`,
      );
    },
  },
  {
    name: 'cloudflare-singapore-critical-untagged',
    class: 'vendor-untagged',
    build(b) {
      const v = b.source('cloudflare', 'dxt6v14yk4vc', 'as posted', { regions: ['Singapore', 'SIN'] });
      const onset = b.at(v.post, -4);
      const cf = b.vendor('cloudflare');
      const s = story(b, {
        onset,
        minutes: 18,
        services: [
          {
            name: 'payments-sg',
            regions: ['ap-southeast-1'],
            deps: [
              { vendor: cf, components: ['Singapore, Singapore - (SIN)'] },
              { vendor: b.vendor('adyen', 'Adyen') },
            ],
            hits: [
              {
                codes: [
                  { code: 'TIMEOUT', weight: 3 },
                  { code: 'HTTP_5XX', weight: 2 },
                  { code: 'ECONNRESET', weight: 1 },
                ],
                peak: 19,
              },
            ],
          },
        ],
        tail: 35,
      });
      ourIncident(b, {
        service: 'payments-sg',
        title: 'Card payments timing out in Singapore',
        onset,
        end: s.end,
        expect: 'upstream',
        regions: ['ap-southeast-1'],
        delay: 4,
      });
      b.describe(
        `${intro(v)} (critical): "issues with network performance in Singapore". Our payments-sg (ap-southeast-1) is reached through Cloudflare; from ${hm(onset)} its front logs timeouts and 5xx naming no vendor until the incident resolves, while its Adyen calls stay at baseline. No change of ours. A responder concludes: upstream (Cloudflare).`,
      );
    },
  },
  {
    name: 'flyio-bom-upstream-networking-untagged',
    class: 'vendor-untagged',
    build(b) {
      const v = b.source('flyio', 'tfgww6hck4l0', 'as posted', { regions: ['BOM'] });
      const onset = b.at(v.post, -10);
      const fly = b.vendor('flyio');
      const s = story(b, {
        onset,
        minutes: 130,
        services: [
          {
            name: 'api',
            regions: ['bom'],
            deps: [
              { vendor: fly, components: ['BOM - Mumbai, India'] },
              { vendor: b.vendor('razorpay', 'Razorpay') },
            ],
            hits: [
              {
                codes: [
                  { code: 'HTTP_503', status: 503, weight: 2 },
                  { code: 'UPSTREAM_TIMEOUT', weight: 2 },
                  { code: 'ECONNRESET', weight: 1 },
                ],
                peak: 11,
              },
            ],
          },
          {
            name: 'web',
            regions: ['bom'],
            deps: [{ vendor: fly, components: ['BOM - Mumbai, India'] }],
            hits: [{ codes: codes.untagged, peak: 6, lag: 1 }],
          },
        ],
      });
      ourIncident(b, {
        service: 'api',
        title: 'India: app and API unreliable',
        onset,
        end: s.end,
        expect: 'upstream',
        regions: ['bom'],
      });
      b.describe(
        `${intro(v)}: "a networking incident with our upstream providers" in BOM, one post and the resolution almost seven hours later. Our api and web run on Fly.io in bom and log 503s, upstream timeouts and resets that name no vendor from ${hm(onset)}; no change of ours. A responder concludes: upstream (Fly.io).`,
      );
    },
  },
  {
    name: 'cloudflare-network-performance-after-our-deploy',
    class: 'vendor-untagged',
    build(b) {
      const v = b.source('cloudflare', 'm90shgg0k4dd', 'as posted');
      const onset = b.at(v.post, -6);
      const cf = b.vendor('cloudflare');
      const s = story(b, {
        onset,
        minutes: 50,
        services: [
          {
            name: 'storefront',
            regions: ['us-east-1'],
            deps: [{ vendor: cf, components: ['Infrastructure'] }, { vendor: b.vendor('stripe', 'Stripe') }],
            hits: [{ codes: codes.untagged, peak: 11 }],
          },
        ],
      });
      b.change(b.at(onset, -7), 'storefront', 'deploy', 'storefront@4471', 'New product-listing cache layer');
      ourIncident(b, {
        service: 'storefront',
        title: 'Storefront 5xx after release',
        onset,
        end: s.end,
        expect: 'unclear',
      });
      b.describe(
        `${intro(v)}: "issues with Network Performance", fix 18:16Z, a recurrence at 18:47Z. Seven minutes before our errors start we deploy a new cache layer to the storefront; from ${hm(onset)} the storefront logs 503s, timeouts and HTTP_5XX that name no vendor. Both explanations fit and none of our errors points at either. A responder concludes: unclear.`,
      );
    },
  },
  {
    name: 'flyio-ams-network-after-our-config-change',
    class: 'vendor-untagged',
    build(b) {
      const v = b.source('flyio', '5m2hpbndbcx1', 'as posted', { regions: ['AMS'] });
      const onset = b.at(v.post, -8);
      const fly = b.vendor('flyio');
      const s = story(b, {
        onset,
        minutes: 45,
        services: [
          {
            name: 'app',
            regions: ['ams'],
            deps: [
              { vendor: fly, components: ['AMS - Amsterdam, Netherlands'] },
              { vendor: b.vendor('sendgrid', 'SendGrid') },
            ],
            hits: [
              {
                codes: [
                  { code: 'TIMEOUT', weight: 3 },
                  { code: 'HTTP_503', status: 503, weight: 2 },
                ],
                peak: 9,
              },
            ],
          },
        ],
      });
      b.change(
        b.at(onset, -4),
        'app',
        'config',
        'pool-size-8',
        'Database connection pool reduced from 20 to 8',
      );
      ourIncident(b, {
        service: 'app',
        title: 'Requests timing out in Amsterdam',
        onset,
        end: s.end,
        expect: 'unclear',
      });
      b.describe(
        `${intro(v)}: "upstream network issues in AMS region. Apps may experience network issues." Four minutes before our errors we cut the app's database pool from 20 to 8; from ${hm(onset)} the app (ams) logs timeouts and 503s that name nothing. Either could explain it, and nothing in our errors separates them. A responder concludes: unclear.`,
      );
    },
  },
];
