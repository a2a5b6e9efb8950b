#!/usr/bin/env python3
"""Builds the holdout scenarios (test/scenarios-holdout/*.json): `python3 test/scenarios-holdout/gen.py`.
The vendor side is copied from ../shared/fixtures/real/stactus (or $UPCAUSE_FIXTURES); our side is
synthetic, drawn from a random stream seeded by each scenario's name, so the build is deterministic."""
import json, os, random, subprocess, sys
from datetime import timedelta

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lib import T, iso, series, volume, vendor_incident, html_503  # noqa: E402

OUT = os.path.dirname(os.path.abspath(__file__))
SCENARIOS = []


def scenario(fn):
    SCENARIOS.append(fn)
    return fn


def V(id, name, provider='statuspage'):
    return {'id': id, 'name': name, 'provider': provider}


def svc(name, regions, deps):
    return {'name': name, 'regions': regions, 'dependsOn': [{'vendor': v, 'components': c} for v, c in deps]}


def inc(id, service, title, start, end, regions=(), customers=()):
    return {'id': id, 'service': service, 'title': title, 'startedAt': start, 'resolvedAt': end,
            'regions': list(regions), 'customers': list(customers)}


def chg(at, service, kind, ref, description=None):
    c = {'at': at, 'service': service, 'kind': kind, 'ref': ref}
    if description:
        c['description'] = description
    return c


def spike(peak, ramp=3, hold=30, decay=8, base=0.3, drift=0.9):
    """Points for a ramp, a hold (drifting to peak*drift) and a decay back to base."""
    return [(0, base), (ramp, peak), (ramp + hold, peak * drift), (ramp + hold + decay, base)]


def build(name, cls, description, expect, services, vendors, errors, incidents, vendor_incidents=(),
          changes=(), suspected=None, snapshots=None, health=None):
    errors = sorted(errors, key=lambda e: (e['at'], e['service'], e.get('vendor', ''), e.get('code', '')))
    s = {'name': name, 'class': cls, 'description': description, 'expect': expect}
    if suspected is not None:
        s['suspectedExpected'] = suspected
    s.update({'services': services, 'vendors': vendors, 'vendorIncidents': list(vendor_incidents)})
    if snapshots:
        s['vendorSnapshots'] = snapshots
    if health:
        s['vendorHealth'] = health
    s.update({'errors': errors, 'changes': list(changes), 'incidents': incidents})
    return s


# ───────────────────────────── upstream ─────────────────────────────


@scenario
def discord_api_latency_display_name(rng):
    name = 'discord-api-latency-bots-display-name'
    o = T('2024-10-16T15:46:00Z')
    errs = series(rng, o, 'community-bot', vendor='Discord', region='us-east-1', endpoint='POST /interactions/{id}/callback',
                  mix=[('DEADLINE_EXCEEDED', None, 5), ('HTTP_5XX', None, 3), ('ETIMEDOUT', None, 2)],
                  base=0.3, points=[(0, .3), (4, 9), (30, 8), (42, 4), (55, 1), (62, .3)], end=80)
    errs += series(rng, o, 'role-sync', vendor='Discord', region='us-east-1', endpoint='PUT /guilds/{id}/members/{id}/roles/{id}',
                   mix=[('DEADLINE_EXCEEDED', None, 3), ('HTTP_5XX', None, 2)],
                   base=0.2, points=[(1, .2), (5, 5), (30, 4.5), (42, 2), (55, .2)], end=80)
    errs += series(rng, o, 'community-bot', vendor='Cloudflare R2', region='us-east-1', mix=[('HTTP_5XX', None, 1)],
                   base=0.1, end=80, plan=[(-90, 80, 15)])
    return build(
        name, 'vendor-tagged-multi',
        'Discord n255zmx3k11k (2024-10-16, impact major) "Elevated API Latency, multiple endpoints impacted": first post '
        '15:53Z ("may be impacting logins, application updates, interactions"), improving from 16:26Z, resolved 17:49Z. '
        'The vendor is declared as id "discord-api" while our producers tag errors with its display name "Discord", and '
        'send codes only (DEADLINE_EXCEEDED, HTTP_5XX, ETIMEDOUT, no status). Both of our services calling the Discord '
        'API time out from 15:46Z; our incident opens 15:53Z. Two services, tagged, matching the vendor\'s window: '
        'upstream (Discord).',
        {'INC-7412': 'upstream'},
        [svc('community-bot', ['us-east-1'], [('discord-api', ['API']), ('cloudflare-r2', ['R2'])]),
         svc('role-sync', ['us-east-1'], [('discord-api', ['API'])])],
        [V('discord-api', 'Discord'), V('cloudflare-r2', 'Cloudflare R2')],
        errs,
        [inc('INC-7412', 'community-bot', 'Slash commands time out', '2024-10-16T15:53:00Z', '2024-10-16T17:02:00Z')],
        [vendor_incident('discord-api', 'discord', 'n255zmx3k11k')],
    )


@scenario
def github_packet_loss_25_updates(rng):
    name = 'github-packet-loss-25-updates-status-only'
    o = T('2025-10-09T14:36:00Z')
    errs = series(rng, o, 'release-bot', vendor='github', region='eu-west-1', endpoint='POST /repos/{o}/{r}/releases',
                  mix=[(None, 502, 4), (None, 503, 3), (None, 504, 3)],
                  base=0.3, points=[(0, .3), (2, 11), (22, 9), (30, 4), (45, 1.2), (52, .3)], end=70)
    errs += series(rng, o, 'ci-dispatcher', vendor='github', region='eu-west-1', endpoint='POST /repos/{o}/{r}/dispatches',
                   mix=[(None, 502, 2), (None, 504, 2)],
                   base=0.2, points=[(0, .2), (3, 6), (25, 5), (40, 2), (50, .2)], end=70)
    errs += series(rng, o, 'release-bot', vendor='slack', region='eu-west-1', mix=[(None, 503, 1)], base=0.1,
                   end=70, plan=[(-90, 70, 20)])
    return build(
        name, 'vendor-tagged-multi',
        'GitHub k7bhmjkblcwp (2025-10-09, impact major) "Incident with Webhooks", all 25 updates kept: first post 14:45Z, '
        'component-by-component posts, resolved 16:40Z with a postmortem dating the packet loss 14:35–15:21Z ("API users '
        'experienced up to 7.3% error rates"). Our errors carry the HTTP status only (502/503/504, no code). Both '
        'services calling the GitHub API fail from 14:36Z; our incident opens 14:44Z. Two services, tagged, inside the '
        'vendor\'s own window: upstream (GitHub).',
        {'INC-3391': 'upstream'},
        [svc('release-bot', ['eu-west-1'], [('github', ['API Requests', 'Git Operations']), ('slack', [])]),
         svc('ci-dispatcher', ['eu-west-1'], [('github', ['Actions', 'API Requests'])])],
        [V('github', 'GitHub'), V('slack', 'Slack')],
        errs,
        [inc('INC-3391', 'release-bot', 'Releases failing to publish', '2025-10-09T14:44:00Z', '2025-10-09T15:40:00Z', ['eu'])],
        [vendor_incident('github', 'github', 'k7bhmjkblcwp')],
    )


@scenario
def claude_all_models_status_only(rng):
    name = 'anthropic-all-models-status-only-display-name'
    o = T('2026-07-29T19:45:00Z')
    plan = [(-90, -10, 10), (-10, 30, 1), (30, 200, 10)]
    errs = series(rng, o, 'support-copilot', vendor='Anthropic', region='us-west-2', endpoint='POST /v1/messages',
                  mix=[(None, 529, 5), (None, 500, 3), (None, 503, 2)], plan=plan,
                  base=0.4, points=[(0, .4), (3, 14), (60, 12), (95, 10), (101, 2), (106, .4)], end=120)
    errs += series(rng, o, 'doc-summarizer', vendor='Anthropic', region='us-west-2', endpoint='POST /v1/messages',
                   mix=[(None, 529, 3), (None, 500, 2)], plan=plan,
                   base=0.2, points=[(1, .2), (4, 7), (60, 6), (100, 5), (104, .2)], end=120)
    return build(
        name, 'vendor-tagged-multi',
        'Anthropic (Claude) q2kg8n613kr3 (2026-07-29, impact critical) "Elevated errors across all models": first post '
        '19:49Z, identified 20:33Z, recovery noted 21:38Z with the window "19:45 UTC through to 21:26 UTC", resolved '
        '22:36Z. Declared as id "anthropic-api"; our errors name the vendor "Anthropic" and carry only the HTTP status '
        '(529/500/503, no code). Both of our LLM services fail from 19:45Z for the vendor\'s whole window; our incident '
        'opens 19:51Z. Two services, tagged, window confirmed by the vendor: upstream (Anthropic).',
        {'INC-8820': 'upstream'},
        [svc('support-copilot', ['us-west-2'], [('anthropic-api', ['Claude API (api.anthropic.com)'])]),
         svc('doc-summarizer', ['us-west-2'], [('anthropic-api', ['Claude API (api.anthropic.com)'])])],
        [V('anthropic-api', 'Anthropic')],
        errs,
        [inc('INC-8820', 'support-copilot', 'Copilot answers failing for agents', '2026-07-29T19:51:00Z', '2026-07-29T21:42:00Z')],
        [vendor_incident('anthropic-api', 'claude', 'q2kg8n613kr3')],
    )


@scenario
def vercel_api_codes_only(rng):
    name = 'vercel-api-builds-outage-codes-only'
    o = T('2025-10-20T19:52:00Z')
    plan = [(-90, -10, 10), (-10, 30, 1), (30, 300, 15)]
    errs = series(rng, o, 'preview-deployer', vendor='vercel', region='us-east-1', endpoint='POST /v13/deployments',
                  mix=[('HTTP_5XX', None, 4), ('ETIMEDOUT', None, 2)], plan=plan,
                  base=0.3, points=[(0, .3), (5, 8), (120, 7), (215, 6), (240, 1), (248, .3)], end=255)
    errs += series(rng, o, 'cms-publisher', vendor='vercel', region='eu-west-1', endpoint='POST /v1/integrations/deploy',
                   mix=[('HTTP_5XX', None, 1)], plan=plan,
                   base=0.15, points=[(2, .15), (6, 4), (120, 3.5), (238, 3), (245, .15)], end=255)
    return build(
        name, 'vendor-tagged-multi',
        'Vercel 1x2wqn9l3lwt (2025-10-20, impact critical) "Major outage on API, Dashboard, and Builds": first post '
        '20:00Z ("API failures, and deployment failures"), builds fixed 23:27Z, API fully resolved 23:50Z, resolved '
        '00:04Z. Our producers send codes only (HTTP_5XX, ETIMEDOUT; no status). Both services that call the Vercel API '
        '(one in us-east-1, one in eu-west-1) fail from 19:52Z until the API recovers; our incident opens 20:00Z. Two '
        'services, tagged, the vendor\'s incident covers the whole span: upstream (Vercel).',
        {'INC-5051': 'upstream'},
        [svc('preview-deployer', ['us-east-1'], [('vercel', ['API', 'Build & Deploy / Builds'])]),
         svc('cms-publisher', ['eu-west-1'], [('vercel', ['API'])])],
        [V('vercel', 'Vercel')],
        errs,
        [inc('INC-5051', 'preview-deployer', 'Preview deployments not created', '2025-10-20T20:00:00Z', '2025-10-21T00:12:00Z')],
        [vendor_incident('vercel', 'vercel', '1x2wqn9l3lwt')],
    )


