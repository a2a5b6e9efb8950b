#!/usr/bin/env python3
"""Round 5 of the holdout scenarios (r5-*.json), built without reading the correlator, the main
generator (test/scenarios-build/) or the correlator's tests; helpers loaded from r4-gen.py (which
loads rounds 2–3's).

Weighted to shapes the earlier rounds left out: a CDN in front of us whose failure shows only as
our own 5xx on some routes; an identity or DNS vendor whose failure shows as our login 5xx or our
EAI_AGAIN; vague vendor posts with no components; a vendor that calls its incident resolved, or
sits in "monitoring" for hours, while we still fail; errors starting long before the first post;
call volume collapsing as calls hang; 429s during a vendor's capacity trouble; a carrier-scoped
incident; the call target named only in the endpoint. Internal and unclear cases in the same
shapes: errors after the vendor resolved, a product we do not use, our own timeout cut, our own
retry storm drawing 429s, a scheduled maintenance on other endpoints, 401s while the page cannot
be read, a tiny failure ratio next to our own deadlocks, a DNS-management incident against our
resolution failures.

Vendor side: real stactus incidents ($UPCAUSE_FIXTURES/real/stactus/*.jsonl, default
../shared/fixtures), each id unused by test/scenarios/ and rounds 1–4 (checked here).
Our side: synthetic, seeded Poisson noise around piecewise-linear rates, one random stream per
scenario name. Run from the repository root: python3 test/scenarios-holdout/r5-gen.py
(standard library only; formats the output with the repository's prettier when npx is there).
"""

import importlib.util
import os

# Helpers (time, noise, events, stactus reading, snapshots, calls, build) are rounds 2–4's: loaded from r4-gen.py.
_spec = importlib.util.spec_from_file_location('r4gen', os.path.join(os.path.dirname(os.path.abspath(__file__)), 'r4-gen.py'))
_r4 = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_r4)
globals().update({k: v for k, v in vars(_r4).items() if not k.startswith('__') and k not in ('SCENARIOS', 'scenario', 'main', 'used_elsewhere')})

SCENARIOS = []


def scenario(fn):
    SCENARIOS.append(fn)
    return fn


def segments(svc_, vendor, region, parts, fail, code=None, status=None, ep=None):
    """Call-volume reports whose volume changes: parts is [(from_min, to_min, calls_per_min)]."""
    return [calls(svc_, vendor, region, a, b, n, fail, code, status, ep) for a, b, n in parts]


def timeout_health(vendor, url, down_at, up_at):
    return [
        {'vendor': vendor, 'at': down_at + ':00Z', 'state': 'timeout', 'reason': f'GET {url} timed out after 10s'},
        {'vendor': vendor, 'at': up_at + ':00Z', 'state': 'ok'},
    ]


# ------------------------------------------------ upstream: a CDN, identity or DNS vendor, our own errors name none


@scenario
def cloudflare_post_requests_untagged_502_one_service():
    t0 = '2026-07-17T14:58'
    return dict(
        name='r5-cloudflare-post-requests-untagged-502-one-service',
        cls='vendor-untagged',
        onset=t0,
        end=100,
        description=(
            'Cloudflare 652w59bvnbsj (2026-07-17, impact minor) "POST requests not succeeding" (CDN/Cache), no place '
            'named: first post 15:02Z ("some customers may be experiencing POST requests not reaching origin servers '
            'correctly"), identified 15:50Z, fix and monitoring 16:30Z, resolved 16:45Z. Our checkout-api (us-east-1) is '
            'served through Cloudflare; the failed-request reports it collects from our apps show HTTP_502 (~9 a minute) '
            'on POST /v2/checkout and HTTP_504 (~4 a minute) on POST /v2/cart/items from 14:58Z until 16:32Z, with no '
            'vendor named (our clients only see a 5xx); GET routes stay at baseline, our origin logs nothing, no change of '
            'ours. Our incident opens 15:05Z. Responder: only POSTs fail, the origin never sees them, and the CDN in front '
            'of us reports exactly that, from four minutes after our onset until its fix: upstream.'
        ),
        expect={'INC-1458': 'upstream'},
        services=[svc('checkout-api', ['us-east-1'], [('cloudflare', ['CDN/Cache'])])],
        vendors=[('cloudflare', 'Cloudflare')],
        vincs=[vinc('cloudflare', '652w59bvnbsj', 'cloudflare', [])],
        incidents=[inc('INC-1458', 'checkout-api', 'Checkout submissions failing', '2026-07-17T15:05', '2026-07-17T16:45')],
        series=[
            S('checkout-api', 'us-east-1', spike(0.2, 9, hold=94, decay=2), None, 'HTTP_502', 502, 'POST /v2/checkout'),
            S('checkout-api', 'us-east-1', spike(0.1, 4, start=1, hold=93, decay=2), None, 'HTTP_504', 504, 'POST /v2/cart/items'),
            S('checkout-api', 'us-east-1', flat(0.15), None, 'HTTP_404', 404, 'GET /v2/products/{id}'),
        ],
    )


@scenario
def github_login_outage_our_oauth_callback_5xx():
    t0 = '2026-08-12T21:35'
    return dict(
        name='r5-github-login-outage-our-oauth-callback-5xx',
        cls='vendor-auth-untagged',
        onset=t0,
        end=85,
        description=(
            'GitHub lsvy8xsf0gxv (2026-08-12, impact major) "Disruption with Login and Release Asset downloads", no '
            'components: first post 21:39Z ("impacted performance for some GitHub services"), 21:43Z "issues with Login", '
            '22:22Z errors on the login page decreasing, resolved 22:56Z. Our web-app (us-east-1) signs users in with '
            '"Sign in with GitHub"; its own login callback answers HTTP_502 (~7 a minute) and LOGIN_FAILED 500 (~3 a '
            'minute) on GET /auth/github/callback from 21:35Z, easing after 22:22Z and gone by 22:52Z; the events name no '
            'vendor (the callback is our endpoint). Every other route of ours is at baseline; no change of ours. The '
            'service declares GitHub for "API Requests" only. Our incident opens 21:41Z. Responder: only the sign-in '
            'route that round-trips to GitHub fails, starting four minutes before GitHub reports a login outage and '
            'easing with its mitigation: upstream.'
        ),
        expect={'INC-2141': 'upstream'},
        services=[svc('web-app', ['us-east-1'], [('github', ['API Requests'])])],
        vendors=[('github', 'GitHub')],
        vincs=[vinc('github', 'lsvy8xsf0gxv', 'github', [])],
        incidents=[inc('INC-2141', 'web-app', 'Users cannot sign in', '2026-08-12T21:41', '2026-08-12T22:58')],
        series=[
            S('web-app', 'us-east-1', [(-1, 0.2), (3, 7), (47, 6.5), (60, 2.5), (77, 0.2)], None, 'HTTP_502', 502, 'GET /auth/github/callback'),
            S('web-app', 'us-east-1', [(0, 0.1), (4, 3), (47, 3), (60, 1), (77, 0.1)], None, 'LOGIN_FAILED', 500, 'GET /auth/github/callback'),
            S('web-app', 'us-east-1', flat(0.2), None, 'HTTP_500', 500, 'GET /dashboard'),
        ],
    )


