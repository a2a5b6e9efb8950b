#!/usr/bin/env python3
"""Round 2 of the holdout scenarios (r2-*.json), built without reading the correlator, the main
generator (test/scenarios-build/) or the round-1 holdout generator.

Vendor side: real stactus incidents ($UPCAUSE_FIXTURES/real/stactus/*.jsonl, default
../shared/fixtures), each id unused by test/scenarios/ and the round-1 holdout files (checked here).
Our side: synthetic, seeded Poisson noise around piecewise-linear rates, one random stream per
scenario name. Run from the repository root: python3 test/scenarios-holdout/r2-gen.py
(standard library only; formats the output with the repository's prettier when npx is there).
"""

import datetime as dt
import glob
import hashlib
import json
import math
import os
import random
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, 'test', 'scenarios-holdout')
FIXTURES = os.environ.get('UPCAUSE_FIXTURES', os.path.join(ROOT, '..', 'shared', 'fixtures'))
UTC = dt.timezone.utc
MAX_EVENTS = 300

# ---------------------------------------------------------------- vendor side (real)

_stactus = {}


def stactus(file, iid):
    if file not in _stactus:
        rows = {}
        with open(os.path.join(FIXTURES, 'real', 'stactus', file + '.jsonl')) as fh:
            for line in fh:
                d = json.loads(line)
                if 'id' in d:
                    rows[d['id']] = d
        _stactus[file] = rows
    return _stactus[file][iid]


def cut(body, limit=1100):
    body = body.strip()
    if len(body) <= limit:
        return body
    head = body[:limit]
    ends = [m.end() for m in re.finditer(r'[.!?](\s|$)', head)]
    return (head[: ends[-1]].rstrip() if ends else head.rstrip()) + ' …'


def vinc(file, iid, vendor, regions, started=None):
    """One stactus incident, copied: id, title, impact, components (bare ids dropped), times, updates."""
    d = stactus(file, iid)
    comps = [c['name'] for c in d.get('components', []) if c['name'] != c['id']]
    text = d['name'] + ' ' + ' '.join(comps)
    for r in regions:
        for word in re.split(r'[\s,()/-]+', r):
            if len(word) > 1 and word.lower() not in text.lower():
                raise SystemExit(f'{iid}: region word {word!r} is not in the title or component names')
    ups = sorted(d['incident_updates'], key=lambda u: u['created_at'])
    return {
        'vendor': vendor,
        'id': d['id'],
        'title': d['name'],
        'impact': d['impact'],
        'startedAt': started or d['created_at'],
        'resolvedAt': d.get('resolved_at'),
        'components': comps,
        'regions': regions,
        'updates': [{'at': u['created_at'], 'status': u['status'], 'body': cut(u['body'])} for u in ups],
    }


def modelled_on(file, iid):
    """A real incident whose post the scenario withholds: only checked to exist and be unused."""
    stactus(file, iid)
    return iid


HTML_503 = (
    '<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n<body>\r\n'
    '<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n<hr><center>nginx</center>\r\n'
    '</body>\r\n</html>\r\n'
)


def summary_ok(page_id, name, url, components, at):
    """A Statuspage summary.json with nothing open, in the API's shape."""
    return json.dumps(
        {
            'page': {'id': page_id, 'name': name, 'url': url, 'time_zone': 'Etc/UTC', 'updated_at': at},
            'components': [
                {
                    'id': hashlib.sha1(c.encode()).hexdigest()[:12],
                    'name': c,
                    'status': 'operational',
                    'created_at': '2022-03-01T00:00:00.000Z',
                    'updated_at': at,
                    'position': i + 1,
                    'description': None,
                    'showcase': False,
                    'start_date': None,
                    'group_id': None,
                    'page_id': page_id,
                    'group': False,
                    'only_show_if_degraded': False,
                }
                for i, c in enumerate(components)
            ],
            'incidents': [],
            'scheduled_maintenances': [],
            'status': {'indicator': 'none', 'description': 'All Systems Operational'},
        }
    )


# ---------------------------------------------------------------- our side (synthetic)


def T(s):
    fmt = '%Y-%m-%dT%H:%M:%S' if s.count(':') == 2 else '%Y-%m-%dT%H:%M'
    return dt.datetime.strptime(s.rstrip('Z'), fmt).replace(tzinfo=UTC)


def iso(t):
    return t.strftime('%Y-%m-%dT%H:%M:%SZ')


def poisson(rng, lam):
    if lam <= 0:
        return 0
    if lam > 30:
        return max(0, int(round(rng.gauss(lam, math.sqrt(lam)))))
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def rate_at(points, m):
    """Piecewise-linear rate (per minute) at minute offset m; flat before the first and after the last point."""
    if m <= points[0][0]:
        return points[0][1]
    for (a, ra), (b, rb) in zip(points, points[1:]):
        if a <= m <= b:
            return ra if b == a else ra + (rb - ra) * (m - a) / (b - a)
    return points[-1][1]


def flat(r):
    return [(0, r)]


def spike(base, peak, start=0, ramp=4, hold=40, decay=5, drift=(1.0, 0.86, 1.08, 0.93, 1.02)):
    """Baseline, ramp from `start` over `ramp` minutes, hold with drift until start+hold, decay."""
    pts = [(start - 1, base), (start + ramp, peak)]
    span = hold - ramp
    for i, f in enumerate(drift[1:], 1):
        pts.append((start + ramp + span * i / len(drift), peak * f))
    pts += [(start + hold, peak * drift[-1]), (start + hold + decay, base)]
    return pts


def default_windows(end):
    return [(-90, -10, 10), (-10, 35, 1), (35, end, 5)]


def gen_errors(rng, t0, series, windows):
    events = []
    for s in series:
        wins = s.get('windows') or windows
        for a, b, step in wins:
            m = a
            while m < b:
                w = min(step, b - m)
                lam = sum(rate_at(s['rate'], m + i + 0.5) for i in range(w))
                n = poisson(rng, lam)
                if n > 0:
                    at = t0 + dt.timedelta(minutes=m, seconds=rng.randint(0, w * 60 - 1))
                    e = {'at': iso(at), 'service': s['svc']}
                    if s.get('vendor'):
                        e['vendor'] = s['vendor']
                    e['region'] = s['region']
                    if s.get('code'):
                        e['code'] = s['code']
                    if s.get('status'):
                        e['status'] = s['status']
                    e['count'] = n
                    if s.get('ep'):
                        e['endpoint'] = s['ep']
                    events.append(e)
                m += w
    return events


def gen_calls(rng, t0, c):
    """One event a minute: the minute's failures with `calls`, or a pure volume report."""
    events = []
    for m in range(c['start'], c['end']):
        at = t0 + dt.timedelta(minutes=m, seconds=rng.randint(0, 59))
        calls = max(1, poisson(rng, c['calls']))
        fails = min(calls, poisson(rng, rate_at(c['fail'], m + 0.5)))
        e = {'at': iso(at), 'service': c['svc'], 'vendor': c['vendor'], 'region': c['region'], 'calls': calls}
        if fails and not c.get('volume_only'):
            if c.get('code'):
                e['code'] = c['code']
            if c.get('status'):
                e['status'] = c['status']
            e['count'] = fails
            if c.get('ep'):
                e['endpoint'] = c['ep']
        events.append(e)
        if fails and c.get('volume_only'):
            # Failures reported apart from the volume, as their own events.
            f = {'at': iso(at + dt.timedelta(seconds=1)), 'service': c['svc'], 'vendor': c['vendor']}
            f['region'] = c['region']
            if c.get('code'):
                f['code'] = c['code']
            if c.get('status'):
                f['status'] = c['status']
            f['count'] = fails
            events.append(f)
    return events


def svc(name, regions, deps):
    return {
        'name': name,
        'regions': regions,
        'dependsOn': [{'vendor': v, 'components': comps} for v, comps in deps],
    }


def inc(iid, service, title, start, end, regions=(), customers=()):
    return {
        'id': iid,
        'service': service,
        'title': title,
        'startedAt': iso(T(start)),
        'resolvedAt': iso(T(end)) if end else None,
        'regions': list(regions),
        'customers': list(customers),
    }


def change(at, service, kind, ref, description):
    return {'at': iso(T(at)), 'service': service, 'kind': kind, 'ref': ref, 'description': description}


def S(svc_, region, rate, vendor=None, code=None, status=None, ep=None, windows=None):
    return {
        'svc': svc_,
        'region': region,
        'rate': rate,
        'vendor': vendor,
        'code': code,
        'status': status,
        'ep': ep,
        'windows': windows,
    }


# ---------------------------------------------------------------- the scenarios

SCENARIOS = []


def scenario(fn):
    SCENARIOS.append(fn)
    return fn


# ------------------------------------------------ upstream


@scenario
def onepassword_us_500s_posted_66_min_late_backdated():
    t0 = '2025-06-16T14:40'
    return dict(
        name='r2-onepassword-us-500s-posted-66-min-late-backdated',
        cls='vendor-backdated',
        onset=t0,
        end=110,
        description=(
            '1Password 94zyw6k5z5k3 (2025-06-16, impact minor) "Intermittent 1Password request failures": first post '
            '15:46Z ("intermittent failure requests for US based customers"), mitigated 16:06Z, resolved 17:59Z; its '
            'postmortem (posted 2025-06-24) gives 14:39–17:47Z, so startedAt is moved back to 14:39Z (the only change '
            'to the record). Our deploy-orchestrator (us-east-1) and secrets-sync (us-east-2) both fetch secrets from '
            '1Password: from 14:40Z their calls get 500s and timeouts (~14 and ~9 a minute), back to baseline at 16:06Z; '
            'our incident opens 14:48Z. The vendor posts 66 minutes after our errors began, two services name it, its own '
            'later text dates the impact to our onset: upstream, suspected from our errors before the post.'
        ),
        expect={'INC-2616': 'upstream'},
        suspected=[{'vendor': 'onepassword'}],
        services=[
            svc('deploy-orchestrator', ['us-east-1'], [('onepassword', []), ('github', ['API Requests'])]),
            svc('secrets-sync', ['us-east-2'], [('onepassword', [])]),
        ],
        vendors=[('onepassword', '1Password'), ('github', 'GitHub')],
        vincs=[vinc('onepassword', '94zyw6k5z5k3', 'onepassword', [], started='2025-06-16T14:39:00Z')],
        incidents=[
            inc('INC-2616', 'deploy-orchestrator', 'Deploys stuck fetching secrets', '2025-06-16T14:48', '2025-06-16T16:20')
        ],
        series=[
            S('deploy-orchestrator', 'us-east-1', spike(0.3, 11, hold=86, decay=3), '1Password', 'HTTP_500', 500, 'GET /v1/vaults/{id}/items'),
            S('deploy-orchestrator', 'us-east-1', spike(0.1, 3, hold=86, decay=3), '1Password', 'ETIMEDOUT', None, 'GET /v1/vaults/{id}/items'),
            S('secrets-sync', 'us-east-2', spike(0.2, 9, start=1, hold=85, decay=3), '1password', None, 500, 'GET /v1/vaults/{id}/items'),
            S('deploy-orchestrator', 'us-east-1', flat(0.2), 'GitHub', 'HTTP_502', 502, 'POST /repos/{repo}/deployments'),
        ],
    )


