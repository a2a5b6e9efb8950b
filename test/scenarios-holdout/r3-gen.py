#!/usr/bin/env python3
"""Round 3 of the holdout scenarios (r3-*.json), built without reading the correlator, the main
generator (test/scenarios-build/) or the correlator's tests; helpers loaded from r2-gen.py.

Vendor side: real stactus incidents ($UPCAUSE_FIXTURES/real/stactus/*.jsonl, default
../shared/fixtures), each id unused by test/scenarios/ and rounds 1–2 (checked here).
Our side: synthetic, seeded Poisson noise around piecewise-linear rates, one random stream per
scenario name. Run from the repository root: python3 test/scenarios-holdout/r3-gen.py
(standard library only; formats the output with the repository's prettier when npx is there).
"""

import importlib.util
import os

# The helpers (time, noise, events, stactus reading, output) are round 2's: loaded from r2-gen.py.
_spec = importlib.util.spec_from_file_location('r2gen', os.path.join(os.path.dirname(os.path.abspath(__file__)), 'r2-gen.py'))
_r2 = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_r2)
globals().update({k: v for k, v in vars(_r2).items() if not k.startswith('__') and k not in ('SCENARIOS', 'scenario', 'main')})

SCENARIOS = []


def scenario(fn):
    SCENARIOS.append(fn)
    return fn



HTML_502 = (
    '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n'
    '<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n'
)


def html_snaps(vendor, ok_at, ok_body, start, minutes, status, body):
    snaps = [{'vendor': vendor, 'at': ok_at, 'provider': 'statuspage', 'contentType': 'application/json', 'body': ok_body}]
    for m in minutes:
        at = T(start) + dt.timedelta(minutes=m)
        snaps.append({'vendor': vendor, 'at': iso(at), 'provider': 'statuspage', 'contentType': 'text/html', 'status': status, 'body': body})
    return snaps


# ------------------------------------------------ upstream: untagged errors behind an edge / hosting vendor


@scenario
def cloudflare_r2_untagged_5xx_one_service():
    t0 = '2025-03-21T21:58'
    return dict(
        name='r3-cloudflare-r2-untagged-5xx-one-service',
        cls='vendor-untagged',
        onset=t0,
        end=75,
        description=(
            'Cloudflare v6c7l22vglw5 (2025-03-21, impact major) "Increased HTTP Errors for Some Cloudflare Services" (R2, '
            'Images, Stream, Cache Reserve, no region): first post 22:05Z ("an increase in HTTP 5xx errors with R2 and '
            'related services"), fix 22:48Z, resolved 23:36Z. Our media-api (us-east-1) serves user uploads from what we '
            'call "object storage" in our config; from 21:58Z it logs HTTP_5XX and TIMEOUT with no vendor named (~18 and '
            '~5 a minute) until 22:48Z. No change of ours that day; only this service is hit. Our incident opens 22:04Z. '
            'Responder: untagged 5xx on the one service that reads from Cloudflare storage, starting seven minutes before a '
            'major Cloudflare incident on exactly that storage, stopping when their fix lands, and nothing of ours changed: '
            'upstream.'
        ),
        expect={'INC-3101': 'upstream'},
        services=[svc('media-api', ['us-east-1'], [('cloudflare', ['object storage']), ('stripe', [])])],
        vendors=[('cloudflare', 'Cloudflare'), ('stripe', 'Stripe')],
        vincs=[vinc('cloudflare', 'v6c7l22vglw5', 'cloudflare', [])],
        incidents=[inc('INC-3101', 'media-api', 'Uploads and thumbnails failing', '2025-03-21T22:04', '2025-03-21T23:02')],
        series=[
            S('media-api', 'us-east-1', spike(0.3, 18, hold=50, decay=2), None, 'HTTP_5XX', 500, 'GET /v1/media/{id}'),
            S('media-api', 'us-east-1', spike(0.1, 5, start=1, hold=49, decay=2), None, 'TIMEOUT', None, 'PUT /v1/media/{id}'),
            S('media-api', 'us-east-1', flat(0.15), 'Stripe', 'HTTP_500', 500, 'POST /v1/customers'),
        ],
    )


@scenario
def cloudflare_north_america_untagged_timeouts_posted_38_min_late():
    t0 = '2026-07-03T00:32'
    return dict(
        name='r3-cloudflare-north-america-untagged-timeouts-posted-38-min-late',
        cls='vendor-late-post',
        onset=t0,
        end=80,
        description=(
            'Cloudflare j83lpd337qwj (2026-07-03, impact major) "Issues with network performance in North America" '
            '(Network; the place only in prose, no region field): first post 01:10Z, fix 01:36Z, monitoring for days, '
            'resolved 07-06. Our checkout-edge (us-east-1), proxied by Cloudflare, logs TIMEOUT and ECONNRESET with no '
            'vendor named from 00:32Z (~13 and ~6 a minute) until 01:36Z; nothing of ours changed; our incident opens '
            '00:40Z, 30 minutes before Cloudflare says anything. Responder: one US service behind Cloudflare timing out from '
            'no change of ours, then a major Cloudflare network incident in North America whose fix time is exactly when we '
            'recover: upstream, the post is 38 minutes late.'
        ),
        expect={'INC-0041': 'upstream'},
        services=[svc('checkout-edge', ['us-east-1'], [('cloudflare', []), ('adyen', [])])],
        vendors=[('cloudflare', 'Cloudflare'), ('adyen', 'Adyen')],
        vincs=[vinc('cloudflare', 'j83lpd337qwj', 'cloudflare', [])],
        incidents=[inc('INC-0041', 'checkout-edge', 'Checkout slow and failing for US shoppers', '2026-07-03T00:40', '2026-07-03T01:50')],
        series=[
            S('checkout-edge', 'us-east-1', spike(0.3, 13, hold=64, decay=2), None, 'TIMEOUT', 504, 'POST /checkout'),
            S('checkout-edge', 'us-east-1', spike(0.1, 6, start=1, hold=63, decay=2), None, 'ECONNRESET', None, 'GET /cart'),
            S('checkout-edge', 'us-east-1', flat(0.15), 'Adyen', 'HTTP_500', 500, 'POST /v71/payments'),
        ],
    )


