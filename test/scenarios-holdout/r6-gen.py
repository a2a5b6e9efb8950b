#!/usr/bin/env python3
"""Round 6 of the holdout scenarios (r6-*.json), built without reading the correlator, the main
generator (test/scenarios-build/) or the correlator's tests; helpers loaded from r5-gen.py (which
loads rounds 2–4's).

Weighted to shapes an evaluation on real outages misses or could miss: errors that name no vendor
(untagged 5xx, timeouts, resets) on one service only; a vendor whose component names differ from
ours ("object storage" against "Spaces", "LLM completions" against "Claude API"); partial outages
where only a few percent of our calls fail; a vendor page we cannot read while our errors point at
it; a service in two regions failing in one; a vendor that names the place only in prose; a calm
peer of ours on another component of the same vendor. And look-alikes that are ours: our own
traffic surge drawing 429s, a bad deploy minutes before an incident on a product we do not use,
errors that begin before the vendor's incident and outlast it, a plan limit, a certificate we let
expire, calls sent to a region the vendor says is fine, a calm peer on the same component.

Vendor side: real stactus incidents ($UPCAUSE_FIXTURES/real/stactus/*.jsonl, default
../shared/fixtures), each id unused by test/scenarios/ and rounds 1–5 (checked here).
Our side: synthetic, seeded Poisson noise around piecewise-linear rates, one random stream per
scenario name. Run from the repository root: python3 test/scenarios-holdout/r6-gen.py
(standard library only; formats the output with the repository's prettier when npx is there).
"""

import importlib.util
import os

# Helpers (time, noise, events, stactus reading, snapshots, calls, build) are rounds 2–5's: loaded from r5-gen.py.
_spec = importlib.util.spec_from_file_location('r5gen', os.path.join(os.path.dirname(os.path.abspath(__file__)), 'r5-gen.py'))
_r5 = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_r5)
globals().update({k: v for k, v in vars(_r5).items() if not k.startswith('__') and k not in ('SCENARIOS', 'scenario', 'main', 'used_elsewhere')})

SCENARIOS = []


def scenario(fn):
    SCENARIOS.append(fn)
    return fn


def health(vendor, state, reason, down_at, up_at):
    """A page that cannot be read from down_at until up_at (stated directly)."""
    return [
        {'vendor': vendor, 'at': down_at + ':00Z', 'state': state, 'reason': reason},
        {'vendor': vendor, 'at': up_at + ':00Z', 'state': 'ok'},
    ]


# ------------------------------------------------ upstream: errors that name no vendor, on one service


@scenario
def flyio_ord_postgres_untagged_resets_one_service():
    t0 = '2026-07-03T16:56'
    return dict(
        name='r6-flyio-ord-postgres-untagged-resets-one-service',
        cls='vendor-untagged',
        onset=t0,
        end=80,
        description=(
            'Fly.io ccr4ky2rl62v (2026-07-03, impact major) "Partial Outage in ORD" (Managed Postgres / Management Plane - '
            'ORD, Regional Availability / ORD - Chicago, Illinois (US)): first post 17:00Z ("Machines across a subset of '
            'hosts may be unreachable ... Some Managed Postgres clusters in ORD region may be unavailable or see '
            'connectivity issues"), 17:02Z a networking hardware failure at an upstream provider, fix and monitoring '
            '17:49Z, resolved 18:11Z. Our orders-api runs on Fly.io in ord with its Managed Postgres there; its database '
            'client logs ECONNRESET (~7 a minute) and ETIMEDOUT (~3 a minute) with no vendor field from 16:56Z until '
            '17:50Z. Our worker-iad (iad, same vendor) stays at baseline. No change of ours. Our incident opens 17:02Z. '
            'Responder: resets and timeouts that name nobody, on the one service in the region the vendor reports down, '
            'from four minutes before its post until its fix; the service in another region is calm: upstream.'
        ),
        expect={'INC-1702': 'upstream'},
        services=[
            svc('orders-api', ['ord'], [('flyio', ['Managed Postgres', 'Regional Availability'])]),
            svc('worker-iad', ['iad'], [('flyio', ['Managed Postgres', 'Regional Availability'])]),
        ],
        vendors=[('flyio', 'Fly.io')],
        vincs=[vinc('flyio', 'ccr4ky2rl62v', 'flyio', ['ORD', 'Chicago'])],
        incidents=[inc('INC-1702', 'orders-api', 'Orders failing to save', '2026-07-03T17:02', '2026-07-03T18:00')],
        series=[
            S('orders-api', 'ord', spike(0.1, 7, hold=54, decay=2), None, 'ECONNRESET', None, 'postgres orders-db.flycast:5432'),
            S('orders-api', 'ord', spike(0.05, 3, start=1, hold=53, decay=2), None, 'ETIMEDOUT', None, 'postgres orders-db.flycast:5432'),
            S('worker-iad', 'iad', flat(0.1), None, 'ECONNRESET', None, 'postgres jobs-db.flycast:5432'),
        ],
    )


@scenario
def laravel_ohio_untagged_502_one_service():
    t0 = '2026-08-21T12:20'
    return dict(
        name='r6-laravel-ohio-untagged-502-one-service',
        cls='vendor-untagged',
        onset=t0,
        end=60,
        description=(
            'Laravel Cloud 3zhddx2vbm8c (2026-08-21, impact minor) "Workload disruption in us-east-2 (Ohio)" (App compute '
            '/ App compute - US East (Ohio)): first post 12:26Z ("an issue affecting apps in us-east-2 (Ohio). Other '
            'regions are operating normally"), identified 12:46Z, fix and monitoring 13:03Z, resolved 13:29Z. Our '
            'shop-api is hosted on Laravel Cloud in us-east-2; our edge monitor and frontend report HTTP_502 (~10 a '
            'minute) and HTTP_504 (~3 a minute) from it, no vendor named, from 12:20Z until 13:03Z. Our admin-api, on '
            'Laravel Cloud in us-east-1, stays at baseline. No change of ours. Our incident opens 12:25Z. Responder: '
            'gateway errors from the one app in the region the vendor says is disrupted, none in the region it says is '
            'fine, ending with its fix: upstream.'
        ),
        expect={'INC-1225': 'upstream'},
        services=[
            svc('shop-api', ['us-east-2'], [('laravel', ['App compute'])]),
            svc('admin-api', ['us-east-1'], [('laravel', ['App compute'])]),
        ],
        vendors=[('laravel', 'Laravel Cloud')],
        vincs=[vinc('laravel', '3zhddx2vbm8c', 'laravel', ['us-east-2', 'Ohio'])],
        incidents=[inc('INC-1225', 'shop-api', 'Shop API returning 502s', '2026-08-21T12:25', '2026-08-21T13:12')],
        series=[
            S('shop-api', 'us-east-2', spike(0.2, 10, hold=43, decay=2), None, 'HTTP_502', 502, 'GET /api/products'),
            S('shop-api', 'us-east-2', spike(0.05, 3, start=1, hold=42, decay=2), None, 'HTTP_504', 504, 'POST /api/cart'),
            S('admin-api', 'us-east-1', flat(0.1), None, 'HTTP_502', 502, 'GET /admin/orders'),
        ],
    )