@scenario
def laravel_valkey_dns_london_eai_again_eu_west_2():
    t0 = '2026-06-11T19:31'
    return dict(
        name='r5-laravel-valkey-dns-london-eai-again-eu-west-2',
        cls='vendor-dns-untagged',
        onset=t0,
        end=50,
        description=(
            'Laravel Cloud 0plg40g727rv (2026-06-11, impact major) "DNS resolution issues for Laravel Valkey in London '
            'and Frankfurt" (Laravel Valkey - EU Central (Frankfurt), Laravel Valkey - EU West (London)): one post 19:39Z '
            '("We\'ve identified DNS issues for some workloads in Laravel Valkey"), fix and monitoring 20:04Z, resolved '
            '20:11Z. Our sessions-api (eu-west-2, hosted on Laravel Cloud) keeps sessions in Laravel Valkey; its cache '
            'client logs EAI_AGAIN (~10 a minute) and ENOTFOUND (~3 a minute) resolving the Valkey host from 19:31Z until '
            '20:05Z, with no vendor field (the resolver failed before any call was made). Its database calls stay at '
            'baseline; no change of ours. Our incident opens 19:36Z. Responder: name resolution fails only for the '
            'vendor\'s Valkey host, in the London region the vendor names (our eu-west-2), from eight minutes before its '
            'post until its fix: upstream.'
        ),
        expect={'INC-1936': 'upstream'},
        services=[svc('sessions-api', ['eu-west-2'], [('laravel', ['Laravel Valkey'])])],
        vendors=[('laravel', 'Laravel Cloud')],
        vincs=[vinc('laravel', '0plg40g727rv', 'laravel', ['London', 'Frankfurt'])],
        incidents=[inc('INC-1936', 'sessions-api', 'Logins dropping, sessions lost', '2026-06-11T19:36', '2026-06-11T20:15')],
        series=[
            S('sessions-api', 'eu-west-2', spike(0.1, 10, hold=33, decay=1), None, 'EAI_AGAIN', None, 'valkey sessions-cache'),
            S('sessions-api', 'eu-west-2', spike(0.05, 3, start=1, hold=32, decay=1), None, 'ENOTFOUND', None, 'valkey sessions-cache'),
            S('sessions-api', 'eu-west-2', flat(0.2), None, 'PG_QUERY_CANCELED', None, 'postgres sessions-db'),
        ],
    )


# ------------------------------------------------ upstream: vague, early-resolved, long-monitoring and late posts


@scenario
def discord_vague_api_errors_no_components_one_bot():
    t0 = '2026-07-17T00:44'
    return dict(
        name='r5-discord-vague-api-errors-no-components-one-bot',
        cls='vendor-vague-post',
        onset=t0,
        end=190,
        description=(
            'Discord vwmnnymc48b9 (2026-07-17, impact major) "API Errors", no components, no place: first post 00:49Z '
            '("We are currently investigating this issue."), 01:51Z "an upstream latency issue", resolved 03:48Z. Our '
            'mod-bot (us-east-1) depends on Discord only; its calls fail with HTTP_500 (~5 a minute) and ETIMEDOUT (~4 a '
            'minute), vendor "discord", from 00:44Z until 03:40Z. No change of ours. Our incident opens 00:52Z. '
            'Responder: a three-hour failure of the bot\'s one dependency, matching a major incident that says almost '
            'nothing beyond its title: upstream.'
        ),
        expect={'INC-0052': 'upstream'},
        services=[svc('mod-bot', ['us-east-1'], [('discord', ['Gateway'])])],
        vendors=[('discord', 'Discord')],
        vincs=[vinc('discord', 'vwmnnymc48b9', 'discord', [])],
        incidents=[inc('INC-0052', 'mod-bot', 'Moderation actions failing', '2026-07-17T00:52', '2026-07-17T03:50')],
        series=[
            S('mod-bot', 'us-east-1', spike(0.2, 5, hold=176, decay=2), 'discord', 'HTTP_500', 500, 'POST /channels/{id}/messages'),
            S('mod-bot', 'us-east-1', spike(0.1, 4, start=1, hold=175, decay=2), 'discord', 'ETIMEDOUT', None, 'PUT /guilds/{id}/bans/{user}'),
        ],
    )


@scenario
def flyio_api_503_resolved_before_our_errors_end():
    t0 = '2025-01-16T17:26'
    return dict(
        name='r5-flyio-api-503-resolved-before-our-errors-end',
        cls='vendor-resolved-early',
        onset=t0,
        end=55,
        description=(
            'Fly.io 8slts4mf65x4 (2025-01-16, impact minor) "API errors", no components: first post 17:30Z ("error 503 '
            'when making requests to our GraphQL API, or running flyctl commands"), resolved 17:48Z. Our deploy-bot (ord) '
            'drives Fly.io through its API; HTTP_503 (~8 a minute, vendor "flyio") from 17:26Z, holding until 17:48Z and '
            'then tapering to baseline by 18:08Z as the API settles and our queued deploys retry. No change of ours. Our '
            'incident opens 17:32Z and closes 18:15Z. Responder: the vendor\'s own 503s on the API we call; a tail of '
            '20 minutes after its "resolved" is the usual lag of a recovery, not a second cause: upstream.'
        ),
        expect={'INC-1732': 'upstream'},
        services=[svc('deploy-bot', ['ord'], [('flyio', ['Machines API'])])],
        vendors=[('flyio', 'Fly.io')],
        vincs=[vinc('flyio', '8slts4mf65x4', 'flyio', [])],
        incidents=[inc('INC-1732', 'deploy-bot', 'Deploys failing', '2025-01-16T17:32', '2025-01-16T18:15')],
        series=[S('deploy-bot', 'ord', [(-1, 0.2), (3, 8), (22, 8), (42, 0.2)], 'flyio', 'HTTP_503', 503, 'POST api.fly.io/graphql')],
    )