@scenario
def mongodb_azure_westeurope_late(rng):
    name = 'mongodb-azure-west-europe-two-hours-late'
    o = T('2025-11-05T17:01:00Z')
    plan = [(-90, -10, 10), (-10, 25, 1), (25, 300, 10)]
    errs = series(rng, o, 'orders-api', vendor='MongoDB Atlas', region='westeurope', endpoint='orders.find',
                  mix=[('MongoNetworkTimeoutError', None, 4), ('MongoServerSelectionError', None, 3), ('ETIMEDOUT', None, 2)],
                  plan=plan, base=0.3, points=[(0, .3), (3, 16), (20, 13), (32, 6), (120, 4.5), (150, 2), (168, .3)], end=190)
    errs += series(rng, o, 'cart-service', vendor='MongoDB Atlas', region='westeurope', endpoint='carts.updateOne',
                   mix=[('MongoNetworkTimeoutError', None, 3), ('MongoServerSelectionError', None, 2)],
                   plan=plan, base=0.2, points=[(1, .2), (4, 7), (20, 6), (32, 3), (120, 2), (150, 1), (165, .2)], end=190)
    return build(
        name, 'vendor-late-post',
        'MongoDB Atlas tj2rtbcb348w (2025-11-05, impact major) "Partial outage in Azure West Europe": first post 18:57Z, '
        'the 20:13Z update quotes Azure ("Starting at approximately 17:00 UTC … West Europe region"), resolved 00:54Z. '
        'Declared as id "mongodb-atlas"; errors name it "MongoDB Atlas" with driver codes only. Our two services with '
        'clusters in Azure westeurope (service regions written "Europe") fail from 17:01Z, heavily through the '
        'failovers then at a lower sustained rate; our incident opens 17:09Z with no regions, the errors carry '
        '"westeurope". Two services, tagged, the vendor posts ~2 h late but dates the impact to our onset: upstream '
        '(MongoDB Atlas), suspected long before the post.',
        {'INC-4105': 'upstream'},
        [svc('orders-api', ['Europe'], [('mongodb-atlas', ['MongoDB Cloud'])]),
         svc('cart-service', ['Europe'], [('mongodb-atlas', ['MongoDB Cloud'])])],
        [V('mongodb-atlas', 'MongoDB Atlas')],
        errs,
        [inc('INC-4105', 'orders-api', 'Checkout writes timing out', '2025-11-05T17:09:00Z', '2025-11-05T19:58:00Z')],
        [vendor_incident('mongodb-atlas', 'mongodb', 'tj2rtbcb348w', regions=['Azure West Europe'])],
        suspected=[{'vendor': 'mongodb-atlas', 'region': 'Europe'}],
    )


@scenario
def grafana_eu_west_0(rng):
    name = 'grafana-prod-eu-west-0-gcp-europe-west1'
    o = T('2025-07-28T17:44:00Z')
    plan = [(-90, -10, 10), (-10, 35, 1), (35, 300, 5)]
    errs = series(rng, o, 'telemetry-gateway', vendor='Grafana Cloud', region='europe-west1', endpoint='POST /loki/api/v1/push',
                  mix=[('HTTP_503', 503, 5), ('HTTP_502', 502, 3), ('DEADLINE_EXCEEDED', None, 2)], plan=plan,
                  base=0.3, points=[(0, .3), (3, 20), (30, 18), (40, 6), (60, 3), (90, 1), (96, .3)], end=115)
    errs += series(rng, o, 'telemetry-gateway', vendor='pagerduty', region='europe-west1', mix=[(None, 500, 1)],
                   base=0.1, end=115, plan=[(-90, 115, 20)])
    return build(
        name, 'vendor-tagged-single',
        'Grafana Cloud ppdrgt2hsd32 (2025-07-28, impact critical) "Widespread Outages in Prod-EU-West-0" (components '
        '"… / GCP Belgium - prod-eu-west-0"): first post 17:52Z, mitigation 18:13Z, recovering until 19:20Z, resolved '
        '19:53Z. Declared as id "grafana-cloud"; errors name it "Grafana Cloud". Our telemetry-gateway (service region '
        '"gcp europe-west1", the same GCP region) pushes logs and traces to that stack: ~20 failures a minute from 17:44Z, '
        'decaying through the recovery. Our incident opens 17:50Z. One service, a large sustained spike all naming the '
        'vendor, inside its incident: upstream (Grafana Cloud).',
        {'INC-2290': 'upstream'},
        [svc('telemetry-gateway', ['gcp europe-west1'],
             [('grafana-cloud', ['Logs / GCP Belgium - prod-eu-west-0', 'Traces / GCP Belgium - prod-eu-west-0: Querying']),
              ('pagerduty', [])])],
        [V('grafana-cloud', 'Grafana Cloud'), V('pagerduty', 'PagerDuty')],
        errs,
        [inc('INC-2290', 'telemetry-gateway', 'Log and trace ingestion failing', '2025-07-28T17:50:00Z', '2025-07-28T19:25:00Z', ['eu'])],
        [vendor_incident('grafana-cloud', 'grafana', 'ppdrgt2hsd32', regions=['prod-eu-west-0', 'GCP Belgium'])],
    )


@scenario
def flyio_sjc_untagged(rng):
    name = 'flyio-sjc-critical-untagged-status-only'
    o = T('2025-11-11T15:02:00Z')
    errs = series(rng, o, 'booking-web', region='sjc', endpoint='GET /book',
                  mix=[(None, 502, 6), (None, 503, 3)], base=0.3,
                  points=[(0, .3), (2, 25), (16, 22), (20, 4), (24, .3)], end=50)
    errs += series(rng, o, 'booking-web', vendor='stripe', region='sjc', mix=[(None, 500, 1)], base=0.1, end=50,
                   plan=[(-90, 50, 20)])
    return build(
        name, 'vendor-untagged',
        'Fly.io 12r6ygv9zc03 (2025-11-11, impact critical) "SJC Networking Issues": first post 15:07Z ("An upstream '
        'provider in SJC region is experiencing network issues. Apps on affected hosts may be unavailable"), fix '
        '15:18Z, resolved 20:54Z. Our booking-web runs on Fly.io in sjc; its errors are untagged and carry only an HTTP '
        'status (502/503, no code, no vendor): ~25 a minute from 15:02Z to the fix. Our incident opens 15:08Z. No change '
        'of ours; a critical incident of our host in our region starting with the errors: upstream (Fly.io).',
        {'INC-6118': 'upstream'},
        [svc('booking-web', ['sjc'], [('flyio', ['Regional Availability / SJC - San Jose, California (US)']), ('stripe', ['API'])])],
        [V('flyio', 'Fly.io'), V('stripe', 'Stripe')],
        errs,
        [inc('INC-6118', 'booking-web', 'Booking site returning 502', '2025-11-11T15:08:00Z', '2025-11-11T15:38:00Z', ['us-west'])],
        [vendor_incident('flyio', 'flyio', '12r6ygv9zc03', regions=['SJC'])],
    )


@scenario
def cloudflare_r2_enam_calls(rng):
    name = 'cloudflare-r2-enam-latency-call-ratio'
    o = T('2025-06-27T18:05:00Z')
    pts = [(0, .3), (4, 40), (60, 42), (69, 10), (75, .3)]
    errs = series(rng, o, 'asset-pipeline', vendor='cloudflare', region='us-east', endpoint='PUT /{bucket}/{key}',
                  mix=[('DEADLINE_EXCEEDED', None, 4), ('ECONNRESET', None, 1)], base=0.3, points=pts,
                  start=-90, end=-45, plan=[(-90, -45, 15)])
    errs += series(rng, o, 'asset-pipeline', vendor='cloudflare', region='us-east', endpoint='PUT /{bucket}/{key}',
                   mix=[('DEADLINE_EXCEEDED', None, 1)], base=0.3, points=pts,
                   start=-45, end=88, plan=[(-45, 88, 1)], calls=lambda m: 120 if m < 0 else 105)
    return build(
        name, 'vendor-tagged-single',
        'Cloudflare x8kcl20nk88s (2025-06-27, impact critical) "High R2 request latency in ENAM region": first post '
        '18:13Z ("R2 users with buckets in the ENAM region may be experiencing elevated request latency"), fix 19:14Z, '
        'resolved 21:49Z. Our asset-pipeline (service region "us", bucket in ENAM) reports its R2 call volume every '
        'minute with its failures (code only: DEADLINE_EXCEEDED, no status): ~120 calls a minute, failures rising '
        'from a baseline of 0.3 to ~40 a minute (a third of the calls) from 18:05Z until the fix. Our incident opens '
        '18:12Z. One service, a large sustained failure ratio on the vendor, inside its incident: upstream (Cloudflare).',
        {'INC-4471': 'upstream'},
        [svc('asset-pipeline', ['us'], [('cloudflare', ['R2'])])],
        [V('cloudflare', 'Cloudflare')],
        errs,
        [inc('INC-4471', 'asset-pipeline', 'Asset uploads stalling', '2025-06-27T18:12:00Z', '2025-06-27T19:35:00Z')],
        [vendor_incident('cloudflare', 'cloudflare', 'x8kcl20nk88s', regions=['ENAM'])],
    )


@scenario
def onepassword_unavailable(rng):
    name = 'onepassword-us-unavailable-codes-only'
    o = T('2025-04-22T12:52:00Z')
    errs = series(rng, o, 'secrets-sync', vendor='1Password', region='us-east-1', endpoint='op item get',
                  mix=[('UNAVAILABLE', None, 5), ('HTTP_5XX', None, 3)], base=0.3,
                  points=[(0, .3), (2, 12), (38, 10), (44, 3), (52, .3)], end=70)
    errs += series(rng, o, 'deploy-gate', vendor='1Password', region='us-east-1', endpoint='op read',
                   mix=[('UNAVAILABLE', None, 1)], base=0.2,
                   points=[(1, .2), (3, 6), (38, 5), (44, 1), (50, .2)], end=70)
    return build(
        name, 'vendor-tagged-multi',
        '1Password k485xbh9yrvx (2025-04-22, impact critical) "1Password service was unavailable": first post 13:09Z, '
        'recovered 13:36Z, resolved 20:08Z; the postmortem posted 04-25 dates it 8:51–9:31 US Eastern ("web interface '
        'and APIs were unavailable for all customers accessing the US region"). Declared as id "onepassword"; our '
        'errors name it "1Password" with codes only (UNAVAILABLE, HTTP_5XX). Both of our services reading secrets from '
        'it (service regions "us") fail from 12:52Z to 13:31Z; our incident opens 13:00Z. Two services, tagged, the '
        'vendor\'s own window: upstream (1Password).',
        {'INC-1904': 'upstream'},
        [svc('secrets-sync', ['us'], [('onepassword', ['USA/Global / Command Line Interface (CLI)', 'USA/Global / Sign in'])]),
         svc('deploy-gate', ['us'], [('onepassword', ['USA/Global / Command Line Interface (CLI)'])])],
        [V('onepassword', '1Password')],
        errs,
        [inc('INC-1904', 'secrets-sync', 'Secret sync failing, deploys blocked', '2025-04-22T13:00:00Z', '2025-04-22T13:50:00Z', ['us'])],
        [vendor_incident('onepassword', 'onepassword', 'k485xbh9yrvx')],
    )