@scenario
def flyio_sin_untagged_one_region_of_two():
    t0 = '2026-06-17T03:17'
    return dict(
        name='r6-flyio-sin-untagged-one-region-of-two',
        cls='vendor-region-one-of-many',
        onset=t0,
        end=90,
        description=(
            'Fly.io s3z2z50wzzv6 (2026-06-17, impact major) "Network Issues in SIN" (Regional Availability / SIN - '
            'Singapore): first post 03:21Z ("network connectivity issues in the SIN region. Hosted apps may be '
            'unavailable"), 03:47Z some machines unreachable, 04:22Z recovery to most destinations, 04:38Z fully '
            'restored, resolved 04:55Z. Our web app runs on Fly.io in two regions, iad and sin; the errors it reports '
            'from sin are HTTP_502 (~8 a minute) and ETIMEDOUT (~3 a minute), with no vendor, from 03:17Z, easing after '
            '04:22Z and gone by 04:38Z; its iad instances stay at baseline. No change of ours. Our incident opens 03:22Z '
            'for sin. Responder: one of the service\'s two regions fails, the one the vendor reports, with its timeline: '
            'upstream.'
        ),
        expect={'INC-0322': 'upstream'},
        services=[svc('web', ['iad', 'sin'], [('flyio', ['Regional Availability'])])],
        vendors=[('flyio', 'Fly.io')],
        vincs=[vinc('flyio', 's3z2z50wzzv6', 'flyio', ['SIN', 'Singapore'])],
        incidents=[inc('INC-0322', 'web', 'Singapore users see errors', '2026-06-17T03:22', '2026-06-17T04:45', regions=['sin'])],
        series=[
            S('web', 'sin', [(-1, 0.2), (4, 8), (30, 7), (50, 8.5), (65, 7), (70, 3), (81, 0.2)], None, 'HTTP_502', 502, 'GET /'),
            S('web', 'sin', [(-1, 0.05), (5, 3), (65, 3), (70, 1), (81, 0.05)], None, 'ETIMEDOUT', None, 'GET /api/feed'),
            S('web', 'iad', flat(0.2), None, 'HTTP_502', 502, 'GET /'),
        ],
    )


# ------------------------------------------------ upstream: component names that differ from the vendor's


@scenario
def digitalocean_spaces_fra1_object_storage_component():
    t0 = '2025-06-16T14:51'
    return dict(
        name='r6-digitalocean-spaces-fra1-object-storage-component',
        cls='vendor-component-alias',
        onset=t0,
        end=60,
        description=(
            'DigitalOcean vfd6gr6rk86b (2025-06-16, impact minor) "Spaces Availability in FRA1" (Spaces / FRA1): first '
            'post 14:58Z ("an increased error rate when attempting to upload, retrieve, or list objects"), fix and '
            'monitoring 15:25Z ("Error rates have returned to normal levels"), resolved 17:57Z. Our media-worker (fra1) '
            'declares DigitalOcean for "object storage" (the team\'s word for Spaces); its S3 client gets HTTP_503 (~9 a '
            'minute) and SLOW_DOWN (status 503, ~3 a minute), vendor "digitalocean", on fra1.digitaloceanspaces.com from '
            '14:51Z until 15:24Z. No change of ours. Our incident opens 14:56Z. Responder: "object storage" is Spaces; '
            'its 503s in the vendor\'s FRA1, ending with its fix: upstream.'
        ),
        expect={'INC-1456': 'upstream'},
        services=[svc('media-worker', ['fra1'], [('digitalocean', ['object storage'])])],
        vendors=[('digitalocean', 'DigitalOcean')],
        vincs=[vinc('digitalocean', 'vfd6gr6rk86b', 'digitalocean', ['FRA1'])],
        incidents=[inc('INC-1456', 'media-worker', 'Thumbnails not generated', '2025-06-16T14:56', '2025-06-16T15:35')],
        series=[
            S('media-worker', 'fra1', spike(0.1, 9, hold=33, decay=2), 'digitalocean', 'HTTP_503', 503, 'PUT https://fra1.digitaloceanspaces.com/media-prod/{key}'),
            S('media-worker', 'fra1', spike(0.05, 3, start=1, hold=32, decay=2), 'digitalocean', 'SLOW_DOWN', 503, 'GET https://fra1.digitaloceanspaces.com/media-prod/{key}'),
        ],
    )


@scenario
def anthropic_many_models_llm_component_name():
    t0 = '2026-07-30T05:52'
    return dict(
        name='r6-anthropic-many-models-llm-component-name',
        cls='vendor-component-alias',
        onset=t0,
        end=50,
        description=(
            'Anthropic fsh2zzzl2c4l (2026-07-30, impact major) "Elevated errors across many models" (claude.ai, Claude API '
            '(api.anthropic.com), Claude Code, Claude Cowork): first post 05:57Z, 06:26Z "All models except Opus 5 have '
            'recovered", later recurrences on other models, resolved 10:48Z. Our reply-drafter (us-west-2) declares '
            'Anthropic for "LLM completions" (its own name for the Claude API) and calls Sonnet; HTTP_500 (~7 a minute) '
            'and HTTP_529 (~3 a minute), vendor "anthropic", from 05:52Z until 06:22Z. No change of ours. Our incident '
            'opens 05:58Z. Responder: the component is named differently on each side but it is the API the vendor '
            'lists; its errors, in its window, ending as it reports recovery for our model: upstream.'
        ),
        expect={'INC-0558': 'upstream'},
        services=[svc('reply-drafter', ['us-west-2'], [('anthropic', ['LLM completions'])])],
        vendors=[('anthropic', 'Anthropic')],
        vincs=[vinc('claude', 'fsh2zzzl2c4l', 'anthropic', [])],
        incidents=[inc('INC-0558', 'reply-drafter', 'Draft replies failing', '2026-07-30T05:58', '2026-07-30T06:35')],
        series=[
            S('reply-drafter', 'us-west-2', spike(0.2, 7, hold=30, decay=2), 'anthropic', 'HTTP_500', 500, 'POST /v1/messages'),
            S('reply-drafter', 'us-west-2', spike(0.1, 3, start=1, hold=29, decay=2), 'anthropic', 'HTTP_529', 529, 'POST /v1/messages'),
        ],
    )


