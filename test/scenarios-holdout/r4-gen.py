#!/usr/bin/env python3
"""Round 4 of the holdout scenarios (r4-*.json), built without reading the correlator, the main
generator (test/scenarios-build/) or the correlator's tests; helpers loaded from r3-gen.py (which
loads round 2's).

Weighted to the shapes an evaluation on real outages found missed: our errors carry only generic
codes (ETIMEDOUT, ECONNRESET, 502/503 from our own egress gateway) with the call target in the
`vendor` field, or name the vendor only by hostname, SDK package or display name; one service with
one dependency; a vendor page that cannot be read (HTML 5xx, blank 200, timeouts); late and
after-the-fact posts; places written differently on each side; a vendor incident whose component
list omits ours; partial impact. Plus honest internal and unclear cases in the same shapes.

Vendor side: real stactus incidents ($UPCAUSE_FIXTURES/real/stactus/*.jsonl, default
../shared/fixtures), each id unused by test/scenarios/ and rounds 1–3 (checked here).
Our side: synthetic, seeded Poisson noise around piecewise-linear rates, one random stream per
scenario name. Run from the repository root: python3 test/scenarios-holdout/r4-gen.py
(standard library only; formats the output with the repository's prettier when npx is there).
"""

import importlib.util
import os

# Helpers (time, noise, events, stactus reading, snapshots, build) are rounds 2–3's: loaded from r3-gen.py.
_spec = importlib.util.spec_from_file_location('r3gen', os.path.join(os.path.dirname(os.path.abspath(__file__)), 'r3-gen.py'))
_r3 = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_r3)
globals().update({k: v for k, v in vars(_r3).items() if not k.startswith('__') and k not in ('SCENARIOS', 'scenario', 'main', 'used_elsewhere')})

SCENARIOS = []


def scenario(fn):
    SCENARIOS.append(fn)
    return fn


def blank_snaps(vendor, ok_at, ok_body, start, minutes):
    """A page that answers 200 with an empty body: read fine once, then blank."""
    snaps = [{'vendor': vendor, 'at': ok_at, 'provider': 'statuspage', 'contentType': 'application/json', 'body': ok_body}]
    for m in minutes:
        at = T(start) + dt.timedelta(minutes=m)
        snaps.append({'vendor': vendor, 'at': iso(at), 'provider': 'statuspage', 'contentType': 'application/json', 'status': 200, 'body': ''})
    return snaps


def green_snaps(vendor, page_id, name, url, comps, start, minutes):
    """A page read fine on every poll: all components operational, nothing open."""
    out = []
    for m in minutes:
        at = iso(T(start) + dt.timedelta(minutes=m))
        out.append({'vendor': vendor, 'at': at, 'provider': 'statuspage', 'contentType': 'application/json',
                    'body': summary_ok(page_id, name, url, comps, at.replace('Z', '.000Z'))})
    return out


def calls(svc_, vendor, region, start, end, n, fail, code=None, status=None, ep=None, volume_only=False):
    return {'svc': svc_, 'vendor': vendor, 'region': region, 'start': start, 'end': end, 'calls': n, 'fail': fail,
            'code': code, 'status': status, 'ep': ep, 'volume_only': volume_only}


# ------------------------------------------------ upstream: generic codes, the call target in `vendor`


@scenario
def github_rest_generic_codes_one_service_posted_30_min_late():
    t0 = '2026-07-16T22:21'
    return dict(
        name='r4-github-rest-generic-codes-one-service-posted-30-min-late',
        cls='vendor-generic-codes',
        onset=t0,
        end=100,
        description=(
            'GitHub gxycch3076xk (2026-07-16, impact major) "Degraded REST API Availability" (API Requests): first post '
            '22:51Z, "approximately 35% of REST API requests" failing at 23:29Z ("requests are not consistently reaching '
            'the application layer ... returning HTML responses"), reachable again "as of 23:46 UTC", resolved 00:14Z with '
            '"From 22:21 UTC - 23:50 UTC ... about 39% of REST API requests failed with HTTP 500 level responses". Our '
            'release-orchestrator (us-east-1) depends on GitHub only; its HTTP client logs what it sees, ETIMEDOUT (~6 a '
            'minute) and HTTP_5XX (~12 a minute), never the word GitHub in the code, but every event carries the call '
            'target vendor "github", from 22:21Z until 23:47Z. No change of ours. Our incident opens 22:28Z, 23 minutes '
            'before GitHub posts. Responder: one service, one dependency, its calls to that dependency failing with '
            'timeouts and 5xx from a minute that the vendor later names as its own start, ending with its recovery: '
            'upstream, and GitHub suspected from our errors before it posts.'
        ),
        expect={'INC-2221': 'upstream'},
        suspected=[{'vendor': 'github', 'region': 'us-east-1'}],
        services=[svc('release-orchestrator', ['us-east-1'], [('github', ['API Requests'])])],
        vendors=[('github', 'GitHub')],
        vincs=[vinc('github', 'gxycch3076xk', 'github', [])],
        incidents=[inc('INC-2221', 'release-orchestrator', 'Releases stuck: tagging and PR merges failing', '2026-07-16T22:28', '2026-07-16T23:58')],
        series=[
            S('release-orchestrator', 'us-east-1', spike(0.3, 12, hold=86, decay=2), 'github', 'HTTP_5XX', 502, 'POST /repos/{owner}/{repo}/git/refs'),
            S('release-orchestrator', 'us-east-1', spike(0.1, 6, start=1, hold=85, decay=2), 'github', 'ETIMEDOUT', None, 'GET /repos/{owner}/{repo}/pulls'),
        ],
    )


@scenario
def discord_egress_gateway_503_one_bot():
    t0 = '2026-05-22T01:51'
    return dict(
        name='r4-discord-egress-gateway-503-one-bot',
        cls='vendor-generic-codes',
        onset=t0,
        end=105,
        description=(
            'Discord vrdywypml5lf (2026-05-22, impact major) "API errors affecting message sends, session starts, and '
            'billing operations" (API): first post 01:55Z ("affecting a subset of users trying to interact with our '
            'services"), resolved 03:39Z ("applied a fix and are seeing recovery"). Our chat-relay (us-east-1) reaches '
            'Discord only through our own egress gateway, which answers HTTP_503 (~11 a minute) and HTTP_502 (~4 a minute) '
            'when the far side resets or refuses; the events carry the call target vendor "discord" and our gateway\'s '
            'status, nothing from Discord itself, from 01:51Z until 03:31Z. The gateway\'s other routes (our Stripe calls '
            'from the same service) stay at baseline; no change of ours. Our incident opens 01:57Z. Responder: the 5xx '
            'come from our gateway but only on the Discord route, begin four minutes before a major Discord API incident '
            'and end with its fix: upstream.'
        ),
        expect={'INC-0157': 'upstream'},
        services=[svc('chat-relay', ['us-east-1'], [('discord', ['API']), ('stripe', [])])],
        vendors=[('discord', 'Discord'), ('stripe', 'Stripe')],
        vincs=[vinc('discord', 'vrdywypml5lf', 'discord', [])],
        incidents=[inc('INC-0157', 'chat-relay', 'Relayed messages not delivered to Discord', '2026-05-22T01:57', '2026-05-22T03:40')],
        series=[
            S('chat-relay', 'us-east-1', spike(0.3, 11, hold=99, decay=2), 'discord', 'HTTP_503', 503, 'egress-gw POST discord.com/api/v10/channels/{id}/messages'),
            S('chat-relay', 'us-east-1', spike(0.1, 4, start=1, hold=98, decay=2), 'discord', 'HTTP_502', 502, 'egress-gw POST discord.com/api/v10/interactions/{id}/callback'),
            S('chat-relay', 'us-east-1', flat(0.1), 'stripe', 'HTTP_503', 503, 'egress-gw POST api.stripe.com/v1/payment_intents'),
        ],
    )