@scenario
def newrelic_eu_otlp(rng):
    name = 'newrelic-eu-ingest-frankfurt-grpc-codes'
    o = T('2025-03-18T18:28:00Z')
    errs = series(rng, o, 'otel-exporter', vendor='New Relic', region='eu-central-1', endpoint='otlp.eu01.nr-data.net:4317',
                  mix=[('GRPC_14', None, 6), ('GRPC_4', None, 2)], base=0.3,
                  points=[(0, .3), (3, 25), (28, 22), (31, 4), (35, .3)], end=55)
    errs += series(rng, o, 'otel-exporter', vendor='pagerduty', region='eu-central-1', mix=[(None, 502, 1)], base=0.1,
                   end=55, plan=[(-90, 55, 20)])
    return build(
        name, 'vendor-late-post',
        'New Relic 739dq850pym1 (2025-03-18, impact major) "Data Irregularities in the EU Region": first post 18:50Z '
        '("Some customers in the EU region may experience errors when sending data"), fix 19:05Z, resolved 19:36Z '
        'dating it "Between 18:28 UTC and 18:58 UTC". Declared as id "newrelic"; errors name it "New Relic" with gRPC '
        'codes only (GRPC_14 = UNAVAILABLE, GRPC_4 = DEADLINE_EXCEEDED). Our otel-exporter (service region "Frankfurt") '
        'fails ~25 times a minute from 18:28Z to 18:58Z; our incident opens 18:35Z, 15 minutes before the vendor posts. '
        'One service, a large sustained spike naming the vendor, in its EU region and own window: upstream (New Relic), '
        'suspected before the post.',
        {'INC-3150': 'upstream'},
        [svc('otel-exporter', ['Frankfurt'], [('newrelic', ['Data Ingest : Europe / OTLP API : Europe', 'Data Ingest : Europe / Log API : Europe']), ('pagerduty', [])])],
        [V('newrelic', 'New Relic'), V('pagerduty', 'PagerDuty')],
        errs,
        [inc('INC-3150', 'otel-exporter', 'Telemetry export failing', '2025-03-18T18:35:00Z', '2025-03-18T19:10:00Z', ['eu'])],
        [vendor_incident('newrelic', 'newrelic', '739dq850pym1', regions=['EU'])],
        suspected=[{'vendor': 'newrelic', 'region': 'Frankfurt'}],
    )


@scenario
def laravel_singapore_open_hours_before(rng):
    name = 'laravel-singapore-open-hours-before-ours'
    o = T('2026-02-27T03:06:00Z')
    plan = [(-90, -10, 10), (-10, 30, 1), (30, 300, 10)]
    errs = series(rng, o, 'tutor-app', vendor='laravel-cloud', region='ap-southeast-1', endpoint='mysql query',
                  mix=[('ETIMEDOUT', None, 4), ('ECONNREFUSED', None, 3), ('HTTP_503', 503, 2)], plan=plan,
                  base=0.3, points=[(0, .3), (3, 14), (60, 12), (84, 10), (96, 2), (104, .3)], end=125)
    return build(
        name, 'vendor-long-open',
        'Laravel Cloud q3k3sbdpxmvr (2026-02-27, impact major) "Network issues affecting serveral services in Singapore": '
        'first post 00:53Z, identified 01:36Z, "monitoring" 02:58Z, back to "identified … fix being implemented" 03:24Z, '
        'database remediations 08:29Z, resolved 09:20Z (a region migration). The vendor incident is open more than two '
        'hours before anything of ours moves: our tutor-app (service region "Singapore", on Laravel MySQL there) is at '
        'baseline until 03:06Z, then fails ~14 times a minute (tagged, ETIMEDOUT/ECONNREFUSED/503) until 04:42Z; our '
        'incident opens 03:13Z, as the vendor reopens its fix. One service, a large sustained spike naming the vendor, '
        'inside its still-open regional incident: upstream (Laravel Cloud).',
        {'INC-0227': 'upstream'},
        [svc('tutor-app', ['Singapore'], [('laravel-cloud', ['Laravel MySQL / Laravel MySQL - Asia Pacific (Singapore)', 'Deployments / Deployments - Asia Pacific (Singapore)'])])],
        [V('laravel-cloud', 'Laravel Cloud')],
        errs,
        [inc('INC-0227', 'tutor-app', 'Lessons fail to load in APAC', '2026-02-27T03:13:00Z', '2026-02-27T04:58:00Z', ['apac'])],
        [vendor_incident('laravel-cloud', 'laravel', 'q3k3sbdpxmvr', regions=['Singapore'])],
    )


@scenario
def bambulab_fatal_many_updates(rng):
    name = 'bambulab-cloud-fatal-11-updates'
    o = T('2024-09-10T09:52:00Z')
    plan = [(-90, -10, 10), (-10, 25, 1), (25, 400, 15)]
    errs = series(rng, o, 'print-farm', vendor='Bambu Lab', region='eu-central-1', endpoint='mqtt us.mqtt.bambulab.com',
                  mix=[('ECONNREFUSED', None, 3), ('HTTP_502', 502, 3), ('MQTT_CONNACK_TIMEOUT', None, 2)], plan=plan,
                  base=0.3, points=[(0, .3), (4, 10), (150, 9), (249, 8), (258, 1), (264, .3)], end=280)
    errs += series(rng, o, 'order-fulfilment', vendor='Bambu Lab', region='eu-central-1', endpoint='POST /v1/iot-service/api/user/print',
                   mix=[('HTTP_502', 502, 2), ('ETIMEDOUT', None, 1)], plan=plan,
                   base=0.15, points=[(2, .15), (6, 4), (150, 3.5), (249, 3), (256, .15)], end=280)
    return build(
        name, 'vendor-tagged-multi',
        'Bambu Lab l2gm98y38w5k (2024-09-10, impact major) "Some cloud services encounter an fatal issue", all 11 updates '
        'kept: first post 09:59Z, "identified" 10:01Z, a run of "continuing to work on a fix" posts, website back 12:30Z, '
        'fix monitored from 14:01Z, resolved 14:54Z. Declared as id "bambulab"; errors name it "Bambu Lab". Our '
        'print-farm and order-fulfilment both fail against the Bambu cloud from 09:52Z until 14:03Z; our incident opens '
        '10:00Z. Two services, tagged, over the vendor\'s whole incident: upstream (Bambu Lab).',
        {'INC-9012': 'upstream'},
        [svc('print-farm', ['eu-central-1'], [('bambulab', ['Printer Services / Cloud printing', 'Printer Services / Remote controlling'])]),
         svc('order-fulfilment', ['eu-central-1'], [('bambulab', ['Printer Services / Cloud printing'])])],
        [V('bambulab', 'Bambu Lab')],
        errs,
        [inc('INC-9012', 'print-farm', 'Print jobs not dispatched', '2024-09-10T10:00:00Z', '2024-09-10T14:24:00Z')],
        [vendor_incident('bambulab', 'bambulab', 'l2gm98y38w5k')],
    )


@scenario
def digitalocean_spaces_minor(rng):
    name = 'digitalocean-spaces-sgp1-minor-big-spike'
    o = T('2024-06-17T17:02:00Z')
    plan = [(-90, -10, 10), (-10, 30, 1), (30, 300, 5)]
    errs = series(rng, o, 'media-uploader', vendor='digitalocean', region='sgp1', endpoint='PUT /{bucket}/{key}',
                  mix=[('HTTP_503', 503, 6), ('SlowDown', 503, 1), ('ETIMEDOUT', None, 2)], plan=plan,
                  base=0.3, points=[(0, .3), (3, 20), (30, 24), (45, 8), (55, 22), (90, 18), (101, 3), (104, .3)], end=125)
    return build(
        name, 'vendor-late-post',
        'DigitalOcean lcdn900frz8z (2024-06-17, impact minor) "503 errors in SGP1 region" (Spaces / SGP1): first post '
        '18:49Z, fix 19:07Z, resolved 19:37Z with "From 17:02 - 18:44 UTC, the Spaces API experienced availability '
        'dips". The vendor rates it minor, but our media-uploader in sgp1 gets ~20 failures a minute naming it (503s, '
        'SlowDown, timeouts) from 17:02Z to 18:44Z, with one dip; our incident opens 17:10Z, 1 h 39 min before the '
        'vendor\'s first post. One service, a large sustained spike on the vendor, in its region and later its own '
        'window: upstream (DigitalOcean), suspected early.',
        {'INC-6170': 'upstream'},
        [svc('media-uploader', ['sgp1'], [('digitalocean', ['Spaces / SGP1'])])],
        [V('digitalocean', 'DigitalOcean')],
        errs,
        [inc('INC-6170', 'media-uploader', 'Uploads failing in Singapore', '2024-06-17T17:10:00Z', '2024-06-17T18:58:00Z')],
        [vendor_incident('digitalocean', 'digitalocean', 'lcdn900frz8z', regions=['SGP1'])],
        suspected=[{'vendor': 'digitalocean', 'region': 'sgp1'}],
    )


@scenario
def digitalocean_api_other_deploy(rng):
    name = 'digitalocean-api-outage-other-service-deployed'
    o = T('2025-02-06T00:05:00Z')
    errs = series(rng, o, 'infra-provisioner', vendor='DigitalOcean', region='nyc3', endpoint='POST /v2/droplets',
                  mix=[(None, 500, 3), (None, 503, 3), ('ETIMEDOUT', None, 2)], base=0.3,
                  points=[(0, .3), (2, 9), (34, 8), (38, 2), (42, .3)], end=65)
    errs += series(rng, o, 'node-autoscaler', vendor='DigitalOcean', region='nyc3', endpoint='PUT /v2/kubernetes/clusters/{id}/node_pools/{id}',
                   mix=[(None, 503, 2), ('ETIMEDOUT', None, 1)], base=0.2,
                   points=[(1, .2), (3, 5), (34, 4), (40, .2)], end=65)
    errs += series(rng, o, 'billing-web', vendor='stripe', region='nyc3', mix=[(None, 500, 1)], base=0.15, end=65,
                   plan=[(-90, 65, 15)])
    return build(
        name, 'deploy-during-vendor-outage',
        'DigitalOcean 57jhx9vk2kbl (2025-02-06, impact major) "Cloud Control Panel and API": first post 00:26Z ("As of '
        '00:16 UTC … users will experience errors when trying to use the public API"), fix 01:01Z, resolved 01:29Z '
        'dating it "From 00:04 UTC to 00:41 UTC". Our billing-web (which does not call DigitalOcean) deploys at 00:01Z; '
        'from 00:05Z our infra-provisioner and node-autoscaler, both unchanged, get 5xx and timeouts from the '
        'DigitalOcean API (errors name it "DigitalOcean"); our incident on infra-provisioner opens 00:11Z. The deploy is '
        'of another service, the failing calls are to the vendor in two services, inside its own window: upstream '
        '(DigitalOcean).',
        {'INC-2601': 'upstream'},
        [svc('infra-provisioner', ['nyc3'], [('digitalocean', ['API'])]),
         svc('node-autoscaler', ['nyc3'], [('digitalocean', ['API'])]),
         svc('billing-web', ['nyc3'], [('stripe', ['API'])])],
        [V('digitalocean', 'DigitalOcean'), V('stripe', 'Stripe')],
        errs,
        [inc('INC-2601', 'infra-provisioner', 'Droplet provisioning failing', '2025-02-06T00:11:00Z', '2025-02-06T00:58:00Z')],
        [vendor_incident('digitalocean', 'digitalocean', '57jhx9vk2kbl')],
        changes=[chg('2025-02-06T00:01:00Z', 'billing-web', 'deploy', 'v2025.02.05-3')],
    )