@scenario
def twilio_api_500s_sms_component_posted_after_recovery():
    t0 = '2026-08-04T16:13'
    return dict(
        name='r6-twilio-api-500s-sms-component-posted-after-recovery',
        cls='vendor-component-alias',
        onset=t0,
        end=40,
        description=(
            'Twilio 3gd6hwhz94q9 (2026-08-04, impact minor) "Elevated 500 Errors on Multiple Twilio APIs" (PROGRAMMABLE '
            'MESSAGING / Programmable Messaging API): first post 16:45Z ("As of 16:13 UTC, we\'re seeing an increase in '
            'API failures on multiple Twilio APIs. The failures have tapered down to pre-event levels at 16:20 UTC"), '
            'resolved 2026-08-07. Our notifier (us-east-1) declares Twilio for "sms"; its message sends get HTTP_500 '
            '(~25 a minute), vendor "twilio", from 16:13Z until 16:20Z. No change of ours. Our incident opens 16:17Z and '
            'closes 16:35Z, before the vendor posts. Responder: a sharp burst of the vendor\'s own 500s on the messaging '
            'API ("sms" is our name for it), in exactly the window the vendor gives once it posts: upstream.'
        ),
        expect={'INC-1617': 'upstream'},
        services=[svc('notifier', ['us-east-1'], [('twilio', ['sms'])])],
        vendors=[('twilio', 'Twilio')],
        vincs=[vinc('twilio', '3gd6hwhz94q9', 'twilio', [])],
        incidents=[inc('INC-1617', 'notifier', 'SMS notifications failing', '2026-08-04T16:17', '2026-08-04T16:35')],
        series=[S('notifier', 'us-east-1', [(-1, 0.2), (0.5, 25), (6.5, 22), (7.5, 0.2)], 'twilio', 'HTTP_500', 500,
                  'POST /2010-04-01/Accounts/{sid}/Messages.json')],
    )


# ------------------------------------------------ upstream: partial impact, regions in prose or in one of two


@scenario
def anthropic_haiku_partial_three_percent_calls():
    t0 = '2026-07-21T13:00'
    return dict(
        name='r6-anthropic-haiku-partial-three-percent-calls',
        cls='vendor-partial-impact',
        onset=t0,
        end=50,
        description=(
            'Anthropic j0y67nj6w93z (2026-07-21, impact major) "Elevated errors on Haiku 4.5" (claude.ai, Claude Console, '
            'Claude API (api.anthropic.com), Claude Code, Claude Cowork): first post 13:04Z, identified 13:14Z, fix and '
            'monitoring 13:22Z, a second round 14:44Z–15:30Z, resolved 16:38Z. Our ticket-tagger (us-east-1) calls Haiku '
            '4.5 about 400 times a minute and reports its calls every minute; failures (HTTP_529, vendor "anthropic") go '
            'from ~0.8 a minute (0.2 %) to ~12 a minute (3 %) from 13:00Z until 13:23Z. No change of ours. Our incident '
            'opens 13:06Z. Responder: only 3 % of calls fail, but fifteen times the baseline ratio, on the model the vendor '
            'names, ending with its fix: upstream.'
        ),
        expect={'INC-1306': 'upstream'},
        services=[svc('ticket-tagger', ['us-east-1'], [('anthropic', ['Claude API (api.anthropic.com)'])])],
        vendors=[('anthropic', 'Anthropic')],
        vincs=[vinc('claude', 'j0y67nj6w93z', 'anthropic', [])],
        incidents=[inc('INC-1306', 'ticket-tagger', 'Tickets left untagged', '2026-07-21T13:06', '2026-07-21T13:35')],
        series=[],
        calls=[calls('ticket-tagger', 'anthropic', 'us-east-1', -45, 50, 400,
                     [(-1, 0.8), (1.5, 12), (12, 11), (22, 12.5), (23.5, 0.8)], 'HTTP_529', 529, 'POST /v1/messages')],
    )


@scenario
def cloudflare_r2_europe_429_region_in_prose():
    t0 = '2025-05-29T17:06'
    return dict(
        name='r6-cloudflare-r2-europe-429-region-in-prose',
        cls='vendor-region-in-prose',
        onset=t0,
        end=60,
        description=(
            'Cloudflare q2jk5t9qvzmn (2025-05-29, impact minor) "Increased Error Response Rate in R2 Storage Service" '
            '(R2), no place in the title: first post 17:14Z ("Clients using Cloudflare\'s R2 Storage service in Europe '
            'may experience elevated error response rates on write operations. Impacted customers would see HTTP 429 '
            'responses"), fix and monitoring 17:50Z, resolved 17:54Z. Our uploads-api (eu-west-1) writes to R2; HTTP_429 '
            '(~10 a minute, vendor "cloudflare") on PUT from 17:06Z until 17:49Z at its usual request rate, its GETs at '
            'baseline. No change of ours. Our incident opens 17:12Z. Responder: the vendor says, in prose only, that '
            'writes in Europe get 429s; ours are writes in Europe getting 429s: upstream.'
        ),
        expect={'INC-1712': 'upstream'},
        services=[svc('uploads-api', ['eu-west-1'], [('cloudflare', ['R2'])])],
        vendors=[('cloudflare', 'Cloudflare')],
        vincs=[vinc('cloudflare', 'q2jk5t9qvzmn', 'cloudflare', [])],
        incidents=[inc('INC-1712', 'uploads-api', 'Uploads failing in EU', '2025-05-29T17:12', '2025-05-29T17:58')],
        series=[
            S('uploads-api', 'eu-west-1', spike(0.1, 10, hold=43, decay=2), 'cloudflare', 'HTTP_429', 429, 'PUT r2 uploads-eu/{key}'),
            S('uploads-api', 'eu-west-1', flat(0.15), 'cloudflare', 'HTTP_404', 404, 'GET r2 uploads-eu/{key}'),
        ],
    )


@scenario
def grafana_logs_write_outage_us_east_3_one_of_two_regions():
    t0 = '2026-07-24T16:30'
    return dict(
        name='r6-grafana-logs-write-outage-us-east-3-one-of-two-regions',
        cls='vendor-region-one-of-many',
        onset=t0,
        end=60,
        description=(
            'Grafana Cloud mbf85jd64gh6 (2026-07-24, impact critical) "Write Outage" (Logs / AWS US East - '
            'prod-us-east-3): first post 17:02Z ("a Write outage ongoing, starting at 16:30 UTC"), 17:18Z "Healthy as of '
            '17:00 UTC", resolved 18:20Z. Our log-shipper runs in us-east-1 and eu-west-1, each region pushing to its own '
            'Grafana Cloud stack (us-east-1 to prod-us-east-3); from us-east-1 only, HTTP_503 (~12 a minute) and HTTP_500 '
            '(~4 a minute), vendor "grafana-cloud", from 16:30Z until 17:00Z; eu-west-1 stays at baseline. No change of '
            'ours. Our incident opens 16:36Z (regions us-east-1) and closes 17:10Z, the vendor posting only at 17:02Z. '
            'Responder: the failing region is the one whose stack the vendor reports down, in exactly its window: '
            'upstream.'
        ),
        expect={'INC-1636': 'upstream'},
        services=[svc('log-shipper', ['us-east-1', 'eu-west-1'], [('grafana-cloud', ['Logs'])])],
        vendors=[('grafana-cloud', 'Grafana Cloud')],
        vincs=[vinc('grafana', 'mbf85jd64gh6', 'grafana-cloud', ['prod-us-east-3'])],
        incidents=[inc('INC-1636', 'log-shipper', 'Logs missing from us-east-1', '2026-07-24T16:36', '2026-07-24T17:10', regions=['us-east-1'])],
        series=[
            S('log-shipper', 'us-east-1', [(-1, 0.1), (1, 12), (15, 11), (29.5, 12), (30.5, 0.1)], 'grafana-cloud', 'HTTP_503', 503, 'POST /loki/api/v1/push'),
            S('log-shipper', 'us-east-1', [(-1, 0.05), (1.5, 4), (29.5, 4), (30.5, 0.05)], 'grafana-cloud', 'HTTP_500', 500, 'POST /loki/api/v1/push'),
            S('log-shipper', 'eu-west-1', flat(0.1), 'grafana-cloud', 'HTTP_503', 503, 'POST /loki/api/v1/push'),
        ],
    )