@scenario
def digitalocean_inference_429_two_hours_before_post():
    t0 = '2026-04-27T08:41'
    return dict(
        name='r5-digitalocean-inference-429-two-hours-before-post',
        cls='vendor-rate-limit',
        onset=t0,
        end=150,
        description=(
            'DigitalOcean 5gsk0hfctqp5 (2026-04-27, impact major) "Serverless Inference - Intermittent Rate Limiting '
            'Affecting Some Customers Using Anthropic Models" (Agent Runtime): first post 10:38Z ("Over the last two '
            'hours, impacted customers may have experienced intermittent request failures, including HTTP 429 '
            'responses"), mitigated and monitoring 11:07Z, resolved 11:37Z. Our support-assistant (nyc3) calls Anthropic '
            'models through DigitalOcean Serverless Inference ~40 times a minute and reports every minute; from 08:41Z '
            'about a third of its calls come back HTTP_429 (vendor "digitalocean") while its call volume stays at ~40 a '
            'minute, until 11:05Z. No change of ours. Our incident opens 08:50Z, 108 minutes before the first post. '
            'Responder: 429s at an unchanged request rate are the vendor\'s capacity, not our traffic; the vendor later '
            'dates its trouble to our onset and its mitigation ends our errors: upstream.'
        ),
        expect={'INC-0850': 'upstream'},
        services=[svc('support-assistant', ['nyc3'], [('digitalocean', ['Serverless Inference'])])],
        vendors=[('digitalocean', 'DigitalOcean')],
        vincs=[vinc('digitalocean', '5gsk0hfctqp5', 'digitalocean', [])],
        incidents=[inc('INC-0850', 'support-assistant', 'Assistant replies failing intermittently', '2026-04-27T08:50', '2026-04-27T11:15')],
        series=[],
        calls=[calls('support-assistant', 'digitalocean', 'nyc3', -45, 150, 40,
                     [(-1, 0.1), (2, 12), (50, 15), (100, 11), (143, 13), (145, 0.1)], 'HTTP_429', 429, 'POST /v1/chat/completions')],
    )


@scenario
def voyageai_monitoring_while_we_still_fail():
    t0 = '2026-08-03T18:44'
    return dict(
        name='r5-voyageai-monitoring-while-we-still-fail',
        cls='vendor-monitoring-long',
        onset=t0,
        end=125,
        description=(
            'MongoDB 2zp8gbb9dtf7 (2026-08-03, impact major) "Elevated errors on VoyageAI APIs" (VoyageAI Embedding and '
            'Reranking Models): first post 18:47Z ("experiencing elevated 5xx errors"), 19:02Z "A fix has been applied '
            'and we are monitoring the system", resolved 21:18Z. Our search-indexer (us-east-1) embeds documents with '
            'VoyageAI (vendor "mongodb"); HTTP_503 ~10 a minute from 18:44Z, then ~4 a minute from 19:03Z until 20:40Z '
            'while the vendor sits in monitoring, then baseline. No change of ours. Our incident opens 18:50Z and closes '
            '20:50Z. Responder: the same 5xx from the same vendor throughout; "monitoring" is not recovery, and our '
            'errors stay above baseline until well into it: upstream.'
        ),
        expect={'INC-1850': 'upstream'},
        services=[svc('search-indexer', ['us-east-1'], [('mongodb', ['VoyageAI Embedding and Reranking Models'])])],
        vendors=[('mongodb', 'MongoDB')],
        vincs=[vinc('mongodb', '2zp8gbb9dtf7', 'mongodb', [])],
        incidents=[inc('INC-1850', 'search-indexer', 'Document embeddings failing', '2026-08-03T18:50', '2026-08-03T20:50')],
        series=[S('search-indexer', 'us-east-1', [(-1, 0.2), (3, 10), (18, 10), (20, 4), (95, 4.3), (116, 3.5), (117, 0.2)],
                  'mongodb', 'HTTP_503', 503, 'POST /v1/embeddings')],
    )


@scenario
def cloudflare_london_probe_errors_76_min_before_post():
    t0 = '2026-07-31T17:50'
    return dict(
        name='r5-cloudflare-london-probe-errors-76-min-before-post',
        cls='vendor-late-post',
        onset=t0,
        end=160,
        description=(
            'Cloudflare k17p9vnmhkvp (2026-07-31, impact minor) "Increased HTTP Errors in London" (London, United Kingdom '
            '- (LHR), CDN/Cache): first post 19:06Z ("a subset of customers"), identified 19:53Z, fix and monitoring '
            '20:22Z, resolved 20:40Z; no start time is given. Our uk-web (eu-west-2) is served through Cloudflare; its '
            'edge prober tags every 5xx answered by the edge (a cf-ray header) with vendor "cloudflare": HTTP_5XX (status '
            '502, ~6 a minute) from 17:50Z until 20:24Z. No change of ours. Our incident opens 17:58Z, 76 minutes before '
            'the first post. Responder: errors answered by the CDN\'s London edge in front of our London service, ending '
            'with the fix the vendor reports: upstream, though it began posting late.'
        ),
        expect={'INC-1758': 'upstream'},
        services=[svc('uk-web', ['eu-west-2'], [('cloudflare', ['CDN/Cache'])])],
        vendors=[('cloudflare', 'Cloudflare')],
        vincs=[vinc('cloudflare', 'k17p9vnmhkvp', 'cloudflare', ['London', 'LHR'])],
        incidents=[inc('INC-1758', 'uk-web', 'UK storefront intermittently failing', '2026-07-31T17:58', '2026-07-31T20:35')],
        series=[S('uk-web', 'eu-west-2', spike(0.1, 6, hold=152, decay=2, drift=(1.0, 0.8, 1.1, 0.9, 1.0)), 'cloudflare', 'HTTP_5XX', 502,
                  'probe GET https://shop.example.co.uk/')],
    )


# ------------------------------------------------ upstream: call volume, two vendors, region aliases, endpoint only


@scenario
def cloudflare_r2_enam_one_of_two_vendors_calls():
    t0 = '2026-07-22T08:15'
    return dict(
        name='r5-cloudflare-r2-enam-one-of-two-vendors-calls',
        cls='vendor-one-of-two',
        onset=t0,
        end=110,
        description=(
            'Cloudflare xsy1kjq2v435 (2026-07-22, impact minor) "Increase in errors from R2 in ENAM" (R2): first post '
            '08:22Z ("an increased number of errors from R2 in Eastern North America"), identified 09:20Z, fix and '
            'monitoring 09:55Z, resolved 10:31Z. Our media-api (us-east-1) declares two vendors, Cloudflare R2 for its '
            'objects and Anthropic for captions, and reports its R2 calls every minute: ~200 a minute, failures going '
            'from ~0.5 to ~45 a minute (HTTP_5XX, status 503) from 08:15Z until 09:57Z. Its Anthropic errors stay at '
            'baseline. No change of ours. Our incident opens 08:22Z. Responder: one of the service\'s two vendors fails '
            'a fifth of its calls, in the region the vendor names (ENAM, our us-east-1), while the other is calm: '
            'upstream, on Cloudflare.'
        ),
        expect={'INC-0822': 'upstream'},
        services=[svc('media-api', ['us-east-1'], [('cloudflare', ['R2']), ('anthropic', ['Claude API (api.anthropic.com)'])])],
        vendors=[('cloudflare', 'Cloudflare'), ('anthropic', 'Anthropic')],
        vincs=[vinc('cloudflare', 'xsy1kjq2v435', 'cloudflare', ['ENAM'])],
        incidents=[inc('INC-0822', 'media-api', 'Media uploads and downloads failing', '2026-07-22T08:22', '2026-07-22T10:05')],
        series=[S('media-api', 'us-east-1', flat(0.15), 'anthropic', 'HTTP_529', 529, 'POST /v1/messages')],
        calls=[calls('media-api', 'cloudflare', 'us-east-1', -30, 108, 200,
                     [(-1, 0.5), (3, 45), (40, 38), (70, 47), (101, 44), (102, 0.5)], 'HTTP_5XX', 503, 'PUT r2 media-prod/{key}')],
    )