# ------------------------------------------------ upstream: the vendor named only by hostname, SDK, display name


@scenario
def anthropic_hostname_only_one_service():
    t0 = '2026-06-22T00:31'
    return dict(
        name='r4-anthropic-hostname-only-one-service',
        cls='vendor-hostname-only',
        onset=t0,
        end=95,
        description=(
            'Anthropic lv35v0q9nsj2 (2026-06-22, impact major) "Elevated Error Rates for Opus 4.8, Opus 4.7, Opus 4.6, '
            'Sonnet 4.6, and Haiku 4.5" (claude.ai, Claude API (api.anthropic.com), Claude Code, Claude Cowork): first post '
            '00:37Z, identified 01:11Z, models recovering 01:16–01:56Z, monitoring 02:01Z, resolved 02:06Z. Our summarizer '
            '(us-west-2) depends on the Claude API only, declared as vendor "anthropic"; its HTTP middleware reports the '
            'host it called, vendor "api.anthropic.com", with HTTP_500 (~9 a minute) and HTTP_529 (~5 a minute) from '
            '00:31Z until 01:57Z. No change of ours. Our incident opens 00:36Z. Responder: the host is the vendor\'s own API '
            'host (its component is even named after it), the errors are its 5xx/overloaded answers, they start six '
            'minutes before its major incident and fade as its models recover: upstream.'
        ),
        expect={'INC-0036': 'upstream'},
        services=[svc('summarizer', ['us-west-2'], [('anthropic', ['Claude API (api.anthropic.com)'])])],
        vendors=[('anthropic', 'Anthropic')],
        vincs=[vinc('claude', 'lv35v0q9nsj2', 'anthropic', [])],
        incidents=[inc('INC-0036', 'summarizer', 'Ticket summaries failing', '2026-06-22T00:36', '2026-06-22T02:08')],
        series=[
            S('summarizer', 'us-west-2', spike(0.2, 9, hold=86, decay=3, drift=(1.0, 0.9, 1.05, 0.7, 0.45)), 'api.anthropic.com', 'HTTP_500', 500, 'POST /v1/messages'),
            S('summarizer', 'us-west-2', spike(0.1, 5, start=1, hold=85, decay=3, drift=(1.0, 0.9, 1.05, 0.7, 0.45)), 'api.anthropic.com', 'HTTP_529', 529, 'POST /v1/messages'),
        ],
    )


@scenario
def datadog_sdk_name_only_metrics_queries():
    t0 = '2026-05-01T00:41'
    return dict(
        name='r4-datadog-sdk-name-only-metrics-queries',
        cls='vendor-sdk-only',
        onset=t0,
        end=45,
        description=(
            'Datadog dw41jpjjghhs (2026-05-01, impact major) "Elevated Error Rates for Metrics Queries" (Metrics and Infra '
            'Monitoring): first post 00:45Z ("some users may see errors with metrics graphs on the web application or '
            'API"), fix deployed 01:09Z, resolved 01:19Z. Our autoscaler (us-east-1) reads queue-depth metrics from the '
            'Datadog query API and depends on nothing else; its error reporter names the client library, vendor '
            '"@datadog/datadog-api-client", with HTTP_500 (~8 a minute) and ETIMEDOUT (~3 a minute) from 00:41Z until '
            '01:10Z. No change of ours. Our incident opens 00:47Z. Responder: the SDK is the vendor\'s own client, the '
            'failing calls are the metric queries the vendor says are failing, from four minutes before its post until its '
            'fix: upstream.'
        ),
        expect={'INC-0047': 'upstream'},
        services=[svc('autoscaler', ['us-east-1'], [('datadog', ['Metrics and Infra Monitoring'])])],
        vendors=[('datadog', 'Datadog')],
        vincs=[vinc('datadog', 'dw41jpjjghhs', 'datadog', [])],
        incidents=[inc('INC-0047', 'autoscaler', 'Autoscaler cannot read queue depth', '2026-05-01T00:47', '2026-05-01T01:20')],
        series=[
            S('autoscaler', 'us-east-1', spike(0.2, 8, hold=28, decay=2), '@datadog/datadog-api-client', 'HTTP_500', 500, 'GET /api/v1/query'),
            S('autoscaler', 'us-east-1', spike(0.1, 3, start=1, hold=27, decay=2), '@datadog/datadog-api-client', 'ETIMEDOUT', None, 'GET /api/v1/query'),
        ],
    )


@scenario
def discord_display_name_one_bot():
    t0 = '2026-03-28T21:20'
    return dict(
        name='r4-discord-display-name-one-bot',
        cls='vendor-display-name',
        onset=t0,
        end=40,
        description=(
            'Discord jt67pjfbbs3q (2026-03-28, impact major) "General API errors" (API): first post 21:23Z, identified '
            '21:31Z, fix 21:40Z, resolved 21:44Z. Our mod-bot (eu-west-1) depends on Discord only (declared as vendor '
            '"discord"); its reporter writes the product\'s display name, vendor "Discord API", with HTTP_500 (~10 a '
            'minute) and HTTP_502 (~4 a minute) from 21:20Z until 21:41Z. No change of ours. Our incident opens 21:25Z. '
            'Responder: "Discord API" is the declared vendor under another spelling; its API errors start three minutes '
            'before a major "General API errors" incident and end with its fix: upstream.'
        ),
        expect={'INC-2125': 'upstream'},
        services=[svc('mod-bot', ['eu-west-1'], [('discord', ['API'])])],
        vendors=[('discord', 'Discord')],
        vincs=[vinc('discord', 'jt67pjfbbs3q', 'discord', [])],
        incidents=[inc('INC-2125', 'mod-bot', 'Moderation actions failing', '2026-03-28T21:25', '2026-03-28T21:50')],
        series=[
            S('mod-bot', 'eu-west-1', spike(0.2, 10, hold=20, decay=2), 'Discord API', 'HTTP_500', 500, 'PUT /guilds/{id}/bans/{user}'),
            S('mod-bot', 'eu-west-1', spike(0.1, 4, start=1, hold=19, decay=2), 'Discord API', 'HTTP_502', 502, 'DELETE /channels/{id}/messages/{mid}'),
        ],
    )


# ------------------------------------------------ upstream: a page we cannot read