@scenario
def grafana_us_central2_ingesters_posted_74_min_late():
    t0 = '2024-11-07T18:41'
    return dict(
        name='r2-grafana-us-central2-ingesters-posted-74-min-late',
        cls='vendor-backdated',
        onset=t0,
        end=85,
        description=(
            'Grafana Cloud 2r672ywkpx8n (2024-11-07, impact critical) "Grafana Cloud Prometheus - Unhealthy Ingesters" '
            '(Metrics / Azure US Central - us-central2: Querying, Ingestion): one post at 19:54Z saying "As of 18:40 UTC" '
            'users in us-central2 may see ingestion and query failures, a second at 19:54Z saying the fix landed at '
            '19:40Z, resolved 20:03Z. startedAt is moved back to 18:40Z, the start its own text gives. Our usage-metering '
            '(remote write) and slo-evaluator (queries), both in azure centralus on that stack, get 5xx and timeouts on '
            'Grafana Cloud from 18:41Z to 19:40Z; our incident opens 18:52Z and closes 19:50Z, before the vendor says '
            'anything. Backdated window matching ours, two services naming the vendor: upstream, suspected from our '
            'errors 74 minutes before the post.'
        ),
        expect={'INC-1852': 'upstream'},
        suspected=[{'vendor': 'grafana-cloud', 'region': 'azure centralus'}],
        services=[
            svc('usage-metering', ['azure centralus'], [('grafana-cloud', ['Metrics / Azure US Central - us-central2: Ingestion']), ('stripe', [])]),
            svc('slo-evaluator', ['azure centralus'], [('grafana-cloud', ['Metrics / Azure US Central - us-central2: Querying'])]),
        ],
        vendors=[('grafana-cloud', 'Grafana Cloud'), ('stripe', 'Stripe')],
        vincs=[vinc('grafana', '2r672ywkpx8n', 'grafana-cloud', ['Azure US Central', 'us-central2'], started='2024-11-07T18:40:00Z')],
        incidents=[inc('INC-1852', 'usage-metering', 'Usage metering backlog, invoices at risk', '2024-11-07T18:52', '2024-11-07T19:50')],
        series=[
            S('usage-metering', 'azure centralus', spike(0.3, 17, hold=59, decay=2), 'Grafana Cloud', 'HTTP_503', 503, 'POST /api/prom/push'),
            S('usage-metering', 'azure centralus', spike(0.1, 4, start=2, hold=57, decay=2), 'Grafana Cloud', 'ETIMEDOUT', None, 'POST /api/prom/push'),
            S('slo-evaluator', 'azure centralus', spike(0.2, 7, start=1, hold=58, decay=2), 'grafana-cloud', 'HTTP_500', 500, 'GET /api/prom/api/v1/query_range'),
            S('usage-metering', 'azure centralus', flat(0.15), 'Stripe', 'HTTP_500', 500, 'POST /v1/subscription_items/{id}/usage_records'),
        ],
    )


@scenario
def discord_api_errors_one_bot_large_spike():
    t0 = '2026-05-08T19:02'
    return dict(
        name='r2-discord-api-errors-one-bot-large-spike',
        cls='vendor-tagged-single',
        onset=t0,
        end=110,
        description=(
            'Discord 4hpm4454hxtx (2026-05-08, impact major) "Increased API Errors", no component or place named: first '
            'post 19:08Z, "many users are unable to start their sessions" 19:24Z, "significant recovery" 20:16Z, resolved '
            '22:38Z. Only our community-bot (us-east-1) uses Discord: from 19:02Z its API calls get 503s and its gateway '
            'sessions reset, ~45 a minute sustained for over an hour, then back to baseline by 20:20Z; a few handler '
            'retries of ours exhaust alongside; its Stripe calls stay at baseline. Our incident opens 19:09Z. One service, '
            'a large sustained spike nearly all naming the vendor, during the vendor\'s own incident: upstream.'
        ),
        expect={'INC-1909': 'upstream'},
        services=[svc('community-bot', ['us-east-1'], [('discord', ['API', 'Gateway']), ('stripe', [])])],
        vendors=[('discord', 'Discord'), ('stripe', 'Stripe')],
        vincs=[vinc('discord', '4hpm4454hxtx', 'discord', [])],
        incidents=[inc('INC-1909', 'community-bot', 'Bot commands failing for all guilds', '2026-05-08T19:09', '2026-05-08T20:35')],
        series=[
            S('community-bot', 'us-east-1', spike(0.3, 32, hold=72, decay=6), 'Discord', 'HTTP_503', 503, 'POST /api/v10/channels/{id}/messages'),
            S('community-bot', 'us-east-1', spike(0.1, 12, start=1, hold=71, decay=6), 'Discord', 'ECONNRESET', None, 'GATEWAY /?v=10'),
            S('community-bot', 'us-east-1', spike(0.05, 3, start=3, hold=68, decay=6), None, 'HANDLER_RETRY_EXHAUSTED', None, 'interaction /slash'),
            S('community-bot', 'us-east-1', flat(0.15), 'Stripe', 'HTTP_500', 500, 'POST /v1/checkout/sessions'),
        ],
    )


@scenario
def cloudflare_network_untagged_two_services():
    t0 = '2024-11-02T07:14'
    return dict(
        name='r2-cloudflare-network-untagged-two-services',
        cls='vendor-untagged',
        onset=t0,
        end=80,
        description=(
            'Cloudflare 4g7v8wwb347m (2024-11-02, impact major) "Network Performance Issues" (Network), naming no region: '
            'first post 07:20Z, identified 07:42Z, fix 08:14Z, resolved 08:37Z. Our storefront and public-api (both '
            'eu-west-1, both behind Cloudflare) log 520/522/502 with no vendor named from 07:14Z, ~25 and ~12 a minute, '
            'until 08:12Z; no change of ours in the window; storefront\'s Stripe calls stay at baseline. Our incident opens '
            '07:19Z. Untagged 5xx in two services at once behind a CDN with a major incident that names no region and no '
            'competing change: upstream.'
        ),
        expect={'INC-0719': 'upstream'},
        services=[
            svc('storefront', ['eu-west-1'], [('cloudflare', ['Cloudflare Sites and Services / Network', 'Cloudflare Sites and Services / CDN/Cache']), ('stripe', [])]),
            svc('public-api', ['eu-west-1'], [('cloudflare', ['Cloudflare Sites and Services / Network'])]),
        ],
        vendors=[('cloudflare', 'Cloudflare'), ('stripe', 'Stripe')],
        vincs=[vinc('cloudflare', '4g7v8wwb347m', 'cloudflare', [])],
        incidents=[inc('INC-0719', 'storefront', 'Storefront pages failing for shoppers', '2024-11-02T07:19', '2024-11-02T08:30')],
        series=[
            S('storefront', 'eu-west-1', spike(0.3, 16, hold=58, decay=4), None, 'HTTP_520', 520, 'GET /'),
            S('storefront', 'eu-west-1', spike(0.1, 8, start=1, hold=57, decay=4), None, 'HTTP_522', 522, 'GET /products/{slug}'),
            S('public-api', 'eu-west-1', spike(0.2, 12, start=1, hold=57, decay=4), None, 'HTTP_502', 502, 'GET /v2/catalog'),
            S('storefront', 'eu-west-1', flat(0.15), 'Stripe', 'HTTP_500', 500, 'POST /v1/payment_intents'),
        ],
    )


@scenario
def cloudflare_ord_datacenter_service_in_ohio():
    t0 = '2026-01-27T18:27'
    return dict(
        name='r2-cloudflare-ord-datacenter-service-in-ohio',
        cls='vendor-datacenter',
        onset=t0,
        end=80,
        description=(
            'Cloudflare 3xb30dhqfkw7 (2026-01-27, impact major) "Network Degraded in Chicago, IL" (North America / '
            'Chicago, IL, United States - (ORD)): first post 18:36Z, "stabilized the network near Chicago" 19:21Z, later '
            '"restore services at our Chicago (ORD) data center … traffic rerouted", resolved 01:55Z next day. Our '
            'media-gateway and thumbnailer run in us-east-2 (Ohio), not Chicago; their calls through Cloudflare (R2, '
            'cache) get 522s and timeouts from 18:27Z, ~22 and ~9 a minute, back to baseline by 19:24Z; our incident opens '
            '18:34Z. The vendor names its own data center, not a customer region, and our errors on it spike in two '
            'services: upstream.'
        ),
        expect={'INC-1834': 'upstream'},
        services=[
            svc('media-gateway', ['us-east-2'], [('cloudflare', ['Cloudflare Sites and Services / R2', 'Cloudflare Sites and Services / CDN/Cache'])]),
            svc('thumbnailer', ['us-east-2'], [('cloudflare', ['Cloudflare Sites and Services / R2']), ('sendgrid', [])]),
        ],
        vendors=[('cloudflare', 'Cloudflare'), ('sendgrid', 'SendGrid')],
        vincs=[vinc('cloudflare', '3xb30dhqfkw7', 'cloudflare', ['Chicago, IL, United States (ORD)'])],
        incidents=[inc('INC-1834', 'media-gateway', 'Video and image loads failing', '2026-01-27T18:34', '2026-01-27T19:40')],
        series=[
            S('media-gateway', 'us-east-2', spike(0.3, 15, hold=53, decay=4), 'Cloudflare', 'HTTP_522', 522, 'GET /media/{key}'),
            S('media-gateway', 'us-east-2', spike(0.1, 7, start=1, hold=52, decay=4), 'Cloudflare', 'ETIMEDOUT', None, 'GET /media/{key}'),
            S('thumbnailer', 'us-east-2', spike(0.2, 9, start=2, hold=51, decay=4), 'cloudflare', 'HTTP_524', 524, 'PUT /r2/thumbs/{key}'),
            S('thumbnailer', 'us-east-2', flat(0.15), 'SendGrid', 'HTTP_500', 500, 'POST /v3/mail/send'),
        ],
    )