@scenario
def cloudflare_wnam_storage_untagged_timeouts_oregon():
    t0 = '2026-05-19T08:09'
    return dict(
        name='r3-cloudflare-wnam-storage-untagged-timeouts-oregon',
        cls='vendor-untagged',
        onset=t0,
        end=80,
        description=(
            'Cloudflare 43jy0j3grv3q (2026-05-19, impact major) "Degraded latency for Durable Objects and R2 buckets in '
            'WNAM" (Durable Objects, R2): first post 08:13Z ("increased latency, reduced throughput and slightly increased '
            'error rates"), resolved 10:05Z. Our upload-service runs in us-west-2 (Oregon, western North America) and '
            'writes to a bucket our config lists as "Storage"; from 08:09Z it logs UPSTREAM_TIMEOUT and HTTP_503 with no '
            'vendor named (~10 and ~4 a minute) until about 09:20Z. No change of ours. Our incident opens 08:16Z. '
            'Responder: WNAM is western North America, our region; the vendor\'s storage slows there four minutes after our '
            'timeouts start: upstream.'
        ),
        expect={'INC-0816': 'upstream'},
        services=[svc('upload-service', ['us-west-2'], [('cloudflare', ['Storage']), ('sendgrid', [])])],
        vendors=[('cloudflare', 'Cloudflare'), ('sendgrid', 'SendGrid')],
        vincs=[vinc('cloudflare', '43jy0j3grv3q', 'cloudflare', ['WNAM'])],
        incidents=[inc('INC-0816', 'upload-service', 'Uploads stalling for west coast users', '2026-05-19T08:16', '2026-05-19T09:35')],
        series=[
            S('upload-service', 'us-west-2', spike(0.3, 10, hold=71, decay=4), None, 'UPSTREAM_TIMEOUT', 504, 'PUT /uploads/{id}'),
            S('upload-service', 'us-west-2', spike(0.1, 4, start=2, hold=69, decay=4), None, 'HTTP_503', 503, 'GET /uploads/{id}'),
            S('upload-service', 'us-west-2', flat(0.1), 'SendGrid', 'HTTP_502', 502, 'POST /v3/mail/send'),
        ],
    )


@scenario
def vercel_iad1_minor_untagged_504s_large_spike():
    t0 = '2026-07-02T16:24'
    return dict(
        name='r3-vercel-iad1-minor-untagged-504s-large-spike',
        cls='vendor-untagged',
        onset=t0,
        end=45,
        description=(
            'Vercel bgmdgj7m7bgm (2026-07-02, impact minor) "Degraded performance on CDN, Dashboard, Functions in '
            'Washington, Cleveland (iad1, cle1)": first post 16:31Z, identified 16:33Z, recovering 16:39Z, resolved 16:46Z. '
            'Our web-app is hosted on Vercel in iad1 (our config says "Edge Network" and "Serverless Functions"); from 16:24Z '
            'it logs HTTP_504 and FUNCTION_INVOCATION_TIMEOUT with no vendor named (~25 and ~8 a minute) until 16:40Z. No '
            'change of ours. Our incident opens 16:29Z. Responder: rated minor, but it is our hosting region, our errors are '
            'the edge and function timeouts the vendor describes, and they end with its fix: upstream.'
        ),
        expect={'INC-1629': 'upstream'},
        services=[svc('web-app', ['iad1'], [('vercel', ['Edge Network', 'Serverless Functions'])])],
        vendors=[('vercel', 'Vercel')],
        vincs=[vinc('vercel', 'bgmdgj7m7bgm', 'vercel', ['iad1', 'cle1', 'Washington', 'Cleveland'])],
        incidents=[inc('INC-1629', 'web-app', 'Site slow and timing out', '2026-07-02T16:29', '2026-07-02T16:55')],
        series=[
            S('web-app', 'iad1', spike(0.3, 25, hold=16, decay=2), None, 'HTTP_504', 504, 'GET /'),
            S('web-app', 'iad1', spike(0.1, 8, start=1, hold=15, decay=2), None, 'FUNCTION_INVOCATION_TIMEOUT', 504, 'GET /api/feed'),
        ],
    )


@scenario
def vercel_dub1_untagged_500s_posted_35_min_late():
    t0 = '2026-06-08T18:22'
    return dict(
        name='r3-vercel-dub1-untagged-500s-posted-35-min-late',
        cls='vendor-late-post',
        onset=t0,
        end=85,
        description=(
            'Vercel yzhdk6nhy1kx (2026-06-08, impact minor) "Elevated Functions Invocation Errors in DUB1 (Dublin, Ireland) '
            'Region" (Functions): first post 18:57Z, already "identified", saying requests "may have seen elevated error '
            'rates in function invocations during this period"; dub1-only projects told to move to lhr1 at 19:04Z; fix '
            '19:36Z; resolved 20:00Z. Our account-portal runs its functions only in dub1 (our region eu-west-1, Ireland); '
            'from 18:22Z it logs HTTP_500 and HTTP_5XX with no vendor named (~12 and ~4 a minute) until 19:36Z. No change '
            'of ours. Our incident opens 18:30Z. Responder: our only function region, the vendor\'s failing function '
            'invocations there, our recovery at its fix; the post is 35 minutes late and speaks of the past: upstream.'
        ),
        expect={'INC-1830': 'upstream'},
        services=[svc('account-portal', ['eu-west-1'], [('vercel', ['Functions'])])],
        vendors=[('vercel', 'Vercel')],
        vincs=[vinc('vercel', 'yzhdk6nhy1kx', 'vercel', ['DUB1', 'Dublin, Ireland'])],
        incidents=[inc('INC-1830', 'account-portal', 'Account pages erroring in Europe', '2026-06-08T18:30', '2026-06-08T19:50')],
        series=[
            S('account-portal', 'eu-west-1', spike(0.3, 12, hold=74, decay=2), None, 'HTTP_500', 500, 'GET /account'),
            S('account-portal', 'eu-west-1', spike(0.1, 4, start=1, hold=73, decay=2), None, 'HTTP_5XX', 502, 'POST /api/session'),
        ],
    )