@scenario
def discord_page_502_two_services():
    t0 = '2026-03-25T19:15'
    iid = modelled_on('discord', '9sng5r2j71sq')
    ok = summary_ok('srhpyqt94yxb', 'Discord', 'https://discordstatus.com', ['API', 'Gateway', 'Voice'], '2026-03-25T18:50:00.000Z')
    return dict(
        name='r4-discord-page-502-two-services',
        cls='vendor-blind',
        onset=t0,
        end=70,
        description=(
            f'Modelled on Discord {iid} (2026-03-25, impact critical) "Issues connecting to Discord" (API, Gateway): '
            'first post 19:21Z, voice restored 21:26Z, "still tracking down issues with our API", resolved 22:38Z. Here the '
            'post never reaches us: the page read fine at 18:50Z, then answers an nginx 502 page on every poll from 19:10Z '
            'to 21:30Z. Our community-bot and voice-relay (both us-east-1) fail on Discord from 19:15Z: ECONNRESET (~9 a '
            'minute) and HTTP_503 (~5) on the bot, ETIMEDOUT (~8) on the relay, every event with vendor "discord", until '
            '20:16Z; no change of ours. Our incident opens 19:21Z. Responder: two services failing on the same vendor whose '
            'page we cannot read: upstream, suspected from our errors.'
        ),
        expect={'INC-1921': 'upstream'},
        suspected=[{'vendor': 'discord', 'region': 'us-east-1'}],
        services=[
            svc('community-bot', ['us-east-1'], [('discord', ['API', 'Gateway'])]),
            svc('voice-relay', ['us-east-1'], [('discord', ['Gateway', 'Voice'])]),
        ],
        vendors=[('discord', 'Discord')],
        vincs=[],
        snapshots=html_snaps('discord', '2026-03-25T18:50:00Z', ok, '2026-03-25T19:00', range(10, 150, 10), 502, HTML_502),
        incidents=[inc('INC-1921', 'community-bot', 'Bot offline in most servers', '2026-03-25T19:21', '2026-03-25T20:25')],
        series=[
            S('community-bot', 'us-east-1', spike(0.2, 9, hold=60, decay=2), 'discord', 'ECONNRESET', None, 'wss gateway.discord.gg'),
            S('community-bot', 'us-east-1', spike(0.1, 5, start=1, hold=59, decay=2), 'discord', 'HTTP_503', 503, 'POST /channels/{id}/messages'),
            S('voice-relay', 'us-east-1', spike(0.2, 8, start=1, hold=59, decay=2), 'discord', 'ETIMEDOUT', None, 'udp voice session'),
        ],
    )


@scenario
def onepassword_page_blank_device_trust_one_service():
    t0 = '2026-07-02T19:28'
    iid = modelled_on('onepassword', 'nxgrp52180y3')
    ok = summary_ok('1pstat0ok001', '1Password', 'https://status.1password.com',
                    ['USA/Global / Device Trust Authentication Service', 'USA/Global / Device Trust API'], '2026-07-02T19:05:00.000Z')
    return dict(
        name='r4-onepassword-page-blank-device-trust-one-service',
        cls='vendor-blind',
        onset=t0,
        end=65,
        description=(
            f'Modelled on 1Password {iid} (2026-07-02, impact critical) "Device Trust Outage" (Device Trust Authentication '
            'Service, Checks Server, Portal and API, USA/Global and Europe): first post 19:44Z, identified 20:12Z, resolved '
            '20:30Z; its postmortem gives 19:28–20:28Z. Here the post never reaches us: the page read fine at 19:05Z, then '
            'answers HTTP 200 with an empty body on every poll from 19:25Z to 20:55Z. Our sso-gateway (us-east-1) depends on '
            '1Password Device Trust only; its device checks fail with HTTP_503 (~20 a minute) and ETIMEDOUT (~6), vendor '
            '"onepassword", from 19:28Z until 20:27Z. No change of ours. Our incident opens 19:33Z. Responder: a blank page '
            'is not a green page; one service, a large spike sustained for an hour on its one dependency: upstream, '
            'suspected from our errors.'
        ),
        expect={'INC-1933': 'upstream'},
        suspected=[{'vendor': 'onepassword', 'region': 'us-east-1'}],
        services=[svc('sso-gateway', ['us-east-1'], [('onepassword', ['USA/Global / Device Trust API'])])],
        vendors=[('onepassword', '1Password')],
        vincs=[],
        snapshots=blank_snaps('onepassword', '2026-07-02T19:05:00Z', ok, '2026-07-02T19:00', range(25, 115, 10)),
        incidents=[inc('INC-1933', 'sso-gateway', 'Employees cannot sign in: device check failing', '2026-07-02T19:33', '2026-07-02T20:40')],
        series=[
            S('sso-gateway', 'us-east-1', spike(0.2, 20, hold=58, decay=2), 'onepassword', 'HTTP_503', 503, 'POST /device-trust/v1/checks'),
            S('sso-gateway', 'us-east-1', spike(0.1, 6, start=1, hold=57, decay=2), 'onepassword', 'ETIMEDOUT', None, 'POST /device-trust/v1/checks'),
        ],
    )


@scenario
def mongodb_page_timeouts_azure_westus_one_service():
    t0 = '2026-02-07T09:02'
    iid = modelled_on('mongodb', '76f1m0q04m6m')
    return dict(
        name='r4-mongodb-page-timeouts-azure-westus-one-service',
        cls='vendor-blind',
        onset=t0,
        end=85,
        description=(
            f'Modelled on MongoDB {iid} (2026-02-07, impact major) "Partial outage in Azure West US" (MongoDB Cloud): first '
            'post 09:07Z ("widespread issues in Azure West US. Customers may see nodes reporting as down"), nodes recovering '
            '10:11Z, resolved 11:43Z. Here its page cannot be read: every poll times out from 09:00Z until 11:50Z '
            '(vendorHealth). Our orders-api (Azure westus) keeps its data in one Atlas cluster and depends on nothing else; '
            'its driver logs ETIMEDOUT (~14 a minute) and ECONNRESET (~6), vendor "mongodb-atlas", from 09:02Z until 10:15Z. '
            'No change of ours. Our incident opens 09:08Z. Responder: a page we cannot read proves nothing; one service, a '
            'large spike sustained for over an hour, all connection-level errors on its one dependency: upstream, suspected '
            'from our errors.'
        ),
        expect={'INC-0908': 'upstream'},
        suspected=[{'vendor': 'mongodb-atlas', 'region': 'westus'}],
        services=[svc('orders-api', ['westus'], [('mongodb-atlas', [])])],
        vendors=[('mongodb-atlas', 'MongoDB Atlas')],
        vincs=[],
        health=[
            {'vendor': 'mongodb-atlas', 'at': '2026-02-07T09:00:00Z', 'state': 'timeout', 'reason': 'GET https://status.mongodb.com/api/v2/summary.json timed out after 10s'},
            {'vendor': 'mongodb-atlas', 'at': '2026-02-07T11:50:00Z', 'state': 'ok'},
        ],
        incidents=[inc('INC-0908', 'orders-api', 'Orders API failing', '2026-02-07T09:08', '2026-02-07T10:25')],
        series=[
            S('orders-api', 'westus', spike(0.2, 14, hold=72, decay=2), 'mongodb-atlas', 'ETIMEDOUT', None, 'mongodb+srv orders-prod'),
            S('orders-api', 'westus', spike(0.1, 6, start=1, hold=71, decay=2), 'mongodb-atlas', 'ECONNRESET', None, 'mongodb+srv orders-prod'),
        ],
    )


# ------------------------------------------------ upstream: late and after-the-fact posts