@scenario
def github_git_429s_two_ci_services():
    t0 = '2025-07-29T10:30'
    return dict(
        name='r2-github-git-429s-two-ci-services',
        cls='vendor-rate-limit',
        onset=t0,
        end=85,
        description=(
            'GitHub spbr5ff8hyt2 (2025-07-29, impact minor) "Increase in 429s for Git Operations" (Git Operations, '
            'Actions): first post 10:41Z, "an increase in 429s when retrieving git artifacts from GitHub.com" 11:00Z, '
            'unhealthy hosts removed and 429s down 11:32Z, resolved 12:05Z (the summary blames a surge of unauthenticated '
            'traffic and applies regional rate limiting). Our build-runner (us-east-1) and release-bot (us-west-2) fetch '
            'from GitHub with authenticated tokens; from 10:30Z both get 429s (~18 and ~7 a minute) until 11:31Z, no '
            'change of ours, their other calls normal. Our incident opens 10:37Z. Throttling by the vendor during its own '
            'incident, in two services at once, is the vendor failing, not us: upstream.'
        ),
        expect={'INC-1037': 'upstream'},
        services=[
            svc('build-runner', ['us-east-1'], [('github', ['Git Operations', 'API Requests']), ('datadog', [])]),
            svc('release-bot', ['us-west-2'], [('github', ['Git Operations', 'API Requests'])]),
        ],
        vendors=[('github', 'GitHub'), ('datadog', 'Datadog')],
        vincs=[vinc('github', 'spbr5ff8hyt2', 'github', [])],
        incidents=[inc('INC-1037', 'build-runner', 'CI builds failing to fetch sources', '2025-07-29T10:37', '2025-07-29T11:50')],
        series=[
            S('build-runner', 'us-east-1', spike(0.2, 18, hold=61, decay=3), 'GitHub', 'HTTP_429', 429, 'GET /{owner}/{repo}/archive/{ref}.tar.gz'),
            S('release-bot', 'us-west-2', spike(0.1, 7, start=2, hold=59, decay=3), 'github', 'TOO_MANY_REQUESTS', 429, 'GET /repos/{owner}/{repo}/tarball/{ref}'),
            S('build-runner', 'us-east-1', flat(0.2), 'GitHub', 'HTTP_502', 502, 'GET /repos/{owner}/{repo}/commits/{ref}'),
            S('build-runner', 'us-east-1', flat(0.1), 'Datadog', 'HTTP_503', 503, 'POST /api/v2/series'),
        ],
    )


@scenario
def anthropic_minor_two_services_hard_spike():
    t0 = '2026-06-16T17:23'
    return dict(
        name='r2-anthropic-minor-two-services-hard-spike',
        cls='vendor-tagged-multi',
        onset=t0,
        end=135,
        description=(
            'Anthropic (Claude) xmhsglsz3h3w (2026-06-16, impact minor) "Elevated errors across many models" (Claude API '
            'among others): first post 17:29Z, a fix 18:00Z, "still seeing errors on Opus 4.8 and Haiku 4.5" 18:15Z, '
            'resolved 19:32Z with the window: all Sonnet and Opus models 17:23–18:00Z, Opus 4.8 until 19:20Z. Our '
            'support-assistant (us-east-1, Sonnet) gets 500/529 at ~30 a minute 17:23–18:00Z; our contract-review '
            '(eu-west-1, Opus 4.8) at ~22 a minute 17:23–19:20Z. Our incident on contract-review opens 17:30Z. Rated '
            'minor, but two services spike hard on it exactly in its stated windows: upstream.'
        ),
        expect={'INC-1730': 'upstream'},
        services=[
            svc('support-assistant', ['us-east-1'], [('anthropic', ['Claude API (api.anthropic.com)']), ('twilio', [])]),
            svc('contract-review', ['eu-west-1'], [('anthropic', ['Claude API (api.anthropic.com)'])]),
        ],
        vendors=[('anthropic', 'Anthropic'), ('twilio', 'Twilio')],
        vincs=[vinc('claude', 'xmhsglsz3h3w', 'anthropic', [])],
        incidents=[inc('INC-1730', 'contract-review', 'Contract analysis jobs failing', '2026-06-16T17:30', '2026-06-16T19:35')],
        windows=[(-90, -10, 10), (-10, 40, 1), (40, 135, 5)],
        series=[
            S('support-assistant', 'us-east-1', spike(0.3, 22, hold=37, decay=3), 'Anthropic', 'HTTP_500', 500, 'POST /v1/messages'),
            S('support-assistant', 'us-east-1', spike(0.1, 8, hold=37, decay=3), 'Anthropic', 'overloaded_error', 529, 'POST /v1/messages'),
            S('contract-review', 'eu-west-1', spike(0.2, 22, start=1, hold=116, decay=3), 'anthropic', 'HTTP_500', 500, 'POST /v1/messages'),
            S('support-assistant', 'us-east-1', flat(0.15), 'Twilio', 'HTTP_503', 503, 'POST /2010-04-01/Accounts/{sid}/Messages.json'),
        ],
    )


@scenario
def bambulab_page_503_two_services():
    t0 = '2026-07-20T15:33'
    iid = modelled_on('bambulab', '1wszcps48zzg')
    snaps = [
        {
            'vendor': 'bambulab',
            'at': '2026-07-20T15:05:00Z',
            'provider': 'statuspage',
            'contentType': 'application/json',
            'body': summary_ok('pk1bambu0st', 'Bambu Lab', 'https://status.bambulab.com',
                               ['Printer Services / Cloud printing', 'Printer Services / Binding', 'Bambu Accounts'],
                               '2026-07-20T15:05:00.000Z'),
        }
    ]
    for m in (25, 35, 45, 55, 65, 75, 85, 95, 105):
        at = T('2026-07-20T15:00') + dt.timedelta(minutes=m)
        snaps.append({'vendor': 'bambulab', 'at': iso(at), 'provider': 'statuspage', 'contentType': 'text/html', 'status': 503, 'body': HTML_503})
    return dict(
        name='r2-bambulab-page-503-two-services',
        cls='vendor-blind',
        onset=t0,
        end=60,
        description=(
            f'Modelled on Bambu Lab {iid} (2026-07-20, impact major) "MQTT service disruption preventing users from '
            'starting prints": first post 15:41Z, root cause one MQTT node 15:51Z, recovering from 16:00Z, resolved 16:42Z. '
            'Here the post never reaches us: the status page read fine at 15:05Z, then answers an nginx 503 page on every '
            'poll from 15:25Z to 16:45Z. Our print-dispatch and farm-monitor (both eu-central-1) get MQTT connect '
            'timeouts and 503s on Bambu Lab from 15:33Z (~18 and ~10 a minute) until 16:00Z; our incident opens 15:39Z. '
            'Two services failing on a vendor whose page we cannot read: upstream, suspected from our errors.'
        ),
        expect={'INC-1539': 'upstream'},
        suspected=[{'vendor': 'bambulab', 'region': 'eu-central-1'}],
        services=[
            svc('print-dispatch', ['eu-central-1'], [('bambulab', ['Printer Services / Cloud printing']), ('stripe', [])]),
            svc('farm-monitor', ['eu-central-1'], [('bambulab', ['Printer Services / Cloud printing'])]),
        ],
        vendors=[('bambulab', 'Bambu Lab'), ('stripe', 'Stripe')],
        vincs=[],
        snapshots=snaps,
        incidents=[inc('INC-1539', 'print-dispatch', 'Print jobs not starting on farm printers', '2026-07-20T15:39', '2026-07-20T16:15')],
        series=[
            S('print-dispatch', 'eu-central-1', spike(0.3, 12, hold=27, decay=3), 'Bambu Lab', 'MQTT_CONNECT_TIMEOUT', None, 'mqtt us.mqtt.bambulab.com:8883'),
            S('print-dispatch', 'eu-central-1', spike(0.1, 6, start=1, hold=26, decay=3), 'Bambu Lab', 'HTTP_503', 503, 'POST /v1/iot-service/api/user/print'),
            S('farm-monitor', 'eu-central-1', spike(0.2, 10, start=1, hold=26, decay=3), 'bambulab', 'ECONNREFUSED', None, 'mqtt us.mqtt.bambulab.com:8883'),
            S('print-dispatch', 'eu-central-1', flat(0.15), 'Stripe', 'HTTP_500', 500, 'POST /v1/invoices'),
        ],
    )


@scenario
def laravel_mysql_ohio_deploy_minutes_before():
    t0 = '2025-06-25T08:46'
    return dict(
        name='r2-laravel-mysql-ohio-deploy-minutes-before',
        cls='deploy-during-vendor-outage',
        onset=t0,
        end=80,
        description=(
            'Laravel Cloud lhxmdq3v093f (2025-06-25, impact major) "Laravel MySQL connection issues" (Laravel MySQL - US '
            'East (Ohio)): first post 08:54Z, identified 09:12Z, fix 09:44Z, resolved 09:53Z. We deploy shop-api at 08:41Z; '
            'from 08:46Z both shop-api and queue-worker (not deployed), on Laravel Cloud in us-east-2 with Laravel MySQL in '
            'Ohio, fail to connect to the database (SQLSTATE 2002 timeouts, refused connections, ~20 and ~12 a minute) '
            'until 09:42Z. Our incident opens 08:51Z. Our deploy came first, but the service we did not touch fails the '
            'same way at the same minute and the vendor confirms the database in our region: upstream.'
        ),
        expect={'INC-0851': 'upstream'},
        services=[
            svc('shop-api', ['us-east-2'], [('laravel-cloud', ['Laravel MySQL / Laravel MySQL - US East (Ohio)']), ('stripe', [])]),
            svc('queue-worker', ['us-east-2'], [('laravel-cloud', ['Laravel MySQL / Laravel MySQL - US East (Ohio)'])]),
        ],
        vendors=[('laravel-cloud', 'Laravel Cloud'), ('stripe', 'Stripe')],
        vincs=[vinc('laravel', 'lhxmdq3v093f', 'laravel-cloud', ['US East (Ohio)'])],
        changes=[change('2025-06-25T08:41', 'shop-api', 'deploy', 'v2025.06.25-1', 'Checkout copy and coupon banner')],
        incidents=[inc('INC-0851', 'shop-api', 'Checkout and order pages erroring', '2025-06-25T08:51', '2025-06-25T09:55')],
        series=[
            S('shop-api', 'us-east-2', spike(0.2, 14, hold=56, decay=3), 'Laravel Cloud', 'SQLSTATE[HY000] [2002] Connection timed out', None, 'POST /checkout'),
            S('shop-api', 'us-east-2', spike(0.1, 6, start=1, hold=55, decay=3), 'Laravel Cloud', 'ECONNREFUSED', None, 'GET /orders/{id}'),
            S('queue-worker', 'us-east-2', spike(0.2, 12, hold=56, decay=3), 'laravel-cloud', 'SQLSTATE[HY000] [2002] Connection timed out', None, 'job ProcessOrder'),
            S('shop-api', 'us-east-2', flat(0.15), 'Stripe', 'HTTP_500', 500, 'POST /v1/payment_intents'),
        ],
    )