@scenario
def flyio_lax_degraded_network_untagged_resets():
    t0 = '2026-06-24T01:30'
    return dict(
        name='r3-flyio-lax-degraded-network-untagged-resets',
        cls='vendor-untagged',
        onset=t0,
        end=140,
        description=(
            'Fly.io n465v4hs6vx4 (2026-06-24, impact minor) "Degraded networking in North America" (EWR, IAD, LAX and other '
            'regions among its components): first post 01:42Z ("degraded network performance between sites in NA due to an '
            'upstream incident"), "largely healthy" 02:04Z except some routes, "6PN Private Networking traffic remains '
            'impacted into and out of our LAX region" 03:42Z, resolved 06:57Z. Our quote-api runs on Fly in lax and talks '
            'to its database app over the private network; from 01:30Z it logs ECONNRESET and UPSTREAM_CONNECT_ERROR with '
            'no vendor named (~9 and ~5 a minute), easing a little after 02:04Z and gone at 03:50Z. No change of ours. Our '
            'incident opens 01:37Z. Responder: our hosting provider\'s private network in exactly our region, for exactly '
            'our window, and connection-level errors only: upstream, though rated minor.'
        ),
        expect={'INC-0137': 'upstream'},
        services=[svc('quote-api', ['lax'], [('flyio', ['private networking'])])],
        vendors=[('flyio', 'Fly.io')],
        vincs=[vinc('flyio', 'n465v4hs6vx4', 'flyio', [])],
        incidents=[inc('INC-0137', 'quote-api', 'Quote API dropping connections', '2026-06-24T01:37', '2026-06-24T04:05')],
        windows=[(-90, -10, 10), (-10, 35, 1), (35, 140, 5)],
        series=[
            S('quote-api', 'lax', [(-1, 0.3), (3, 9), (34, 8), (40, 5), (120, 5.5), (139, 0.3)], None, 'ECONNRESET', None, 'db.internal:5432'),
            S('quote-api', 'lax', [(-1, 0.1), (4, 5), (34, 4), (40, 3), (120, 3), (139, 0.1)], None, 'UPSTREAM_CONNECT_ERROR', 503, 'GET /v1/quotes'),
        ],
    )


@scenario
def flyio_sjc_hosts_offline_untagged_502_posted_40_min_late():
    t0 = '2026-07-14T14:11'
    return dict(
        name='r3-flyio-sjc-hosts-offline-untagged-502-posted-40-min-late',
        cls='vendor-late-post',
        onset=t0,
        end=110,
        description=(
            'Fly.io t30rzmy54w5k (2026-07-14, impact major) "Partial outage in SJC" (SJC - San Jose): first post 14:51Z '
            '("A subset of hosts in SJC are currently offline. Some apps may be unreachable"), fix 15:53Z, resolved 16:59Z. '
            'Our booking-api runs on Fly in sjc; from 14:11Z it logs HTTP_502 and UPSTREAM_CONNECT_ERROR with no vendor named '
            '(~18 and ~7 a minute) until 15:50Z. No change of ours. Our incident opens 14:20Z, 31 minutes before Fly posts. '
            'Responder: our app in the region whose hosts went offline, proxy errors that mean the app could not be reached, '
            'recovery at their fix: upstream, the post 40 minutes late.'
        ),
        expect={'INC-1420': 'upstream'},
        services=[svc('booking-api', ['sjc'], [('flyio', []), ('twilio', [])])],
        vendors=[('flyio', 'Fly.io'), ('twilio', 'Twilio')],
        vincs=[vinc('flyio', 't30rzmy54w5k', 'flyio', ['SJC'])],
        incidents=[inc('INC-1420', 'booking-api', 'Bookings unavailable', '2026-07-14T14:20', '2026-07-14T16:05')],
        series=[
            S('booking-api', 'sjc', spike(0.3, 18, hold=99, decay=2), None, 'HTTP_502', 502, 'GET /v1/slots'),
            S('booking-api', 'sjc', spike(0.1, 7, start=1, hold=98, decay=2), None, 'UPSTREAM_CONNECT_ERROR', 503, 'POST /v1/bookings'),
            S('booking-api', 'sjc', flat(0.1), 'Twilio', 'HTTP_500', 500, 'POST /2010-04-01/Accounts/{sid}/Messages.json'),
        ],
    )


@scenario
def digitalocean_nyc2_untagged_lb_503s():
    t0 = '2026-05-08T17:48'
    return dict(
        name='r3-digitalocean-nyc2-untagged-lb-503s',
        cls='vendor-untagged',
        onset=t0,
        end=100,
        description=(
            'DigitalOcean h9t3sfjx36l3 (2026-05-08, impact minor) "Multiple Services in NYC2" (Droplets, Load Balancers, '
            'Managed Databases, Networking in NYC2): first post 18:01Z ("restore full connectivity"), fix 19:21Z, resolved '
            '19:59Z. Our billing-api runs on droplets behind a load balancer in nyc2 (our config: "droplets", '
            '"load-balancer"); from 17:48Z it logs HTTP_503 and ECONNRESET with no vendor named (~15 and ~4 a minute) until '
            '19:20Z. No change of ours. Our incident opens 17:55Z. Responder: connectivity loss in our datacenter posted 13 '
            'minutes after our errors began, our recovery at its fix, nothing of ours changed: upstream.'
        ),
        expect={'INC-1755': 'upstream'},
        services=[svc('billing-api', ['nyc2'], [('digitalocean', ['droplets', 'load-balancer']), ('stripe', [])])],
        vendors=[('digitalocean', 'DigitalOcean'), ('stripe', 'Stripe')],
        vincs=[vinc('digitalocean', 'h9t3sfjx36l3', 'digitalocean', ['NYC2'])],
        incidents=[inc('INC-1755', 'billing-api', 'Billing API unavailable', '2026-05-08T17:55', '2026-05-08T19:30')],
        series=[
            S('billing-api', 'nyc2', spike(0.3, 15, hold=92, decay=2), None, 'HTTP_503', 503, 'GET /v2/invoices'),
            S('billing-api', 'nyc2', spike(0.1, 4, start=1, hold=91, decay=2), None, 'ECONNRESET', None, 'POST /v2/charges'),
            S('billing-api', 'nyc2', flat(0.15), 'Stripe', 'HTTP_500', 500, 'POST /v1/charges'),
        ],
    )


@scenario
def laravel_euw2_untagged_502_london():
    t0 = '2026-08-11T13:05'
    return dict(
        name='r3-laravel-euw2-untagged-502-london',
        cls='vendor-untagged',
        onset=t0,
        end=60,
        description=(
            'Laravel Cloud hgmzdg6m1n09 (2026-08-11, impact major) "Elevated error rates in EUW2" (Edge Network): first post '
            '13:22Z ("an increase in errors affecting applications in the EUW2 region"), subsided 13:48Z, resolved 14:14Z '
            'blaming an upstream network incident in its edge provider\'s London datacenter. Our tenant-app runs on Laravel '
            'Cloud in London (eu-west-2); from 13:05Z it logs HTTP_502 and HTTP_5XX with no vendor named (~22 and ~6 a '
            'minute) until 13:46Z. No change of ours. Our incident opens 13:12Z. Responder: our hosting provider\'s region '
            'failing at its edge, our proxy errors start 18 minutes before the post and stop when theirs subside: upstream.'
        ),
        expect={'INC-1312': 'upstream'},
        services=[svc('tenant-app', ['eu-west-2'], [('laravel-cloud', []), ('postmark', [])])],
        vendors=[('laravel-cloud', 'Laravel Cloud'), ('postmark', 'Postmark')],
        vincs=[vinc('laravel', 'hgmzdg6m1n09', 'laravel-cloud', ['EUW2'])],
        incidents=[inc('INC-1312', 'tenant-app', 'Tenant sites returning 502', '2026-08-11T13:12', '2026-08-11T14:00')],
        series=[
            S('tenant-app', 'eu-west-2', spike(0.3, 22, hold=41, decay=2), None, 'HTTP_502', 502, 'GET /'),
            S('tenant-app', 'eu-west-2', spike(0.1, 6, start=1, hold=40, decay=2), None, 'HTTP_5XX', 500, 'POST /livewire/update'),
            S('tenant-app', 'eu-west-2', flat(0.1), 'Postmark', 'HTTP_500', 500, 'POST /email'),
        ],
    )