# ------------------------------------------------ upstream: calm peers on the same vendor


@scenario
def github_actions_runner_registration_peer_api_calm():
    t0 = '2026-07-29T14:51'
    return dict(
        name='r6-github-actions-runner-registration-peer-api-calm',
        cls='vendor-peer-other-component',
        onset=t0,
        end=55,
        description=(
            'GitHub 75g5xmzptjqb (2026-07-29, impact major) "Incident with Actions" (Actions): first post 15:26Z, 15:34Z '
            '"timeouts or failures with runner registration", mitigated 15:40Z, resolved 16:00Z ("from 14:51 UTC to '
            '15:28 UTC, GitHub Actions experienced elevated REST API request timeouts and errors, failures registering '
            'runners"). Our ci-runners (us-east-1) registers self-hosted runners through the Actions API: ETIMEDOUT (~6 a '
            'minute) and HTTP_503 (~4 a minute), vendor "github", from 14:51Z until 15:28Z. Our pr-bot (us-east-1) '
            'calls GitHub\'s REST API for pull requests ~150 times a minute, reported every minute, and stays at its '
            'baseline. No change of ours. Our incident opens 14:57Z, 29 minutes before the first post. Responder: the '
            'calm peer uses other endpoints than the Actions ones the vendor names; the failing service is on exactly '
            'those, in the window the vendor later gives: upstream.'
        ),
        expect={'INC-1457': 'upstream'},
        services=[
            svc('ci-runners', ['us-east-1'], [('github', ['Actions'])]),
            svc('pr-bot', ['us-east-1'], [('github', ['API Requests', 'Pull Requests'])]),
        ],
        vendors=[('github', 'GitHub')],
        vincs=[vinc('github', '75g5xmzptjqb', 'github', [])],
        incidents=[inc('INC-1457', 'ci-runners', 'CI jobs queued, runners not registering', '2026-07-29T14:57', '2026-07-29T15:40')],
        series=[
            S('ci-runners', 'us-east-1', spike(0.1, 6, hold=37, decay=2), 'github', 'ETIMEDOUT', None,
              'POST /orgs/{org}/actions/runners/registration-token'),
            S('ci-runners', 'us-east-1', spike(0.05, 4, start=1, hold=36, decay=2), 'github', 'HTTP_503', 503, 'GET /repos/{owner}/{repo}/actions/runs'),
        ],
        calls=[calls('pr-bot', 'github', 'us-east-1', -45, 55, 150, flat(0.2), 'HTTP_502', 502, 'GET /repos/{owner}/{repo}/pulls')],
    )


@scenario
def laravel_mysql_read_only_1290_peer_database_calm():
    t0 = '2026-07-17T22:05'
    return dict(
        name='r6-laravel-mysql-read-only-1290-peer-database-calm',
        cls='vendor-partial-impact',
        onset=t0,
        end=60,
        description=(
            'Laravel Cloud dhwkshldtqxr (2026-07-17, impact minor) "Elevated MySQL read-only errors on Cloud databases" '
            '(Laravel MySQL / Laravel MySQL - US East (Virginia)): first post 22:10Z ("some Cloud databases across '
            'multiple regions ... may intermittently hit read-only errors (MySQL error 1290) on write queries"), 22:45Z '
            'traced to a planned migration that placed a subset of databases in read-only mode, recovered; resolved '
            '00:17Z. Our orders-api (us-east-1) writes to its Laravel MySQL database: ER_OPTION_PREVENTS_STATEMENT (MySQL '
            '1290, ~8 a minute), vendor "laravel", on INSERT and UPDATE from 22:05Z until 22:41Z. Our accounts-api, on '
            'its own Laravel MySQL database in the same region, stays at baseline. No change of ours. Our incident opens '
            '22:11Z. Responder: the exact error the vendor describes, on a subset of databases, ours among them; a calm '
            'peer is what "a subset" predicts: upstream.'
        ),
        expect={'INC-2211': 'upstream'},
        services=[
            svc('orders-api', ['us-east-1'], [('laravel', ['Laravel MySQL'])]),
            svc('accounts-api', ['us-east-1'], [('laravel', ['Laravel MySQL'])]),
        ],
        vendors=[('laravel', 'Laravel Cloud')],
        vincs=[vinc('laravel', 'dhwkshldtqxr', 'laravel', ['US East (Virginia)'])],
        incidents=[inc('INC-2211', 'orders-api', 'Orders cannot be placed', '2026-07-17T22:11', '2026-07-17T22:50')],
        series=[
            S('orders-api', 'us-east-1', spike(0.05, 8, hold=36, decay=1), 'laravel', 'ER_OPTION_PREVENTS_STATEMENT', None, 'mysql INSERT orders'),
            S('accounts-api', 'us-east-1', flat(0.1), 'laravel', 'ER_LOCK_WAIT_TIMEOUT', None, 'mysql UPDATE accounts'),
        ],
    )


# ------------------------------------------------ upstream: a page we cannot read


@scenario
def flyio_page_unreachable_two_services_graphql_5xx():
    t0 = '2026-07-01T06:10'
    iid = modelled_on('flyio', '8zkwpzzp8d7m')
    return dict(
        name='r6-flyio-page-unreachable-two-services-graphql-5xx',
        cls='vendor-blind',
        onset=t0,
        end=70,
        description=(
            f'Modelled on Fly.io {iid} (2026-07-01, impact major) "Elevated API Errors": first post 06:14Z ("elevated '
            'errors with our GraphQL API and background job processing"), fix 07:05Z. Here the post never reaches us: '
            'the status page is unreachable (connection refused) from 06:00Z until 08:00Z (vendorHealth). Our deployer '
            'and preview-envs (both iad) drive Fly.io through its GraphQL API: deployer HTTP_500 (~8 a minute) and '
            'ETIMEDOUT (~3 a minute), preview-envs HTTP_502 (~5 a minute), all vendor "flyio", from 06:10Z until '
            '07:05Z. No change of ours. Our incident opens 06:15Z. Responder: two services fail on the same vendor\'s '
            'API at once with 5xx and timeouts; its page saying nothing proves nothing: upstream, a Fly.io outage to '
            'suspect.'
        ),
        expect={'INC-0615': 'upstream'},
        suspected=[{'vendor': 'flyio', 'region': 'iad'}],
        services=[
            svc('deployer', ['iad'], [('flyio', ['Machines API'])]),
            svc('preview-envs', ['iad'], [('flyio', ['Machines API'])]),
        ],
        vendors=[('flyio', 'Fly.io')],
        vincs=[],
        health=health('flyio', 'unreachable', 'connect ECONNREFUSED status.flyio.net:443', '2026-07-01T06:00', '2026-07-01T08:00'),
        incidents=[inc('INC-0615', 'deployer', 'Deploys failing', '2026-07-01T06:15', '2026-07-01T07:15')],
        series=[
            S('deployer', 'iad', spike(0.2, 8, hold=55, decay=2), 'flyio', 'HTTP_500', 500, 'POST api.fly.io/graphql'),
            S('deployer', 'iad', spike(0.05, 3, start=1, hold=54, decay=2), 'flyio', 'ETIMEDOUT', None, 'POST api.fly.io/graphql'),
            S('preview-envs', 'iad', spike(0.1, 5, start=1, hold=54, decay=2), 'flyio', 'HTTP_502', 502, 'POST api.fly.io/graphql'),
        ],
    )