@scenario
def reddit_silent_two_services_timeouts():
    t0 = '2025-02-22T00:49'
    iid = modelled_on('reddit', 's9szfhh4bqb9')
    return dict(
        name='r2-reddit-silent-two-services-timeouts',
        cls='vendor-silent-strong',
        onset=t0,
        end=130,
        description=(
            f'Modelled on Reddit {iid} (2025-02-22, impact major) "Elevated Errors": first post 00:58Z, fix 01:40Z, '
            'resolved 02:47Z; here the post is withheld and Reddit\'s page reads fine with nothing open. Our '
            'social-listener (us-west-2) and mod-queue (us-east-1) both get 503/500s and timeouts from the Reddit API from '
            '00:49Z (~15 and ~8 a minute) until about 02:35Z; our incident opens 00:56Z. No change of ours. Two services '
            'at once, 5xx and timeouts naming one vendor that says nothing: upstream, suspected from our errors.'
        ),
        expect={'INC-0056': 'upstream'},
        suspected=[{'vendor': 'reddit'}],
        services=[
            svc('social-listener', ['us-west-2'], [('reddit', []), ('anthropic', [])]),
            svc('mod-queue', ['us-east-1'], [('reddit', [])]),
        ],
        vendors=[('reddit', 'Reddit'), ('anthropic', 'Anthropic')],
        vincs=[],
        incidents=[inc('INC-0056', 'social-listener', 'Brand mentions feed stalled', '2025-02-22T00:56', '2025-02-22T02:50')],
        series=[
            S('social-listener', 'us-west-2', spike(0.2, 10, hold=105, decay=4), 'Reddit', 'HTTP_503', 503, 'GET /r/{sub}/new'),
            S('social-listener', 'us-west-2', spike(0.1, 5, start=1, hold=104, decay=4), 'Reddit', 'ETIMEDOUT', None, 'GET /r/{sub}/comments'),
            S('mod-queue', 'us-east-1', spike(0.2, 8, start=1, hold=104, decay=4), 'reddit', 'HTTP_500', 500, 'GET /r/{sub}/about/modqueue'),
            S('social-listener', 'us-west-2', flat(0.15), 'Anthropic', 'overloaded_error', 529, 'POST /v1/messages'),
        ],
    )


@scenario
def grafana_prod_us_central_3_cluster_eu_service():
    t0 = '2025-03-18T18:16'
    return dict(
        name='r2-grafana-prod-us-central-3-cluster-eu-service',
        cls='vendor-datacenter',
        onset=t0,
        end=70,
        description=(
            'Grafana Cloud wnbl2mrnfd1n (2025-03-18, impact critical) "prod-us-central-3 prod-us-central-4 clusters are '
            'unavailable" (Grafana / GCP US Central - prod-us-central-3 and -4): one post at 19:07Z, "Starting at 18:15 UTC '
            'a recent networking configuration change has caused the prod-us-central-3 and prod-us-central-4 clusters to '
            'become unavailable. As of 19:04 UTC a fix is deployed", resolved 19:55Z. Our ops-dashboard-proxy and '
            'alert-bridge run in eu-west-1 but our Grafana stack lives on prod-us-central-3: their Grafana Cloud calls '
            'get 502/504s and timeouts from 18:16Z (~14 and ~7 a minute) until 19:04Z; our incident opens 18:24Z, closes '
            '19:15Z. A vendor cluster is not a customer region; two services fail on it in its stated window: upstream, '
            'suspected from our errors before the post.'
        ),
        expect={'INC-1824': 'upstream'},
        suspected=[{'vendor': 'grafana-cloud', 'region': 'eu-west-1'}],
        services=[
            svc('ops-dashboard-proxy', ['eu-west-1'], [('grafana-cloud', []), ('github', [])]),
            svc('alert-bridge', ['eu-west-1'], [('grafana-cloud', [])]),
        ],
        vendors=[('grafana-cloud', 'Grafana Cloud'), ('github', 'GitHub')],
        vincs=[vinc('grafana', 'wnbl2mrnfd1n', 'grafana-cloud', ['GCP US Central', 'prod-us-central-3', 'prod-us-central-4'])],
        incidents=[inc('INC-1824', 'ops-dashboard-proxy', 'Ops dashboards and alert routing down', '2025-03-18T18:24', '2025-03-18T19:15')],
        series=[
            S('ops-dashboard-proxy', 'eu-west-1', spike(0.2, 10, hold=48, decay=2), 'Grafana Cloud', 'HTTP_502', 502, 'GET /api/dashboards/uid/{uid}'),
            S('ops-dashboard-proxy', 'eu-west-1', spike(0.1, 4, start=1, hold=47, decay=2), 'Grafana Cloud', 'ETIMEDOUT', None, 'POST /api/ds/query'),
            S('alert-bridge', 'eu-west-1', spike(0.2, 7, start=1, hold=47, decay=2), 'grafana-cloud', 'HTTP_504', 504, 'GET /api/alertmanager/grafana/api/v2/alerts'),
            S('ops-dashboard-proxy', 'eu-west-1', flat(0.1), 'GitHub', 'HTTP_502', 502, 'GET /repos/{owner}/{repo}/contents/{path}'),
        ],
    )


@scenario
def twilio_flex_timeouts_window_only_in_prose():
    t0 = '2025-12-03T17:45'
    return dict(
        name='r2-twilio-flex-timeouts-window-only-in-prose',
        cls='vendor-late-post',
        onset=t0,
        end=50,
        description=(
            'Twilio m41r1x44h2kc (2025-12-03, impact major) "Increased Latency and Timeouts Across Roles and Realms", no '
            'component: first post 18:17Z ("a potential issue with Flex"), then at 18:55Z "Between 17:45 and 18:04 UTC, we '
            'experienced Increased latency and timeouts across roles and realms", operating normally 19:23Z, resolved '
            '19:53Z. startedAt is kept as published (18:17Z). Our contact-center and agent-desktop (us-east-1, both on '
            'Flex) time out on Twilio from 17:45Z (~16 and ~9 a minute) until 18:04Z; our incident opens 17:52Z and closes '
            '18:25Z. The vendor posts 32 minutes after our onset and its own text gives exactly our window: upstream, '
            'suspected from our errors before the post.'
        ),
        expect={'INC-1752': 'upstream'},
        suspected=[{'vendor': 'twilio', 'region': 'us-east-1'}],
        services=[
            svc('contact-center', ['us-east-1'], [('twilio', ['Flex']), ('zoom', [])]),
            svc('agent-desktop', ['us-east-1'], [('twilio', ['Flex'])]),
        ],
        vendors=[('twilio', 'Twilio'), ('zoom', 'Zoom')],
        vincs=[vinc('twilio', 'm41r1x44h2kc', 'twilio', [])],
        incidents=[inc('INC-1752', 'contact-center', 'Agents cannot accept tasks', '2025-12-03T17:52', '2025-12-03T18:25')],
        series=[
            S('contact-center', 'us-east-1', spike(0.2, 11, hold=19, decay=2), 'Twilio', 'ETIMEDOUT', None, 'POST /v1/Workspaces/{sid}/Tasks'),
            S('contact-center', 'us-east-1', spike(0.1, 5, hold=19, decay=2), 'Twilio', 'HTTP_504', 504, 'GET /v1/Workspaces/{sid}/Workers'),
            S('agent-desktop', 'us-east-1', spike(0.2, 9, start=1, hold=18, decay=2), 'twilio', 'ETIMEDOUT', None, 'wss flex-sync'),
            S('contact-center', 'us-east-1', flat(0.1), 'Zoom', 'HTTP_502', 502, 'POST /v2/users/{id}/meetings'),
        ],
    )


# ------------------------------------------------ internal


@scenario
def ours_db_pool_during_twilio_mtn_nigeria():
    t0 = '2025-12-18T20:31'
    return dict(
        name='r2-ours-db-pool-during-twilio-mtn-nigeria',
        cls='ours-other-region',
        onset=t0,
        end=65,
        description=(
            'Twilio 5lbmpprx9sxk (2025-12-18, impact major) "SMS Delivery Delays to MTN Network in Nigeria" (CARRIER '
            'NETWORK / SMS, Middle East & Africa): first post 20:11Z, resolved 01:35Z next day. Our notify-svc runs in '
            'us-east-1 and texts US customers; its Twilio calls stay at their usual ~0.3 failures a minute throughout. '
            'From 20:31Z its own errors spike, untagged DB_POOL_EXHAUSTED and DB_CONNECTION_TIMEOUT (~22 a minute); our '
            'incident (regions us) opens 20:37Z. The vendor scopes its incident to one carrier in Nigeria, our calls to '
            'it are healthy and the errors name our database pool: internal.'
        ),
        expect={'INC-2037': 'internal'},
        suspected=[],
        services=[svc('notify-svc', ['us-east-1'], [('twilio', ['Programmable Messaging / SMS'])])],
        vendors=[('twilio', 'Twilio')],
        vincs=[vinc('twilio', '5lbmpprx9sxk', 'twilio', ['Nigeria', 'Middle East & Africa'])],
        incidents=[inc('INC-2037', 'notify-svc', 'Order notifications delayed', '2025-12-18T20:37', '2025-12-18T21:30', regions=['us'])],
        series=[
            S('notify-svc', 'us-east-1', spike(0.2, 15, hold=44, decay=4), None, 'DB_POOL_EXHAUSTED', None, 'POST /notify'),
            S('notify-svc', 'us-east-1', spike(0.1, 7, start=1, hold=43, decay=4), None, 'DB_CONNECTION_TIMEOUT', None, 'POST /notify'),
            S('notify-svc', 'us-east-1', flat(0.2), 'Twilio', 'HTTP_500', 500, 'POST /2010-04-01/Accounts/{sid}/Messages.json'),
            S('notify-svc', 'us-east-1', flat(0.1), 'Twilio', 'ETIMEDOUT', None, 'POST /2010-04-01/Accounts/{sid}/Messages.json'),
        ],
    )