@scenario
def anthropic_call_volume_drops_timeouts():
    t0 = '2026-06-11T16:42'
    fail = [(-1, 0.1), (0.5, 18), (20.5, 18), (21.5, 0.1)]
    return dict(
        name='r5-anthropic-call-volume-drops-timeouts',
        cls='vendor-volume-drop',
        onset=t0,
        end=50,
        description=(
            'Anthropic j8ghp7dk6lym (2026-06-11, impact major) "Elevated errors across models", no components: first post '
            '16:54Z ("We are currently investigating this issue."), fix and monitoring 17:27Z, resolved 17:56Z with '
            '"Impact occurred from ... 16:42 UTC to ... 17:03 UTC". Our triage-agent (us-west-2) calls the Claude API and '
            'reports its calls every minute: ~90 a minute before 16:42Z; then calls hang until our 30 s client timeout, so '
            'only ~22 complete a minute, ~18 of them ETIMEDOUT (vendor "anthropic"), until 17:03Z; then ~90 a minute and '
            'baseline again. No change of ours. Our incident opens 16:47Z. Responder: fewer calls counted because each '
            'one hangs, nearly all of those failing, in exactly the window the vendor later gives: upstream.'
        ),
        expect={'INC-1647': 'upstream'},
        services=[svc('triage-agent', ['us-west-2'], [('anthropic', ['Claude API (api.anthropic.com)'])])],
        vendors=[('anthropic', 'Anthropic')],
        vincs=[vinc('claude', 'j8ghp7dk6lym', 'anthropic', [])],
        incidents=[inc('INC-1647', 'triage-agent', 'Ticket triage stalled', '2026-06-11T16:47', '2026-06-11T17:12')],
        series=[],
        calls=segments('triage-agent', 'anthropic', 'us-west-2', [(-45, 0, 90), (0, 21, 22), (21, 50, 90)], fail, 'ETIMEDOUT', None, 'POST /v1/messages'),
    )


@scenario
def vercel_dub1_sigsegv_node20_service_eu_west_1():
    t0 = '2026-04-02T13:58'
    return dict(
        name='r5-vercel-dub1-sigsegv-node20-service-eu-west-1',
        cls='vendor-region-alias',
        onset=t0,
        end=265,
        description=(
            'Vercel 5r9bp5y8rql2 (2026-04-02, impact minor) "Elevated errors (SIGSEGV) for Vercel Functions running '
            'Node.js 20 in cle1 and dub1 regions" (Functions): first post 14:10Z, 16:13Z "in Vercel\'s cle1 and dub1 '
            'regions. Other regions are unaffected", fix and monitoring 18:09Z, resolved 18:53Z. Our storefront-ssr runs '
            'as Vercel Functions on Node.js 20 in Dublin, which our config writes as its AWS region eu-west-1; '
            'FUNCTION_INVOCATION_FAILED (status 500, vendor "vercel", ~6 a minute) from 13:58Z until 18:12Z. No change of '
            'ours. Our incident opens 14:06Z. Responder: the vendor\'s dub1 is our eu-west-1, the failures are its '
            'function crashes on our runtime, and they end with its fix: upstream.'
        ),
        expect={'INC-1406': 'upstream'},
        services=[svc('storefront-ssr', ['eu-west-1'], [('vercel', ['Functions'])])],
        vendors=[('vercel', 'Vercel')],
        vincs=[vinc('vercel', '5r9bp5y8rql2', 'vercel', ['cle1', 'dub1'])],
        incidents=[inc('INC-1406', 'storefront-ssr', 'Product pages intermittently 500', '2026-04-02T14:06', '2026-04-02T18:25')],
        series=[S('storefront-ssr', 'eu-west-1', spike(0.2, 6, hold=253, decay=2), 'vercel', 'FUNCTION_INVOCATION_FAILED', 500, 'GET /products/[slug]')],
    )


@scenario
def anthropic_endpoint_host_only_no_vendor_field():
    t0 = '2026-08-20T19:12'
    return dict(
        name='r5-anthropic-endpoint-host-only-no-vendor-field',
        cls='vendor-endpoint-only',
        onset=t0,
        end=45,
        description=(
            'Anthropic c0ncxxm2wd9r (2026-08-20, impact major) "Elevated errors on requests to multiple models" '
            '(claude.ai, Claude API (api.anthropic.com), Claude Code, Claude Cowork): first post 19:16Z, resolved 19:42Z. '
            'Our doc-summarizer (us-east-1) depends on the Claude API only; its error events carry no vendor field, only '
            'the URL it called in the endpoint, POST https://api.anthropic.com/v1/messages, with HTTP_500 (~8 a minute) '
            'and HTTP_529 (~4 a minute) from 19:12Z until 19:40Z. No change of ours. Our incident opens 19:17Z. '
            'Responder: the URL is the vendor\'s own API host, the answers are its 5xx/overloaded codes, in its window: '
            'upstream.'
        ),
        expect={'INC-1917': 'upstream'},
        services=[svc('doc-summarizer', ['us-east-1'], [('anthropic', ['Claude API (api.anthropic.com)'])])],
        vendors=[('anthropic', 'Anthropic')],
        vincs=[vinc('claude', 'c0ncxxm2wd9r', 'anthropic', [])],
        incidents=[inc('INC-1917', 'doc-summarizer', 'Summaries failing', '2026-08-20T19:17', '2026-08-20T19:50')],
        series=[
            S('doc-summarizer', 'us-east-1', spike(0.2, 8, hold=27, decay=2), None, 'HTTP_500', 500, 'POST https://api.anthropic.com/v1/messages'),
            S('doc-summarizer', 'us-east-1', spike(0.1, 4, start=1, hold=26, decay=2), None, 'HTTP_529', 529, 'POST https://api.anthropic.com/v1/messages'),
        ],
    )