@scenario
def cloudflare_network_grpc_unavailable_frankfurt_50_min_late():
    t0 = '2025-12-19T14:16'
    return dict(
        name='r3-cloudflare-network-grpc-unavailable-frankfurt-50-min-late',
        cls='vendor-late-post',
        onset=t0,
        end=100,
        description=(
            'Cloudflare dz87vqwvl8wr (2025-12-19, impact major) "Network Performance Issues" (Network, no region): first post '
            '15:06Z ("intermittent issues with network performance. Customers might observe unexpected errors"), fix 17:35Z, '
            'resolved next day. Our order-router (europe-west3, Frankfurt) takes partner gRPC traffic through Cloudflare; from '
            '14:16Z it logs gRPC UNAVAILABLE and DEADLINE_EXCEEDED with no vendor named (~16 and ~6 a minute), intermittent, '
            'until about 15:40Z. No change of ours. Our incident opens 14:23Z, 43 minutes before the post. Responder: '
            'transport failures on the one service behind Cloudflare, a major network incident with no region named that '
            'covers our whole window once posted: upstream, 50 minutes late.'
        ),
        expect={'INC-1423': 'upstream'},
        services=[svc('order-router', ['europe-west3'], [('cloudflare', ['Spectrum']), ('datadog', [])])],
        vendors=[('cloudflare', 'Cloudflare'), ('datadog', 'Datadog')],
        vincs=[vinc('cloudflare', 'dz87vqwvl8wr', 'cloudflare', [])],
        incidents=[inc('INC-1423', 'order-router', 'Partner orders failing over gRPC', '2025-12-19T14:23', '2025-12-19T15:55')],
        series=[
            S('order-router', 'europe-west3', [(-1, 0.3), (3, 16), (20, 11), (28, 17), (50, 12), (62, 16), (84, 15), (86, 0.3)], None, 'UNAVAILABLE', None, 'orders.v1.Router/Submit'),
            S('order-router', 'europe-west3', [(-1, 0.1), (4, 6), (20, 4), (28, 6), (84, 5), (86, 0.1)], None, 'DEADLINE_EXCEEDED', None, 'orders.v1.Router/Status'),
            S('order-router', 'europe-west3', flat(0.1), 'Datadog', 'HTTP_503', 503, 'POST /api/v2/series'),
        ],
    )


@scenario
def flyio_machines_api_critical_one_service_call_volume():
    t0 = '2026-07-20T07:04'
    return dict(
        name='r3-flyio-machines-api-critical-one-service-call-volume',
        cls='vendor-tagged-single',
        onset=t0,
        end=62,
        description=(
            'Fly.io gvgpvkt454h7 (2026-07-20, impact critical) "High number of 5XX on the Machines API and dashboard": first '
            'post 07:10Z ("Existing machines are unaffected"), auth service behind the Machines API failed 07:51Z, fix '
            '08:02Z, resolved 17:09Z after Postgres follow-up. Only our autoscaler (iad) calls the Machines API; it reports '
            'its call volume every minute (~30 calls): failures go from ~0.3 to ~22 a minute (HTTP_5XX naming Fly.io) from '
            '07:04Z to 08:02Z. Our apps keep serving. Our incident opens 07:12Z. Responder: one service, most of its calls '
            'to the vendor failing with 5xx for an hour, during the vendor\'s critical incident on that API: upstream.'
        ),
        expect={'INC-0712': 'upstream'},
        services=[svc('autoscaler', ['iad'], [('flyio', ['machines'])])],
        vendors=[('flyio', 'Fly.io')],
        vincs=[vinc('flyio', 'gvgpvkt454h7', 'flyio', [])],
        incidents=[inc('INC-0712', 'autoscaler', 'Autoscaler cannot start machines', '2026-07-20T07:12', '2026-07-20T08:15')],
        series=[],
        calls=[dict(svc='autoscaler', vendor='Fly.io', region='iad', calls=30, fail=spike(0.3, 22, hold=58, decay=2),
                    status=503, code='HTTP_5XX', ep='POST /v1/apps/{app}/machines', start=-45, end=62)],
    )


# ------------------------------------------------ blind: the vendor's page cannot be read


@scenario
def cloudflare_page_502_one_service_large_spike():
    t0 = '2026-01-23T18:40'
    iid = modelled_on('cloudflare', 'kzvk0c2s5fy7')
    snaps = html_snaps(
        'cloudflare', '2026-01-23T18:20:00Z',
        summary_ok('yh6f0r4529hb', 'Cloudflare', 'https://www.cloudflarestatus.com',
                   ['Cloudflare Sites and Services / Durable Objects', 'Cloudflare Sites and Services / D1'], '2026-01-23T18:20:00.000Z'),
        '2026-01-23T18:30', range(0, 130, 10), 502, HTML_502)
    return dict(
        name='r3-cloudflare-page-502-one-service-large-spike',
        cls='vendor-blind',
        onset=t0,
        end=80,
        description=(
            f'Modelled on Cloudflare {iid} (2026-01-23, impact major) "Durable Objects elevated errors" (first post 18:46Z, '
            'fix 23:32Z). Here the post never reaches us: the status page read fine at 18:20Z, then answers an nginx 502 '
            'page on every poll from 18:30Z to 20:40Z. Our realtime-collab (us-east-1) keeps document state in Cloudflare '
            'Durable Objects; from 18:40Z its calls fail with HTTP_500 and TIMEOUT naming Cloudflare, ~30 and ~8 a minute, '
            'until we fail over at 19:55Z; nothing else of ours moves, no change of ours. Our incident opens 18:47Z. '
            'Responder: we cannot see their page, and one service is failing hard and for over an hour on calls that name '
            'them: upstream, suspected from our errors.'
        ),
        expect={'INC-1847': 'upstream'},
        suspected=[{'vendor': 'cloudflare'}],
        services=[svc('realtime-collab', ['us-east-1'], [('cloudflare', ['Durable Objects']), ('sendgrid', [])])],
        vendors=[('cloudflare', 'Cloudflare'), ('sendgrid', 'SendGrid')],
        vincs=[],
        snapshots=snaps,
        incidents=[inc('INC-1847', 'realtime-collab', 'Documents not syncing', '2026-01-23T18:47', '2026-01-23T20:05')],
        series=[
            S('realtime-collab', 'us-east-1', spike(0.3, 30, hold=75, decay=2), 'Cloudflare', 'HTTP_500', 500, 'POST /do/{doc}/ops'),
            S('realtime-collab', 'us-east-1', spike(0.1, 8, start=1, hold=74, decay=2), 'Cloudflare', 'TIMEOUT', None, 'GET /do/{doc}/state'),
            S('realtime-collab', 'us-east-1', flat(0.1), 'SendGrid', 'HTTP_502', 502, 'POST /v3/mail/send'),
        ],
    )