@scenario
def digitalocean_gradient_429(rng):
    name = 'digitalocean-gradient-deepseek-429-throttling'
    o = T('2026-06-11T14:17:00Z')
    pts = [(0, .2), (2, 28), (44, 27), (48, 1), (50, .2)]
    calls = lambda m: 40 if m < 48 else 38  # noqa: E731
    errs = series(rng, o, 'research-assistant', vendor='digitalocean', region='tor1', endpoint='POST /api/v1/chat/completions',
                  mix=[('RATE_LIMITED', 429, 1)], base=0.2, points=pts, start=-90, end=-45, plan=[(-90, -45, 15)])
    errs += series(rng, o, 'research-assistant', vendor='digitalocean', region='tor1', endpoint='POST /api/v1/chat/completions',
                   mix=[('RATE_LIMITED', 429, 1)], base=0.2, points=pts,
                   start=-45, end=70, plan=[(-45, 70, 1)], calls=calls)
    return build(
        name, 'vendor-rate-limit',
        'DigitalOcean 505mwh53nwl2 (2026-06-11, impact major) "DeepSeek V4 Pro is returning HTTP 429 \\"Rate limit '
        'exceeded\\"" (Agentic Inference Cloud / Model Services): first post 14:24Z, identified 14:31Z, resolved 17:42Z. '
        'Our research-assistant calls that model ~40 times a minute (call volume reported with each minute\'s '
        'failures); from 14:17Z about 70% of the calls come back 429 RATE_LIMITED while our call rate stays flat. Our '
        'incident opens 14:24Z; at 15:04Z we switch summarization to another model (a mitigation after the onset) and '
        'the errors stop. The throttling is the vendor\'s, announced by it, with no surge of ours: upstream '
        '(DigitalOcean).',
        {'INC-6611': 'upstream'},
        [svc('research-assistant', ['tor1'], [('digitalocean', ['Agentic Inference Cloud / Model Services'])])],
        [V('digitalocean', 'DigitalOcean')],
        errs,
        [inc('INC-6611', 'research-assistant', 'Research summaries failing', '2026-06-11T14:24:00Z', '2026-06-11T15:20:00Z')],
        [vendor_incident('digitalocean', 'digitalocean', '505mwh53nwl2')],
        changes=[chg('2026-06-11T15:04:00Z', 'research-assistant', 'config', 'model-fallback-on',
                     'Mitigation: route summaries to the fallback model')],
    )


@scenario
def twilio_verify_volume(rng):
    name = 'twilio-verify-whatsapp-volume-reports'
    o = T('2025-06-29T23:50:00Z')
    pts = [(0, .3), (2, 30), (28, 27), (31, 5), (34, .3)]
    errs = series(rng, o, 'otp-sender', vendor='Twilio', region='us-east-1', endpoint='POST /v2/Services/{sid}/Verifications',
                  mix=[('30008', None, 3), ('HTTP_503', 503, 2)], base=0.3, points=pts, end=55,
                  plan=[(-90, -10, 10), (-10, 55, 1)])
    errs += volume(rng, o, 'otp-sender', 'Twilio', 'us-east-1', lambda m: 60, start=-45, end=55)
    return build(
        name, 'vendor-tagged-single',
        'Twilio fkf483v6p3rl (2025-06-29, impact major) "Message Delivery Failures with WhatsApp and Verify": first post '
        '23:58Z, delivery restored 00:19Z, resolved 00:44Z. Our otp-sender sends a pure volume report every minute '
        '({at, service, vendor, region, calls}: ~60 Verify calls) and its failures as separate events (codes 30008 and '
        'HTTP_503, vendor named "Twilio"): the failure ratio goes from under 1% to about half from 23:50Z to 00:20Z. '
        'Our incident opens 23:56Z. One service, a large sustained failure ratio on the vendor\'s component inside its '
        'incident: upstream (Twilio).',
        {'INC-0630': 'upstream'},
        [svc('otp-sender', ['us-east-1'], [('twilio', ['ACCOUNT SECURITY / Verify', 'PROGRAMMABLE MESSAGING / WhatsApp Messaging'])])],
        [V('twilio', 'Twilio')],
        errs,
        [inc('INC-0630', 'otp-sender', 'Login codes not arriving', '2025-06-29T23:56:00Z', '2025-06-30T00:35:00Z')],
        [vendor_incident('twilio', 'twilio', 'fkf483v6p3rl')],
    )


@scenario
def reddit_blind_two_services(rng):
    name = 'reddit-page-timeout-two-services'
    o = T('2023-08-02T20:50:00Z')
    plan = [(-90, -10, 10), (-10, 30, 1), (30, 300, 5)]
    errs = series(rng, o, 'mention-tracker', vendor='Reddit', region='us-east-1', endpoint='GET /r/{sub}/new',
                  mix=[(None, 500, 3), (None, 502, 3), (None, 503, 2)], plan=plan,
                  base=0.3, points=[(0, .3), (3, 12), (60, 11), (68, 3), (75, .3)], end=95)
    errs += series(rng, o, 'community-digest', vendor='Reddit', region='us-east-1', endpoint='GET /api/info',
                   mix=[(None, 502, 2), (None, 503, 1)], plan=plan,
                   base=0.2, points=[(1, .2), (4, 7), (60, 6), (68, 1), (73, .2)], end=95)
    return build(
        name, 'vendor-blind',
        'Modelled on Reddit tpdz34x76vf0 (2023-08-02, impact critical) "Elevated error rates": first post 20:58Z, '
        'identified 21:34Z, fix 21:59Z, resolved 22:15Z. Here Reddit\'s status page cannot be read: every poll times out '
        'from 20:46Z until 22:32Z (vendorHealth), when nothing is open any more, so the incident never reaches the '
        'file. Our mention-tracker and community-digest both get 5xx from the Reddit API (status only, vendor named '
        '"Reddit") from 20:50Z to ~22:00Z; our incident opens 20:56Z. Two services failing on a vendor we cannot read: '
        'upstream (Reddit), suspected from our errors.',
        {'INC-0802': 'upstream'},
        [svc('mention-tracker', ['us-east-1'], [('reddit', ['reddit.com / Desktop Web'])]),
         svc('community-digest', ['us-east-1'], [('reddit', [])])],
        [V('reddit', 'Reddit')],
        errs,
        [inc('INC-0802', 'mention-tracker', 'Brand mentions not updating', '2023-08-02T20:56:00Z', '2023-08-02T22:12:00Z')],
        suspected=[{'vendor': 'reddit', 'region': 'us-east-1'}],
        health=[{'vendor': 'reddit', 'at': '2023-08-02T20:46:00Z', 'state': 'timeout', 'reason': 'status page read timed out after 10 s'},
                {'vendor': 'reddit', 'at': '2023-08-02T22:32:00Z', 'state': 'ok'}],
    )


@scenario
def twitch_silent_two_services(rng):
    name = 'twitch-silent-video-two-services'
    o = T('2023-11-07T18:03:00Z')
    plan = [(-90, -10, 10), (-10, 30, 1), (30, 300, 10)]
    errs = series(rng, o, 'watch-party', vendor='Twitch', region='us-west-2', endpoint='GET /hls/{channel}.m3u8',
                  mix=[('HTTP_502', 502, 4), ('HLS_PLAYLIST_TIMEOUT', None, 3), ('HTTP_503', 503, 2)], plan=plan,
                  base=0.3, points=[(0, .3), (3, 15), (90, 13), (112, 12), (118, 2), (122, .3)], end=140)
    errs += series(rng, o, 'clip-indexer', vendor='Twitch', region='us-west-2', endpoint='GET /helix/videos',
                   mix=[('HTTP_502', 502, 2), ('HLS_PLAYLIST_TIMEOUT', None, 1)], plan=plan,
                   base=0.2, points=[(1, .2), (4, 6), (90, 5), (115, 5), (120, .2)], end=140)
    return build(
        name, 'vendor-silent-strong',
        'Modelled on Twitch 7pphvvh3zd03 (2023-11-07, impact critical) "Identified Video (Watching) Issues" (first post '
        '18:09Z, fix 21:34Z), post withheld: the vendor says nothing here. Declared as id "twitch"; errors name it '
        '"Twitch". Our watch-party and clip-indexer both fail fetching Twitch video (502/503, playlist timeouts) from '
        '18:03Z for two hours; our incident opens 18:09Z. Two services, tagged, large and sustained, vendor silent: '
        'upstream (Twitch), suspected within minutes.',
        {'INC-1107': 'upstream'},
        [svc('watch-party', ['us-west-2'], [('twitch', ['Video (Watching)'])]),
         svc('clip-indexer', ['us-west-2'], [('twitch', ['Video (Watching)'])])],
        [V('twitch', 'Twitch')],
        errs,
        [inc('INC-1107', 'watch-party', 'Watch parties show a black player', '2023-11-07T18:09:00Z', '2023-11-07T20:12:00Z')],
        suspected=[{'vendor': 'twitch', 'region': 'us-west-2'}],
    )


@scenario
def flyio_platform_untagged(rng):
    name = 'flyio-platform-disruption-untagged-codes-only'
    o = T('2024-08-07T19:03:00Z')
    errs = series(rng, o, 'storefront', region='ams', endpoint='GET /',
                  mix=[('HTTP_5XX', None, 5), ('ECONNRESET', None, 2)], base=0.3,
                  points=[(0, .3), (3, 18), (28, 16), (33, 3), (37, .3)], end=60)
    errs += series(rng, o, 'storefront', vendor='stripe', region='ams', mix=[(None, 500, 1)], base=0.1, end=60,
                   plan=[(-90, 60, 15)])
    return build(
        name, 'vendor-untagged',
        'Fly.io 21mtvd1jkgyf (2024-08-07, impact major) "Platform disruption" (Customer Applications, Machines API): '
        'first post 19:11Z ("a bad commit that has disrupted some of our platform operations"), fix rolled out 19:34Z, '
        'resolved 20:45Z; no region named. Our storefront runs on Fly.io (region ams); its errors are untagged codes '
        'with no status (HTTP_5XX, ECONNRESET): ~18 a minute from 19:03Z to 19:36Z. Our incident opens 19:09Z. No '
        'change of ours; a major incident of our host naming no region, starting with our errors: upstream (Fly.io).',
        {'INC-0807': 'upstream'},
        [svc('storefront', ['ams'], [('flyio', ['Customer Applications']), ('stripe', ['API'])])],
        [V('flyio', 'Fly.io'), V('stripe', 'Stripe')],
        errs,
        [inc('INC-0807', 'storefront', 'Storefront 5xx for EU shoppers', '2024-08-07T19:09:00Z', '2024-08-07T19:50:00Z', ['eu'])],
        [vendor_incident('flyio', 'flyio', '21mtvd1jkgyf')],
    )


@scenario
def grafana_eu_west_2_from_us(rng):
    name = 'grafana-prod-eu-west-2-cluster-us-service'
    o = T('2025-04-10T01:14:00Z')
    errs = series(rng, o, 'log-shipper', vendor='Grafana Cloud', region='us-east-1', endpoint='POST /loki/api/v1/push',
                  mix=[('HTTP_500', 500, 3), ('HTTP_502', 502, 3), ('ETIMEDOUT', None, 2)], base=0.3,
                  points=[(0, .3), (2, 16), (22, 14), (30, 3), (34, .3)], end=55)
    return build(
        name, 'vendor-datacenter',
        'Grafana Cloud 5k8jjyk65l43 (2025-04-10, impact major) "Issue with Multiple Components in prod-eu-west-2 and '
        'prod-eu-west-4" (components "… / AWS Germany - prod-eu-west-2"): one post at 01:27Z ("As of 1:15am UTC … Loki '
        'impacted, errors on read and write path"), resolved 02:06Z. Those are Grafana\'s clusters, not customer '
        'regions: our log-shipper runs in us-east-1 but its stack lives in prod-eu-west-2 (its dependsOn names the '
        'components). It fails ~16 times a minute naming "Grafana Cloud" from 01:14Z to 01:44Z; our incident opens '
        '01:20Z. One service, a large sustained spike, on the cluster the vendor names: upstream (Grafana Cloud).',
        {'INC-0410': 'upstream'},
        [svc('log-shipper', ['us-east-1'], [('grafana-cloud', ['Logs / AWS Germany - prod-eu-west-2', 'Grafana / AWS Germany - prod-eu-west-2'])])],
        [V('grafana-cloud', 'Grafana Cloud')],
        errs,
        [inc('INC-0410', 'log-shipper', 'Logs not reaching Loki', '2025-04-10T01:20:00Z', '2025-04-10T01:56:00Z', ['us-east'])],
        [vendor_incident('grafana-cloud', 'grafana', '5k8jjyk65l43', regions=['prod-eu-west-2', 'prod-eu-west-4', 'AWS Germany'])],
    )


