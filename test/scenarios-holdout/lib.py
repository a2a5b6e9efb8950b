"""Helpers for the holdout scenario generator (gen.py): real vendor incidents from stactus, seeded
per-minute error series, call-volume reports. Standard library only."""
import json, math, os, random, re
from datetime import datetime, timedelta, timezone

FIXTURES = os.environ.get(
    'UPCAUSE_FIXTURES',
    os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'shared', 'fixtures'),
)
STACTUS = os.path.join(FIXTURES, 'real', 'stactus')
_cache = {}


def T(s):
    return datetime.strptime(s, '%Y-%m-%dT%H:%M:%SZ' if len(s) > 16 else '%Y-%m-%dT%H:%MZ').replace(tzinfo=timezone.utc)


def iso(dt):
    return dt.astimezone(timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')


def stactus(vendor_file, incident_id):
    key = (vendor_file, incident_id)
    if key not in _cache:
        with open(os.path.join(STACTUS, vendor_file + '.jsonl')) as f:
            for line in f:
                d = json.loads(line)
                if d.get('id') == incident_id:
                    _cache[key] = d
                    break
            else:
                raise KeyError(key)
    return _cache[key]


def _cut(body, limit=1100):
    body = body.strip()
    if len(body) <= limit:
        return body
    head = body[:limit]
    m = max(head.rfind('. '), head.rfind('.<br />'))
    return (head[: m + 1] if m > 200 else head).rstrip() + ' …'


_BARE_ID = re.compile(r'^[a-z0-9]{12}$')


def vendor_incident(vendor_id, vendor_file, incident_id, regions=(), max_updates=None, kind=None,
                    upto=None):
    """The stactus record as a scenario vendorIncident. max_updates keeps the first post, the
    resolution and evenly spaced ones between; upto drops updates after that instant."""
    d = stactus(vendor_file, incident_id)
    ups = sorted(d['incident_updates'], key=lambda u: u['created_at'])
    if upto:
        ups = [u for u in ups if T(u['created_at']) <= T(upto)]
    if max_updates and len(ups) > max_updates:
        n = max_updates
        idx = sorted({round(i * (len(ups) - 1) / (n - 1)) for i in range(n)})
        ups = [ups[i] for i in idx]
    comps = [c['name'] for c in d.get('components', []) if c.get('name') and not _BARE_ID.match(c['name'])]
    out = {
        'vendor': vendor_id,
        'id': d['id'],
        'title': d['name'],
        'impact': d['impact'],
    }
    if kind:
        out['kind'] = kind
    out.update({
        'startedAt': d['created_at'],
        'resolvedAt': d.get('resolved_at'),
        'components': comps,
        'regions': list(regions),
        'updates': [{'at': u['created_at'], 'status': u['status'], 'body': _cut(u['body'])} for u in ups],
    })
    return out


def poisson(rng, lam):
    if lam <= 0:
        return 0
    if lam > 60:
        return max(0, int(round(rng.gauss(lam, math.sqrt(lam)))))
    L, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= L:
            return k
        k += 1


def interp(points, x, base):
    """Piecewise-linear rate: before the first point `base`, after the last point its value."""
    if not points or x < points[0][0]:
        return base
    for (x0, y0), (x1, y1) in zip(points, points[1:]):
        if x0 <= x < x1:
            return y0 + (y1 - y0) * (x - x0) / (x1 - x0)
    return points[-1][1]


def windows(start, end, plan):
    """plan: list of (from_min, to_min, size_min) relative offsets; yields (t0_offset, size)."""
    out = []
    for a, b, size in plan:
        m = max(a, start)
        while m < min(b, end):
            s = min(size, min(b, end) - m)
            out.append((m, s))
            m += s
    return out


def series(rng, onset, service, *, mix, base=0.3, points=(), start=-90, end=60, vendor=None, region=None,
           endpoint=None, plan=None, calls=None, customer=None):
    """Aggregated error events for one service (and vendor). mix: [(code|None, status|None, weight)].
    Rate per minute is `base` before the spike and `points` [(minute offset from onset, rate)] after.
    calls: function(minute offset) -> calls that minute; then one event per minute carries them."""
    if plan is None:
        plan = [(start, -10, 10), (-10, 35, 1), (35, 10_000, 5)]
    evs = []
    total_w = sum(w for _, _, w in mix)
    for off, size in windows(start, end, plan):
        rate = sum(interp(points, off + k + 0.5, base) for k in range(size))
        n = poisson(rng, rate)
        if calls is not None:
            # one event per minute: the minute's failures (dominant code drawn by weight) and its calls
            assert size == 1, 'calls need per-minute windows'
            c = max(1, int(round(calls(off) * rng.uniform(0.93, 1.07))))
            n = min(n, c)
            if n == 0:
                ev = _ev(onset, off, 1, rng, service, vendor, region, None, None, None, endpoint, customer)
                ev['calls'] = c
                evs.append(ev)
                continue
            code, status = _pick(rng, mix, total_w)
            ev = _ev(onset, off, 1, rng, service, vendor, region, code, status, n, endpoint, customer)
            ev['calls'] = c
            evs.append(ev)
            continue
        if n == 0:
            continue
        counts = {}
        for _ in range(n):
            k = _pick(rng, mix, total_w)
            counts[k] = counts.get(k, 0) + 1
        for (code, status), c in sorted(counts.items(), key=lambda kv: str(kv[0])):
            evs.append(_ev(onset, off, size, rng, service, vendor, region, code, status, c, endpoint, customer))
    return evs


def volume(rng, onset, service, vendor, region, calls, start=-45, end=60):
    """Pure volume reports, one a minute: {at, service, vendor, region, calls}."""
    out = []
    for off in range(start, end):
        c = max(1, int(round(calls(off) * rng.uniform(0.93, 1.07))))
        ev = {'at': iso(onset + timedelta(minutes=off, seconds=rng.randint(50, 59))), 'service': service,
              'vendor': vendor}
        if region:
            ev['region'] = region
        ev['calls'] = c
        out.append(ev)
    return out


def _pick(rng, mix, total_w):
    r = rng.random() * total_w
    for code, status, w in mix:
        r -= w
        if r <= 0:
            return (code, status)
    return (mix[-1][0], mix[-1][1])


def _ev(onset, off, size, rng, service, vendor, region, code, status, count, endpoint, customer):
    at = onset + timedelta(minutes=off, seconds=rng.randint(0, size * 60 - 1))
    ev = {'at': iso(at), 'service': service}
    if vendor:
        ev['vendor'] = vendor
    if region:
        ev['region'] = region
    if code is not None:
        ev['code'] = code
    if status is not None:
        ev['status'] = status
    if count is not None:
        ev['count'] = count
    if customer:
        ev['customer'] = customer
    if endpoint:
        ev['endpoint'] = endpoint
    return ev


def html_503(kind=0):
    bodies = [
        '<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n<body>\r\n<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n',
        '<!DOCTYPE html>\n<html><head><title>Service Unavailable</title></head><body><h1>Service Unavailable</h1><p>The service is temporarily unavailable. Please try again later.</p></body></html>\n',
    ]
    return bodies[kind % len(bodies)]