@scenario
def digitalocean_spaces_fra1_posted_after_recovery():
    t0 = '2025-09-26T08:02'
    return dict(
        name='r4-digitalocean-spaces-fra1-posted-after-recovery',
        cls='vendor-backdated',
        onset=t0,
        end=110,
        description=(
            'DigitalOcean bmlzt5p012hn (2025-09-26, impact minor) "Spaces Availability in FRA1 Region" (Container Registry, '
            'Spaces CDN and Spaces in FRA1): first post 09:47Z, fix 10:25Z, resolved 10:40Z with "From approximately 08:02 '
            'UTC - 09:40 UTC, customers may have experienced slow performance or limited availability when accessing '
            'Spaces". Our asset-service (fra1) serves files from one Spaces bucket and depends on nothing else; it logs '
            'HTTP_503 (~11 a minute) and ETIMEDOUT (~5), vendor "digitalocean", from 08:02Z until 09:40Z. No change of '
            'ours. Our incident opens 08:08Z and closes 09:50Z, before the vendor has said anything. Responder: one '
            'service, a large spike sustained for 98 minutes on its one dependency (enough to suspect the vendor while it '
            'is silent), then a post naming our region and component and exactly our window: upstream.'
        ),
        expect={'INC-0808': 'upstream'},
        suspected=[{'vendor': 'digitalocean', 'region': 'fra1'}],
        services=[svc('asset-service', ['fra1'], [('digitalocean', ['Spaces / FRA1'])])],
        vendors=[('digitalocean', 'DigitalOcean')],
        vincs=[vinc('digitalocean', 'bmlzt5p012hn', 'digitalocean', ['FRA1'])],
        incidents=[inc('INC-0808', 'asset-service', 'Images and downloads failing in Europe', '2025-09-26T08:08', '2025-09-26T09:50')],
        series=[
            S('asset-service', 'fra1', spike(0.3, 11, hold=97, decay=2), 'digitalocean', 'HTTP_503', 503, 'GET /assets/{key}'),
            S('asset-service', 'fra1', spike(0.1, 5, start=1, hold=96, decay=2), 'digitalocean', 'ETIMEDOUT', None, 'PUT /assets/{key}'),
        ],
    )


@scenario
def vercel_icn1_retroactive_post_seoul():
    t0 = '2026-05-04T21:45'
    return dict(
        name='r4-vercel-icn1-retroactive-post-seoul',
        cls='vendor-backdated',
        onset=t0,
        end=40,
        description=(
            'Vercel th8nmsd7nnqh (2026-05-04, impact major) "Request Failures in ICN1 (Seoul, South Korea)": a single post, '
            'already resolved, at 22:26Z: "Between 21:45–21:52 UTC, some users may have experienced request failures in '
            'ICN1." Our kr-storefront is served by Vercel from icn1 and depends on nothing else; it logs HTTP_502 (~28 a '
            'minute) and HTTP_504 (~8), vendor "vercel", from 21:45Z until 21:52Z. No change of ours. Our incident opens '
            '21:48Z and closes 22:00Z, 26 minutes before the post. Responder: the vendor later names exactly our minutes '
            'and our hosting region: upstream.'
        ),
        expect={'INC-2148': 'upstream'},
        services=[svc('kr-storefront', ['icn1'], [('vercel', [])])],
        vendors=[('vercel', 'Vercel')],
        vincs=[vinc('vercel', 'th8nmsd7nnqh', 'vercel', ['ICN1', 'Seoul, South Korea'])],
        incidents=[inc('INC-2148', 'kr-storefront', 'Korean storefront returning errors', '2026-05-04T21:48', '2026-05-04T22:00')],
        series=[
            S('kr-storefront', 'icn1', spike(0.2, 28, ramp=1, hold=7, decay=1, drift=(1.0, 1.0)), 'vercel', 'HTTP_502', 502, 'GET /'),
            S('kr-storefront', 'icn1', spike(0.1, 8, ramp=1, hold=7, decay=1, drift=(1.0, 1.0)), 'vercel', 'HTTP_504', 504, 'GET /products/{slug}'),
        ],
    )


# ------------------------------------------------ upstream: places written differently


@scenario
def cloudflare_ashburn_service_us_east_1():
    t0 = '2026-06-25T06:22'
    return dict(
        name='r4-cloudflare-ashburn-service-us-east-1',
        cls='vendor-region-alias',
        onset=t0,
        end=45,
        description=(
            'Cloudflare yslvlb2m83hd (2026-06-25, impact minor) "Network Performance Issues in Ashburn" (North America / '
            'Ashburn, VA, United States - (IAD); Network): first post 06:27Z, fix 06:55Z, resolved 07:24Z. Our web-api '
            'runs in us-east-1 (AWS N. Virginia, which is Ashburn) behind Cloudflare and depends on nothing else; our edge '
            'reporter logs TIMEOUT (~10 a minute, status 504) and ECONNRESET (~4) with vendor "cloudflare" from 06:22Z '
            'until 06:56Z. No change of ours. Our incident opens 06:27Z. Responder: us-east-1 and Ashburn (IAD) are the '
            'same place; the vendor\'s network trouble there matches our timeouts start to fix: upstream.'
        ),
        expect={'INC-0627': 'upstream'},
        services=[svc('web-api', ['us-east-1'], [('cloudflare', ['Network'])])],
        vendors=[('cloudflare', 'Cloudflare')],
        vincs=[vinc('cloudflare', 'yslvlb2m83hd', 'cloudflare', ['Ashburn', 'IAD'])],
        incidents=[inc('INC-0627', 'web-api', 'API slow and timing out', '2026-06-25T06:27', '2026-06-25T07:05')],
        series=[
            S('web-api', 'us-east-1', spike(0.3, 10, hold=33, decay=2), 'cloudflare', 'TIMEOUT', 504, 'GET /v2/*'),
            S('web-api', 'us-east-1', spike(0.1, 4, start=1, hold=32, decay=2), 'cloudflare', 'ECONNRESET', None, 'POST /v2/*'),
        ],
    )


@scenario
def cloudflare_r2_eu_service_frankfurt():
    t0 = '2026-07-14T03:41'
    return dict(
        name='r4-cloudflare-r2-eu-service-frankfurt',
        cls='vendor-region-alias',
        onset=t0,
        end=40,
        description=(
            'Cloudflare vdqxvlfyjqx2 (2026-07-14, impact minor) "Elevated R2 errors in EU region" (R2): first post 03:46Z, '
            'fix 04:00Z, resolved 04:36Z. Our media-store runs in "Frankfurt" (so our config writes it) and keeps its '
            'objects in an EU-jurisdiction R2 bucket, its one dependency; it logs HTTP_500 (~12 a minute) and HTTP_503 (~5), '
            'vendor "cloudflare", from 03:41Z until 04:01Z. No change of ours. Our incident opens 03:46Z. Responder: '
            'Frankfurt is in the EU; R2 errors in the EU region match ours from start to fix: upstream.'
        ),
        expect={'INC-0346': 'upstream'},
        services=[svc('media-store', ['Frankfurt'], [('cloudflare', ['R2'])])],
        vendors=[('cloudflare', 'Cloudflare')],
        vincs=[vinc('cloudflare', 'vdqxvlfyjqx2', 'cloudflare', ['EU'])],
        incidents=[inc('INC-0346', 'media-store', 'Media uploads and reads failing', '2026-07-14T03:46', '2026-07-14T04:10')],
        series=[
            S('media-store', 'Frankfurt', spike(0.2, 12, hold=19, decay=2), 'cloudflare', 'HTTP_500', 500, 'PUT /media/{key}'),
            S('media-store', 'Frankfurt', spike(0.1, 5, start=1, hold=18, decay=2), 'cloudflare', 'HTTP_503', 503, 'GET /media/{key}'),
        ],
    )