@scenario
def discord_page_502_notify_bot_large_spike():
    t0 = '2026-08-07T22:17'
    iid = modelled_on('discord', 'pcg3nsfq6l2y')
    ok = summary_ok('discordok001', 'Discord', 'https://discordstatus.com', ['API', 'Gateway', 'Voice'], '2026-08-07T21:50:00.000Z')
    return dict(
        name='r6-discord-page-502-notify-bot-large-spike',
        cls='vendor-blind',
        onset=t0,
        end=45,
        description=(
            f'Modelled on Discord {iid} (2026-08-07, impact critical) "Issues sending messages for bots and users": '
            'first post 22:21Z, expanded to all interactions 22:26Z, recovered 22:42Z. Here the post never reaches us: '
            'the page read fine at 21:50Z, then answers an nginx HTTP 502 on every poll from 22:00Z to 23:20Z. Our '
            'notify-bot (us-east-1) depends on Discord only; its message sends fail with HTTP_500 (~18 a minute) and '
            'HTTP_503 (~6 a minute), vendor "discord", from 22:17Z until 22:42Z. No change of ours. Our incident opens '
            '22:22Z. Responder: one service, but a large sustained spike of the vendor\'s own 5xx on its one '
            'dependency; a page we cannot read is no alibi: upstream, a Discord outage to suspect.'
        ),
        expect={'INC-2222': 'upstream'},
        suspected=[{'vendor': 'discord', 'region': 'us-east-1'}],
        services=[svc('notify-bot', ['us-east-1'], [('discord', ['API'])])],
        vendors=[('discord', 'Discord')],
        vincs=[],
        snapshots=html_snaps('discord', '2026-08-07T21:50:00Z', ok, '2026-08-07T22:00', range(0, 90, 10), 502, HTML_502),
        incidents=[inc('INC-2222', 'notify-bot', 'Notifications not posted', '2026-08-07T22:22', '2026-08-07T22:55')],
        series=[
            S('notify-bot', 'us-east-1', spike(0.2, 18, hold=25, decay=2), 'discord', 'HTTP_500', 500, 'POST /channels/{id}/messages'),
            S('notify-bot', 'us-east-1', spike(0.05, 6, start=1, hold=24, decay=2), 'discord', 'HTTP_503', 503, 'POST /channels/{id}/messages'),
        ],
    )


# ------------------------------------------------ internal: look-alikes that are ours


@scenario
def ours_broadcast_surge_429_during_discord_message_incident():
    t0 = '2026-05-02T16:58'
    fail = [(-1, 0.05), (0.5, 210), (34.5, 210), (35.5, 0.05)]
    return dict(
        name='r6-ours-broadcast-surge-429-during-discord-message-incident',
        cls='ours-rate-limit-self',
        onset=t0,
        end=60,
        description=(
            'Discord k42p6rqypf7v (2026-05-02, impact major) "Message Sends affected on certain channels" (API): first '
            'post 17:03Z ("We are currently investigating the issue"), resolved 17:29Z. Our announce-bot (us-east-1) '
            'reports its Discord calls every minute: ~30 a minute before 16:58Z, when its scheduled announcement '
            'broadcast starts sending to thousands of channels at ~600 a minute until 17:33Z; about a third come back '
            'HTTP_429 (vendor "discord", "You are being rate limited"), and none fail once the volume is back to ~30 a '
            'minute. No other error. Our incident opens 17:03Z. Responder: 429s that rise and fall with our own '
            'twentyfold volume are the vendor enforcing our rate limit, not its outage; they outlast its incident by '
            'the length of our broadcast: internal.'
        ),
        expect={'INC-1703': 'internal'},
        suspected=[],
        services=[svc('announce-bot', ['us-east-1'], [('discord', ['API'])])],
        vendors=[('discord', 'Discord')],
        vincs=[vinc('discord', 'k42p6rqypf7v', 'discord', [])],
        incidents=[inc('INC-1703', 'announce-bot', 'Announcement delivery slow and failing', '2026-05-02T17:03', '2026-05-02T17:40')],
        series=[],
        calls=segments('announce-bot', 'discord', 'us-east-1', [(-45, 0, 30), (0, 35, 600), (35, 60, 30)], fail, 'HTTP_429', 429,
                       'POST /channels/{id}/messages'),
    )


@scenario
def ours_deploy_500s_before_flyio_log_search_incident():
    t0 = '2026-05-11T19:50'
    return dict(
        name='r6-ours-deploy-500s-before-flyio-log-search-incident',
        cls='ours-other-component',
        onset=t0,
        end=55,
        description=(
            'Fly.io yj0qn3nfvg7b (2026-05-11, impact major) "log search unavailable" (Logs): first post 20:02Z ("Log '
            'search in Grafana is currently unavailable ... App logs are still available"), fix 20:32Z, resolved 20:48Z. '
            'Our api (ord, on Fly.io) is deployed at 19:48Z (v2291); from 19:50Z its requests answer HTTP_500 (~9 a '
            'minute) with NULL_REFERENCE (~9 a minute) on GET /v1/orders/{id}, no vendor, until our rollback at 20:24Z. '
            'We do not use Fly.io\'s log search. Our incident opens 19:55Z, seven minutes before the vendor\'s post. '
            'Responder: our own exception right after our deploy, ending at our rollback; the vendor\'s incident is on a '
            'product we do not use and began after ours: internal.'
        ),
        expect={'INC-1955': 'internal'},
        suspected=[],
        services=[svc('api', ['ord'], [('flyio', ['Regional Availability', 'Machines API'])])],
        vendors=[('flyio', 'Fly.io')],
        vincs=[vinc('flyio', 'yj0qn3nfvg7b', 'flyio', [])],
        changes=[change('2026-05-11T19:48', 'api', 'deploy', 'v2291', 'order detail serializer refactor')],
        incidents=[inc('INC-1955', 'api', 'Order pages returning 500', '2026-05-11T19:55', '2026-05-11T20:35')],
        series=[
            S('api', 'ord', [(-1, 0.2), (2, 9), (33, 9), (35, 0.2)], None, 'HTTP_500', 500, 'GET /v1/orders/{id}'),
            S('api', 'ord', [(-1, 0.0), (2, 9), (33, 9), (35, 0.0)], None, 'NULL_REFERENCE', None, 'GET /v1/orders/{id}'),
        ],
    )