@scenario
def onepassword_page_timeouts_connect_calls_collapse():
    t0 = '2026-04-14T17:24'
    iid = modelled_on('onepassword', 'sd38vryb6ng1')
    fail = [(-1, 0.1), (0.5, 13), (35.5, 13), (36.5, 0.1)]
    return dict(
        name='r5-onepassword-page-timeouts-connect-calls-collapse',
        cls='vendor-blind',
        onset=t0,
        end=60,
        description=(
            f'Modelled on 1Password {iid} (2026-04-14, impact critical) "1Password Hosted Service in the US experiencing '
            'high latency and errors": first post 17:25Z, fix and monitoring 18:00Z (postmortem: 17:25–18:00). Here its '
            'page cannot be read: every poll times out from 17:20Z until 18:30Z (vendorHealth). Our config-loader '
            '(us-east-1) fetches secrets with a 1Password service account and reports its calls every minute: ~60 a '
            'minute, then from 17:24Z only ~15 complete a minute and ~13 of those are ETIMEDOUT (vendor "onepassword"), '
            'until 18:00Z. No change of ours. Our incident opens 17:30Z. Responder: a page we cannot read proves nothing; '
            'calls to the one dependency hang and nearly all fail for 36 minutes with nothing of ours changed: upstream, '
            'suspected from our errors.'
        ),
        expect={'INC-1730': 'upstream'},
        suspected=[{'vendor': 'onepassword', 'region': 'us-east-1'}],
        services=[svc('config-loader', ['us-east-1'], [('onepassword', ['Service Accounts'])])],
        vendors=[('onepassword', '1Password')],
        vincs=[],
        health=timeout_health('onepassword', 'https://status.1password.com/api/v2/summary.json', '2026-04-14T17:20', '2026-04-14T18:30'),
        incidents=[inc('INC-1730', 'config-loader', 'Services cannot load secrets at start', '2026-04-14T17:30', '2026-04-14T18:10')],
        series=[],
        calls=segments('config-loader', 'onepassword', 'us-east-1', [(-45, 0, 60), (0, 36, 15), (36, 60, 60)], fail, 'ETIMEDOUT', None, 'GET /v1/vaults/{id}/items'),
    )


@scenario
def twilio_tmobile_short_code_delivery_one_service():
    t0 = '2026-08-20T12:20'
    return dict(
        name='r5-twilio-tmobile-short-code-delivery-one-service',
        cls='vendor-carrier-scoped',
        onset=t0,
        end=110,
        description=(
            'Twilio 4c50l37zsblh (2026-08-20, impact minor) "SMS Delivery Delays From a Subset of Twilio Short Codes to '
            'T-Mobile United States" (SMS Short Code, North America): first post 12:32Z, recovery observed 14:05Z, '
            'resolved 16:07Z. Our otp-sender (us-east-1) sends login codes from a Twilio short code; its delivery '
            'watchdog reports SMS_DELIVERY_TIMEOUT (vendor "twilio", no status, ~9 a minute) for T-Mobile US numbers '
            'only, from 12:20Z until 14:02Z; other carriers deliver. No change of ours. Our incident opens 12:31Z. '
            'Responder: undelivered codes to exactly the carrier and number type the vendor names, from 12 minutes '
            'before its post until its recovery: upstream.'
        ),
        expect={'INC-1231': 'upstream'},
        services=[svc('otp-sender', ['us-east-1'], [('twilio', ['SMS Short Code, North America'])])],
        vendors=[('twilio', 'Twilio')],
        vincs=[vinc('twilio', '4c50l37zsblh', 'twilio', ['United States'])],
        incidents=[inc('INC-1231', 'otp-sender', 'Login codes not arriving', '2026-08-20T12:31', '2026-08-20T14:15')],
        series=[
            S('otp-sender', 'us-east-1', spike(0.2, 9, hold=100, decay=2), 'twilio', 'SMS_DELIVERY_TIMEOUT', None, 'delivery-receipt carrier=T-Mobile US'),
            S('otp-sender', 'us-east-1', flat(0.2), 'twilio', 'SMS_DELIVERY_TIMEOUT', None, 'delivery-receipt carrier=Verizon US'),
        ],
    )


# ------------------------------------------------ internal


@scenario
def ours_500s_begin_after_datadog_resolved():
    t0 = '2026-06-22T22:56'
    return dict(
        name='r5-ours-500s-begin-after-datadog-resolved',
        cls='ours-vendor-earlier',
        onset=t0,
        end=55,
        description=(
            'Datadog z9tr62bmp8v3 (2026-06-22, impact major) "Metrics Queries" (Metrics and Infra Monitoring): first post '
            '21:27Z (elevated latency on metrics queries), fix and monitoring 22:37Z, resolved 22:41Z. Our usage-dashboard '
            '(us-east-1) reads Datadog metrics; its Datadog errors stay at baseline throughout. From 22:56Z, 15 minutes '
            'after the vendor resolved, its own GET /api/usage/summary fails with PG_STATEMENT_TIMEOUT (status 500, no '
            'vendor, ~8 a minute) until 23:40Z. No change of ours. Our incident opens 23:02Z. Responder: the vendor was '
            'done before we started, our calls to it never moved, and the errors name our own database: internal.'
        ),
        expect={'INC-2302': 'internal'},
        suspected=[],
        services=[svc('usage-dashboard', ['us-east-1'], [('datadog', ['Metrics and Infra Monitoring'])])],
        vendors=[('datadog', 'Datadog')],
        vincs=[vinc('datadog', 'z9tr62bmp8v3', 'datadog', [])],
        incidents=[inc('INC-2302', 'usage-dashboard', 'Usage page failing', '2026-06-22T23:02', '2026-06-22T23:50')],
        series=[
            S('usage-dashboard', 'us-east-1', spike(0.1, 8, hold=43, decay=1), None, 'PG_STATEMENT_TIMEOUT', 500, 'GET /api/usage/summary'),
            S('usage-dashboard', 'us-east-1', flat(0.2), 'datadog', 'HTTP_503', 503, 'GET /api/v1/query'),
        ],
    )