# ------------------------------------------------ upstream: components that omit ours, partial impact


@scenario
def anthropic_components_name_only_claude_ai():
    t0 = '2026-06-18T06:55'
    return dict(
        name='r4-anthropic-components-name-only-claude-ai',
        cls='vendor-component-unnamed',
        onset=t0,
        end=65,
        description=(
            'Anthropic jlbvcpfwwq8z (2026-06-18, impact major) "Service disruption on Claude services", component list only '
            '"claude.ai": first post 07:41Z ("identified the cause of the issue affecting Claude.ai"), resolved 08:19Z ("The '
            'issue affecting Claude services has been resolved. Impact occurred from 06:55 to 07:40 UTC."). Our '
            'support-copilot (us-east-1) depends on the Claude API only ("Claude API (api.anthropic.com)" in our config); '
            'it logs HTTP_500 (~10 a minute) and HTTP_529 (~5), vendor "anthropic", from 06:55Z until 07:40Z. No change of '
            'ours. Our incident opens 07:01Z. Responder: the component list names only the consumer app, but the title and '
            'resolution speak of Claude services and the impact window is exactly our failing API calls; a vendor\'s '
            'component tagging is not a proof that our component was fine: upstream (and, while the vendor is silent, one '
            'service with a large sustained spike: suspected).'
        ),
        expect={'INC-0701': 'upstream'},
        suspected=[{'vendor': 'anthropic', 'region': 'us-east-1'}],
        services=[svc('support-copilot', ['us-east-1'], [('anthropic', ['Claude API (api.anthropic.com)'])])],
        vendors=[('anthropic', 'Anthropic')],
        vincs=[vinc('claude', 'jlbvcpfwwq8z', 'anthropic', [])],
        incidents=[inc('INC-0701', 'support-copilot', 'Agent assist answers failing', '2026-06-18T07:01', '2026-06-18T07:50')],
        series=[
            S('support-copilot', 'us-east-1', spike(0.2, 10, hold=44, decay=1), 'anthropic', 'HTTP_500', 500, 'POST /v1/messages'),
            S('support-copilot', 'us-east-1', spike(0.1, 5, start=1, hold=43, decay=1), 'anthropic', 'HTTP_529', 529, 'POST /v1/messages'),
        ],
    )


@scenario
def github_actions_api_partial_ten_percent_calls():
    t0 = '2026-07-07T14:01'
    return dict(
        name='r4-github-actions-api-partial-ten-percent-calls',
        cls='vendor-partial-impact',
        onset=t0,
        end=130,
        windows=[(-90, -45, 15)],
        description=(
            'GitHub fz9sdc2q008p (2026-07-07, impact major) "Actions and Codespaces APIs experiencing partial failures" '
            '(Actions, Codespaces): first post 14:14Z ("may see 500 class errors a small percentage of the time"), about 8% '
            'of Actions runner REST API requests failing at 15:50Z, mitigated 16:00Z, resolved 16:17Z with "between 14:01 '
            'UTC and 16:17 UTC". Our runner-fleet (us-east-1) registers self-hosted runners through that API and depends on '
            'nothing else; it reports every minute its calls (~150) and failures: HTTP_500, vendor "github", about 0.3 a '
            'minute before 14:01Z, then ~14 a minute (9–10% of calls) until 16:00Z. No change of ours. Our incident opens '
            '14:10Z. Responder: a tenth of calls failing is partial, not small: thirty times the baseline ratio, sustained '
            'two hours, on the exact API the vendor names, with its window: upstream.'
        ),
        expect={'INC-1410': 'upstream'},
        services=[svc('runner-fleet', ['us-east-1'], [('github', ['Actions'])])],
        vendors=[('github', 'GitHub')],
        vincs=[vinc('github', 'fz9sdc2q008p', 'github', [])],
        incidents=[inc('INC-1410', 'runner-fleet', 'CI runners failing to register', '2026-07-07T14:10', '2026-07-07T16:15')],
        series=[S('runner-fleet', 'us-east-1', flat(0.3), 'github', 'HTTP_500', 500, 'POST /repos/{owner}/{repo}/actions/runners/registration-token')],
        calls=[calls('runner-fleet', 'github', 'us-east-1', -45, 130, 150,
                     [(-1, 0.3), (3, 14), (45, 12), (90, 15), (118, 13), (120, 0.3)],
                     'HTTP_500', 500, 'POST /repos/{owner}/{repo}/actions/runners/registration-token')],
    )


# ------------------------------------------------ internal


@scenario
def ours_deploy_null_reference_during_datadog_synthetics():
    t0 = '2026-07-27T19:10'
    return dict(
        name='r4-ours-deploy-null-reference-during-datadog-synthetics',
        cls='ours-other-component',
        onset=t0,
        end=45,
        description=(
            'Datadog 9kn7bmb25jh1 (2026-07-27, impact major) "Synthetics Test Results Delayed" (Synthetics): first post '
            '19:05Z, "Synthetic tests are running and results are delayed" 19:25Z, fix 19:46Z, resolved 19:52Z. We deploy '
            'checkout-api (us-east-1) at 19:08Z; from 19:10Z it throws NULL_REFERENCE (~14 a minute, HTTP 500) on POST '
            '/checkout until we roll back at 19:40Z. Its Datadog calls (logs and APM intake, the components it uses) report '
            '~60 a minute at their usual failure rate. Our incident opens 19:15Z. Responder: our deploy two minutes before, '
            'a null reference in our own code, and a vendor incident on a product we do not use, with our calls to the '
            'vendor healthy: internal.'
        ),
        expect={'INC-1915': 'internal'},
        suspected=[],
        services=[svc('checkout-api', ['us-east-1'], [('datadog', ['Logs', 'APM'])])],
        vendors=[('datadog', 'Datadog')],
        vincs=[vinc('datadog', '9kn7bmb25jh1', 'datadog', [])],
        changes=[
            change('2026-07-27T19:08', 'checkout-api', 'deploy', 'checkout-api@4c1e9a0', 'New promotions engine'),
            change('2026-07-27T19:40', 'checkout-api', 'deploy', 'checkout-api@a83f2d1', 'Roll back promotions engine'),
        ],
        incidents=[inc('INC-1915', 'checkout-api', 'Checkout failing', '2026-07-27T19:15', '2026-07-27T19:48')],
        series=[S('checkout-api', 'us-east-1', spike(0.2, 14, hold=30, decay=1), None, 'NULL_REFERENCE', 500, 'POST /checkout')],
        calls=[calls('checkout-api', 'datadog', 'us-east-1', -45, 45, 60, [(0, 0.05)], 'HTTP_503', 503, 'POST /api/v2/logs', volume_only=True)],
    )