@scenario
def ours_atlas_pool_timeouts_span_atlas_ui_incident():
    t0 = '2026-08-18T13:21'
    return dict(
        name='r6-ours-atlas-pool-timeouts-span-atlas-ui-incident',
        cls='ours-vendor-inside',
        onset=t0,
        end=160,
        description=(
            'MongoDB 8t1spyy2s5rl (2026-08-18, impact minor) "Atlas UI and API Periodic Unavailability" (MongoDB Cloud): '
            'first post 14:10Z ("customers periodically cannot access the Atlas UI or utilize the API. Customer clusters '
            'are unaffected"), workload disabled 15:04Z, resolved 15:17Z. Our catalog-api (us-east-1) changes its Atlas '
            'connection settings at 13:20Z (maxPoolSize 100 to 10); from 13:21Z its driver logs '
            'MONGO_WAIT_QUEUE_TIMEOUT (~5 a minute, vendor "mongodb") at one steady level, 49 minutes before the '
            'vendor\'s post and 38 minutes past its resolution, until we revert the setting at 15:55Z. Our incident '
            'opens 13:30Z. Responder: errors that start with our change and end with our revert, flat through the '
            'vendor\'s window, on clusters the vendor says are unaffected: internal.'
        ),
        expect={'INC-1330': 'internal'},
        suspected=[],
        services=[svc('catalog-api', ['us-east-1'], [('mongodb', ['MongoDB Atlas'])])],
        vendors=[('mongodb', 'MongoDB')],
        vincs=[vinc('mongodb', '8t1spyy2s5rl', 'mongodb', [])],
        changes=[
            change('2026-08-18T13:20', 'catalog-api', 'config', 'cfg-5512', 'Atlas connection string: maxPoolSize 100 -> 10'),
            change('2026-08-18T15:55', 'catalog-api', 'config', 'cfg-5519', 'revert cfg-5512'),
        ],
        incidents=[inc('INC-1330', 'catalog-api', 'Catalog pages slow and erroring', '2026-08-18T13:30', '2026-08-18T16:05')],
        series=[S('catalog-api', 'us-east-1', [(-1, 0.1), (2, 5), (60, 4.6), (100, 5.3), (154, 5), (156, 0.1)], 'mongodb',
                  'MONGO_WAIT_QUEUE_TIMEOUT', None, 'mongodb catalog.products find')],
    )


@scenario
def ours_grafana_series_limit_429_during_write_path_errors():
    t0 = '2026-07-23T16:49'
    return dict(
        name='r6-ours-grafana-series-limit-429-during-write-path-errors',
        cls='ours-plan-limit',
        onset=t0,
        end=120,
        description=(
            'Grafana Cloud txq1tkqmnxkx (2026-07-23, impact major) "Metrics Write Path Errors" (Metrics / AWS US East - '
            'prod-us-east-0: Ingestion): first post 17:14Z ("an elevated rate of error and latency in the impacted write '
            'path"), 17:37Z "Error rates have dropped", resolved 19:47Z. Our metrics-gateway (us-east-1) pushes to our '
            'stack on prod-us-east-0; a deploy at 16:45Z adds a pod_uid label to our request metrics, and from 16:49Z '
            'its remote-write gets HTTP_429 MAX_SERIES_PER_USER ("per-user series limit of 1000000 exceeded", ~15 a '
            'minute, vendor "grafana-cloud"), steady through the vendor\'s incident and after it, until we drop the '
            'label at 18:38Z. Our incident opens 16:55Z. Responder: a limit of our plan, hit by our own new label four '
            'minutes after our deploy and cleared by our fix, 25 minutes before the vendor posts and an hour after its '
            'errors drop: internal.'
        ),
        expect={'INC-1655': 'internal'},
        suspected=[],
        services=[svc('metrics-gateway', ['us-east-1'], [('grafana-cloud', ['Metrics'])])],
        vendors=[('grafana-cloud', 'Grafana Cloud')],
        vincs=[vinc('grafana', 'txq1tkqmnxkx', 'grafana-cloud', ['prod-us-east-0'])],
        changes=[
            change('2026-07-23T16:45', 'metrics-gateway', 'deploy', 'v418', 'add pod_uid label to http_request metrics'),
            change('2026-07-23T18:38', 'metrics-gateway', 'config', 'relabel-77', 'drop pod_uid label before remote write'),
        ],
        incidents=[inc('INC-1655', 'metrics-gateway', 'Metrics missing from dashboards', '2026-07-23T16:55', '2026-07-23T18:50')],
        series=[S('metrics-gateway', 'us-east-1', [(-1, 0.0), (1, 15), (50, 14), (90, 15.5), (109, 15), (110, 0.0)], 'grafana-cloud',
                  'MAX_SERIES_PER_USER', 429, 'POST /api/prom/push')],
    )


@scenario
def ours_origin_cert_expired_526_during_cloudflare_xff_incident():
    t0 = '2026-04-28T20:00'
    return dict(
        name='r6-ours-origin-cert-expired-526-during-cloudflare-xff-incident',
        cls='ours-cert-expired',
        onset=t0,
        end=70,
        description=(
            'Cloudflare yg4t0swj39fg (2026-04-28, impact critical) "Duplicated values in X-Forwarded-For header" '
            '(CDN/Cache, CDN Cache Purge): first post 18:31Z ("Origins depending on this header may exhibit unexpected '
            'behavior"), fix rolling out over ~11 hours, resolved 2026-04-29 09:30Z. Our storefront (eu-west-1) is served '
            'through Cloudflare in Full (strict) TLS mode; its origin certificate, which we renew ourselves, expires at '
            '20:00:00Z. From 20:00Z our edge prober gets HTTP_526 ("Invalid SSL certificate", ~12 a minute, vendor '
            '"cloudflare") and our own origin health check, which bypasses Cloudflare, logs CERT_HAS_EXPIRED (~1 a '
            'minute, no vendor), until we install a renewed certificate at 20:47Z. Our incident opens 20:05Z. '
            'Responder: 526 is the edge refusing our origin\'s certificate, and our own check says it expired on the '
            'minute: internal, whatever the vendor\'s unrelated header incident.'
        ),
        expect={'INC-2005': 'internal'},
        suspected=[],
        services=[svc('storefront', ['eu-west-1'], [('cloudflare', ['CDN/Cache'])])],
        vendors=[('cloudflare', 'Cloudflare')],
        vincs=[vinc('cloudflare', 'yg4t0swj39fg', 'cloudflare', [])],
        changes=[change('2026-04-28T20:47', 'storefront', 'config', 'cert-2026-04', 'install renewed origin certificate')],
        incidents=[inc('INC-2005', 'storefront', 'Storefront down: SSL error page', '2026-04-28T20:05', '2026-04-28T20:55')],
        series=[
            S('storefront', 'eu-west-1', [(-1, 0.0), (0.5, 12), (46.5, 12), (47.5, 0.0)], 'cloudflare', 'HTTP_526', 526,
              'probe GET https://shop.example.eu/'),
            S('storefront', 'eu-west-1', [(-1, 0.0), (0.5, 1), (46.5, 1), (47.5, 0.0)], None, 'CERT_HAS_EXPIRED', None,
              'healthcheck GET https://origin.shop.example.eu/healthz'),
        ],
    )