@scenario
def vercel_health_timeouts_two_services_5xx():
    t0 = '2026-08-20T17:40'
    iid = modelled_on('vercel', 'w8r0qkm97p1c')
    return dict(
        name='r3-vercel-health-timeouts-two-services-5xx',
        cls='vendor-blind',
        onset=t0,
        end=55,
        description=(
            f'Modelled on Vercel {iid} (2026-08-20, impact major) "New container functions are failing" (newly deployed '
            'container functions return 5XX, 17:46–18:23Z). Here every poll of Vercel\'s status page times out from 17:30Z '
            'to 18:40Z (vendorHealth), so no post reaches us. Our render-api and og-images (both iad1, both on Vercel '
            'functions) get HTTP_502 and HTTP_500 naming Vercel from 17:40Z, ~14 and ~8 a minute, until 18:22Z; no change '
            'of ours. Our incident opens 17:47Z. Responder: two services failing on the same vendor while its page is '
            'unreadable: upstream, suspected from our errors.'
        ),
        expect={'INC-1747': 'upstream'},
        suspected=[{'vendor': 'vercel'}],
        services=[
            svc('render-api', ['iad1'], [('vercel', ['Functions'])]),
            svc('og-images', ['iad1'], [('vercel', ['Functions']), ('github', [])]),
        ],
        vendors=[('vercel', 'Vercel'), ('github', 'GitHub')],
        vincs=[],
        health=[
            {'vendor': 'vercel', 'at': '2026-08-20T17:30:00Z', 'state': 'timeout', 'reason': 'GET https://www.vercel-status.com/api/v2/summary.json timed out after 10s'},
            {'vendor': 'vercel', 'at': '2026-08-20T18:40:00Z', 'state': 'ok'},
        ],
        incidents=[inc('INC-1747', 'render-api', 'Rendered pages failing', '2026-08-20T17:47', '2026-08-20T18:35')],
        series=[
            S('render-api', 'iad1', spike(0.3, 14, hold=42, decay=2), 'Vercel', 'HTTP_502', 502, 'GET /render/{path}'),
            S('og-images', 'iad1', spike(0.2, 8, start=1, hold=41, decay=2), 'vercel', 'HTTP_500', 500, 'GET /api/og'),
            S('og-images', 'iad1', flat(0.1), 'GitHub', 'HTTP_502', 502, 'GET /repos/{owner}/{repo}/contents/{path}'),
        ],
    )


@scenario
def digitalocean_page_503_modest_spaces_errors():
    t0 = '2026-08-21T12:55'
    iid = modelled_on('digitalocean', 's0dyq97c5v72')
    snaps = html_snaps(
        'digitalocean', '2026-08-21T12:35:00Z',
        summary_ok('w4cz49tckxhz', 'DigitalOcean', 'https://status.digitalocean.com', ['Spaces / FRA1', 'Container Registry / Global'],
                   '2026-08-21T12:35:00.000Z'),
        '2026-08-21T12:45', range(0, 80, 10), 503, HTML_503)
    return dict(
        name='r3-digitalocean-page-503-modest-spaces-errors',
        cls='vendor-blind',
        onset=t0,
        end=40,
        description=(
            f'Modelled on DigitalOcean {iid} (2026-08-21, impact minor) "Container Registry and Spaces Accessibility" '
            '(first post 12:59Z, fix 13:06Z). Here the post never reaches us: the page read fine at 12:35Z, then answers an '
            'nginx 503 page from 12:45Z to 14:05Z. Our backup-worker (fra1) sees its Spaces upload errors naming DigitalOcean '
            'rise from ~0.3 to ~2 a minute, 12:55–13:08Z; nothing else moves. Our incident opens 13:00Z. Responder: a vendor '
            'we cannot read and a small rise on one service — not ours to dismiss, not enough to blame them: unclear.'
        ),
        expect={'INC-1300': 'unclear'},
        services=[svc('backup-worker', ['fra1'], [('digitalocean', ['Spaces']), ('github', [])])],
        vendors=[('digitalocean', 'DigitalOcean'), ('github', 'GitHub')],
        vincs=[],
        snapshots=snaps,
        incidents=[inc('INC-1300', 'backup-worker', 'Nightly backups retrying', '2026-08-21T13:00', '2026-08-21T13:25')],
        series=[
            S('backup-worker', 'fra1', [(-1, 0.25), (2, 1.6), (11, 1.5), (13, 0.25)], 'DigitalOcean', 'HTTP_503', 503, 'PUT /{bucket}/{key}'),
            S('backup-worker', 'fra1', [(-1, 0.05), (2, 0.5), (11, 0.5), (13, 0.05)], 'DigitalOcean', 'TIMEOUT', None, 'PUT /{bucket}/{key}'),
            S('backup-worker', 'fra1', flat(0.1), 'GitHub', 'HTTP_502', 502, 'GET /repos/{owner}/{repo}/tarball/{ref}'),
        ],
    )


# ------------------------------------------------ unclear: untagged errors with a change of ours before onset