@scenario
def ours_cache_miss_storm_during_github_codespaces():
    t0 = '2026-04-16T15:52'
    return dict(
        name='r2-ours-cache-miss-storm-during-github-codespaces',
        cls='ours-other-component',
        onset=t0,
        end=60,
        description=(
            'GitHub bjyfg0yz1lwj (2026-04-16, impact major) "Incident with Codespaces" (Codespaces): first post 15:06Z, '
            '"impacts 70% of Codespaces" 15:49Z, mitigated 18:22Z, resolved 18:28Z (codespace starts via VS Code failing). '
            'Our pr-insights (us-west-2) uses the GitHub REST API and webhooks, not Codespaces; its GitHub errors stay at '
            'baseline. From 15:52Z its own errors spike: CACHE_MISS_STORM and DB_QUERY_TIMEOUT, untagged, ~25 a minute; '
            'our incident opens 15:58Z. A major vendor incident on a component we do not use, our calls to the vendor '
            'healthy, errors naming our cache: internal.'
        ),
        expect={'INC-1558': 'internal'},
        suspected=[],
        services=[svc('pr-insights', ['us-west-2'], [('github', ['API Requests', 'Webhooks'])])],
        vendors=[('github', 'GitHub')],
        vincs=[vinc('github', 'bjyfg0yz1lwj', 'github', [])],
        incidents=[inc('INC-1558', 'pr-insights', 'PR insights pages timing out', '2026-04-16T15:58', '2026-04-16T16:45')],
        series=[
            S('pr-insights', 'us-west-2', spike(0.2, 16, hold=38, decay=4), None, 'CACHE_MISS_STORM', None, 'GET /insights/{repo}'),
            S('pr-insights', 'us-west-2', spike(0.1, 9, start=1, hold=37, decay=4), None, 'DB_QUERY_TIMEOUT', None, 'GET /insights/{repo}'),
            S('pr-insights', 'us-west-2', flat(0.25), 'GitHub', 'HTTP_502', 502, 'GET /repos/{owner}/{repo}/pulls'),
            S('pr-insights', 'us-west-2', flat(0.1), 'GitHub', 'ETIMEDOUT', None, 'GET /repos/{owner}/{repo}/pulls/{n}/files'),
        ],
    )


@scenario
def ours_oomkilled_do_inference_impact_none():
    t0 = '2026-06-16T23:05'
    return dict(
        name='r2-ours-oomkilled-do-inference-impact-none',
        cls='ours-impact-none',
        onset=t0,
        end=60,
        description=(
            'DigitalOcean bfsh34myw3bc (2026-06-16, impact none) "Intermittent 500 Errors on Serverless/GenAI Inference '
            'API" (Agentic Inference Cloud / Inference): first post 22:52Z, mitigation 23:29Z, resolved 00:29Z. Our '
            'catalog-tagger (nyc3) calls that inference API; its DigitalOcean failures stay at their usual ~0.4 a minute. '
            'From 23:05Z its workers are OOMKilled and crash-loop, and jobs abort (untagged, ~12 a minute); our incident '
            'opens 23:11Z. The vendor rates it none, and whatever it had did not reach our calls; the errors name our '
            'own workers: internal.'
        ),
        expect={'INC-2311': 'internal'},
        suspected=[],
        services=[svc('catalog-tagger', ['nyc3'], [('digitalocean', ['Agentic Inference Cloud / Inference'])])],
        vendors=[('digitalocean', 'DigitalOcean')],
        vincs=[vinc('digitalocean', 'bfsh34myw3bc', 'digitalocean', [])],
        incidents=[inc('INC-2311', 'catalog-tagger', 'Catalog tagging backlog', '2026-06-16T23:11', '2026-06-16T23:55')],
        series=[
            S('catalog-tagger', 'nyc3', spike(0.05, 4, hold=36, decay=4), None, 'OOMKilled', None, 'worker tagger'),
            S('catalog-tagger', 'nyc3', spike(0.05, 3, start=1, hold=35, decay=4), None, 'WORKER_CRASH_LOOP', None, 'worker tagger'),
            S('catalog-tagger', 'nyc3', spike(0.1, 6, start=1, hold=35, decay=4), None, 'JOB_ABORTED', None, 'job tag-product'),
            S('catalog-tagger', 'nyc3', flat(0.4), 'DigitalOcean', 'HTTP_500', 500, 'POST /v1/chat/completions'),
        ],
    )


@scenario
def ours_cloudflare_token_rotation_403_during_api_outage():
    t0 = '2025-09-12T18:10'
    return dict(
        name='r2-ours-cloudflare-token-rotation-403-during-api-outage',
        cls='ours-4xx-during-vendor-incident',
        onset=t0,
        end=60,
        description=(
            'Cloudflare psxnp8bzv81b (2025-09-12, impact critical) "Cloudflare Dashboard and Cloudflare API service '
            'issues" (API, Dashboard): first post 18:06Z, "API availability has improved" 18:39Z, fix 19:17Z, resolved '
            '19:27Z. At 18:09Z our secrets rotation gives edge-config (us-east-1) a new Cloudflare API token missing the '
            'cache-purge and DNS-edit permissions; from 18:10Z its calls are answered 403 authentication errors (~14 a '
            'minute) while its 5xx from Cloudflare stay at baseline; the 403s go on after the vendor\'s API recovers and '
            'stop when we restore the old token at 18:52Z. Our incident opens 18:15Z. The caller is wrong, right after our '
            'own change: internal.'
        ),
        expect={'INC-1815': 'internal'},
        suspected=[],
        services=[svc('edge-config', ['us-east-1'], [('cloudflare', ['Cloudflare Sites and Services / API'])])],
        vendors=[('cloudflare', 'Cloudflare')],
        vincs=[vinc('cloudflare', 'psxnp8bzv81b', 'cloudflare', [])],
        changes=[
            change('2025-09-12T18:09', 'edge-config', 'config', 'cf-token-2025-09-12', 'Rotate Cloudflare API token'),
            change('2025-09-12T18:52', 'edge-config', 'config', 'cf-token-2025-08-01', 'Restore previous Cloudflare API token'),
        ],
        incidents=[inc('INC-1815', 'edge-config', 'Cache purges and DNS updates failing', '2025-09-12T18:15', '2025-09-12T19:00')],
        series=[
            S('edge-config', 'us-east-1', spike(0, 10, hold=42, decay=1), 'Cloudflare', 'AUTHENTICATION_ERROR_10000', 403, 'POST /client/v4/zones/{id}/purge_cache'),
            S('edge-config', 'us-east-1', spike(0, 4, hold=42, decay=1), 'Cloudflare', 'FORBIDDEN', 403, 'PATCH /client/v4/zones/{id}/dns_records/{rid}'),
            S('edge-config', 'us-east-1', flat(0.2), 'Cloudflare', 'HTTP_502', 502, 'POST /client/v4/zones/{id}/purge_cache'),
        ],
    )


@scenario
def ours_deploy_model_404_during_anthropic_major():
    t0 = '2026-06-05T15:32'
    return dict(
        name='r2-ours-deploy-model-404-during-anthropic-major',
        cls='ours-4xx-during-vendor-incident',
        onset=t0,
        end=60,
        description=(
            'Anthropic (Claude) fprlnsvdnr2k (2026-06-05, impact major) "Elevated errors on many Claude models", no '
            'component: first post 15:19Z, only Opus 4.7 and 4.8 still failing 15:43Z, success rates back 17:13Z, '
            '"started at 15:08 UTC". We deploy support-copilot (eu-west-1) v4.12.0 at 15:31Z, switching to a new model '
            'alias; from 15:32Z its calls get 404 not_found_error and some 400 invalid_request_error (~20 a minute) while '
            'its 5xx/529 from Anthropic stay at baseline; the 4xx stop with our rollback at 16:14Z. Our incident opens '
            '15:38Z. Errors that say the caller is wrong, right after our own deploy: internal.'
        ),
        expect={'INC-1538': 'internal'},
        suspected=[],
        services=[svc('support-copilot', ['eu-west-1'], [('anthropic', ['Claude API (api.anthropic.com)'])])],
        vendors=[('anthropic', 'Anthropic')],
        vincs=[vinc('claude', 'fprlnsvdnr2k', 'anthropic', [])],
        changes=[
            change('2026-06-05T15:31', 'support-copilot', 'deploy', 'v4.12.0', 'Move summarisation to the new model alias'),
            change('2026-06-05T16:14', 'support-copilot', 'deploy', 'v4.11.3', 'Rollback of v4.12.0'),
        ],
        incidents=[inc('INC-1538', 'support-copilot', 'Ticket summaries missing', '2026-06-05T15:38', '2026-06-05T16:25')],
        series=[
            S('support-copilot', 'eu-west-1', spike(0, 16, hold=42, decay=1), 'Anthropic', 'not_found_error', 404, 'POST /v1/messages'),
            S('support-copilot', 'eu-west-1', spike(0, 4, hold=42, decay=1), 'Anthropic', 'invalid_request_error', 400, 'POST /v1/messages'),
            S('support-copilot', 'eu-west-1', flat(0.2), 'Anthropic', 'overloaded_error', 529, 'POST /v1/messages'),
            S('support-copilot', 'eu-west-1', flat(0.1), 'Anthropic', 'HTTP_500', 500, 'POST /v1/messages'),
        ],
    )