@scenario
def ours_spaces_endpoint_sfo3_during_nyc3_incident():
    t0 = '2024-06-28T19:11'
    return dict(
        name='r6-ours-spaces-endpoint-sfo3-during-nyc3-incident',
        cls='ours-wrong-region',
        onset=t0,
        end=50,
        description=(
            'DigitalOcean nrgqw98yj9bz (2024-06-28, impact minor) "Spaces in NYC3" (Spaces / NYC3): first post 19:04Z '
            '("Beginning around 17:40 UTC ... intermittent request failures for Spaces in NYC3"), mitigated 21:18Z, '
            'resolved 21:57Z. Our asset-service runs in nyc3 and its bucket lives in NYC3, but a config change at 19:10Z '
            'points its Spaces endpoint at sfo3; from 19:11Z its calls to https://sfo3.digitaloceanspaces.com get '
            'NO_SUCH_BUCKET (404, ~10 a minute) and some ETIMEDOUT (~1.5 a minute), vendor "digitalocean", region sfo3, '
            'until we revert at 19:48Z. No other error. Our incident opens 19:17Z. Responder: our calls went to a region '
            'the vendor reports fine and were told the bucket is not there; the NYC3 incident, in our home region, is '
            'not where our calls went: internal.'
        ),
        expect={'INC-1918': 'internal'},
        suspected=[],
        services=[svc('asset-service', ['nyc3'], [('digitalocean', ['Spaces'])])],
        vendors=[('digitalocean', 'DigitalOcean')],
        vincs=[vinc('digitalocean', 'nrgqw98yj9bz', 'digitalocean', ['NYC3'])],
        changes=[
            change('2024-06-28T19:10', 'asset-service', 'config', 'env-883', 'SPACES_ENDPOINT=https://sfo3.digitaloceanspaces.com'),
            change('2024-06-28T19:48', 'asset-service', 'config', 'env-884', 'revert env-883'),
        ],
        incidents=[inc('INC-1918', 'asset-service', 'Images missing on product pages', '2024-06-28T19:17', '2024-06-28T19:55')],
        series=[
            S('asset-service', 'sfo3', [(-1, 0.0), (0.5, 10), (36.5, 10), (37.5, 0.0)], 'digitalocean', 'NO_SUCH_BUCKET', 404,
              'GET https://sfo3.digitaloceanspaces.com/assets-prod/{key}'),
            S('asset-service', 'sfo3', [(-1, 0.0), (1, 1.5), (36.5, 1.5), (37.5, 0.0)], 'digitalocean', 'ETIMEDOUT', None,
              'PUT https://sfo3.digitaloceanspaces.com/assets-prod/{key}'),
            S('asset-service', 'nyc3', flat(0.1), 'digitalocean', 'HTTP_503', 503, 'GET https://nyc3.digitaloceanspaces.com/assets-prod/{key}'),
        ],
    )


@scenario
def ours_deploy_event_loop_discord_timeouts_peer_same_component_calm():
    t0 = '2026-06-29T18:52'
    return dict(
        name='r6-ours-deploy-event-loop-discord-timeouts-peer-same-component-calm',
        cls='ours-calls-healthy',
        onset=t0,
        end=60,
        description=(
            'Discord 9kp14l66ty8s (2026-06-29, impact minor) "Intermittent chat functionality issues" (API): first post '
            '18:46Z ("We are currently investigating the issue"), resolved 20:24Z. Our mod-bot (us-east-1) is deployed at '
            '18:50Z (v77); from 18:52Z it logs EVENT_LOOP_BLOCKED (~4 a minute, no vendor), its Postgres queries time '
            'out (PG_QUERY_TIMEOUT, ~2 a minute) and its Discord calls ETIMEDOUT (~6 a minute, vendor "discord"), until '
            'our rollback at 19:31Z. Our welcome-bot (us-east-1) calls the same Discord API ~80 times a minute, reported '
            'every minute, at its baseline throughout. Our incident opens 18:58Z. Responder: a peer on the same '
            'component is fine, the failing bot times out on its own database too, starting with our deploy and ending '
            'with our rollback: internal.'
        ),
        expect={'INC-1858': 'internal'},
        suspected=[],
        services=[
            svc('mod-bot', ['us-east-1'], [('discord', ['API'])]),
            svc('welcome-bot', ['us-east-1'], [('discord', ['API'])]),
        ],
        vendors=[('discord', 'Discord')],
        vincs=[vinc('discord', '9kp14l66ty8s', 'discord', [])],
        changes=[
            change('2026-06-29T18:50', 'mod-bot', 'deploy', 'v77', 'synchronous audit-log scan on each message'),
            change('2026-06-29T19:31', 'mod-bot', 'deploy', 'v76', 'rollback to v76'),
        ],
        incidents=[inc('INC-1858', 'mod-bot', 'Moderation bot unresponsive', '2026-06-29T18:58', '2026-06-29T19:40')],
        series=[
            S('mod-bot', 'us-east-1', [(-1, 0.1), (3, 6), (38, 6), (40, 0.1)], 'discord', 'ETIMEDOUT', None, 'POST /channels/{id}/messages'),
            S('mod-bot', 'us-east-1', [(-1, 0.0), (2, 4), (38, 4), (40, 0.0)], None, 'EVENT_LOOP_BLOCKED', None, None),
            S('mod-bot', 'us-east-1', [(-1, 0.05), (3, 2), (38, 2), (40, 0.05)], None, 'PG_QUERY_TIMEOUT', None, 'postgres modlog'),
        ],
        calls=[calls('welcome-bot', 'discord', 'us-east-1', -45, 60, 80, flat(0.1), 'HTTP_500', 500, 'POST /channels/{id}/messages')],
    )


# ------------------------------------------------ unclear


@scenario
def flyio_sjc_page_503_untagged_resets_after_our_deploy():
    t0 = '2026-05-07T17:45'
    iid = modelled_on('flyio', 'jcnlfndp7sjv')
    ok = summary_ok('flyiook00001', 'Fly.io', 'https://status.flyio.net', ['Regional Availability', 'Machines API', 'Managed Postgres'],
                    '2026-05-07T17:20:00.000Z')
    return dict(
        name='r6-flyio-sjc-page-503-untagged-resets-after-our-deploy',
        cls='vendor-blind',
        onset=t0,
        end=45,
        description=(
            f'Modelled on Fly.io {iid} (2026-05-07, impact major) "Connectivity issues in SJC": first post 17:49Z ("Some '
            'hosts in SJC are currently experiencing an upstream network issue"), fix 18:18Z. Here the post never '
            'reaches us: the page read fine at 17:20Z, then answers an HTTP 503 on every poll from 17:30Z to 18:40Z. Our '
            'booking-api (sjc, on Fly.io) is deployed at 17:42Z (v530, a new HTTP client pool); from 17:45Z it logs '
            'ECONNRESET (~5 a minute) and HTTP_502 (~2 a minute), no vendor, until 18:17Z. Our incident opens 17:51Z. '
            'Responder: untagged resets right after our own change to the client pool, with the host\'s page unreadable: '
            'neither side can be ruled out: unclear.'
        ),
        expect={'INC-1751': 'unclear'},
        services=[svc('booking-api', ['sjc'], [('flyio', ['Regional Availability'])])],
        vendors=[('flyio', 'Fly.io')],
        vincs=[],
        snapshots=html_snaps('flyio', '2026-05-07T17:20:00Z', ok, '2026-05-07T17:30', range(0, 80, 10), 503, HTML_503),
        changes=[change('2026-05-07T17:42', 'booking-api', 'deploy', 'v530', 'switch outbound HTTP client to a keep-alive pool')],
        incidents=[inc('INC-1751', 'booking-api', 'Bookings intermittently failing', '2026-05-07T17:51', '2026-05-07T18:25')],
        series=[
            S('booking-api', 'sjc', [(-1, 0.1), (3, 5), (30, 4.6), (32, 0.1)], None, 'ECONNRESET', None, 'POST /v1/bookings'),
            S('booking-api', 'sjc', [(-1, 0.05), (3, 2), (30, 2), (32, 0.05)], None, 'HTTP_502', 502, 'GET /v1/availability'),
        ],
    )