@scenario
def flyio_ord_power_untagged_after_config_change():
    t0 = '2026-07-03T00:05'
    return dict(
        name='r3-flyio-ord-power-untagged-after-config-change',
        cls='vendor-untagged',
        onset=t0,
        end=60,
        description=(
            'Fly.io mv0vhw24tkq8 (2026-07-03, impact major) "Partial outage in ORD": first post 00:11Z ("Machines across a '
            'subset of hosts may be unreachable"), power issues at an upstream provider 00:29Z, resolved 05:59Z. Our '
            'search-api runs on Fly in ord. At 00:03Z we change its config (new connection-pool size and a new internal '
            'hostname for its index app); from 00:05Z it logs HTTP_502 and TIMEOUT with no vendor named (~10 and ~5 a '
            'minute) until 00:57Z, no rollback. Our incident opens 00:12Z. Responder: the errors fit both the host outage in '
            'our region and our config change two minutes before onset, and they name nobody: unclear.'
        ),
        expect={'INC-0012': 'unclear'},
        services=[svc('search-api', ['ord'], [('flyio', [])])],
        vendors=[('flyio', 'Fly.io')],
        vincs=[vinc('flyio', 'mv0vhw24tkq8', 'flyio', ['ORD'])],
        changes=[change('2026-07-03T00:03', 'search-api', 'config', 'search-api@cfg-311', 'Pool size 40→80, index host search-index.internal')],
        incidents=[inc('INC-0012', 'search-api', 'Search failing', '2026-07-03T00:12', '2026-07-03T01:10')],
        series=[
            S('search-api', 'ord', spike(0.3, 10, hold=52, decay=2), None, 'HTTP_502', 502, 'GET /search'),
            S('search-api', 'ord', spike(0.1, 5, start=1, hold=51, decay=2), None, 'TIMEOUT', None, 'GET /suggest'),
        ],
    )


@scenario
def vercel_arn1_untagged_after_deploy():
    t0 = '2026-05-28T15:55'
    return dict(
        name='r3-vercel-arn1-untagged-after-deploy',
        cls='vendor-untagged',
        onset=t0,
        end=60,
        description=(
            'Vercel yqvf53mhyb78 (2026-05-28, impact minor) "Elevated Function Invocation Errors in Stockholm region (ARN1)" '
            '(Functions, Routing Middleware): first post 16:00Z, identified 16:18Z, fix 16:37Z, resolved 16:59Z. Our '
            'nordic-shop runs its functions in arn1. At 15:52Z we deploy nordic-shop (new middleware for geo pricing); from '
            '15:55Z it logs HTTP_500 and FUNCTION_INVOCATION_FAILED with no vendor named (~9 and ~4 a minute) until 16:38Z. '
            'Our incident opens 16:02Z. Responder: the vendor\'s function errors in our region explain it, and so does our '
            'middleware deploy three minutes before onset; nothing names the vendor: unclear.'
        ),
        expect={'INC-1602': 'unclear'},
        services=[svc('nordic-shop', ['arn1'], [('vercel', ['Functions', 'Routing Middleware'])])],
        vendors=[('vercel', 'Vercel')],
        vincs=[vinc('vercel', 'yqvf53mhyb78', 'vercel', ['ARN1', 'Stockholm'])],
        changes=[change('2026-05-28T15:52', 'nordic-shop', 'deploy', 'nordic-shop@a91c2e0', 'Geo pricing middleware')],
        incidents=[inc('INC-1602', 'nordic-shop', 'Shop pages erroring in the Nordics', '2026-05-28T16:02', '2026-05-28T16:50')],
        series=[
            S('nordic-shop', 'arn1', spike(0.3, 9, hold=43, decay=2), None, 'HTTP_500', 500, 'GET /products/{slug}'),
            S('nordic-shop', 'arn1', spike(0.1, 4, start=1, hold=42, decay=2), None, 'FUNCTION_INVOCATION_FAILED', 500, 'GET /cart'),
        ],
    )


# ------------------------------------------------ internal


@scenario
def ours_deploy_untagged_5xx_no_vendor_incident():
    t0 = '2026-08-12T09:12'
    return dict(
        name='r3-ours-deploy-untagged-5xx-no-vendor-incident',
        cls='ours-deploy-untagged',
        onset=t0,
        end=55,
        description=(
            'No vendor posts anything that day (Cloudflare, Stripe). At 09:10Z we deploy catalog-api (eu-central-1, behind '
            'Cloudflare); from 09:12Z it logs HTTP_500 and HTTP_5XX with no vendor named (~15 and ~5 a minute); we roll back '
            'at 09:50Z and the errors stop by 09:52Z. Its Stripe calls stay at baseline. Our incident opens 09:17Z. '
            'Responder: untagged 5xx two minutes after our deploy, gone with the rollback, no vendor incident anywhere: '
            'internal.'
        ),
        expect={'INC-0917': 'internal'},
        suspected=[],
        services=[svc('catalog-api', ['eu-central-1'], [('cloudflare', []), ('stripe', [])])],
        vendors=[('cloudflare', 'Cloudflare'), ('stripe', 'Stripe')],
        vincs=[],
        changes=[
            change('2026-08-12T09:10', 'catalog-api', 'deploy', 'catalog-api@5e0b7d1', 'Variant pricing in product responses'),
            change('2026-08-12T09:50', 'catalog-api', 'deploy', 'catalog-api@c2f94aa', 'Roll back variant pricing'),
        ],
        incidents=[inc('INC-0917', 'catalog-api', 'Catalog API 5xx', '2026-08-12T09:17', '2026-08-12T10:00')],
        series=[
            S('catalog-api', 'eu-central-1', spike(0.3, 15, hold=38, decay=2), None, 'HTTP_500', 500, 'GET /v1/products/{id}'),
            S('catalog-api', 'eu-central-1', spike(0.1, 5, start=1, hold=37, decay=2), None, 'HTTP_5XX', 502, 'GET /v1/products'),
            S('catalog-api', 'eu-central-1', flat(0.15), 'Stripe', 'HTTP_500', 500, 'POST /v1/prices'),
        ],
    )