@scenario
def ours_errors_two_hours_before_flyio_iad_capacity():
    t0 = '2026-03-27T15:50'
    return dict(
        name='r4-ours-errors-two-hours-before-flyio-iad-capacity',
        cls='ours-vendor-later',
        onset=t0,
        end=180,
        description=(
            'Fly.io ntr5mnq4y9wd (2026-03-27, impact minor) "Low capacity in IAD" (Deployments, IAD - Ashburn, Virginia '
            '(US)): first post 18:08Z ("capacity issues in IAD that is preventing machine starts (machine creates are '
            'currently unaffected)"), capacity added 19:21Z, resolved 21:51Z. Our booking-api runs on Fly.io in iad; from '
            '15:50Z, 2 h 18 min before that post and with nothing in it dating the capacity issue earlier, it logs '
            'DB_POOL_EXHAUSTED (~8 a minute) and answers HTTP_503 from its own load shedding (~5, no vendor), until 18:40Z. '
            'No deploy. Our incident opens 15:58Z. Responder: the fault began more than two hours before the vendor\'s '
            'incident, which stops machine starts, not running apps, and our codes name our own database pool: internal.'
        ),
        expect={'INC-1558': 'internal'},
        suspected=[],
        services=[svc('booking-api', ['iad'], [('flyio', [])])],
        vendors=[('flyio', 'Fly.io')],
        vincs=[vinc('flyio', 'ntr5mnq4y9wd', 'flyio', ['IAD', 'Ashburn, Virginia (US)'])],
        incidents=[inc('INC-1558', 'booking-api', 'Bookings failing intermittently', '2026-03-27T15:58', '2026-03-27T18:50')],
        series=[
            S('booking-api', 'iad', spike(0.2, 8, hold=170, decay=2), None, 'DB_POOL_EXHAUSTED', 500, 'POST /bookings'),
            S('booking-api', 'iad', spike(0.1, 5, start=1, hold=169, decay=2), None, 'HTTP_503', 503, 'GET /availability'),
        ],
    )


@scenario
def ours_nat_change_every_vendor_during_discord_messaging_outage():
    t0 = '2026-08-04T18:53'
    return dict(
        name='r4-ours-nat-change-every-vendor-during-discord-messaging-outage',
        cls='ours-egress-all-vendors',
        onset=t0,
        end=45,
        description=(
            'Discord 73wgk29dznv4 (2026-08-04, impact critical) "Messaging failures" (API): first post 18:49Z, recovery '
            '19:53Z, resolved 20:17Z. At 18:52Z we apply a NAT gateway change to our us-east-1 VPC; from 18:53Z, in the same '
            'minute, notifier\'s calls to Discord and SendGrid and integrations-worker\'s calls to GitHub and Anthropic all '
            'fail with ETIMEDOUT (~6 a minute each, each event with its vendor), until we revert at 19:20Z. Our incident '
            'opens 18:58Z. Responder: every vendor of two services failing at the same minute right after our egress '
            'change, whatever Discord is going through: internal.'
        ),
        expect={'INC-1858': 'internal'},
        suspected=[],
        services=[
            svc('notifier', ['us-east-1'], [('discord', ['API']), ('sendgrid', [])]),
            svc('integrations-worker', ['us-east-1'], [('github', []), ('anthropic', [])]),
        ],
        vendors=[('discord', 'Discord'), ('sendgrid', 'SendGrid'), ('github', 'GitHub'), ('anthropic', 'Anthropic')],
        vincs=[vinc('discord', '73wgk29dznv4', 'discord', [])],
        changes=[
            change('2026-08-04T18:52', 'network', 'config', 'vpc-use1-nat@r212', 'Move egress to new NAT gateways'),
            change('2026-08-04T19:20', 'network', 'config', 'vpc-use1-nat@r213', 'Revert NAT gateway move'),
        ],
        incidents=[inc('INC-1858', 'notifier', 'Notifications not going out', '2026-08-04T18:58', '2026-08-04T19:30')],
        series=[
            S('notifier', 'us-east-1', spike(0.1, 6, ramp=1, hold=27, decay=1), 'discord', 'ETIMEDOUT', None, 'POST /channels/{id}/messages'),
            S('notifier', 'us-east-1', spike(0.1, 6, ramp=1, hold=27, decay=1), 'sendgrid', 'ETIMEDOUT', None, 'POST /v3/mail/send'),
            S('integrations-worker', 'us-east-1', spike(0.1, 6, ramp=1, hold=27, decay=1), 'github', 'ETIMEDOUT', None, 'GET /repos/{owner}/{repo}'),
            S('integrations-worker', 'us-east-1', spike(0.1, 6, ramp=1, hold=27, decay=1), 'anthropic', 'ETIMEDOUT', None, 'POST /v1/messages'),
        ],
    )


@scenario
def ours_key_rotation_401_during_anthropic_critical():
    t0 = '2026-07-21T15:31'
    return dict(
        name='r4-ours-key-rotation-401-during-anthropic-critical',
        cls='ours-4xx-during-vendor-incident',
        onset=t0,
        end=40,
        description=(
            'Anthropic vcynh9cf33xp (2026-07-21, impact critical) "Elevated errors on several models" (Claude API among '
            'others): first post 15:35Z, resolved 18:18Z with "From 15:28 UTC through 16:26 UTC users experienced elevated '
            'errors". At 15:30Z we rotate the API key of our summarizer (us-west-2); from 15:31Z every call it makes fails '
            'with HTTP 401 authentication_error (~20 a minute, vendor "anthropic") until the new key is fixed at 15:58Z; no '
            '5xx or timeouts among them. Our incident opens 15:36Z. Responder: a vendor outage shows as 5xx and timeouts, '
            'not as "invalid API key"; 401s on every call right after our key rotation: internal.'
        ),
        expect={'INC-1536': 'internal'},
        suspected=[],
        services=[svc('summarizer', ['us-west-2'], [('anthropic', ['Claude API (api.anthropic.com)'])])],
        vendors=[('anthropic', 'Anthropic')],
        vincs=[vinc('claude', 'vcynh9cf33xp', 'anthropic', [])],
        changes=[
            change('2026-07-21T15:30', 'summarizer', 'config', 'secrets/anthropic-key@v9', 'Rotate Anthropic API key'),
            change('2026-07-21T15:58', 'summarizer', 'config', 'secrets/anthropic-key@v10', 'Fix rotated key reference'),
        ],
        incidents=[inc('INC-1536', 'summarizer', 'Summaries failing', '2026-07-21T15:36', '2026-07-21T16:05')],
        series=[S('summarizer', 'us-west-2', spike(0.1, 20, ramp=1, hold=27, decay=1), 'anthropic', 'authentication_error', 401, 'POST /v1/messages')],
    )