@scenario
def github_silent_graphql_one_percent_calls():
    t0 = '2026-07-27T03:48'
    iid = modelled_on('github', 'fmmsrcg5x638')
    return dict(
        name='r6-github-silent-graphql-one-percent-calls',
        cls='vendor-silent-weak',
        onset=t0,
        end=45,
        description=(
            f'Modelled on GitHub {iid} (2026-07-27, impact minor) "Incident with GraphQL API Requests": first post 03:53Z, '
            'mitigated 04:09Z (the vendor later reports short bursts of HTTP 502 on a small share of GraphQL requests). '
            'Here the vendor never posts. Our repo-sync (us-east-1) calls the GraphQL API ~250 times a minute and '
            'reports every minute; failures (HTTP_502, vendor "github") go from ~0.5 a minute (0.2 %) to ~2.5 a minute '
            '(1 %) from 03:48Z until 04:07Z. No change of ours. Our incident opens 03:55Z. Responder: a modest rise on '
            'one service with the vendor silent: it may be the vendor, nothing shows it is us: unclear.'
        ),
        expect={'INC-0355': 'unclear'},
        services=[svc('repo-sync', ['us-east-1'], [('github', ['API Requests'])])],
        vendors=[('github', 'GitHub')],
        vincs=[],
        incidents=[inc('INC-0355', 'repo-sync', 'Repository sync lagging', '2026-07-27T03:55', '2026-07-27T04:15')],
        series=[],
        calls=[calls('repo-sync', 'github', 'us-east-1', -45, 45, 250, [(-1, 0.5), (1.5, 2.5), (18, 2.5), (19.5, 0.5)], 'HTTP_502', 502,
                     'POST /graphql')],
    )


@scenario
def flyio_sin_untagged_resets_after_our_pooler_change():
    t0 = '2026-05-21T18:27'
    return dict(
        name='r6-flyio-sin-untagged-resets-after-our-pooler-change',
        cls='deploy-competing',
        onset=t0,
        end=50,
        description=(
            'Fly.io d8n7rk3npq86 (2026-05-21, impact major) "Network issues in SIN region" (Managed Postgres / Management '
            'Plane - SIN, Regional Availability / SIN - Singapore): first post 18:30Z ("Apps may experience higher '
            'latency or be unreachable ... Some Managed Postgres clusters may be unreachable"), 18:45Z fixed, resolved '
            '19:59Z. Our api-sin (sin, on Fly.io, Managed Postgres there) changes its connection pooler at 18:26Z '
            '(pgbouncer pool_mode session to transaction); from 18:27Z its database client logs ECONNRESET (~6 a '
            'minute), no vendor, until 18:46Z. Our incident opens 18:33Z. Responder: the vendor\'s regional outage fits '
            'the timing and the codes, but so does our pooler change a minute before; untagged resets cannot tell them '
            'apart: unclear.'
        ),
        expect={'INC-1833': 'unclear'},
        services=[svc('api-sin', ['sin'], [('flyio', ['Regional Availability', 'Managed Postgres'])])],
        vendors=[('flyio', 'Fly.io')],
        vincs=[vinc('flyio', 'd8n7rk3npq86', 'flyio', ['SIN', 'Singapore'])],
        changes=[change('2026-05-21T18:26', 'api-sin', 'config', 'pgb-41', 'pgbouncer pool_mode session -> transaction')],
        incidents=[inc('INC-1833', 'api-sin', 'API errors in Singapore', '2026-05-21T18:33', '2026-05-21T18:55')],
        series=[S('api-sin', 'sin', [(-1, 0.1), (2, 6), (18, 5.5), (19.5, 0.1)], None, 'ECONNRESET', None, 'postgres app-db.flycast:5432')],
    )


@scenario
def grafana_loki_latency_timeouts_peer_same_stack_calm():
    t0 = '2026-08-04T10:28'
    return dict(
        name='r6-grafana-loki-latency-timeouts-peer-same-stack-calm',
        cls='vendor-peer-ambiguous',
        onset=t0,
        end=80,
        description=(
            'Grafana Cloud lkr5n8k0v1d7 (2026-08-04, impact minor) "Logs latency increase within prod-eu-west-3" (Logs / '
            'Azure Netherlands - prod-eu-west-3): first post 10:34Z ("minor latency increases in write endpoints"), '
            '12:46Z still elevated but improving, resolved 13:49Z. Our audit-shipper (westeurope) pushes audit logs to '
            'our stack on prod-eu-west-3: DEADLINE_EXCEEDED (status 504, ~3 a minute, vendor "grafana-cloud") from 10:28Z '
            'until 11:40Z. Our app-log-shipper pushes to the same stack ~120 times a minute, reported every minute, and '
            'stays at baseline. No change of ours. Our incident opens 10:36Z. Responder: the vendor reports slower '
            'writes where we write and our failures are timeouts, but a peer on the same endpoint is unaffected and the '
            'rise is modest: unclear.'
        ),
        expect={'INC-1036': 'unclear'},
        services=[
            svc('audit-shipper', ['westeurope'], [('grafana-cloud', ['Logs'])]),
            svc('app-log-shipper', ['westeurope'], [('grafana-cloud', ['Logs'])]),
        ],
        vendors=[('grafana-cloud', 'Grafana Cloud')],
        vincs=[vinc('grafana', 'lkr5n8k0v1d7', 'grafana-cloud', ['prod-eu-west-3'])],
        incidents=[inc('INC-1036', 'audit-shipper', 'Audit log backlog growing', '2026-08-04T10:36', '2026-08-04T11:50')],
        series=[S('audit-shipper', 'westeurope', [(-1, 0.1), (3, 3), (40, 2.6), (70, 3.2), (72, 0.1)], 'grafana-cloud', 'DEADLINE_EXCEEDED', 504,
                  'POST /loki/api/v1/push')],
        calls=[calls('app-log-shipper', 'grafana-cloud', 'westeurope', -45, 80, 120, flat(0.1), 'HTTP_503', 503, 'POST /loki/api/v1/push')],
    )


# ---------------------------------------------------------------- build


def main():
    _r4.write_round(6, SCENARIOS, build, widths=(70, 28))


if __name__ == '__main__':
    main()