@scenario
def zoom_sydney_late(rng):
    name = 'zoom-phone-sydney-31-min-late-sip-codes'
    o = T('2025-07-16T07:44:00Z')
    plan = [(-90, -10, 10), (-10, 35, 1), (35, 300, 5)]
    errs = series(rng, o, 'contact-center', vendor='Zoom', region='ap-southeast-2', endpoint='POST /phone/calls',
                  mix=[('SIP_503', None, 4), ('SIP_408', None, 3), ('CALL_SETUP_TIMEOUT', None, 2)], plan=plan,
                  base=0.3, points=[(0, .3), (3, 14), (40, 11), (50, 15), (100, 12), (108, 2), (114, .3)], end=130)
    return build(
        name, 'vendor-late-post',
        'Zoom kps2dyvj7m7m (2025-07-16, impact major) "A subset of users are experiencing intermittent connectivity '
        'issues with Zoom Phone inbound and outbound calling in the Sydney region": first post 08:15Z, resolved at '
        '09:36Z, closed 09:45Z. Our contact-center (service region "Sydney") places calls through Zoom Phone; from '
        '07:44Z ~14 call set-ups a minute fail (SIP_503, SIP_408, CALL_SETUP_TIMEOUT: codes only, vendor "Zoom"); our '
        'incident opens 07:51Z, 24 minutes before the vendor posts. One service, a large sustained spike naming the '
        'vendor, in the region it later names: upstream (Zoom), suspected before the post.',
        {'INC-7160': 'upstream'},
        [svc('contact-center', ['Sydney'], [('zoom', ['Zoom Phone - AUSTRALIA / Zoom Phone'])])],
        [V('zoom', 'Zoom')],
        errs,
        [inc('INC-7160', 'contact-center', 'Outbound calls dropping', '2025-07-16T07:51:00Z', '2025-07-16T09:46:00Z', ['apac'])],
        [vendor_incident('zoom', 'zoom', 'kps2dyvj7m7m', regions=['Sydney', 'AUSTRALIA'])],
        suspected=[{'vendor': 'zoom', 'region': 'Sydney'}],
    )


@scenario
def ubiquiti_remote_access_2021(rng):
    name = 'ubiquiti-unifi-remote-access-2021'
    o = T('2021-01-14T16:01:00Z')
    plan = [(-90, -10, 10), (-10, 30, 1), (30, 400, 10)]
    errs = series(rng, o, 'msp-monitor', vendor='unifi', region='eu-west-2', endpoint='GET unifi.ui.com/api/controllers',
                  mix=[('HTTP_502', 502, 3), ('WEBSOCKET_HANDSHAKE_TIMEOUT', None, 3), ('HTTP_504', 504, 2)], plan=plan,
                  base=0.3, points=[(0, .3), (4, 20), (90, 18), (165, 16), (170, 3), (176, .3)], end=195)
    return build(
        name, 'vendor-tagged-single',
        'Ubiquiti 6cr515c0tjsj (2021-01-14, impact major) "UniFi Remote Access Outage": first post 16:08Z ("connection '
        'issues for some users trying to access their controllers via unifi.ui.com"), fix 18:48Z, resolved 20:43Z. '
        'Declared as id "unifi" (name "Ubiquiti UniFi"). Our msp-monitor reaches customer controllers through '
        'unifi.ui.com; ~20 failures a minute from 16:01Z to 18:50Z; our incident opens 16:06Z. One service, a large '
        'sustained spike naming the vendor, over its incident: upstream (Ubiquiti).',
        {'INC-0114': 'upstream'},
        [svc('msp-monitor', ['eu-west-2'], [('unifi', ['UniFi Remote Access / unifi.ui.com', 'UniFi Remote Access / Remote Access Service'])])],
        [V('unifi', 'Ubiquiti UniFi')],
        errs,
        [inc('INC-0114', 'msp-monitor', 'Customer sites show offline', '2021-01-14T16:06:00Z', '2021-01-14T19:02:00Z')],
        [vendor_incident('unifi', 'ubiquiti', '6cr515c0tjsj')],
    )


@scenario
def mit_touchstone(rng):
    name = 'mit-touchstone-sso-two-services-long'
    o = T('2025-01-20T17:38:00Z')
    plan = [(-90, -10, 10), (-10, 25, 1), (25, 600, 20)]
    errs = series(rng, o, 'course-portal', vendor='MIT IS&T', region='us-east-1', endpoint='SAML idp.mit.edu',
                  mix=[('SAML_IDP_TIMEOUT', None, 3), (None, 503, 3)], plan=plan,
                  base=0.3, points=[(0, .3), (4, 9), (200, 7), (405, 6), (414, .3)], end=435)
    errs += series(rng, o, 'library-proxy', vendor='MIT IS&T', region='us-east-1', endpoint='LDAP ldap.mit.edu',
                   mix=[('LDAP_UNAVAILABLE', None, 1)], plan=plan,
                   base=0.15, points=[(2, .15), (5, 4), (200, 3), (405, 3), (412, .15)], end=435)
    return build(
        name, 'vendor-tagged-multi',
        'MIT IS&T ssnx2wytvzkz (2025-01-20, impact critical) "MIT infrastructure services unavailable - including '
        'Touchstone login": first post 17:53Z ("Touchstone login, Moira and LDAP are unavailable due to an '
        'infrastructure failure"), fix 00:35Z, resolved 08:50Z. Declared as id "mit-ist"; errors name it "MIT IS&T". '
        'Our course-portal (Touchstone SAML) and library-proxy (LDAP) both fail from 17:38Z for almost seven hours; our '
        'incident opens 17:45Z and stays open until the fix. Two services, tagged, over the vendor\'s incident: '
        'upstream (MIT IS&T).',
        {'INC-0120': 'upstream'},
        [svc('course-portal', ['us-east-1'], [('mit-ist', ['General'])]),
         svc('library-proxy', ['us-east-1'], [('mit-ist', ['General'])])],
        [V('mit-ist', 'MIT IS&T')],
        errs,
        [inc('INC-0120', 'course-portal', 'Students cannot sign in', '2025-01-20T17:45:00Z', '2025-01-21T00:48:00Z')],
        [vendor_incident('mit-ist', 'mit', 'ssnx2wytvzkz')],
    )


# ───────────────────────────── several incidents in one file ─────────────────────────────


@scenario
def cloudflare_pages_plus_our_db(rng):
    name = 'cloudflare-pages-outage-and-our-db-pool-same-day'
    o = T('2024-11-27T14:10:00Z')
    plan = [(-90, -10, 10), (-10, 30, 1), (30, 300, 10)]
    errs = series(rng, o, 'docs-publisher', vendor='cloudflare', region='us-east-1', endpoint='POST /accounts/{a}/pages/projects/{p}/deployments',
                  mix=[('HTTP_500', 500, 3), ('HTTP_503', 503, 2)], plan=plan,
                  base=0.2, points=[(0, .2), (3, 7), (60, 6), (100, 5), (104, .2)], end=160)
    o2 = T('2024-11-27T15:05:00Z')
    errs += series(rng, o2, 'checkout', region='eu-central-1', endpoint='POST /checkout',
                   mix=[('DB_POOL_EXHAUSTED', None, 6), ('DB_QUERY_TIMEOUT', None, 2)], start=-90, end=70,
                   plan=[(-90, -10, 10), (-10, 40, 1), (40, 70, 10)],
                   base=0.2, points=[(0, .2), (3, 18), (30, 16), (35, 2), (38, .2)])
    errs += series(rng, o, 'checkout', vendor='stripe', region='eu-central-1', mix=[(None, 500, 1)], base=0.1,
                   end=160, plan=[(-90, 160, 20)])
    return build(
        name, 'multi-incident',
        'Cloudflare ysp8n8nk48bg (2024-11-27, impact major) "Cloudflare Pages, Workers, API and Dashboard issues": first '
        'post 14:18Z ("errors when attempting to create new Cloudflare Pages based sites … This issue does not affect '
        'any other Cloudflare services"), Dashboard added 15:21Z, fix 15:50Z, resolved 17:03Z. Two incidents of ours '
        'that day. INC-1127: our docs-publisher creates Pages deployments through the Cloudflare API and fails ~7 '
        'times a minute (500/503, tagged) from 14:10Z to 15:52Z; it opens 14:17Z: upstream (Cloudflare). INC-1128: our '
        'checkout (behind Cloudflare\'s CDN, which the vendor says is unaffected) exhausts its database pool from '
        '15:05Z (DB_POOL_EXHAUSTED, DB_QUERY_TIMEOUT, untagged) while its Stripe calls stay at baseline; it opens '
        '15:11Z while the Cloudflare incident is still open: internal.',
        {'INC-1127': 'upstream', 'INC-1128': 'internal'},
        [svc('docs-publisher', ['us-east-1'], [('cloudflare', ['Cloudflare Sites and Services / Pages', 'Cloudflare Sites and Services / API'])]),
         svc('checkout', ['eu-central-1'], [('cloudflare', ['Cloudflare Sites and Services / CDN/Cache']), ('stripe', ['API'])])],
        [V('cloudflare', 'Cloudflare'), V('stripe', 'Stripe')],
        errs,
        [inc('INC-1127', 'docs-publisher', 'Docs deploys failing', '2024-11-27T14:17:00Z', '2024-11-27T16:02:00Z'),
         inc('INC-1128', 'checkout', 'Checkout errors in EU', '2024-11-27T15:11:00Z', '2024-11-27T15:52:00Z', ['eu'])],
        [vendor_incident('cloudflare', 'cloudflare', 'ysp8n8nk48bg')],
    )


@scenario
def hashicorp_vault_plus_our_oom(rng):
    name = 'hcp-vault-azure-central-us-and-our-oom'
    o = T('2024-07-18T22:58:00Z')
    plan = [(-90, -10, 10), (-10, 30, 1), (30, 300, 15)]
    errs = series(rng, o, 'payments-api', vendor='hcp', region='centralus', endpoint='vault kv get',
                  mix=[('ECONNREFUSED', None, 3), ('HTTP_503', 503, 3), ('ETIMEDOUT', None, 2)], plan=plan,
                  base=0.3, points=[(0, .3), (3, 12), (100, 10), (170, 9), (176, 1), (182, .3)], end=200)
    o2 = T('2024-07-18T23:32:00Z')
    errs += series(rng, o2, 'search-indexer', region='us-east-1', endpoint='index batch',
                   mix=[('OUT_OF_MEMORY', None, 5), ('WORKER_CRASHED', None, 2)], start=-90, end=60,
                   plan=[(-90, -10, 10), (-10, 40, 1), (40, 60, 10)],
                   base=0.1, points=[(0, .1), (3, 10), (30, 9), (35, 1), (38, .1)])
    errs += series(rng, o, 'search-indexer', vendor='hcp', region='us-east-1', mix=[('HTTP_503', 503, 1)], base=0.1,
                   end=200, plan=[(-90, 200, 20)])
    return build(
        name, 'multi-incident',
        'HashiCorp 8g02l7tkp6lw (2024-07-18, impact critical) "Investigating HVD Azure Central US cluster '
        'unavailability" (HCP Vault Dedicated / Azure-Central US): first post 23:08Z, recovery seen 02:28Z, resolved '
        '04:26Z. Declared as id "hcp". INC-0718: our payments-api (service region "azure centralus") reads secrets from '
        'its Vault cluster there and fails ~12 times a minute from 22:58Z to ~01:55Z; it opens 23:04Z: upstream '
        '(HashiCorp). INC-0719: our search-indexer, whose Vault cluster is in AWS us-east-1 (a component the vendor '
        'does not name) and whose Vault calls stay at baseline, deploys at 23:30Z and runs out of memory from 23:32Z '
        '(OUT_OF_MEMORY, WORKER_CRASHED, untagged); it opens 23:39Z: internal.',
        {'INC-0718': 'upstream', 'INC-0719': 'internal'},
        [svc('payments-api', ['azure centralus'], [('hcp', ['HCP Vault Dedicated / Azure-Central US'])]),
         svc('search-indexer', ['aws us-east-1'], [('hcp', ['HCP Vault Dedicated / AWS-us-east-1'])])],
        [V('hcp', 'HashiCorp Cloud Platform')],
        errs,
        [inc('INC-0718', 'payments-api', 'Payments failing: secrets unavailable', '2024-07-18T23:04:00Z', '2024-07-19T02:05:00Z', ['us']),
         inc('INC-0719', 'search-indexer', 'Search index stale', '2024-07-18T23:39:00Z', '2024-07-19T00:20:00Z', ['us'])],
        [vendor_incident('hcp', 'hashicorp', '8g02l7tkp6lw', regions=['Azure-Central US'])],
        changes=[chg('2024-07-18T23:30:00Z', 'search-indexer', 'deploy', 'v4.12.0')],
    )