@scenario
def ours_digitalocean_token_rotation_401_during_api_incident():
    t0 = '2026-04-22T11:00'
    return dict(
        name='r3-ours-digitalocean-token-rotation-401-during-api-incident',
        cls='ours-4xx-during-vendor-incident',
        onset=t0,
        end=50,
        description=(
            'DigitalOcean zjd34dpv45vr (2026-04-22, impact minor) "Cloud Control Panel and API" (API requests to create, '
            'destroy or trigger events on droplets may not succeed): first post 11:06Z, fix 11:25Z, resolved 11:47Z. At '
            '10:58Z we rotate the API token of our infra-provisioner (nyc3); from 11:00Z every call it makes answers 401 '
            'Unauthorized (HTTP_401 naming DigitalOcean, ~12 a minute) until we fix the secret at 11:41Z; no 5xx, no '
            'timeouts. Our incident opens 11:05Z. Responder: 401s mean our credentials, right after we rotated them, and they '
            'outlast the vendor\'s fix: internal.'
        ),
        expect={'INC-1105': 'internal'},
        suspected=[],
        services=[svc('infra-provisioner', ['nyc3'], [('digitalocean', ['API']), ('github', [])])],
        vendors=[('digitalocean', 'DigitalOcean'), ('github', 'GitHub')],
        vincs=[vinc('digitalocean', 'zjd34dpv45vr', 'digitalocean', [])],
        changes=[change('2026-04-22T10:58', 'infra-provisioner', 'config', 'secret/do-token@v14', 'Rotate DigitalOcean API token')],
        incidents=[inc('INC-1105', 'infra-provisioner', 'Provisioning jobs failing', '2026-04-22T11:05', '2026-04-22T11:50')],
        series=[
            S('infra-provisioner', 'nyc3', spike(0.1, 12, hold=41, decay=1), 'DigitalOcean', 'HTTP_401', 401, 'POST /v2/droplets'),
            S('infra-provisioner', 'nyc3', flat(0.15), 'DigitalOcean', 'HTTP_500', 500, 'GET /v2/droplets'),
            S('infra-provisioner', 'nyc3', flat(0.1), 'GitHub', 'HTTP_502', 502, 'GET /repos/{owner}/{repo}'),
        ],
    )


@scenario
def ours_untagged_503_r2_calls_healthy():
    t0 = '2025-06-13T14:12'
    return dict(
        name='r3-ours-untagged-503-r2-calls-healthy',
        cls='ours-calls-healthy',
        onset=t0,
        end=48,
        description=(
            'Cloudflare g5g4pxcnjyj8 (2025-06-13, impact major) "Issues with Stream Live, Stream VOD, Durable Objects, R2 and '
            'Workers Builds": first post 14:15Z (500 errors), fix 14:30Z, resolved 16:51Z. Our asset-service (us-east-1) '
            'reads from R2 and reports its call volume every minute: ~50 calls, failures stay at their baseline ~0.3 a minute '
            'throughout. From 14:12Z it answers its own clients HTTP_503 with no vendor named (~14 a minute) alongside '
            'WORKER_POOL_EXHAUSTED (~5 a minute) until 14:52Z. Our incident opens 14:18Z. Responder: the vendor had a bad '
            'hour, but our calls to it succeeded at the usual rate the whole time; the failures are our own pool: internal.'
        ),
        expect={'INC-1418': 'internal'},
        suspected=[],
        services=[svc('asset-service', ['us-east-1'], [('cloudflare', ['R2'])])],
        vendors=[('cloudflare', 'Cloudflare')],
        vincs=[vinc('cloudflare', 'g5g4pxcnjyj8', 'cloudflare', [])],
        incidents=[inc('INC-1418', 'asset-service', 'Asset downloads failing', '2025-06-13T14:18', '2025-06-13T15:02')],
        series=[
            S('asset-service', 'us-east-1', spike(0.3, 14, hold=40, decay=2), None, 'HTTP_503', 503, 'GET /assets/{id}'),
            S('asset-service', 'us-east-1', spike(0.05, 5, start=1, hold=39, decay=2), None, 'WORKER_POOL_EXHAUSTED', None, 'GET /assets/{id}'),
        ],
        calls=[dict(svc='asset-service', vendor='Cloudflare', region='us-east-1', calls=50, fail=flat(0.3), status=500,
                    code='HTTP_500', ep='GET /r2/{bucket}/{key}', start=-45, end=48)],
    )


@scenario
def ours_untagged_502_during_cloudflare_buenos_aires():
    t0 = '2026-05-20T13:02'
    return dict(
        name='r3-ours-untagged-502-during-cloudflare-buenos-aires',
        cls='ours-other-region',
        onset=t0,
        end=48,
        description=(
            'Cloudflare cd2wntsc21lq (2026-05-20, impact major) "Increased HTTP 502 Errors in Buenos Aires" (Buenos Aires '
            '(EZE)): first post 13:06Z, fix 13:57Z, resolved next day. Our storefront runs in eu-central-1 (Frankfurt) and '
            'sells in Europe only; from 13:02Z its ingress logs HTTP_502 and UPSTREAM_CONNECT_ERROR with no vendor named '
            '(~14 and ~5 a minute) until 13:44Z, while its calls through Cloudflare (reported every minute, ~40) keep '
            'failing at their baseline ~0.2 a minute. Our incident opens 13:08Z. Responder: same status code as the vendor\'s '
            'title, but their trouble is in Argentina and our calls through them are healthy: internal.'
        ),
        expect={'INC-1308': 'internal'},
        suspected=[],
        services=[svc('storefront', ['eu-central-1'], [('cloudflare', [])])],
        vendors=[('cloudflare', 'Cloudflare')],
        vincs=[vinc('cloudflare', 'cd2wntsc21lq', 'cloudflare', ['Buenos Aires', 'EZE'])],
        incidents=[inc('INC-1308', 'storefront', 'Storefront 502s', '2026-05-20T13:08', '2026-05-20T13:55')],
        series=[
            S('storefront', 'eu-central-1', spike(0.3, 14, hold=42, decay=2), None, 'HTTP_502', 502, 'GET /'),
            S('storefront', 'eu-central-1', spike(0.1, 5, start=1, hold=41, decay=2), None, 'UPSTREAM_CONNECT_ERROR', 503, 'GET /checkout'),
        ],
        calls=[dict(svc='storefront', vendor='Cloudflare', region='eu-central-1', calls=40, fail=flat(0.2), status=502,
                    code='HTTP_502', ep='GET /cdn-cgi/origin', start=-45, end=48, volume_only=True)],
    )


@scenario
def ours_untagged_timeouts_hours_before_flyio_nrt():
    t0 = '2026-06-22T13:20'
    return dict(
        name='r3-ours-untagged-timeouts-hours-before-flyio-nrt',
        cls='ours-vendor-later',
        onset=t0,
        end=55,
        description=(
            'Fly.io 5g50l37rgw25 (2026-06-22, impact major) "SIN, NRT network issues": first post 17:10Z ("investigating an '
            'upstream network issue"), NRT named 17:24Z, resolved 19:48Z; no earlier start given. Our jp-api runs on Fly in '
            'nrt; from 13:20Z it logs TIMEOUT and ECONNRESET with no vendor named (~11 and ~4 a minute) until 14:05Z. Our '
            'incident opens 13:27Z and closes 14:20Z. Responder: the vendor\'s network trouble begins almost four hours after '
            'ours ended and nothing dates it earlier: internal.'
        ),
        expect={'INC-1327': 'internal'},
        suspected=[],
        services=[svc('jp-api', ['nrt'], [('flyio', [])])],
        vendors=[('flyio', 'Fly.io')],
        vincs=[vinc('flyio', '5g50l37rgw25', 'flyio', ['SIN', 'NRT'])],
        incidents=[inc('INC-1327', 'jp-api', 'Japan API timeouts', '2026-06-22T13:27', '2026-06-22T14:20')],
        series=[
            S('jp-api', 'nrt', spike(0.3, 11, hold=45, decay=2), None, 'TIMEOUT', 504, 'GET /v1/orders'),
            S('jp-api', 'nrt', spike(0.1, 4, start=1, hold=44, decay=2), None, 'ECONNRESET', None, 'POST /v1/orders'),
        ],
    )