@scenario
def ours_generic_500_one_endpoint_during_durable_objects():
    t0 = '2026-07-16T16:45'
    return dict(
        name='r5-ours-generic-500-one-endpoint-during-durable-objects',
        cls='ours-other-component',
        onset=t0,
        end=55,
        description=(
            'Cloudflare kdnfshk5vs51 (2026-07-16, impact major) "Durable Objects Increased Errors" (AI Search, Artifacts, '
            'Containers, D1, Durable Objects and more): first post 16:39Z ("Durable Objects and downstream services in '
            'Europe and APAC"), fix 17:25Z, resolved 18:17Z. Our orders-api (eu-central-1) sits behind Cloudflare\'s CDN '
            'and uses none of those products. From 16:45Z its origin answers HTTP_500 (no vendor, ~7 a minute) on one '
            'route, GET /api/orders/{id}, until 17:30Z; every other route, through the same CDN, is at baseline. No change '
            'of ours. Our incident opens 16:52Z. Responder: 500s generated by our origin on one route are ours; a CDN '
            'fault would not pick one route, and the vendor\'s trouble is in products we do not use: internal.'
        ),
        expect={'INC-1652': 'internal'},
        suspected=[],
        services=[svc('orders-api', ['eu-central-1'], [('cloudflare', ['CDN/Cache'])])],
        vendors=[('cloudflare', 'Cloudflare')],
        vincs=[vinc('cloudflare', 'kdnfshk5vs51', 'cloudflare', [])],
        incidents=[inc('INC-1652', 'orders-api', 'Order detail page failing', '2026-07-16T16:52', '2026-07-16T17:40')],
        series=[
            S('orders-api', 'eu-central-1', spike(0.1, 7, hold=44, decay=1), None, 'HTTP_500', 500, 'GET /api/orders/{id}'),
            S('orders-api', 'eu-central-1', flat(0.2), None, 'HTTP_500', 500, 'GET /api/cart'),
        ],
    )


@scenario
def ours_timeout_config_cut_during_claude_login_blip():
    t0 = '2026-05-19T04:31'
    fail = [(-1, 0.1), (0.5, 9), (46.5, 9), (47.5, 0.1)]
    return dict(
        name='r5-ours-timeout-config-cut-during-claude-login-blip',
        cls='ours-config-timeouts',
        onset=t0,
        end=60,
        description=(
            'Anthropic cgwwyh79gpm3 (2026-05-19, impact minor) "Elevated errors on Claude.ai and Claude Code login" '
            '(claude.ai, Claude Code): one post 04:46Z ("From 04:34–04:42 UTC, we saw elevated errors and latency on '
            'requests within the Claude.ai applications"), resolved 04:51Z. At 04:30Z a config change of ours cuts '
            'report-writer\'s (us-east-1) Claude API client timeout from 60 s to 8 s; from 04:31Z ~9 of its ~50 calls a '
            'minute end ETIMEDOUT (vendor "anthropic"), the long report generations, until the config is reverted at '
            '05:18Z. Call volume is steady. Our incident opens 04:38Z. Responder: timeouts only, from the minute after we '
            'shortened the timeout until we restored it, 36 minutes past an eight-minute blip on the vendor\'s consumer '
            'apps: internal.'
        ),
        expect={'INC-0438': 'internal'},
        suspected=[],
        services=[svc('report-writer', ['us-east-1'], [('anthropic', ['Claude API (api.anthropic.com)'])])],
        vendors=[('anthropic', 'Anthropic')],
        vincs=[vinc('claude', 'cgwwyh79gpm3', 'anthropic', [])],
        changes=[
            change('2026-05-19T04:30', 'report-writer', 'config', 'report-writer-config@41', 'ANTHROPIC_TIMEOUT_MS 60000 -> 8000'),
            change('2026-05-19T05:18', 'report-writer', 'config', 'report-writer-config@42', 'ANTHROPIC_TIMEOUT_MS 8000 -> 60000'),
        ],
        incidents=[inc('INC-0438', 'report-writer', 'Weekly reports failing to generate', '2026-05-19T04:38', '2026-05-19T05:25')],
        series=[],
        calls=[calls('report-writer', 'anthropic', 'us-east-1', -45, 60, 50, fail, 'ETIMEDOUT', None, 'POST /v1/messages')],
    )


@scenario
def ours_retry_storm_429_during_claude_degradation():
    t0 = '2026-08-18T17:42'
    fail = [(-1, 0.3), (1, 60), (46, 58), (48, 0.3)]
    return dict(
        name='r5-ours-retry-storm-429-during-claude-degradation',
        cls='ours-rate-limit-self',
        onset=t0,
        end=60,
        description=(
            'Anthropic q7txxvbsftgq (2026-08-18, impact minor) "Degraded performance for multiple models" (claude.ai, '
            'Claude API (api.anthropic.com), Claude Code, Claude Cowork): first post 16:20Z, 17:12Z narrowed to "elevated '
            'errors on requests to Claude Opus 5", fix 18:26Z, resolved 19:01Z ("Impact occurred from 16:11 to 18:23 '
            'UTC"). Our chat-assist (us-west-2) calls Claude Sonnet 5 ~120 times a minute with its failures at baseline '
            'through the first 80 minutes of that incident. At 17:40Z we deploy a new retry policy (8 attempts, no '
            'backoff); from 17:42Z its calls triple to ~380 a minute and ~60 a minute come back HTTP_429 (vendor '
            '"anthropic") until the rollback at 18:28Z. Our incident opens 17:48Z. Responder: 429s that start two minutes '
            'after our deploy, with our own request rate tripled, are the vendor limiting our retry storm; the vendor\'s '
            'incident had long been running with our calls healthy, and is about another model: internal.'
        ),
        expect={'INC-1748': 'internal'},
        suspected=[],
        services=[svc('chat-assist', ['us-west-2'], [('anthropic', ['Claude API (api.anthropic.com)'])])],
        vendors=[('anthropic', 'Anthropic')],
        vincs=[vinc('claude', 'q7txxvbsftgq', 'anthropic', [])],
        changes=[
            change('2026-08-18T17:40', 'chat-assist', 'deploy', 'chat-assist@7f3e2a1', 'Retry policy: 8 attempts, no backoff'),
            change('2026-08-18T18:28', 'chat-assist', 'deploy', 'chat-assist@c09d511', 'Roll back retry policy'),
        ],
        incidents=[inc('INC-1748', 'chat-assist', 'Assistant answers failing', '2026-08-18T17:48', '2026-08-18T18:36')],
        series=[],
        calls=segments('chat-assist', 'anthropic', 'us-west-2', [(-45, 0, 120), (0, 47, 380), (47, 60, 120)], fail, 'HTTP_429', 429,
                       'POST /v1/messages model=claude-sonnet-5'),
    )