# ───────────────────────────── internal ─────────────────────────────


@scenario
def twilio_token_401(rng):
    name = 'ours-twilio-token-rotation-401-during-whatsapp-incident'
    o = T('2025-03-16T04:32:00Z')
    errs = series(rng, o, 'order-notifier', vendor='Twilio', region='eu-west-1', endpoint='POST /2010-04-01/Accounts/{sid}/Messages.json',
                  mix=[('20003', 401, 6), ('INVALID_CREDENTIALS', 401, 2)], base=0.0,
                  points=[(0, 0), (1, 15), (29, 14), (31, 0)], end=45, plan=[(-90, -10, 10), (-10, 45, 1)])
    errs += series(rng, o, 'order-notifier', vendor='Twilio', region='eu-west-1', mix=[('HTTP_500', 500, 1)], base=0.2,
                   end=45, plan=[(-90, 45, 15)])
    return build(
        name, 'ours-4xx-during-vendor-incident',
        'Twilio jzwq7b479081 (2025-03-16, impact major) "Whatsapp Messages Are Not Delivered With Error 63021": first '
        'post 04:26Z (outbound WhatsApp messages with media), resolved 06:50Z. At 04:31Z our secrets rotation replaces '
        'order-notifier\'s Twilio auth token; from 04:32Z every send is answered 401 (Twilio 20003 "Authenticate", '
        'INVALID_CREDENTIALS), for SMS as well as WhatsApp, until the old token is restored at 05:02Z. Twilio\'s 5xx '
        'stay at baseline and no 63021 appears. Our incident opens 04:38Z. Auth failures right after our own change: '
        'internal.',
        {'INC-0316': 'internal'},
        [svc('order-notifier', ['eu-west-1'], [('twilio', ['PROGRAMMABLE MESSAGING / WhatsApp Messaging', 'PROGRAMMABLE MESSAGING / SMS'])])],
        [V('twilio', 'Twilio')],
        errs,
        [inc('INC-0316', 'order-notifier', 'Order notifications not sent', '2025-03-16T04:38:00Z', '2025-03-16T05:12:00Z', ['eu'])],
        [vendor_incident('twilio', 'twilio', 'jzwq7b479081')],
        changes=[chg('2025-03-16T04:31:00Z', 'order-notifier', 'config', 'secrets-rotation-0316', 'Rotate Twilio auth token')],
        suspected=[],
    )


@scenario
def claude_calls_healthy_db(rng):
    name = 'ours-db-pool-while-anthropic-calls-healthy'
    o = T('2026-07-07T20:06:00Z')
    errs = series(rng, o, 'ticket-triage', region='us-east-1', endpoint='POST /tickets/{id}/triage',
                  mix=[('DB_POOL_EXHAUSTED', None, 6), ('DB_CONNECTION_TIMEOUT', None, 2)], base=0.3,
                  points=[(0, .3), (3, 20), (36, 18), (40, 2), (43, .3)], end=60)
    errs += series(rng, o, 'ticket-triage', vendor='Anthropic', region='us-east-1', endpoint='POST /v1/messages',
                   mix=[(None, 529, 1), (None, 500, 1)], base=0.3, end=60, plan=[(-90, -45, 15), (-45, 60, 5)])
    errs += volume(rng, o, 'ticket-triage', 'Anthropic', 'us-east-1', lambda m: 30, start=-45, end=60)
    return build(
        name, 'ours-calls-healthy',
        'Anthropic (Claude) l9zyw879cyd6 (2026-07-07, impact major) "Elevated errors for some models": first post 20:02Z, '
        'success rates back 20:28Z, recurrence "primarily Claude Fable 5" 21:47Z, resolved 23:46Z. Our ticket-triage '
        'reports its Anthropic call volume every minute (~30 calls, pure volume reports) and those calls keep failing '
        'at their usual ~1% (529/500 at 0.3 a minute, no rise). From 20:06Z its own errors spike: DB_POOL_EXHAUSTED and '
        'DB_CONNECTION_TIMEOUT, untagged, ~20 a minute; our incident opens 20:12Z. The vendor incident overlaps but our '
        'calls to it are healthy and the errors name our database: internal.',
        {'INC-0707': 'internal'},
        [svc('ticket-triage', ['us-east-1'], [('anthropic-api', ['Claude API (api.anthropic.com)'])])],
        [V('anthropic-api', 'Anthropic')],
        errs,
        [inc('INC-0707', 'ticket-triage', 'Ticket triage backlog growing', '2026-07-07T20:12:00Z', '2026-07-07T20:58:00Z')],
        [vendor_incident('anthropic-api', 'claude', 'l9zyw879cyd6')],
        suspected=[],
    )


@scenario
def every_vendor_during_github(rng):
    name = 'ours-nat-swap-every-vendor-during-github-critical'
    o = T('2026-07-16T09:20:00Z')
    pts = [(0, .2), (1, 7), (24, 6.5), (26, .2)]
    plan = [(-90, -5, 15), (-5, 35, 1), (35, 60, 10)]
    errs = []
    for svc_name, vendor, ep in [('ci-orchestrator', 'GitHub', 'POST /repos/{o}/{r}/statuses'),
                                 ('ci-orchestrator', 'Slack', 'POST /api/chat.postMessage'),
                                 ('notification-hub', 'Twilio', 'POST /Messages.json'),
                                 ('notification-hub', 'Slack', 'POST /api/chat.postMessage'),
                                 ('notification-hub', 'Datadog', 'POST /api/v2/series')]:
        errs += series(rng, o, svc_name, vendor=vendor, region='eu-west-1', endpoint=ep,
                       mix=[('ETIMEDOUT', None, 1)], base=0.15, points=pts, end=60, plan=plan)
    return build(
        name, 'ours-egress-all-vendors',
        'GitHub d35pngcy6sb9 (2026-07-16, impact critical) "Disruption with some GitHub services": first post 09:13Z, '
        'mitigated 09:30Z, resolved 12:20Z (the postmortem: the MCP Server web_search tool, 08:50–09:50Z). At 09:19Z we '
        'swap the NAT gateway that both our services egress through in eu-west-1; from 09:20Z, in the same minute, '
        'every outbound call times out: GitHub and Slack from ci-orchestrator, Twilio, Slack and Datadog from '
        'notification-hub (ETIMEDOUT, codes only), until the rollback at 09:45Z. Our incident opens 09:26Z. Every '
        'vendor failing at once right after our network change is us, whatever GitHub posts: internal.',
        {'INC-0716': 'internal'},
        [svc('ci-orchestrator', ['eu-west-1'], [('github', ['API Requests']), ('slack', [])]),
         svc('notification-hub', ['eu-west-1'], [('twilio', ['PROGRAMMABLE MESSAGING / SMS']), ('slack', []), ('datadog', ['Metrics and Infra Monitoring'])])],
        [V('github', 'GitHub'), V('slack', 'Slack'), V('twilio', 'Twilio'), V('datadog', 'Datadog')],
        errs,
        [inc('INC-0716', 'notification-hub', 'No notifications going out', '2026-07-16T09:26:00Z', '2026-07-16T09:55:00Z', ['eu'])],
        [vendor_incident('github', 'github', 'd35pngcy6sb9')],
        changes=[chg('2026-07-16T09:19:00Z', 'notification-hub', 'config', 'nat-gw-swap', 'Replace the shared eu-west-1 NAT gateway'),
                 chg('2026-07-16T09:19:00Z', 'ci-orchestrator', 'config', 'nat-gw-swap', 'Replace the shared eu-west-1 NAT gateway')],
        suspected=[],
    )


@scenario
def zoom_au_sms_we_are_eu(rng):
    name = 'ours-cache-while-zoom-australia-sms-incident'
    o = T('2025-05-20T00:41:00Z')
    errs = series(rng, o, 'appointment-reminders', region='europe-west3', endpoint='reminder batch',
                  mix=[('CACHE_UNAVAILABLE', None, 5), ('REDIS_TIMEOUT', None, 3)], base=0.3,
                  points=[(0, .3), (3, 14), (36, 12), (40, 2), (43, .3)], end=60)
    errs += series(rng, o, 'appointment-reminders', vendor='zoom', region='europe-west3', endpoint='POST /v2/phone/sms',
                   mix=[('HTTP_500', 500, 1)], base=0.2, end=60, plan=[(-90, -45, 15), (-45, 60, 5)])
    errs += volume(rng, o, 'appointment-reminders', 'zoom', 'europe-west3', lambda m: 25, start=-45, end=60)
    return build(
        name, 'ours-other-region',
        'Zoom 8q834z2jzv8s (2025-05-20, impact major) "Issue with Inbound SMS in Australia" (Zoom Phone - AUSTRALIA / '
        'SMS/MMS): first post 00:35Z ("Australia Zoom Phone numbers receiving inbound SMS"), resolved 02:35Z. Our '
        'appointment-reminders runs in "gcp europe-west3" and sends outbound SMS through Zoom Phone EMEA; its Zoom '
        'calls (~25 a minute, pure volume reports) keep failing at their usual 0.2 a minute. From 00:41Z its own errors '
        'spike (CACHE_UNAVAILABLE, REDIS_TIMEOUT, untagged); our incident opens 00:48Z. The vendor scopes the impact '
        'to Australian numbers and inbound SMS, our calls to it are healthy, the errors name our cache: internal.',
        {'INC-0520': 'internal'},
        [svc('appointment-reminders', ['gcp europe-west3'], [('zoom', ['Zoom Phone - EMEA / SMS/MMS (Inbound/Outbound)'])])],
        [V('zoom', 'Zoom')],
        errs,
        [inc('INC-0520', 'appointment-reminders', 'Reminders delayed', '2025-05-20T00:48:00Z', '2025-05-20T01:32:00Z', ['eu'])],
        [vendor_incident('zoom', 'zoom', '8q834z2jzv8s', regions=['Australia'])],
        suspected=[],
    )