@scenario
def ours_deploy_atlas_timeouts_peer_fine_during_cluster_ops_delay():
    t0 = '2024-06-03T19:43'
    return dict(
        name='r2-ours-deploy-atlas-timeouts-peer-fine-during-cluster-ops-delay',
        cls='ours-calls-healthy',
        onset=t0,
        end=55,
        description=(
            'MongoDB Atlas ds8dq4vkp6f9 (2024-06-03, impact major) "Delayed cluster modifications" (MongoDB Cloud): first '
            'post 18:45Z, "delays in all cluster updates across all cloud providers", Data Explorer and metrics slow, '
            'recovered by 00:09Z, resolved 02:11Z. We deploy orders-api (eu-west-1) v7.3.0 with a new order-history '
            'aggregation at 19:40Z; from 19:43Z its Atlas calls time out (~28 a minute, plus its own ORDER_HISTORY_TIMEOUT) '
            'while fulfilment-worker, on the same cluster in the same region, stays at its baseline; the errors stop with '
            'our rollback at 20:22Z. Our incident opens 19:48Z. The vendor\'s incident is about cluster changes, only the '
            'service we deployed fails, its peer on the same vendor is fine: internal.'
        ),
        expect={'INC-1948': 'internal'},
        suspected=[],
        services=[
            svc('orders-api', ['eu-west-1'], [('mongodb-atlas', ['MongoDB Cloud'])]),
            svc('fulfilment-worker', ['eu-west-1'], [('mongodb-atlas', ['MongoDB Cloud'])]),
        ],
        vendors=[('mongodb-atlas', 'MongoDB Atlas')],
        vincs=[vinc('mongodb', 'ds8dq4vkp6f9', 'mongodb-atlas', [])],
        changes=[
            change('2024-06-03T19:40', 'orders-api', 'deploy', 'v7.3.0', 'Order history: new aggregation pipeline'),
            change('2024-06-03T20:22', 'orders-api', 'deploy', 'v7.2.4', 'Rollback of v7.3.0'),
        ],
        incidents=[inc('INC-1948', 'orders-api', 'Order history and checkout slow', '2024-06-03T19:48', '2024-06-03T20:35')],
        series=[
            S('orders-api', 'eu-west-1', spike(0.2, 20, hold=39, decay=3), 'MongoDB Atlas', 'MongoNetworkTimeoutError', None, 'GET /orders/history'),
            S('orders-api', 'eu-west-1', spike(0.1, 8, start=1, hold=38, decay=3), 'MongoDB Atlas', 'MongoServerSelectionError', None, 'POST /orders'),
            S('orders-api', 'eu-west-1', spike(0.05, 6, start=2, hold=37, decay=3), None, 'ORDER_HISTORY_TIMEOUT', None, 'GET /orders/history'),
            S('fulfilment-worker', 'eu-west-1', flat(0.3), 'mongodb-atlas', 'MongoNetworkTimeoutError', None, 'job ship-order'),
        ],
    )


@scenario
def ours_deploy_redis_timeouts_peer_fine_during_redis_dns_incident():
    t0 = '2025-09-16T19:34'
    return dict(
        name='r2-ours-deploy-redis-timeouts-peer-fine-during-redis-dns-incident',
        cls='ours-calls-healthy',
        onset=t0,
        end=50,
        description=(
            'Redis Cloud tyt4y97scvkn (2025-09-16, impact major) "Impact to Resource Creation and Scaling Operations" (DNS '
            'Resolvers): first post 16:52Z, a third-party DNS provider failing creation of subscriptions and databases and '
            'scaling, update 18:03Z, fix for Pro 23:52Z, resolved 2025-09-18. We deploy session-svc (us-east-1) v3.8.0 '
            'with a new connection-pool setting at 19:31Z; from 19:34Z its Redis Cloud commands time out (~30 a minute, '
            'plus its own SESSION_POOL_WAIT_TIMEOUT) while rate-limiter, on the same Redis Cloud subscription in the same '
            'region, stays at baseline; the errors stop with our rollback at 20:05Z. Our incident opens 19:38Z. The '
            'vendor\'s incident is about creating and scaling resources, only the deployed service fails, its peer on the '
            'same vendor is fine: internal.'
        ),
        expect={'INC-1936': 'internal'},
        suspected=[],
        services=[
            svc('session-svc', ['us-east-1'], [('redis-cloud', [])]),
            svc('rate-limiter', ['us-east-1'], [('redis-cloud', [])]),
        ],
        vendors=[('redis-cloud', 'Redis Cloud')],
        vincs=[vinc('redislabs', 'tyt4y97scvkn', 'redis-cloud', [])],
        changes=[
            change('2025-09-16T19:31', 'session-svc', 'deploy', 'v3.8.0', 'Connection pool: lazy connect, max 4'),
            change('2025-09-16T20:05', 'session-svc', 'deploy', 'v3.7.9', 'Rollback of v3.8.0'),
        ],
        incidents=[inc('INC-1936', 'session-svc', 'Logins failing intermittently', '2025-09-16T19:38', '2025-09-16T20:15')],
        series=[
            S('session-svc', 'us-east-1', spike(0.2, 22, hold=31, decay=2), 'Redis Cloud', 'ETIMEDOUT', None, 'GET session:{id}'),
            S('session-svc', 'us-east-1', spike(0.05, 8, start=1, hold=30, decay=2), None, 'SESSION_POOL_WAIT_TIMEOUT', None, 'POST /login'),
            S('rate-limiter', 'us-east-1', flat(0.3), 'redis-cloud', 'ETIMEDOUT', None, 'EVALSHA sliding_window'),
        ],
    )


@scenario
def ours_coredns_change_three_vendors_eai_again():
    t0 = '2025-10-10T17:22'
    return dict(
        name='r2-ours-coredns-change-three-vendors-eai-again',
        cls='ours-egress-all-vendors',
        onset=t0,
        end=50,
        description=(
            'New Relic s64hy0pgl3w3 (2025-10-10, impact major) "Data Irregularities - US Region" (Browser data ingest, '
            'alerts and UI in the US): first post 16:00Z, resolved 20:12Z. At 17:20Z we change the CoreDNS forwarders '
            '(platform-dns config); from 17:22Z, in the same minute, checkout (Stripe, New Relic) and notifications '
            '(Twilio, New Relic), both us-east-1, fail every call to every vendor with EAI_AGAIN, until we revert at '
            '17:58Z. Our incident opens 17:26Z. Three vendors failing at once with a resolver error, right after our DNS '
            'change, while only one of them has an incident: the common factor is us, internal.'
        ),
        expect={'INC-1726': 'internal'},
        suspected=[],
        services=[
            svc('checkout', ['us-east-1'], [('stripe', []), ('newrelic', ['Data Ingest : US / APM Agent : US'])]),
            svc('notifications', ['us-east-1'], [('twilio', ['Programmable Messaging / SMS']), ('newrelic', ['Data Ingest : US / APM Agent : US'])]),
        ],
        vendors=[('stripe', 'Stripe'), ('newrelic', 'New Relic'), ('twilio', 'Twilio')],
        vincs=[vinc('newrelic', 's64hy0pgl3w3', 'newrelic', ['US'])],
        changes=[
            change('2025-10-10T17:20', 'platform-dns', 'config', 'coredns-forwarders-v2', 'Forward external zones to the new resolver pair'),
            change('2025-10-10T17:58', 'platform-dns', 'config', 'coredns-forwarders-v1', 'Revert CoreDNS forwarders'),
        ],
        incidents=[inc('INC-1726', 'checkout', 'Checkout payments failing', '2025-10-10T17:26', '2025-10-10T18:10')],
        series=[
            S('checkout', 'us-east-1', spike(0, 14, ramp=1, hold=36, decay=1), 'Stripe', 'EAI_AGAIN', None, 'POST /v1/payment_intents'),
            S('checkout', 'us-east-1', spike(0, 6, ramp=1, hold=36, decay=1), 'New Relic', 'EAI_AGAIN', None, 'POST collector.newrelic.com'),
            S('notifications', 'us-east-1', spike(0, 9, ramp=1, hold=36, decay=1), 'Twilio', 'EAI_AGAIN', None, 'POST /2010-04-01/Accounts/{sid}/Messages.json'),
            S('notifications', 'us-east-1', spike(0, 5, ramp=1, hold=36, decay=1), 'newrelic', 'EAI_AGAIN', None, 'POST collector.newrelic.com'),
            S('checkout', 'us-east-1', flat(0.2), 'Stripe', 'HTTP_500', 500, 'POST /v1/payment_intents'),
            S('notifications', 'us-east-1', flat(0.15), 'Twilio', 'HTTP_503', 503, 'POST /2010-04-01/Accounts/{sid}/Messages.json'),
        ],
    )