@scenario
def ours_deploy_untagged_422_during_laravel_edge_incident():
    t0 = '2026-05-22T16:00'
    return dict(
        name='r3-ours-deploy-untagged-422-during-laravel-edge-incident',
        cls='ours-4xx-during-vendor-incident',
        onset=t0,
        end=50,
        description=(
            'Laravel Cloud p8h236xkxxc0 (2026-05-22, impact minor) "Edge services disruption effecting Environments, Domains '
            'and Object Storage": first post 16:06Z (its edge provider\'s API outage blocks creating environments, domains and '
            'buckets; existing ones unaffected), resolved 16:55Z. At 15:57Z we deploy our forms-api (us-east-2, on Laravel '
            'Cloud) with a stricter request schema; from 16:00Z it answers HTTP_422 and HTTP_400 with no vendor named (~16 '
            'and ~5 a minute) until we roll back at 16:40Z. Our incident opens 16:05Z. Responder: 4xx validation errors from '
            'our own API right after our deploy, a vendor incident that leaves running apps alone: internal.'
        ),
        expect={'INC-1605': 'internal'},
        suspected=[],
        services=[svc('forms-api', ['us-east-2'], [('laravel-cloud', []), ('postmark', [])])],
        vendors=[('laravel-cloud', 'Laravel Cloud'), ('postmark', 'Postmark')],
        vincs=[vinc('laravel', 'p8h236xkxxc0', 'laravel-cloud', [])],
        changes=[
            change('2026-05-22T15:57', 'forms-api', 'deploy', 'forms-api@77d1f3b', 'Stricter submission schema'),
            change('2026-05-22T16:40', 'forms-api', 'deploy', 'forms-api@1b0e9c4', 'Roll back submission schema'),
        ],
        incidents=[inc('INC-1605', 'forms-api', 'Form submissions rejected', '2026-05-22T16:05', '2026-05-22T16:50')],
        series=[
            S('forms-api', 'us-east-2', spike(0.2, 16, hold=40, decay=1), None, 'HTTP_422', 422, 'POST /forms/{id}/submit'),
            S('forms-api', 'us-east-2', spike(0.1, 5, start=1, hold=39, decay=1), None, 'HTTP_400', 400, 'POST /forms/{id}/draft'),
            S('forms-api', 'us-east-2', flat(0.1), 'Postmark', 'HTTP_500', 500, 'POST /email'),
        ],
    )



# ---------------------------------------------------------------- build

ORDER = ['name', 'class', 'description', 'expect', 'suspectedExpected', 'services', 'vendors', 'vendorIncidents',
         'vendorSnapshots', 'vendorHealth', 'changes', 'incidents', 'errors']


def used_elsewhere():
    text = ''
    for f in glob.glob(os.path.join(ROOT, 'test', 'scenarios', '*.json')) + glob.glob(os.path.join(OUT, '*.json')):
        if not os.path.basename(f).startswith('r3-'):
            with open(f) as fh:
                text += fh.read()
    return text


def build(spec):
    sc = spec()
    name = sc['name']
    rng = random.Random(int(hashlib.sha256(name.encode()).hexdigest()[:16], 16))
    t0 = T(sc['onset'])
    windows = sc.get('windows') or default_windows(sc['end'])
    errors = gen_errors(rng, t0, sc['series'], windows)
    for c in sc.get('calls', []):
        errors += gen_calls(rng, t0, c)
    errors.sort(key=lambda e: (e['at'], e['service'], e.get('vendor', ''), e.get('code', '')))
    if len(errors) >= MAX_EVENTS:
        raise SystemExit(f'{name}: {len(errors)} events (at most {MAX_EVENTS - 1})')
    for i in sc['incidents']:
        lag = (T(i['startedAt']) - t0).total_seconds() / 60
        if not 3 <= lag <= 15:
            raise SystemExit(f'{name}: incident {i["id"]} opens {lag} min after onset')
    out = {
        'name': name,
        'class': sc['cls'],
        'description': sc['description'],
        'expect': sc['expect'],
        'services': sc['services'],
        'vendors': [{'id': i, 'name': n, 'provider': 'statuspage'} for i, n in sc['vendors']],
        'vendorIncidents': sc['vincs'],
        'changes': sc.get('changes', []),
        'incidents': sc['incidents'],
        'errors': errors,
    }
    if sc.get('suspected') is not None:
        out['suspectedExpected'] = sc['suspected']
    if sc.get('snapshots'):
        out['vendorSnapshots'] = sc['snapshots']
    if sc.get('health'):
        out['vendorHealth'] = sc['health']
    return {k: out[k] for k in ORDER if k in out}, None


def main():
    used = used_elsewhere()
    seen = set()
    written = []
    rows = []
    for spec in SCENARIOS:
        sc, _ = build(spec)
        ids = [v['id'] for v in sc['vendorIncidents']] + re.findall(r'Modelled on [^(]* ([0-9a-z]{12}) \(', sc['description'])
        for iid in ids:
            if iid in used:
                raise SystemExit(f'{sc["name"]}: incident {iid} is already used by another scenario')
            if iid in seen:
                raise SystemExit(f'{sc["name"]}: incident {iid} used twice in round 3')
            seen.add(iid)
        path = os.path.join(OUT, sc['name'] + '.json')
        with open(path, 'w') as fh:
            json.dump(sc, fh, indent=2, ensure_ascii=False)
            fh.write('\n')
        written.append(path)
        exp = ', '.join(f'{k} {v}' for k, v in sc['expect'].items())
        rows.append((sc['name'], sc['class'], exp, len(sc['errors'])))
    try:
        subprocess.run(['npx', 'prettier', '--write', *written], cwd=ROOT, check=True, capture_output=True)
    except (OSError, subprocess.CalledProcessError) as err:
        print(f'prettier not run: {err}', file=sys.stderr)
    for r in rows:
        print(f'{r[0]:<72} {r[1]:<32} {r[2]:<22} {r[3]:>4} events')
    print(f'{len(rows)} scenarios')


if __name__ == '__main__':
    main()