@scenario
def ours_redis_timeouts_us_during_zoom_europe():
    t0 = '2025-10-29T12:12'
    return dict(
        name='r4-ours-redis-timeouts-us-during-zoom-europe',
        cls='ours-other-region',
        onset=t0,
        end=60,
        description=(
            'Zoom g4ff1dggqt58 (2025-10-29, impact minor) "A subset of users may experience issues with Sign in and Zoom '
            'Meetings in Europe region." ("particularly detected on Amsterdam and Frankfurt"): first post 12:10Z, resolved '
            '12:49Z (closed 13:16Z). Our meeting-sync runs only in us-west-2; from 12:12Z it logs REDIS_TIMEOUT (~10 a '
            'minute) and answers HTTP_500 (~4, no vendor) until 12:50Z, while its calls to Zoom (~40 a minute, reported '
            'every minute) keep their usual failure rate. No change of ours. Our incident opens 12:18Z. Responder: the '
            'vendor scopes its trouble to Europe, our service is in the US, our calls to it are healthy and our errors name '
            'our own cache: internal.'
        ),
        expect={'INC-1218': 'internal'},
        suspected=[],
        services=[svc('meeting-sync', ['us-west-2'], [('zoom', ['Zoom Meetings / Zoom Meetings'])])],
        vendors=[('zoom', 'Zoom')],
        vincs=[vinc('zoom', 'g4ff1dggqt58', 'zoom', [])],
        incidents=[inc('INC-1218', 'meeting-sync', 'Calendar sync failing', '2025-10-29T12:18', '2025-10-29T12:58')],
        series=[
            S('meeting-sync', 'us-west-2', spike(0.2, 10, hold=37, decay=2), None, 'REDIS_TIMEOUT', 500, 'POST /sync/{user}'),
            S('meeting-sync', 'us-west-2', spike(0.1, 4, start=1, hold=36, decay=2), None, 'HTTP_500', 500, 'GET /meetings/{user}'),
        ],
        calls=[calls('meeting-sync', 'zoom', 'us-west-2', -45, 60, 40, [(0, 0.1)], 'HTTP_500', 500, 'GET /v2/users/{id}/meetings')],
    )


@scenario
def ours_deploy_typeerror_datadog_page_unreadable():
    t0 = '2026-03-13T09:31'
    iid = modelled_on('datadog', '9ksfbdb59mtn')
    ok = summary_ok('ddstat0ok001', 'Datadog', 'https://status.datadoghq.com', ['Web Application', 'Logs', 'Metrics and Infra Monitoring'], '2026-03-13T09:05:00.000Z')
    return dict(
        name='r4-ours-deploy-typeerror-datadog-page-unreadable',
        cls='ours-blind-own-bug',
        onset=t0,
        end=45,
        description=(
            f'Modelled on Datadog {iid} (2026-03-13, impact critical) "Web Application Not Loading" (Web Application): '
            'first post 09:26Z, fix 10:05Z, resolved 10:30Z. Here the post never reaches us: the page read fine at 09:05Z, '
            'then answers an nginx 503 page on every poll from 09:20Z to 10:40Z. We deploy billing-api (eu-west-1) at '
            '09:29Z; from 09:31Z one endpoint, POST /invoices/{id}/finalize, throws "TypeError: Cannot read properties of '
            'undefined (reading \'currency\')" (~12 a minute, HTTP 500, no vendor) until we roll back at 10:02Z. Its calls '
            'to Datadog (metrics intake, ~60 a minute, reported every minute) keep their usual failure rate. Our incident '
            'opens 09:36Z. Responder: an unreadable page says nothing about the vendor, but here nothing of ours points at '
            'it: one endpoint, a stack trace in our code, two minutes after our deploy, our calls to the vendor healthy: '
            'internal.'
        ),
        expect={'INC-0936': 'internal'},
        suspected=[],
        services=[svc('billing-api', ['eu-west-1'], [('datadog', ['Metrics and Infra Monitoring'])])],
        vendors=[('datadog', 'Datadog')],
        vincs=[],
        snapshots=html_snaps('datadog', '2026-03-13T09:05:00Z', ok, '2026-03-13T09:00', range(20, 110, 10), 503, HTML_503),
        changes=[
            change('2026-03-13T09:29', 'billing-api', 'deploy', 'billing-api@e41b07c', 'Multi-currency invoices'),
            change('2026-03-13T10:02', 'billing-api', 'deploy', 'billing-api@9d2a6f3', 'Roll back multi-currency invoices'),
        ],
        incidents=[inc('INC-0936', 'billing-api', 'Invoices cannot be finalized', '2026-03-13T09:36', '2026-03-13T10:10')],
        series=[S('billing-api', 'eu-west-1', spike(0.1, 12, ramp=1, hold=31, decay=1), None,
                  "TypeError: Cannot read properties of undefined (reading 'currency')", 500, 'POST /invoices/{id}/finalize')],
        calls=[calls('billing-api', 'datadog', 'eu-west-1', -45, 45, 60, [(0, 0.05)], 'HTTP_503', 503, 'POST /api/v2/series', volume_only=True)],
    )


@scenario
def ours_oom_tiny_github_rise_during_webhooks_degradation():
    t0 = '2026-06-25T17:31'
    return dict(
        name='r4-ours-oom-tiny-github-rise-during-webhooks-degradation',
        cls='ours-rise-too-small',
        onset=t0,
        end=50,
        description=(
            'GitHub 9ndxtnrwjf37 (2026-06-25, impact major) "Degradation with Webhooks, Pull Requests and Actions": first '
            'post 17:50Z, mitigated 18:07Z, resolved 18:27Z with "between 17:33 UTC and 17:55 UTC, our background job '
            'service experienced degradation which increased delays". Our ci-dispatcher (us-east-1) calls GitHub ~150 '
            'times a minute and reports every minute; its GitHub failures go from ~0.4 to ~1 a minute (0.3% to 0.7% of '
            'calls) between 17:35Z and 17:55Z. Meanwhile, from 17:31Z, its own workers die with WORKER_OOM_KILLED (~6 a '
            'minute, no vendor) until 18:10Z; no change of ours. Our incident opens 17:38Z. Responder: a rise of half a '
            'failure a minute on 150 calls is noise next to our own workers being killed for memory: internal.'
        ),
        expect={'INC-1738': 'internal'},
        suspected=[],
        services=[svc('ci-dispatcher', ['us-east-1'], [('github', ['Webhooks', 'Actions'])])],
        vendors=[('github', 'GitHub')],
        vincs=[vinc('github', '9ndxtnrwjf37', 'github', [])],
        incidents=[inc('INC-1738', 'ci-dispatcher', 'CI jobs not being dispatched', '2026-06-25T17:38', '2026-06-25T18:20')],
        series=[S('ci-dispatcher', 'us-east-1', spike(0.1, 6, hold=38, decay=2), None, 'WORKER_OOM_KILLED', None, 'worker dispatch-loop')],
        calls=[calls('ci-dispatcher', 'github', 'us-east-1', -45, 50, 150, [(3, 0.4), (4, 1.0), (24, 1.0), (25, 0.4)],
                     'HTTP_502', 502, 'GET /repos/{owner}/{repo}/actions/runs')],
    )


# ------------------------------------------------ unclear