@scenario
def datadog_sso_other_component(rng):
    name = 'ours-queue-full-during-datadog-sso-incident'
    o = T('2025-07-18T15:24:00Z')
    errs = series(rng, o, 'event-router', region='us-east-1', endpoint='publish',
                  mix=[('QUEUE_FULL', None, 5), ('KAFKA_PRODUCER_TIMEOUT', None, 3)], base=0.3,
                  points=[(0, .3), (3, 16), (33, 14), (37, 2), (40, .3)], end=60)
    errs += series(rng, o, 'event-router', vendor='datadog', region='us-east-1', endpoint='POST /api/v2/logs',
                   mix=[('HTTP_503', 503, 1), ('ETIMEDOUT', None, 1)], base=0.2, end=60, plan=[(-90, 60, 15)])
    return build(
        name, 'ours-other-component',
        'Datadog d0d5995s1bj8 (2025-07-18, impact major) "Google SSO login errors" (Web Application): first post 15:30Z '
        '("login issues with the web application via Google SSO … data processing and alerts are not affected"), '
        'resolved 16:09Z. Our event-router ships logs and metrics to Datadog; those calls stay at their baseline '
        '(0.2 errors a minute). From 15:24Z its own errors spike (QUEUE_FULL, KAFKA_PRODUCER_TIMEOUT, untagged); our '
        'incident opens 15:30Z. A vendor incident on a component we do not use while our calls to the vendor are fine: '
        'internal.',
        {'INC-0758': 'internal'},
        [svc('event-router', ['us-east-1'], [('datadog', ['Log Management', 'Metrics and Infra Monitoring'])])],
        [V('datadog', 'Datadog')],
        errs,
        [inc('INC-0758', 'event-router', 'Events dropped between services', '2025-07-18T15:30:00Z', '2025-07-18T16:10:00Z')],
        [vendor_incident('datadog', 'datadog', 'd0d5995s1bj8')],
        suspected=[],
    )


@scenario
def datadog_impact_none(rng):
    name = 'ours-deploy-null-reference-datadog-impact-none'
    o = T('2026-07-01T18:26:00Z')
    errs = series(rng, o, 'invoice-worker', region='eu-west-1', endpoint='invoice job',
                  mix=[('NULL_REFERENCE', None, 6), ('UNHANDLED_REJECTION', None, 2)], base=0.2,
                  points=[(0, .2), (2, 12), (34, 11), (37, .2)], end=60)
    errs += series(rng, o, 'invoice-worker', vendor='datadog', region='eu-west-1', endpoint='POST /api/v2/series',
                   mix=[('HTTP_500', 500, 1)], base=0.15, end=60, plan=[(-90, 60, 15)])
    errs += series(rng, o, 'invoice-worker', vendor='stripe', region='eu-west-1', endpoint='POST /v1/invoices',
                   mix=[(None, 500, 1)], base=0.1, end=60, plan=[(-90, 60, 20)])
    return build(
        name, 'ours-impact-none',
        'Datadog smc2wgcmsx6r (2026-07-01, impact none) "Elevated Error Rates": first post 18:31Z, the products named at '
        '18:57Z (Fleet Automation, Security Products, Cloudcraft, Cloud Network Monitoring, Serverless, Kubernetes '
        'Autoscaling, Database Monitoring), resolved 20:37Z. Our invoice-worker deploys v3.18.0 at 18:24Z and throws '
        'NULL_REFERENCE / UNHANDLED_REJECTION from 18:26Z until the rollback at 19:00Z; its Datadog and Stripe calls '
        'stay at baseline. Our incident opens 18:33Z. A no-impact vendor notice with nothing of ours pointing at it, '
        'our own deploy and code errors: internal.',
        {'INC-0701': 'internal'},
        [svc('invoice-worker', ['eu-west-1'], [('datadog', ['Metrics and Infra Monitoring']), ('stripe', ['API'])])],
        [V('datadog', 'Datadog'), V('stripe', 'Stripe')],
        errs,
        [inc('INC-0701', 'invoice-worker', 'Invoices not generated', '2026-07-01T18:33:00Z', '2026-07-01T19:10:00Z')],
        [vendor_incident('datadog', 'datadog', 'smc2wgcmsx6r')],
        changes=[chg('2026-07-01T18:24:00Z', 'invoice-worker', 'deploy', 'v3.18.0')],
        suspected=[],
    )


@scenario
def vercel_later(rng):
    name = 'ours-ssr-regression-vercel-build-incident-later'
    o = T('2026-01-13T21:35:00Z')
    errs = series(rng, o, 'marketing-site', region='iad1', endpoint='GET /pricing',
                  mix=[('SSR_RENDER_ERROR', None, 5), ('MODULE_NOT_FOUND', None, 3)], base=0.2,
                  points=[(0, .2), (2, 14), (42, 12), (45, .2)], end=65)
    errs += series(rng, o, 'marketing-site', vendor='vercel', region='iad1', endpoint='POST /v13/deployments',
                   mix=[('HTTP_5XX', None, 1)], base=0.1, end=65, plan=[(-90, 65, 20)])
    return build(
        name, 'ours-vendor-later',
        'Vercel x6v2pmf14f75 (2026-01-14, impact major) "Elevated build failure rates": first post 01:13Z, fix 02:22Z, '
        'resolved 10:50Z. Our marketing-site deploys a framework upgrade at 21:33Z the evening before and throws '
        'SSR_RENDER_ERROR / MODULE_NOT_FOUND from 21:35Z until the rollback at 22:18Z; its Vercel API calls stay at '
        'baseline. Our incident opens 21:41Z and closes 22:32Z, two and a half hours before the vendor\'s incident '
        'starts: internal.',
        {'INC-0113': 'internal'},
        [svc('marketing-site', ['iad1'], [('vercel', ['Build & Deploy / Builds', 'API'])])],
        [V('vercel', 'Vercel')],
        errs,
        [inc('INC-0113', 'marketing-site', 'Pricing page 500s', '2026-01-13T21:41:00Z', '2026-01-13T22:32:00Z')],
        [vendor_incident('vercel', 'vercel', 'x6v2pmf14f75')],
        changes=[chg('2026-01-13T21:33:00Z', 'marketing-site', 'deploy', 'next-upgrade-412')],
        suspected=[],
    )


@scenario
def flyio_calls_healthy_oom(rng):
    name = 'ours-oom-while-flyio-api-incident-calls-healthy'
    o = T('2025-11-28T22:42:00Z')
    errs = series(rng, o, 'job-runner', region='iad', endpoint='job exec',
                  mix=[('OUT_OF_MEMORY', None, 5), ('WORKER_CRASHED', None, 3)], base=0.2,
                  points=[(0, .2), (3, 15), (38, 13), (41, 1), (44, .2)], end=60)
    errs += series(rng, o, 'job-runner', vendor='flyio', region='iad', endpoint='POST /v1/apps/{app}/machines/{id}/start',
                   mix=[(None, 500, 1), (None, 503, 1)], base=0.4, end=60, plan=[(-90, -45, 15), (-45, 60, 5)])
    errs += volume(rng, o, 'job-runner', 'flyio', 'iad', lambda m: 50, start=-45, end=60)
    return build(
        name, 'ours-calls-healthy',
        'Fly.io 2c8mdf1b5wqs (2025-11-28, impact major) "Increased API Errors", 11 updates: first post 21:16Z ("errors '
        'that affects numerous API endpoints including the Machines API"), Machines API recovered 21:54Z, continuing '
        'errors creating apps, secrets and Postgres clusters until the root-cause fix 02:58Z, resolved 07:05Z. Our '
        'job-runner starts existing machines through the Machines API: ~50 calls a minute (pure volume reports) failing '
        'at their usual 0.4 a minute throughout. It deploys at 22:40Z and crashes from 22:42Z (OUT_OF_MEMORY, '
        'WORKER_CRASHED, untagged) until the rollback at 23:22Z; our incident opens 22:49Z. Calls to the degraded '
        'vendor healthy, errors naming our own workers after our deploy: internal.',
        {'INC-1181': 'internal'},
        [svc('job-runner', ['iad'], [('flyio', ['Machines API'])])],
        [V('flyio', 'Fly.io')],
        errs,
        [inc('INC-1181', 'job-runner', 'Background jobs stuck', '2025-11-28T22:49:00Z', '2025-11-28T23:35:00Z')],
        [vendor_incident('flyio', 'flyio', '2c8mdf1b5wqs')],
        changes=[chg('2025-11-28T22:40:00Z', 'job-runner', 'deploy', 'v812')],
        suspected=[],
    )


@scenario
def discord_token_401(rng):
    name = 'ours-bot-token-401-during-discord-guild-outage'
    o = T('2025-09-08T21:41:00Z')
    errs = series(rng, o, 'mod-bot', vendor='Discord', region='us-central1', endpoint='POST /channels/{id}/messages',
                  mix=[('INVALID_TOKEN', 401, 1)], base=0.0,
                  points=[(0, 0), (1, 20), (30, 19), (32, 0)], end=50, plan=[(-90, -10, 10), (-10, 50, 1)])
    errs += series(rng, o, 'mod-bot', vendor='Discord', region='us-central1', mix=[('HTTP_502', 502, 1)], base=0.2,
                   end=50, plan=[(-90, 50, 15)])
    return build(
        name, 'ours-4xx-during-vendor-incident',
        'Discord 9bm86bnmfhfr (2025-09-08, impact critical) "Guilds Unavailability": first post 21:24Z ("some guilds are '
        'unavailable to some members"), worsened 22:28Z, resolved 23:56Z. Declared as id "discord-api"; errors name it '
        '"Discord". At 21:40Z we rotate mod-bot\'s bot token through the secrets manager with a truncated value; from '
        '21:41Z every call is answered 401 INVALID_TOKEN until the fix at 22:12Z, while Discord\'s 5xx to us stay at '
        'baseline. Our incident opens 21:47Z and closes before the vendor\'s incident worsens. 401s right after our own '
        'change: internal.',
        {'INC-0908': 'internal'},
        [svc('mod-bot', ['us-central1'], [('discord-api', ['API', 'Gateway'])])],
        [V('discord-api', 'Discord')],
        errs,
        [inc('INC-0908', 'mod-bot', 'Moderation bot offline', '2025-09-08T21:47:00Z', '2025-09-08T22:20:00Z')],
        [vendor_incident('discord-api', 'discord', '9bm86bnmfhfr')],
        changes=[chg('2025-09-08T21:40:00Z', 'mod-bot', 'config', 'bot-token-rotation', 'Rotate Discord bot token')],
        suspected=[],
    )


@scenario
def newrelic_eu_we_are_us(rng):
    name = 'ours-cache-stampede-newrelic-eu-ui-incident'
    o = T('2024-05-05T18:31:00Z')
    errs = series(rng, o, 'events-ingest', region='us-east-2', endpoint='POST /events',
                  mix=[('CACHE_STAMPEDE', None, 5), ('DB_QUERY_TIMEOUT', None, 3)], base=0.3,
                  points=[(0, .3), (3, 18), (36, 16), (40, 2), (43, .3)], end=60)
    errs += series(rng, o, 'events-ingest', vendor='New Relic', region='us-east-2', endpoint='POST /v1/accounts/{id}/events',
                   mix=[('HTTP_503', 503, 1)], base=0.2, end=60, plan=[(-90, -45, 15), (-45, 60, 5)])
    errs += volume(rng, o, 'events-ingest', 'New Relic', 'us-east-2', lambda m: 80, start=-45, end=60)
    return build(
        name, 'ours-other-region',
        'New Relic lhynxdl4l96q (2024-05-05, impact major) "New Relic UI Delays and Irregularities in the EU Region": '
        'first post 18:18Z ("may impact New Relic UI for customer accounts in the EU region"), resolved 20:40Z ("Data '
        'ingest and alert notifications were not impacted"). Our events-ingest in us-east-2 sends to New Relic\'s US '
        'ingest; ~80 calls a minute (pure volume reports) with failures at their usual 0.2 a minute. From 18:31Z its '
        'own errors spike (CACHE_STAMPEDE, DB_QUERY_TIMEOUT, untagged); our incident opens 18:37Z. The vendor scopes '
        'the impact to the EU UI, our calls to it are healthy: internal.',
        {'INC-0505': 'internal'},
        [svc('events-ingest', ['us-east-2'], [('newrelic', ['Data Ingest : US / Event API : US', 'Data Ingest : US / APM Agent : US'])])],
        [V('newrelic', 'New Relic')],
        errs,
        [inc('INC-0505', 'events-ingest', 'Event ingestion lagging', '2024-05-05T18:37:00Z', '2024-05-05T19:22:00Z', ['us'])],
        [vendor_incident('newrelic', 'newrelic', 'lhynxdl4l96q', regions=['EU'])],
        suspected=[],
    )


