import { codes, hm, type Recipe } from '../builder.js';
import { intro, ourIncident, story } from '../story.js';

// The vendor names its own datacenter, PoP or cluster ("our Osaka (KIX) data center", "prod-us-central-0
// cluster", "HCP Vault clusters in Azure Central US") while our service runs somewhere else. A vendor's
// site is not a customer region: customers anywhere are routed there or keep their stack there. With our
// errors on that vendor spiking, it is upstream.

export const vendorDatacenter: Recipe[] = [
  {
    name: 'cloudflare-osaka-datacenter-eu-service',
    class: 'vendor-datacenter',
    build(b) {
      const v = b.source('cloudflare', 'jy2z31bl59j5', 'as posted', { regions: ['Osaka', 'KIX'] });
      const onset = Date.parse('2025-11-25T02:05:40Z');
      const cf = b.vendor('cloudflare');
      const s = story(b, {
        onset,
        minutes: 95,
        services: [
          {
            name: 'game-api',
            regions: ['eu-west-1'],
            deps: [{ vendor: cf, components: ['Network'] }, { vendor: b.vendor('playfab', 'PlayFab') }],
            hits: [
              {
                vendor: cf,
                codes: [
                  { code: 'HTTP_502', status: 502, weight: 2 },
                  { code: 'HTTP_520', status: 520, weight: 2 },
                  { code: 'HTTP_503', status: 503, weight: 1 },
                ],
                peak: 14,
                endpoint: 'edge:jp',
              },
            ],
          },
          {
            name: 'matchmaker',
            regions: ['eu-west-1'],
            deps: [{ vendor: cf, components: ['Network'] }],
            hits: [{ vendor: cf, codes: codes.server, peak: 5, lag: 2, endpoint: 'edge:jp' }],
          },
        ],
      });
      ourIncident(b, {
        service: 'game-api',
        title: 'Players in Japan cannot log in',
        onset,
        end: s.end,
        expect: 'upstream',
        customers: ['jp-players'],
      });
      b.suspects([{ vendor: cf }]);
      b.describe(
        `${intro(v)}: "an increased level of HTTP 499 and 5xx Errors in our Osaka, Japan (KIX) data center starting at 02:05 UTC", posted 49 minutes later. Our game-api and matchmaker run in eu-west-1, but Japanese players reach them through Cloudflare's KIX PoP; our edge logs attribute 502/520 to Cloudflare from 02:05Z. Osaka is Cloudflare's site, not a customer region. A responder concludes: upstream (Cloudflare).`,
      );
    },
  },
  {
    name: 'grafana-us-central-cluster-eu-services',
    class: 'vendor-datacenter',
    build(b) {
      const v = b.source('grafana', 'gfnbhydrjfr3', 'as posted', { regions: ['prod-us-central-0'] });
      const onset = b.at(v.post, -11);
      const gc = b.vendor('grafana');
      const push = [
        { code: 'HTTP_500', status: 500, weight: 2 },
        { code: 'HTTP_503', status: 503, weight: 1 },
        { code: 'ETIMEDOUT', weight: 2 },
      ];
      const s = story(b, {
        onset,
        minutes: 88,
        services: [
          {
            name: 'metrics-agent',
            regions: ['eu-central-1'],
            deps: [{ vendor: gc, components: ['Metrics / GCP US Central - prod-us-central-0: Ingestion'] }],
            hits: [{ vendor: gc, codes: push, peak: 18, endpoint: 'POST /api/prom/push' }],
          },
          {
            name: 'slo-exporter',
            regions: ['eu-central-1'],
            deps: [{ vendor: gc, components: ['Metrics / GCP US Central - prod-us-central-0: Ingestion'] }],
            hits: [{ vendor: gc, codes: push, peak: 6, lag: 1, endpoint: 'POST /api/prom/push' }],
          },
        ],
      });
      ourIncident(b, {
        service: 'metrics-agent',
        title: 'Metrics gaps: remote write failing',
        onset,
        end: s.end,
        expect: 'upstream',
      });
      b.suspects([{ vendor: gc }]);
      b.describe(
        `${intro(v)}: "push errors and elevated latency in prod-us-central-0 cluster affecting the write path". Our services run in eu-central-1, but our Grafana Cloud stack lives in prod-us-central-0; from ${hm(onset)} metrics-agent and slo-exporter fail to push there. The cluster is Grafana's, not where our customers are. A responder concludes: upstream (Grafana Cloud).`,
      );
    },
  },
  {
    name: 'hashicorp-vault-azure-central-us-from-eu',
    class: 'vendor-datacenter',
    build(b) {
      const v = b.source('hashicorp', 'ft0c9v3x028q', 'as posted', { regions: ['Azure Central US'] });
      const onset = b.at(v.post, -14);
      const hc = b.vendor('hashicorp');
      const vault = [
        { code: 'HTTP_503', status: 503, weight: 2 },
        { code: 'ETIMEDOUT', weight: 2 },
        { code: 'ECONNREFUSED', weight: 1 },
      ];
      const s = story(b, {
        onset,
        minutes: 100,
        services: [
          {
            name: 'payments',
            regions: ['eu-west-1'],
            deps: [
              { vendor: hc, components: ['HCP Vault Dedicated / Azure-Central US'] },
              { vendor: b.vendor('adyen', 'Adyen') },
            ],
            hits: [{ vendor: hc, codes: vault, peak: 9, endpoint: 'vault:transit/decrypt' }],
          },
          {
            name: 'ledger',
            regions: ['eu-west-1'],
            deps: [{ vendor: hc, components: ['HCP Vault Dedicated / Azure-Central US'] }],
            hits: [{ vendor: hc, codes: vault, peak: 6, lag: 1, endpoint: 'vault:transit/decrypt' }],
          },
        ],
      });
      ourIncident(b, {
        service: 'payments',
        title: 'Payments failing: cannot decrypt card tokens',
        onset,
        end: s.end,
        expect: 'upstream',
        regions: ['eu-west-1'],
      });
      b.suspects([{ vendor: hc }]);
      b.describe(
        `${intro(v)}: "an availability outage affecting some HCP Vault clusters in the Azure Central US region", caused by an Azure incident. Our payments and ledger run in AWS eu-west-1 but their Vault cluster is hosted in Azure Central US; from ${hm(onset)}, fourteen minutes before the post, both fail to reach it. A responder concludes: upstream (HashiCorp).`,
      );
    },
  },
  {
    name: 'laravel-frankfurt-cache-cluster-london-app',
    class: 'vendor-datacenter',
    build(b) {
      const v = b.source('laravel', 'zn933jhn87w7', 'as posted', { regions: ['EU Central', 'Frankfurt'] });
      const onset = b.at(v.post, -7);
      const lc = b.vendor('laravel');
      const s = story(b, {
        onset,
        minutes: 36,
        services: [
          {
            name: 'web',
            regions: ['eu-west-2'],
            deps: [
              { vendor: lc, components: ['Laravel Valkey - EU Central (Frankfurt)'] },
              { vendor: b.vendor('stripe', 'Stripe') },
            ],
            hits: [
              {
                vendor: lc,
                codes: [
                  { code: 'VALKEY_TIMEOUT', weight: 3 },
                  { code: 'ECONNRESET', weight: 1 },
                ],
                peak: 21,
                endpoint: 'valkey:sessions',
              },
            ],
          },
        ],
      });
      ourIncident(b, {
        service: 'web',
        title: 'Users logged out, pages slow',
        onset,
        end: s.end,
        expect: 'upstream',
        regions: ['eu-west-2'],
      });
      b.suspects([{ vendor: lc }]);
      b.describe(
        `${intro(v)}: "increased latency and timeout errors on Cache Clusters in the EUC1 region". Our web app runs in London (eu-west-2) but keeps its sessions in a Laravel Valkey cache in Frankfurt; from ${hm(onset)} almost all of its errors are cache timeouts to that cluster, ~20 a minute. A responder concludes: upstream (Laravel Cloud).`,
      );
    },
  },
  {
    name: 'flyio-fra-postgres-cluster-lhr-app',
    class: 'vendor-datacenter',
    build(b) {
      const v = b.source('flyio', 'b3qmpffwwgyf', 'as posted', { regions: ['FRA'] });
      const onset = b.at(v.post, -9);
      const fly = b.vendor('flyio');
      const pg = [
        { code: 'PG_CONNECT_TIMEOUT', weight: 3 },
        { code: 'ECONNREFUSED', weight: 1 },
      ];
      const s = story(b, {
        onset,
        minutes: 80,
        services: [
          {
            name: 'app',
            regions: ['lhr'],
            deps: [{ vendor: fly, components: ['Managed Postgres / Management Plane - FRA'] }],
            hits: [{ vendor: fly, codes: pg, peak: 16, endpoint: 'mpg:main-fra' }],
          },
          {
            name: 'worker',
            regions: ['ams'],
            deps: [{ vendor: fly, components: ['Managed Postgres / Management Plane - FRA'] }],
            hits: [{ vendor: fly, codes: pg, peak: 7, lag: 1, endpoint: 'mpg:main-fra' }],
          },
        ],
      });
      ourIncident(b, {
        service: 'app',
        title: 'App down: database unreachable',
        onset,
        end: s.end,
        expect: 'upstream',
      });
      b.suspects([{ vendor: fly }]);
      b.describe(
        `${intro(v)}: "Some Managed Postgres clusters in FRA are unreachable"; recovered by 14:03Z. Our app (lhr) and worker (ams) use one Managed Postgres cluster in FRA and cannot connect from ${hm(onset)}. A responder concludes: upstream (Fly.io).`,
      );
    },
  },
  {
    name: 'cloudflare-copenhagen-pop-us-tools',
    class: 'vendor-datacenter',
    build(b) {
      const v = b.source('cloudflare', 'fl1t394ymlyp', 'as posted', { regions: ['Copenhagen', 'CPH'] });
      const onset = b.at(v.post, -12);
      const cf = b.vendor('cloudflare');
      const s = story(b, {
        onset,
        minutes: 110,
        services: [
          {
            name: 'internal-tools',
            regions: ['us-east-1'],
            deps: [{ vendor: cf, components: ['Zero Trust'] }],
            hits: [
              {
                vendor: cf,
                codes: [
                  { code: 'ETIMEDOUT', weight: 3 },
                  { code: 'HTTP_504', status: 504, weight: 1 },
                ],
                peak: 8,
                endpoint: 'access:tools',
              },
            ],
          },
          {
            name: 'support-console',
            regions: ['us-east-1'],
            deps: [{ vendor: cf, components: ['Zero Trust'] }, { vendor: b.vendor('zendesk', 'Zendesk') }],
            hits: [{ vendor: cf, codes: codes.timeouts, peak: 6, lag: 2, endpoint: 'access:support' }],
          },
        ],
      });
      ourIncident(b, {
        service: 'support-console',
        title: 'Copenhagen office cannot use internal tools',
        onset,
        end: s.end,
        expect: 'upstream',
        regions: ['dk'],
      });
      b.suspects([{ vendor: cf }]);
      b.describe(
        `${intro(v)}: "elevated latency impacting Zero Trust users connected to our Copenhagen PoP (CPH01)", fixed 16:08Z. Our internal-tools and support-console run in us-east-1 behind Cloudflare Access; our Copenhagen office connects through CPH, and from ${hm(onset)} Access requests to both time out. The PoP is Cloudflare's, not where our services run. A responder concludes: upstream (Cloudflare).`,
      );
    },
  },
  {
    name: 'mit-w91-datacenter-touchstone-logins',
    class: 'vendor-datacenter',
    build(b) {
      const v = b.source('mit', 'b9sypqxbgzlq', 'as posted', { regions: ['W91', 'West Campus'] });
      const onset = b.at(v.post, -13);
      const mit = b.vendor('mit');
      const s = story(b, {
        onset,
        minutes: 100,
        services: [
          {
            name: 'lti-gateway',
            regions: ['us-east-1'],
            deps: [
              { vendor: mit, components: ['Network'] },
              { vendor: b.vendor('instructure', 'Instructure Canvas') },
            ],
            hits: [
              {
                vendor: mit,
                codes: [
                  { code: 'ETIMEDOUT', weight: 3 },
                  { code: 'ECONNREFUSED', weight: 1 },
                  { code: 'HTTP_502', status: 502, weight: 1 },
                ],
                peak: 12,
                endpoint: 'idp.mit.edu/saml',
              },
            ],
          },
        ],
      });
      ourIncident(b, {
        service: 'lti-gateway',
        title: 'MIT students cannot sign in to courses',
        onset,
        end: s.end,
        expect: 'upstream',
        customers: ['mit'],
      });
      b.describe(
        `${intro(v)}: "various network equipment in the W91 data-center has failed". Our lti-gateway runs in us-east-1 and federates MIT sign-ins to MIT's identity provider; from ${hm(onset)}, thirteen minutes before the post, nearly all of its errors are timeouts and refusals from MIT, ~12 a minute for over an hour. A campus data center is the vendor's site, not our region. A responder concludes: upstream (MIT IS&T).`,
      );
    },
  },
];