@scenario
def ours_redis_maxmemory_during_scheduled_maintenance_other_endpoints():
    t0 = '2026-01-26T08:12'
    v = vinc('redislabs', 'ywf1q1d6s1gb', 'redis-cloud', [])
    v['kind'] = 'maintenance'
    return dict(
        name='r5-ours-redis-maxmemory-during-scheduled-maintenance-other-endpoints',
        cls='maintenance',
        onset=t0,
        end=60,
        description=(
            'Redis ywf1q1d6s1gb (2026-01-26, impact none) "Scheduled Maintenance", posted as maintenance: 07:37Z "Service '
            'maintenance applies to all of the resources with the following pattern in their endpoint : c251", resolved '
            '11:03Z. Our job-queue (us-east-1) keeps its queues in one Redis Cloud database whose endpoint is on c310. '
            'From 08:12Z its workers log REDIS_OOM ("OOM command not allowed when used memory > \'maxmemory\'", vendor '
            '"redis-cloud", ~12 a minute) on LPUSH until 08:58Z, when we raise the plan\'s memory limit; a backlog of '
            'unacknowledged jobs had grown since 07:00Z. Connection errors stay at baseline. Our incident opens 08:18Z. '
            'Responder: the maintenance is on other endpoints, and a database refusing writes because it is full is our '
            'data growth, not the vendor: internal.'
        ),
        expect={'INC-0818': 'internal'},
        suspected=[],
        services=[svc('job-queue', ['us-east-1'], [('redis-cloud', [])])],
        vendors=[('redis-cloud', 'Redis Cloud')],
        vincs=[v],
        changes=[change('2026-01-26T08:58', 'job-queue', 'config', 'redis-plan@3', 'Redis Cloud database memory limit 5 GB -> 10 GB')],
        incidents=[inc('INC-0818', 'job-queue', 'Jobs not being enqueued', '2026-01-26T08:18', '2026-01-26T09:05')],
        series=[
            S('job-queue', 'us-east-1', spike(0.05, 12, ramp=2, hold=46, decay=1), 'redis-cloud', 'REDIS_OOM', None, 'LPUSH queue:jobs'),
            S('job-queue', 'us-east-1', flat(0.1), 'redis-cloud', 'ECONNRESET', None, 'redis-14022.c310.us-east-1-3.ec2.cloud.redislabs.com'),
        ],
    )


@scenario
def ours_401_while_github_page_unreadable():
    t0 = '2026-08-12T16:09'
    iid = modelled_on('github', '76t89hbfb09h')
    return dict(
        name='r5-ours-401-while-github-page-unreadable',
        cls='ours-blind-4xx',
        onset=t0,
        end=50,
        description=(
            f'Modelled on GitHub {iid} (2026-08-12, impact minor) "Incident with Pull Requests and Issues": first post '
            '16:16Z, resolved 16:41Z. Here its page cannot be read: every poll times out from 16:05Z until 17:05Z '
            '(vendorHealth). Our ci-bot (us-east-1) reports its GitHub calls every minute, ~80 a minute; from 16:09Z every '
            'one of them fails HTTP_401 "Bad credentials" (vendor "github") until 16:51Z, when we mint a new GitHub App '
            'private key: the old one had passed its expiry date at 16:09Z. Our release-notes service calls GitHub with '
            'its own credentials and stays at baseline. No deploy. Our incident opens 16:15Z. Responder: every call '
            'refused as unauthenticated, from one service only, fixed by our new key: our credentials; an unreadable page '
            'does not change that: internal.'
        ),
        expect={'INC-1615': 'internal'},
        suspected=[],
        services=[
            svc('ci-bot', ['us-east-1'], [('github', ['API Requests', 'Pull Requests'])]),
            svc('release-notes', ['us-east-1'], [('github', ['API Requests'])]),
        ],
        vendors=[('github', 'GitHub')],
        vincs=[],
        health=timeout_health('github', 'https://www.githubstatus.com/api/v2/summary.json', '2026-08-12T16:05', '2026-08-12T17:05'),
        changes=[change('2026-08-12T16:51', 'ci-bot', 'config', 'ci-bot-github-app-key@2026-08', 'New GitHub App private key')],
        incidents=[inc('INC-1615', 'ci-bot', 'CI bot cannot comment or merge', '2026-08-12T16:15', '2026-08-12T16:58')],
        series=[S('release-notes', 'us-east-1', flat(0.15), 'github', 'HTTP_502', 502, 'GET /repos/{owner}/{repo}/releases')],
        calls=[calls('ci-bot', 'github', 'us-east-1', -45, 50, 80, [(-1, 0.1), (0, 80), (41.5, 80), (42.5, 0.1)], 'HTTP_401', 401,
                     'POST /repos/{owner}/{repo}/issues/{n}/comments')],
    )


@scenario
def ours_deadlocks_tiny_github_ratio_during_auth_incident():
    t0 = '2026-06-10T15:12'
    return dict(
        name='r5-ours-deadlocks-tiny-github-ratio-during-auth-incident',
        cls='ours-rise-too-small',
        onset=t0,
        end=60,
        description=(
            'GitHub fcj3088jg1wx (2026-06-10, impact critical) "Authentication issues related to API requests" (API '
            'Requests, Issues): first post 15:20Z, "sporadic authentication failures impacting approximately 15% of API '
            'traffic", resolved 16:39Z ("Between 15:05 UTC and 16:25 UTC ... affecting approximately 9% of requests"). Our '
            'merge-queue (us-east-1) calls GitHub ~400 times a minute and reports every minute; its GitHub failures go from '
            '~0.8 to ~3 a minute (0.2% to 0.75% of calls) between 15:10Z and 16:20Z. From 15:12Z its own POST '
            '/api/merge-queue/enqueue fails with DB_DEADLOCK (status 500, no vendor, ~10 a minute) until 16:05Z; no '
            'change of ours. Our incident opens 15:19Z. Responder: a vendor failing 9% of requests would fail far more '
            'than 0.75% of ours; our incident is our own deadlocks: internal.'
        ),
        expect={'INC-1519': 'internal'},
        suspected=[],
        services=[svc('merge-queue', ['us-east-1'], [('github', ['API Requests'])])],
        vendors=[('github', 'GitHub')],
        vincs=[vinc('github', 'fcj3088jg1wx', 'github', [])],
        incidents=[inc('INC-1519', 'merge-queue', 'Merge queue entries failing', '2026-06-10T15:19', '2026-06-10T16:12')],
        series=[S('merge-queue', 'us-east-1', spike(0.1, 10, hold=52, decay=1), None, 'DB_DEADLOCK', 500, 'POST /api/merge-queue/enqueue')],
        calls=[calls('merge-queue', 'github', 'us-east-1', -45, 60, 400, [(-2, 0.8), (0, 3), (60, 3)], 'HTTP_401', 401,
                     'GET /repos/{owner}/{repo}/pulls/{n}')],
    )


# ------------------------------------------------ unclear