@scenario
def mongodb_key_403(rng):
    name = 'ours-atlas-key-403-status-only-during-control-plane-outage'
    o = T('2025-06-04T17:13:00Z')
    errs = series(rng, o, 'search-admin', vendor='mongodb-atlas', region='eu-west-1', endpoint='PATCH /api/atlas/v2/groups/{g}/clusters/{c}/search/indexes/{id}',
                  mix=[(None, 403, 1)], base=0.0,
                  points=[(0, 0), (1, 9), (43, 8), (45, 0)], end=60, plan=[(-90, -10, 10), (-10, 60, 1)])
    errs += series(rng, o, 'search-admin', vendor='mongodb-atlas', region='eu-west-1', mix=[(None, 503, 1)], base=0.1,
                   end=60, plan=[(-90, 60, 20)])
    return build(
        name, 'ours-4xx-during-vendor-incident',
        'MongoDB Atlas vfty5r1x0z0j (2025-06-04, impact critical) "MongoDB Atlas: Cluster operation delays and UI '
        'timeouts": first post 17:30Z, the whole cloud.mongodb.com and its API down from 19:44Z, resolved 21:28Z; the '
        'postmortem (06-13) dates the control-plane disruption 17:05–22:54 GMT (a DNS misconfiguration). At 17:12Z we '
        'rotate search-admin\'s Atlas Admin API key to a key created with a read-only role; from 17:13Z every index '
        'update is answered 403 (status only, no code) until the role is fixed at 17:57Z. The vendor\'s outage shows '
        'as timeouts and error pages, and our 5xx to it stay at baseline. Our incident opens 17:19Z. Forbidden right '
        'after our own key change: internal.',
        {'INC-0604': 'internal'},
        [svc('search-admin', ['eu-west-1'], [('mongodb-atlas', ['MongoDB Cloud'])])],
        [V('mongodb-atlas', 'MongoDB Atlas')],
        errs,
        [inc('INC-0604', 'search-admin', 'Search index changes rejected', '2025-06-04T17:19:00Z', '2025-06-04T18:08:00Z')],
        [vendor_incident('mongodb-atlas', 'mongodb', 'vfty5r1x0z0j')],
        changes=[chg('2025-06-04T17:12:00Z', 'search-admin', 'config', 'atlas-key-2025-06', 'Rotate Atlas Admin API key')],
        suspected=[],
    )


# ───────────────────────────── unclear ─────────────────────────────


@scenario
def unknown_service(rng):
    name = 'unknown-service-timeouts-during-cloudflare-route-leak'
    o = T('2026-01-22T20:27:00Z')
    errs = series(rng, o, 'partner-sftp-bridge', region='us-east-1', endpoint='sftp put',
                  mix=[('ETIMEDOUT', None, 3), ('ECONNRESET', None, 2)], base=0.2,
                  points=[(0, .2), (4, 4), (30, 3.5), (36, .2)], end=60)
    errs += series(rng, o, 'web-storefront', region='us-east-1', mix=[('HTTP_5XX', None, 1)], base=0.2, end=60,
                   plan=[(-90, 60, 10)])
    return build(
        name, 'unknown-service',
        'Cloudflare fyb54t2jfcth (2026-01-22, impact major) "Network Route Leak Impacting network performance": one post '
        'at 21:02Z ("impacting performance for some networks beginning 20:25 UTC"), fix 21:03Z, resolved 21:52Z. Our '
        'incident is on partner-sftp-bridge, a service that is not in "services" (no regions, no dependencies known): '
        'untagged ETIMEDOUT/ECONNRESET rising from 0.2 to ~4 a minute from 20:27Z to 21:02Z; it opens 20:36Z. Our one '
        'declared service behind Cloudflare, web-storefront, stays at baseline; no change of ours. Nothing says '
        'whether the bridge\'s traffic crosses Cloudflare: unclear.',
        {'INC-0122': 'unclear'},
        [svc('web-storefront', ['us-east-1'], [('cloudflare', ['Cloudflare Sites and Services / Network', 'Cloudflare Sites and Services / CDN/Cache'])])],
        [V('cloudflare', 'Cloudflare')],
        errs,
        [inc('INC-0122', 'partner-sftp-bridge', 'Partner file drops failing', '2026-01-22T20:36:00Z', '2026-01-22T21:12:00Z')],
        [vendor_incident('cloudflare', 'cloudflare', 'fyb54t2jfcth')],
    )


@scenario
def figma_silent_modest(rng):
    name = 'figma-silent-modest-rise-one-service'
    o = T('2024-07-22T13:38:00Z')
    errs = series(rng, o, 'design-token-sync', vendor='figma', region='eu-west-1', endpoint='GET /v1/files/{key}/variables/local',
                  mix=[('HTTP_502', 502, 2), ('HTTP_503', 503, 1)], base=0.2,
                  points=[(0, .2), (2, 2.5), (10, 2.2), (13, .2)], end=45)
    return build(
        name, 'vendor-silent-weak',
        'Modelled on Figma t8pdbxsjx00y (2024-07-22, impact major) "Service disruption" (a 10-minute partial availability '
        'issue 13:38–13:48Z, posted 13:58Z), post withheld: the vendor says nothing here. Our design-token-sync, the one '
        'service calling Figma, sees its 502/503s from Figma rise from 0.2 to ~2.5 a minute for about eleven minutes '
        'from 13:38Z; our incident opens 13:44Z. One service, a modest short rise on a silent vendor: unclear.',
        {'INC-0722': 'unclear'},
        [svc('design-token-sync', ['eu-west-1'], [('figma', ['REST API'])])],
        [V('figma', 'Figma')],
        errs,
        [inc('INC-0722', 'design-token-sync', 'Design tokens out of date', '2024-07-22T13:44:00Z', '2024-07-22T14:02:00Z')],
    )


@scenario
def statuspage_blind_modest(rng):
    name = 'atlassian-statuspage-page-503-modest-rise'
    o = T('2023-04-06T15:52:00Z')
    errs = series(rng, o, 'status-subscriber', vendor='atlassian-statuspage', region='us-east-1',
                  endpoint='POST /v1/pages/{id}/subscribers',
                  mix=[('HTTP_500', 500, 2), ('HTTP_503', 503, 1)], base=0.2,
                  points=[(0, .2), (4, 2), (45, 1.8), (50, .2)], end=75)
    snaps = [{'vendor': 'atlassian-statuspage', 'at': at, 'provider': 'statuspage', 'contentType': 'text/html',
              'status': st, 'body': html_503(k)}
             for k, (at, st) in enumerate([('2023-04-06T15:40:00Z', 503), ('2023-04-06T16:15:00Z', 503),
                                           ('2023-04-06T16:50:00Z', 502)])]
    return build(
        name, 'vendor-blind',
        'Modelled on Atlassian Statuspage 24w126kv102f (2023-04-06, impact major) "Increased error rate while SMS '
        'Subscription signups" (Notifications / SMS; first post 15:52Z, resolved 19:16Z). Here the vendor\'s status page '
        'answers HTML 503/502 at every poll from 15:40Z, so its incident never reaches the file. Our status-subscriber '
        'sees its 5xx from the Statuspage API rise from 0.2 to ~2 a minute from 15:52Z to ~16:40Z; our incident opens '
        '16:00Z. One service, a modest rise, on a vendor we cannot read: unclear (never internal).',
        {'INC-0406': 'unclear'},
        [svc('status-subscriber', ['us-east-1'], [('atlassian-statuspage', ['Notifications / SMS', 'Management / Authenticated API'])])],
        [V('atlassian-statuspage', 'Atlassian Statuspage')],
        errs,
        [inc('INC-0406', 'status-subscriber', 'SMS subscriptions failing', '2023-04-06T16:00:00Z', '2023-04-06T16:55:00Z')],
        snapshots=snaps,
    )


@scenario
def cloudflare_untagged_after_deploy(rng):
    name = 'cloudflare-enam-untagged-after-our-deploy'
    o = T('2026-07-02T00:16:00Z')
    plan = [(-90, -10, 10), (-10, 35, 1), (35, 300, 5)]
    errs = series(rng, o, 'web-storefront', region='us-east-1', endpoint='GET /',
                  mix=[(None, 502, 4), (None, 503, 2), ('UPSTREAM_TIMEOUT', None, 2)], plan=plan,
                  base=0.3, points=[(0, .3), (3, 14), (60, 12), (82, 11), (86, 2), (90, .3)], end=110)
    errs += series(rng, o, 'web-storefront', vendor='stripe', region='us-east-1', mix=[(None, 500, 1)], base=0.1,
                   end=110, plan=[(-90, 110, 20)])
    return build(
        name, 'vendor-untagged',
        'Cloudflare nvb2xgsjcg6w (2026-07-02, impact major) "Cloudflare is investigating issues with network performance '
        'in ENAM and WNAM, US": first post 00:23Z, identified 01:03Z (Argo Smart Routing), fix 01:39Z, still some '
        'impact 02:29Z, resolved 10:15Z. Our web-storefront (us-east-1, behind Cloudflare) deploys at 00:13Z; from '
        '00:16Z its untagged errors rise (502/503 with no code, UPSTREAM_TIMEOUT) to ~14 a minute until ~01:42Z. Our '
        'incident opens 00:23Z. Untagged errors with a vendor incident in our region, but our own deploy three minutes '
        'before the onset competes: unclear.',
        {'INC-0702': 'unclear'},
        [svc('web-storefront', ['us-east-1'], [('cloudflare', ['Cloudflare Sites and Services / Network', 'Cloudflare Sites and Services / Argo Smart Routing']), ('stripe', ['API'])])],
        [V('cloudflare', 'Cloudflare'), V('stripe', 'Stripe')],
        errs,
        [inc('INC-0702', 'web-storefront', 'Storefront 502s in the US', '2026-07-02T00:23:00Z', '2026-07-02T01:55:00Z', ['us'])],
        [vendor_incident('cloudflare', 'cloudflare', 'nvb2xgsjcg6w', regions=['ENAM', 'WNAM', 'US'])],
        changes=[chg('2026-07-02T00:13:00Z', 'web-storefront', 'deploy', 'storefront-2026.07.01-7')],
    )


def main():
    only = sys.argv[1:]
    names = set()
    for fn in SCENARIOS:
        probe = fn(random.Random(0))
        name = probe['name']
        assert name not in names, name
        names.add(name)
        if only and not any(o in name for o in only):
            continue
        s = fn(random.Random(name))
        n = len(s['errors'])
        assert n < 300, (name, n)
        with open(os.path.join(OUT, name + '.json'), 'w') as f:
            json.dump(s, f, indent=2, ensure_ascii=False)
            f.write('\n')
        print(f'{name}.json  {s["class"]}  {s["expect"]}  events={n}')
    print(len(SCENARIOS), 'scenarios')
    # the repository's `prettier --check .` covers this folder: format like the rest
    root = os.path.join(OUT, '..', '..')
    subprocess.run(['npx', 'prettier', '--log-level', 'warn', '--write', os.path.join('test', 'scenarios-holdout')],
                   cwd=root, check=False)


if __name__ == '__main__':
    main()