@scenario
def ours_ca_bundle_deploy_tls_both_vendors_during_1password_outage():
    t0 = '2025-10-20T11:03'
    return dict(
        name='r2-ours-ca-bundle-deploy-tls-both-vendors-during-1password-outage',
        cls='ours-egress-all-vendors',
        onset=t0,
        end=50,
        description=(
            '1Password mncv42fq1s26 (2025-10-20, impact major) "Intermittent performance issues with 1Password.com" '
            '(USA/Global: website, sign in, access to items; the AWS us-east-1 outage day): first post 09:05Z, '
            'intermittent errors, resolved 2025-10-21 13:51Z. Our billing-worker (us-east-1) calls only 1Password (secrets) '
            'and Stripe. We deploy it on a new base image at 11:02Z; from 11:03Z, in the same minute, every call to both '
            'vendors fails certificate verification (UNABLE_TO_GET_ISSUER_CERT_LOCALLY, ~10 and ~18 a minute) until the '
            'rollback at 11:40Z, while its 1Password 5xx stay at baseline. Our incident opens 11:08Z. Every vendor of the '
            'service failing at once with a local trust error right after our deploy: internal, despite the vendor\'s '
            'incident.'
        ),
        expect={'INC-1108': 'internal'},
        suspected=[],
        services=[svc('billing-worker', ['us-east-1'], [('onepassword', ['USA/Global / Access to passwords and other items']), ('stripe', [])])],
        vendors=[('onepassword', '1Password'), ('stripe', 'Stripe')],
        vincs=[vinc('onepassword', 'mncv42fq1s26', 'onepassword', ['USA/Global'])],
        changes=[
            change('2025-10-20T11:02', 'billing-worker', 'deploy', 'v5.20.0-distroless', 'Move to the distroless base image'),
            change('2025-10-20T11:40', 'billing-worker', 'deploy', 'v5.19.2', 'Rollback of v5.20.0-distroless'),
        ],
        incidents=[inc('INC-1108', 'billing-worker', 'Invoice runs failing', '2025-10-20T11:08', '2025-10-20T11:50')],
        series=[
            S('billing-worker', 'us-east-1', spike(0, 10, ramp=1, hold=37, decay=1), '1Password', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', None, 'GET /v1/vaults/{id}/items'),
            S('billing-worker', 'us-east-1', spike(0, 18, ramp=1, hold=37, decay=1), 'Stripe', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', None, 'POST /v1/invoices'),
            S('billing-worker', 'us-east-1', flat(0.3), '1Password', 'HTTP_500', 500, 'GET /v1/vaults/{id}/items'),
            S('billing-worker', 'us-east-1', flat(0.15), 'Stripe', 'HTTP_500', 500, 'POST /v1/invoices'),
        ],
    )


@scenario
def ours_deadlocks_hour_after_discord_api_incident():
    t0 = '2025-11-17T23:34'
    return dict(
        name='r2-ours-deadlocks-hour-after-discord-api-incident',
        cls='ours-vendor-earlier',
        onset=t0,
        end=50,
        windows=[(-110, -10, 10), (-10, 35, 1), (35, 50, 5)],
        description=(
            'Discord 7qg3jjsxcv7p (2025-11-17, impact major) "API Availability Issues" (API): first post 21:57Z, fix '
            '22:27Z, resolved 22:33Z. Our guild-sync (us-east-1) saw a small rise of Discord 503s during it (~4 a minute, '
            '21:56–22:28Z, no incident of ours), then back to baseline. An hour later, from 23:34Z, its own errors spike: '
            'untagged DEADLOCK_DETECTED and TX_ROLLBACK (~18 a minute), Discord calls still at baseline; our incident opens '
            '23:40Z. The vendor\'s incident started and ended an hour before ours, our calls to it are healthy and the '
            'errors name our database: internal.'
        ),
        expect={'INC-2340': 'internal'},
        suspected=[],
        services=[svc('guild-sync', ['us-east-1'], [('discord', ['API'])])],
        vendors=[('discord', 'Discord')],
        vincs=[vinc('discord', '7qg3jjsxcv7p', 'discord', [])],
        incidents=[inc('INC-2340', 'guild-sync', 'Role sync lagging for large guilds', '2025-11-17T23:40', '2025-11-18T00:20')],
        series=[
            S('guild-sync', 'us-east-1', spike(0.2, 12, hold=33, decay=3), None, 'DEADLOCK_DETECTED', None, 'job sync-roles'),
            S('guild-sync', 'us-east-1', spike(0.1, 6, start=1, hold=32, decay=3), None, 'TX_ROLLBACK', None, 'job sync-roles'),
            S('guild-sync', 'us-east-1', [(-99, 0.25), (-97, 4), (-68, 4), (-65, 0.25)], 'Discord', 'HTTP_503', 503, 'PUT /api/v10/guilds/{id}/members/{uid}/roles/{rid}'),
        ],
    )


@scenario
def ours_thread_pool_twilio_us_sms_volume_healthy():
    t0 = '2025-01-13T22:12'
    return dict(
        name='r2-ours-thread-pool-twilio-us-sms-volume-healthy',
        cls='ours-calls-healthy',
        onset=t0,
        end=55,
        description=(
            'Twilio w7755w4g4zq1 (2025-01-13, impact major) "SMS / MMS Delivery Failures to Multiple Networks in the US '
            'and Canada for a Subset of Long Code and Toll free Numbers" (CARRIER NETWORK … North America): first post '
            '21:47Z, delivery recovering 23:00Z, resolved 00:53Z. Our otp-sender (us-east-1) reports its Twilio call '
            'volume every minute (~60 calls, pure volume reports) and its Twilio failures stay at ~0.3 a minute. From '
            '22:12Z its own errors spike: THREAD_POOL_EXHAUSTED and REQUEST_QUEUE_TIMEOUT, untagged, ~20 a minute; our '
            'incident opens 22:18Z. The vendor\'s incident covers our region, but our calls to it keep their volume and '
            'their usual failure rate while the errors name our own thread pool: internal.'
        ),
        expect={'INC-2218': 'internal'},
        suspected=[],
        services=[svc('otp-sender', ['us-east-1'], [('twilio', ['Programmable Messaging / SMS'])])],
        vendors=[('twilio', 'Twilio')],
        vincs=[vinc('twilio', 'w7755w4g4zq1', 'twilio', ['US', 'Canada', 'North America'])],
        incidents=[inc('INC-2218', 'otp-sender', 'Login codes not sent', '2025-01-13T22:18', '2025-01-13T23:05')],
        series=[
            S('otp-sender', 'us-east-1', spike(0.2, 13, hold=38, decay=4), None, 'THREAD_POOL_EXHAUSTED', None, 'POST /otp'),
            S('otp-sender', 'us-east-1', spike(0.1, 7, start=1, hold=37, decay=4), None, 'REQUEST_QUEUE_TIMEOUT', None, 'POST /otp'),
        ],
        calls=[dict(svc='otp-sender', vendor='Twilio', region='us-east-1', calls=60, fail=flat(0.3), status=500,
                    code='HTTP_500', ep='POST /2010-04-01/Accounts/{sid}/Messages.json', start=-45, end=50, volume_only=True)],
    )


@scenario
def ours_queue_full_anthropic_critical_call_ratio_flat():
    t0 = '2026-06-23T14:20'
    return dict(
        name='r2-ours-queue-full-anthropic-critical-call-ratio-flat',
        cls='ours-calls-healthy',
        onset=t0,
        end=55,
        description=(
            'Anthropic (Claude) jbhf20wjmzrf (2026-06-23, impact critical) "Elevated error rate across multiple models" '
            '(Claude API among others): first post 14:19Z, fix 14:53Z, "elevated error rates … from 14:08 UTC through '
            '15:33 UTC" 16:05Z, resolved 16:44Z. Our doc-summarizer (us-east-1) reports every minute its Anthropic calls '
            '(~40) with that minute\'s failures: they stay at the usual ~1%. From 14:20Z its own errors spike: QUEUE_FULL '
            'and BACKPRESSURE_REJECTED, untagged, ~18 a minute; our incident opens 14:26Z. A critical vendor incident in '
            'the window, but our calls to it keep their baseline failure ratio and the errors name our own queue: internal.'
        ),
        expect={'INC-1426': 'internal'},
        suspected=[],
        services=[svc('doc-summarizer', ['us-east-1'], [('anthropic', ['Claude API (api.anthropic.com)'])])],
        vendors=[('anthropic', 'Anthropic')],
        vincs=[vinc('claude', 'jbhf20wjmzrf', 'anthropic', [])],
        incidents=[inc('INC-1426', 'doc-summarizer', 'Document summaries delayed', '2026-06-23T14:26', '2026-06-23T15:10')],
        series=[
            S('doc-summarizer', 'us-east-1', spike(0.2, 12, hold=38, decay=4), None, 'QUEUE_FULL', None, 'POST /summaries'),
            S('doc-summarizer', 'us-east-1', spike(0.1, 6, start=1, hold=37, decay=4), None, 'BACKPRESSURE_REJECTED', None, 'POST /summaries'),
        ],
        calls=[dict(svc='doc-summarizer', vendor='Anthropic', region='us-east-1', calls=40, fail=flat(0.4), status=529,
                    code='overloaded_error', ep='POST /v1/messages', start=-45, end=55)],
    )


@scenario
def ours_oom_laravel_frankfurt_during_uae_outage():
    t0 = '2026-03-01T15:20'
    return dict(
        name='r2-ours-oom-laravel-frankfurt-during-uae-outage',
        cls='ours-other-region',
        onset=t0,
        end=55,
        description=(
            'Laravel Cloud f46d6c5wnykr (2026-03-01, impact major) "Increased Error Rates - Middle East (UAE)": first post '
            '13:43Z (AWS power and connectivity issues in me-central-1, "multiple service degradation across several '
            'Laravel Cloud components"), moved to maintenance 2026-03-03. Our booking-web runs on Laravel Cloud in '
            'Frankfurt; its Laravel Valkey calls stay at baseline. From 15:20Z its own PHP workers run out of memory and '
            'are OOMKilled (untagged, ~14 a minute); our incident opens 15:27Z. The vendor\'s incident is in the UAE, '
            'ours in Frankfurt with our calls to the vendor healthy and errors naming our workers: internal.'
        ),
        expect={'INC-1527': 'internal'},
        suspected=[],
        services=[svc('booking-web', ['Frankfurt'], [('laravel-cloud', ['Laravel Valkey / Laravel Valkey - EU Central (Frankfurt)'])])],
        vendors=[('laravel-cloud', 'Laravel Cloud')],
        vincs=[vinc('laravel', 'f46d6c5wnykr', 'laravel-cloud', ['Middle East (UAE)'])],
        incidents=[inc('INC-1527', 'booking-web', 'Booking pages returning errors', '2026-03-01T15:27', '2026-03-01T16:05')],
        series=[
            S('booking-web', 'Frankfurt', spike(0.2, 9, hold=34, decay=4), None, 'PHP_FATAL_MEMORY_EXHAUSTED', None, 'GET /bookings/{id}'),
            S('booking-web', 'Frankfurt', spike(0.05, 5, start=1, hold=33, decay=4), None, 'OOMKilled', None, 'worker php-fpm'),
            S('booking-web', 'Frankfurt', flat(0.2), 'Laravel Cloud', 'ETIMEDOUT', None, 'GET valkey booking:{id}'),
        ],
    )


@scenario
def ours_migration_lock_during_datadog_us1_incident():
    t0 = '2026-06-30T18:22'
    return dict(
        name='r2-ours-migration-lock-during-datadog-us1-incident',
        cls='ours-other-component',
        onset=t0,
        end=55,
        description=(
            'Datadog 71vvxf0rxxnz (2026-06-30, impact major) "Delayed data processing and errors in multiple products" '
            '(APM, CI Visibility, Database Monitoring, Error Tracking, RUM, Synthetics …, "in our US1 datacenter"): first '
            'post 17:51Z, fix 19:36Z, resolved 20:32Z. Our ledger-api (us-east-1) only sends metrics and logs to '
            'Datadog, and those calls stay at baseline. We deploy it at 18:20Z (v12.4.0, with a schema migration); from '
            '18:22Z its requests fail with MIGRATION_LOCK_HELD and DB_STATEMENT_TIMEOUT (untagged, ~20 a minute) until the '
            'migration is rolled back at 18:58Z. Our incident opens 18:27Z. A vendor incident on products we do not use, '
            'our calls to it healthy, errors naming our own migration right after our deploy: internal.'
        ),
        expect={'INC-1827': 'internal'},
        suspected=[],
        services=[svc('ledger-api', ['us-east-1'], [('datadog', ['Metrics', 'Logs'])])],
        vendors=[('datadog', 'Datadog')],
        vincs=[vinc('datadog', '71vvxf0rxxnz', 'datadog', [])],
        changes=[
            change('2026-06-30T18:20', 'ledger-api', 'deploy', 'v12.4.0', 'Ledger entries: add settlement_batch column'),
            change('2026-06-30T18:58', 'ledger-api', 'deploy', 'v12.3.7', 'Rollback of v12.4.0 and its migration'),
        ],
        incidents=[inc('INC-1827', 'ledger-api', 'Ledger writes failing', '2026-06-30T18:27', '2026-06-30T19:10')],
        series=[
            S('ledger-api', 'us-east-1', spike(0.1, 13, ramp=2, hold=36, decay=2), None, 'MIGRATION_LOCK_HELD', None, 'POST /ledger/entries'),
            S('ledger-api', 'us-east-1', spike(0.1, 7, start=1, ramp=2, hold=35, decay=2), None, 'DB_STATEMENT_TIMEOUT', None, 'GET /ledger/balances'),
            S('ledger-api', 'us-east-1', flat(0.2), 'Datadog', 'HTTP_503', 503, 'POST /api/v2/series'),
            S('ledger-api', 'us-east-1', flat(0.1), 'Datadog', 'ETIMEDOUT', None, 'POST /api/v2/logs'),
        ],
    )


# ------------------------------------------------ unclear


@scenario
def untagged_503_after_deploy_cloudflare_congestion():
    t0 = '2026-04-14T12:41'
    return dict(
        name='r2-untagged-503-after-deploy-cloudflare-congestion',
        cls='vendor-untagged',
        onset=t0,
        end=60,
        description=(
            'Cloudflare 213v4v7s7m97 (2026-04-14, impact major) "Network Congestion" (Network): first post 12:47Z '
            '("increased level of HTTP 5xx errors"), 13:06Z "possible network congestion in the Eastern America and EU", '
            'fix 13:28Z, resolved 00:27Z next day. Our web-frontend (us-east-1, behind Cloudflare) is deployed at 12:38Z '
            '(v9.0.1); from 12:41Z it logs untagged 503s and upstream timeouts (~14 a minute); we ship a hotfix v9.0.2 at '
            '13:26Z and the errors fade by 13:31Z, as the vendor\'s fix lands. Our incident opens 12:45Z. Untagged 5xx that '
            'a major vendor incident covering our region explains as well as our own deploy just before (and both '
            'remedies came at the same minutes): unclear.'
        ),
        expect={'INC-1245': 'unclear'},
        services=[svc('web-frontend', ['us-east-1'], [('cloudflare', ['Cloudflare Sites and Services / Network', 'Cloudflare Sites and Services / CDN/Cache']), ('stripe', [])])],
        vendors=[('cloudflare', 'Cloudflare'), ('stripe', 'Stripe')],
        vincs=[vinc('cloudflare', '213v4v7s7m97', 'cloudflare', [])],
        changes=[
            change('2026-04-14T12:38', 'web-frontend', 'deploy', 'v9.0.1', 'SSR cache headers and image loader'),
            change('2026-04-14T13:26', 'web-frontend', 'deploy', 'v9.0.2', 'Hotfix: image loader timeout'),
        ],
        incidents=[inc('INC-1245', 'web-frontend', 'Site intermittently returning 503', '2026-04-14T12:45', '2026-04-14T13:40')],
        series=[
            S('web-frontend', 'us-east-1', spike(0.2, 10, hold=46, decay=4), None, 'HTTP_503', 503, 'GET /'),
            S('web-frontend', 'us-east-1', spike(0.1, 4, start=1, hold=45, decay=4), None, 'UPSTREAM_TIMEOUT', None, 'GET /products/{slug}'),
            S('web-frontend', 'us-east-1', flat(0.15), 'Stripe', 'HTTP_500', 500, 'POST /v1/payment_intents'),
        ],
    )


@scenario
def zoom_phone_silent_modest_rise_dialer():
    t0 = '2026-01-15T20:11'
    iid = modelled_on('zoom', 'xzjnqhyptk4f')
    return dict(
        name='r2-zoom-phone-silent-modest-rise-dialer',
        cls='vendor-silent-weak',
        onset=t0,
        end=40,
        description=(
            f'Modelled on Zoom {iid} (2026-01-15, impact minor) "Service Degradation Affecting Zoom Phone - North America": '
            'a single retroactive post at 21:08Z ("a small subset of users may have experienced call drops from 20:11 UTC '
            'to 20:29 UTC"); here the post is withheld and Zoom\'s page shows nothing. Our sales-dialer (us-east-1) sees '
            'its Zoom Phone errors rise from ~0.3 to ~2.5 a minute, 20:11–20:29Z, nothing else of ours moves; our incident '
            'opens 20:18Z. One service, a modest rise on a vendor that says nothing: unclear.'
        ),
        expect={'INC-2018': 'unclear'},
        services=[svc('sales-dialer', ['us-east-1'], [('zoom', ['Zoom Phone - NORTH AMERICA / Calling (Inbound/Outbound)']), ('hubspot', [])])],
        vendors=[('zoom', 'Zoom'), ('hubspot', 'HubSpot')],
        vincs=[],
        incidents=[inc('INC-2018', 'sales-dialer', 'Dialer calls dropping', '2026-01-15T20:18', '2026-01-15T20:40')],
        series=[
            S('sales-dialer', 'us-east-1', [(-1, 0.2), (2, 1.8), (10, 1.5), (17, 1.7), (19, 0.2)], 'Zoom', 'SIP_503', 503, 'POST /v2/phone/call_logs'),
            S('sales-dialer', 'us-east-1', [(-1, 0.1), (2, 0.8), (17, 0.8), (19, 0.1)], 'Zoom', 'ETIMEDOUT', None, 'POST /v2/phone/users/{id}/calls'),
            S('sales-dialer', 'us-east-1', flat(0.15), 'HubSpot', 'HTTP_502', 502, 'POST /crm/v3/objects/calls'),
        ],
    )


@scenario
def newrelic_page_timeouts_modest_export_errors():
    t0 = '2026-03-03T00:14'
    iid = modelled_on('newrelic', 'y742xjh1g2vh')
    return dict(
        name='r2-newrelic-page-timeouts-modest-export-errors',
        cls='vendor-blind',
        onset=t0,
        end=50,
        description=(
            f'Modelled on New Relic {iid} (2026-03-03, impact major) "Data Irregularities" (delayed data in the US and '
            'EU, 00:11–02:45Z): here its status page cannot be read, every poll timing out from 00:05Z until 01:30Z '
            '(vendorHealth), so no post reaches us. Our telemetry-gateway (us-east-1) sees its New Relic export errors rise '
            'from ~0.3 to ~2 a minute, 00:14–00:40Z; nothing else of ours moves; our incident opens 00:22Z. A vendor we '
            'cannot read and only a modest rise of one service: not internal (blind), not enough for upstream: unclear.'
        ),
        expect={'INC-0022': 'unclear'},
        services=[svc('telemetry-gateway', ['us-east-1'], [('newrelic', []), ('github', [])])],
        vendors=[('newrelic', 'New Relic'), ('github', 'GitHub')],
        vincs=[],
        health=[
            {'vendor': 'newrelic', 'at': '2026-03-03T00:05:00Z', 'state': 'timeout', 'reason': 'GET https://status.newrelic.com/api/v2/summary.json timed out after 10s'},
            {'vendor': 'newrelic', 'at': '2026-03-03T01:30:00Z', 'state': 'ok'},
        ],
        incidents=[inc('INC-0022', 'telemetry-gateway', 'Telemetry export retries climbing', '2026-03-03T00:22', '2026-03-03T00:50')],
        series=[
            S('telemetry-gateway', 'us-east-1', [(-1, 0.25), (3, 1.6), (20, 1.4), (26, 1.5), (28, 0.25)], 'New Relic', 'HTTP_503', 503, 'POST /metric/v1'),
            S('telemetry-gateway', 'us-east-1', [(-1, 0.05), (3, 0.5), (26, 0.5), (28, 0.05)], 'New Relic', 'ETIMEDOUT', None, 'POST /log/v1'),
            S('telemetry-gateway', 'us-east-1', flat(0.1), 'GitHub', 'HTTP_502', 502, 'GET /repos/{owner}/{repo}/releases/latest'),
        ],
    )


@scenario
def vercel_iad1_untagged_502_after_flag_flip():
    t0 = '2026-05-08T02:06'
    return dict(
        name='r2-vercel-iad1-untagged-502-after-flag-flip',
        cls='vendor-untagged',
        onset=t0,
        end=60,
        description=(
            'Vercel c5zv0h9jh4g4 (2026-05-08, impact minor) "Elevated errors across multiple services in IAD1 '
            '(Washington, D.C., USA)" (Functions, Queues, Routing Middleware, Workflow): first post 01:18Z, traffic '
            're-routed 01:47Z ("if no other regions are configured, the function will still be invoked in IAD1"), queues '
            'paused 02:13Z, fix 04:54Z, resolved 06:39Z. Our marketing-site runs its functions only in iad1. At 02:04Z '
            'we turn on the edge-personalization flag; from 02:06Z it logs untagged 502s and FUNCTION_INVOCATION_FAILED '
            '(~12 a minute) until about 02:50Z, with no rollback. Our incident opens 02:12Z. Untagged errors that the '
            'vendor\'s incident on our region and component explains as well as our flag flip two minutes before: unclear.'
        ),
        expect={'INC-0212': 'unclear'},
        services=[svc('marketing-site', ['iad1'], [('vercel', ['Functions', 'Routing Middleware'])])],
        vendors=[('vercel', 'Vercel')],
        vincs=[vinc('vercel', 'c5zv0h9jh4g4', 'vercel', ['IAD1', 'Washington, D.C., USA'])],
        changes=[change('2026-05-08T02:04', 'marketing-site', 'flag', 'edge-personalization=on', 'Personalized hero on the landing pages')],
        incidents=[inc('INC-0212', 'marketing-site', 'Landing pages erroring', '2026-05-08T02:12', '2026-05-08T03:05')],
        series=[
            S('marketing-site', 'iad1', spike(0.2, 8, hold=44, decay=6), None, 'HTTP_502', 502, 'GET /'),
            S('marketing-site', 'iad1', spike(0.05, 4, start=1, hold=43, decay=6), None, 'FUNCTION_INVOCATION_FAILED', 500, 'GET /pricing'),
        ],
    )


# ---------------------------------------------------------------- build

ORDER = ['name', 'class', 'description', 'expect', 'suspectedExpected', 'services', 'vendors', 'vendorIncidents',
         'vendorSnapshots', 'vendorHealth', 'changes', 'incidents', 'errors']


def used_elsewhere():
    text = ''
    for f in glob.glob(os.path.join(ROOT, 'test', 'scenarios', '*.json')) + glob.glob(os.path.join(OUT, '*.json')):
        if not os.path.basename(f).startswith('r2-'):
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
                raise SystemExit(f'{sc["name"]}: incident {iid} used twice in round 2')
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