@scenario
def grafana_loki_timeouts_begin_after_resolved():
    t0 = '2026-07-15T23:49'
    return dict(
        name='r5-grafana-loki-timeouts-begin-after-resolved',
        cls='vendor-recurrence-ambiguous',
        onset=t0,
        end=45,
        description=(
            'Grafana Cloud hcdk41fbltl8 (2026-07-15, impact major) "Partial Outage in prod-eu-west-2" (Grafana, Logs, '
            'OpenTelemetry Ingest Endpoint and more in AWS Germany - prod-eu-west-2): first post 22:24Z (Loki queries '
            'failing since ~21:57Z), 22:35Z "a third-party provider issue", fix and monitoring 22:53Z, resolved 23:36Z. '
            'Our audit-export (eu-central-1) runs a nightly Loki export against that stack from 23:45Z; from 23:49Z, 13 '
            'minutes after the vendor resolved, its queries fail with QUERY_TIMEOUT (vendor "grafana-cloud", ~5 a minute) '
            'until 00:16Z. Nothing of ours ran against the stack during the incident; no change of ours. Our incident '
            'opens 23:55Z. Responder: the same kind of failure on the same stack right after "resolved" may be a tail of '
            'the outage, or our heavy nightly queries; nothing here tells which: unclear.'
        ),
        expect={'INC-2355': 'unclear'},
        services=[svc('audit-export', ['eu-central-1'], [('grafana-cloud', ['Logs'])])],
        vendors=[('grafana-cloud', 'Grafana Cloud')],
        vincs=[vinc('grafana', 'hcdk41fbltl8', 'grafana-cloud', ['prod-eu-west-2'])],
        incidents=[inc('INC-2355', 'audit-export', 'Nightly audit export failing', '2026-07-15T23:55', '2026-07-16T00:25')],
        series=[S('audit-export', 'eu-central-1', [(-1, 0.0), (1, 5), (25, 4.5), (27, 0.0)], 'grafana-cloud', 'QUERY_TIMEOUT', 504,
                  'GET /loki/api/v1/query_range')],
    )


@scenario
def vercel_page_502_untagged_504s_one_service():
    t0 = '2026-03-06T20:49'
    iid = modelled_on('vercel', '4sn7csnxsgrj')
    ok = summary_ok('vercelok0001', 'Vercel', 'https://www.vercel-status.com', ['CDN / IAD1 - Washington, D.C., USA', 'Functions', 'Queues'],
                    '2026-03-06T20:20:00.000Z')
    return dict(
        name='r5-vercel-page-502-untagged-504s-one-service',
        cls='vendor-blind',
        onset=t0,
        end=45,
        description=(
            f'Modelled on Vercel {iid} (2026-03-06, impact minor) "Elevated Latency on Queue Messages, Increased Message '
            'Retry Latency in iad1": first post 20:53Z, resolved 21:22Z. Here the post never reaches us: the page read fine '
            'at 20:20Z, then answers an nginx HTTP 502 on every poll from 20:40Z to 21:50Z. Our marketing-site (us-east-1) '
            'is hosted on Vercel; from 20:49Z its own error reports show HTTP_504 (no vendor, ~3 a minute) on GET '
            '/pricing and GET /blog/{slug} until 21:14Z. No change of ours. Our incident opens 20:56Z. Responder: a '
            'page we cannot read, a modest rise of errors that name nobody on one service: not shown to be ours, not '
            'shown to be theirs: unclear.'
        ),
        expect={'INC-2056': 'unclear'},
        services=[svc('marketing-site', ['us-east-1'], [('vercel', ['Edge Network', 'Functions'])])],
        vendors=[('vercel', 'Vercel')],
        vincs=[],
        snapshots=html_snaps('vercel', '2026-03-06T20:20:00Z', ok, '2026-03-06T20:40', range(0, 80, 10), 502, HTML_502),
        incidents=[inc('INC-2056', 'marketing-site', 'Marketing pages slow and timing out', '2026-03-06T20:56', '2026-03-06T21:25')],
        series=[
            S('marketing-site', 'us-east-1', [(-1, 0.1), (3, 3), (22, 2.6), (25, 3), (26, 0.1)], None, 'HTTP_504', 504, 'GET /pricing'),
            S('marketing-site', 'us-east-1', [(-1, 0.05), (4, 1), (25, 1), (26, 0.05)], None, 'HTTP_504', 504, 'GET /blog/{slug}'),
        ],
    )


@scenario
def digitalocean_dns_api_incident_our_eai_again_one_service():
    t0 = '2026-06-04T10:21'
    return dict(
        name='r5-digitalocean-dns-api-incident-our-eai-again-one-service',
        cls='vendor-dns-ambiguous',
        onset=t0,
        end=60,
        description=(
            'DigitalOcean nnt4rfbgn1y6 (2026-06-04, impact minor) "DNS API Service" (App Platform, Managed Databases, '
            'Kubernetes, DNS): first post 10:12Z ("issues performing domain and DNS record management operations ... '
            'creating, updating, or deleting DNS records"), fix 11:39Z, resolved 11:47Z ("Between 09:41 and 11:24 UTC"). '
            'Our billing-worker (fra1, on DigitalOcean Kubernetes) logs EAI_AGAIN (no vendor, ~4 a minute) resolving its '
            'Managed Database host from 10:21Z until 11:05Z; our other services in the same cluster resolve fine; no '
            'change of ours. Our incident opens 10:29Z. Responder: the vendor reports record management failing, not '
            'resolution of existing names, and only one of our services fails to resolve (our cluster DNS is as likely); '
            'the timing fits the vendor: unclear.'
        ),
        expect={'INC-1029': 'unclear'},
        services=[
            svc('billing-worker', ['fra1'], [('digitalocean', ['Managed Databases', 'Kubernetes'])]),
            svc('accounts-api', ['fra1'], [('digitalocean', ['Managed Databases', 'Kubernetes'])]),
        ],
        vendors=[('digitalocean', 'DigitalOcean')],
        vincs=[vinc('digitalocean', 'nnt4rfbgn1y6', 'digitalocean', [])],
        incidents=[inc('INC-1029', 'billing-worker', 'Invoices not generated', '2026-06-04T10:29', '2026-06-04T11:15')],
        series=[
            S('billing-worker', 'fra1', [(-1, 0.05), (3, 4), (40, 3.6), (44, 4), (45, 0.05)], None, 'EAI_AGAIN', None,
              'postgres billing-db-do-user-0000000-0.b.db.ondigitalocean.com'),
            S('accounts-api', 'fra1', flat(0.15), 'digitalocean', 'PG_CONNECTION_TIMEOUT', None, 'postgres accounts-db'),
        ],
    )


# ---------------------------------------------------------------- build


def main():
    _r4.write_round(5, SCENARIOS, build, widths=(70, 28))


if __name__ == '__main__':
    main()