@scenario
def hashicorp_page_500_modest_vault_errors():
    t0 = '2024-12-21T17:02'
    iid = modelled_on('hashicorp', 'z8m1256z5bbq')
    ok = summary_ok('hcpstat0ok01', 'HashiCorp Services', 'https://status.hashicorp.com', ['HCP Vault Dedicated / AWS-us-east-1', 'HCP Vault Secrets'], '2024-12-21T16:40:00.000Z')
    page = '<!DOCTYPE html>\n<html><head><title>500 Internal Server Error</title></head><body><h1>Internal Server Error</h1></body></html>\n'
    return dict(
        name='r4-hashicorp-page-500-modest-vault-errors',
        cls='vendor-blind',
        onset=t0,
        end=50,
        description=(
            f'Modelled on HashiCorp {iid} (2024-12-21, impact major) "HCP Vault Dedicated workflow issues" (HCP Vault '
            'Dedicated in AWS-us-east-1 among others): first post 17:00Z ("issues with normal user features like creating '
            'admin tokens. Reading secrets is unaffected"), resolved 19:47Z. Here the post never reaches us: the page read '
            'fine at 16:40Z, then answers HTTP 500 on every poll from 16:55Z to 18:35Z. Our secrets-sync (us-east-1) sees '
            'its HCP Vault errors (HTTP_500, vendor "hashicorp") rise from ~0.3 to ~1.8 a minute between 17:02Z and 17:26Z; '
            'nothing else of ours moves; no change. Our incident opens 17:10Z. Responder: a page we cannot read and a '
            'modest rise on one service: not internal, not enough for upstream: unclear.'
        ),
        expect={'INC-1710': 'unclear'},
        services=[svc('secrets-sync', ['us-east-1'], [('hashicorp', ['HCP Vault Dedicated / AWS-us-east-1'])])],
        vendors=[('hashicorp', 'HashiCorp')],
        vincs=[],
        snapshots=html_snaps('hashicorp', '2024-12-21T16:40:00Z', ok, '2024-12-21T16:45', range(10, 110, 10), 500, page),
        incidents=[inc('INC-1710', 'secrets-sync', 'Secret sync retries climbing', '2024-12-21T17:10', '2024-12-21T17:35')],
        series=[S('secrets-sync', 'us-east-1', [(-1, 0.3), (3, 1.8), (20, 1.6), (24, 1.7), (26, 0.3)], 'hashicorp', 'HTTP_500', 500, 'POST /v1/auth/token/create')],
    )


@scenario
def newrelic_silent_hostname_modest_trace_errors():
    t0 = '2026-02-05T15:15'
    iid = modelled_on('newrelic', 'c0s5dkn1xrqb')
    return dict(
        name='r4-newrelic-silent-hostname-modest-trace-errors',
        cls='vendor-silent-weak',
        onset=t0,
        end=45,
        description=(
            f'Modelled on New Relic {iid} (2026-02-05, impact minor) "Distributed Tracing Errors for US and EU Regions": '
            'first post 16:20Z, resolved 17:22Z with "Between 15:15 UTC and 16:30 UTC some customers may have experienced '
            'an issue with Distributed Tracing". Here the post is withheld: the page reads green on every poll. Our '
            'trace-exporter (us-east-1) logs HTTP_503 with vendor "otlp.nr-data.net" (the vendor\'s ingest host) rising '
            'from ~0.3 to ~2 a minute between 15:15Z and 15:43Z; nothing else of ours moves; no change. Our incident opens '
            '15:22Z. Responder: a modest rise on one service toward a vendor that says nothing: neither ours nor shown to '
            'be theirs: unclear.'
        ),
        expect={'INC-1522': 'unclear'},
        services=[svc('trace-exporter', ['us-east-1'], [('newrelic', [])])],
        vendors=[('newrelic', 'New Relic')],
        vincs=[],
        snapshots=green_snaps('newrelic', 'nrstat0ok001', 'New Relic', 'https://status.newrelic.com',
                              ['Data Ingest : US / Distributed Tracing : US', 'UI : US / Dashboards : US'], '2026-02-05T14:00', range(0, 150, 10)),
        incidents=[inc('INC-1522', 'trace-exporter', 'Trace export retries climbing', '2026-02-05T15:22', '2026-02-05T15:50')],
        series=[S('trace-exporter', 'us-east-1', [(-1, 0.3), (3, 2.0), (22, 1.7), (27, 1.9), (29, 0.3)], 'otlp.nr-data.net', 'HTTP_503', 503, 'POST /v1/traces')],
    )


@scenario
def flyio_machines_timeouts_after_client_timeout_deploy():
    t0 = '2026-04-24T22:40'
    return dict(
        name='r4-flyio-machines-timeouts-after-client-timeout-deploy',
        cls='deploy-competing',
        onset=t0,
        end=50,
        description=(
            'Fly.io g62pxq120phr (2026-04-24, impact minor) "Slow machines operations in IAD region" (IAD - Ashburn, '
            'Virginia (US)): first post 22:45Z ("Only a portion of machines within the region are impacted"), partial '
            'mitigation 22:58Z, "Network packet loss has returned to normal levels" 23:19Z, resolved 23:31Z. At 22:38Z we '
            'deploy our provisioner (iad) with its Machines API client timeout cut from 30 s to 5 s; from 22:40Z it logs '
            'ETIMEDOUT (~10 a minute, vendor "flyio") until 23:20Z, and nothing else. Our incident opens 22:46Z. '
            'Responder: timeouts only, no 5xx, starting two minutes after we shortened the timeout and five minutes before '
            'the vendor reports slow operations in our region: either alone could explain them; unclear.'
        ),
        expect={'INC-2246': 'unclear'},
        services=[svc('provisioner', ['iad'], [('flyio', ['Regional Availability / IAD - Ashburn, Virginia (US)'])])],
        vendors=[('flyio', 'Fly.io')],
        vincs=[vinc('flyio', 'g62pxq120phr', 'flyio', ['IAD', 'Ashburn, Virginia (US)'])],
        changes=[change('2026-04-24T22:38', 'provisioner', 'deploy', 'provisioner@5be0c17', 'Machines API client timeout 30s -> 5s')],
        incidents=[inc('INC-2246', 'provisioner', 'Machine provisioning timing out', '2026-04-24T22:46', '2026-04-24T23:28')],
        series=[S('provisioner', 'iad', spike(0.2, 10, hold=39, decay=2), 'flyio', 'ETIMEDOUT', None, 'POST /v1/apps/{app}/machines')],
    )


# ---------------------------------------------------------------- build


def used_elsewhere(prefix):
    text = ''
    for f in glob.glob(os.path.join(ROOT, 'test', 'scenarios', '*.json')) + glob.glob(os.path.join(OUT, '*.json')):
        if not os.path.basename(f).startswith(prefix):
            with open(f) as fh:
                text += fh.read()
    for f in glob.glob(os.path.join(OUT, '*.py')):
        if not os.path.basename(f).startswith(prefix):
            with open(f) as fh:
                text += fh.read()
    return text


def write_round(number, scenarios, build, widths=(68, 32)):
    """Writes round `number`'s scenarios (each on one real incident no other scenario uses) and lists them."""
    prefix = f'r{number}-'
    used = used_elsewhere(prefix)
    seen = set()
    written = []
    rows = []
    for spec in scenarios:
        sc, _ = build(spec)
        ids = [v['id'] for v in sc['vendorIncidents']] + re.findall(r'Modelled on [^(]* ([0-9a-z]{12}) \(', sc['description'])
        if len(ids) != 1:
            raise SystemExit(f'{sc["name"]}: expected one real incident, found {ids}')
        for iid in ids:
            if iid in used:
                raise SystemExit(f'{sc["name"]}: incident {iid} is already used by another scenario')
            if iid in seen:
                raise SystemExit(f'{sc["name"]}: incident {iid} used twice in round {number}')
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
        print(f'{r[0]:<{widths[0]}} {r[1]:<{widths[1]}} {r[2]:<22} {r[3]:>4} events')
    print(f'{len(rows)} scenarios')


def main():
    write_round(4, SCENARIOS, build)


if __name__ == '__main__':
    main()
