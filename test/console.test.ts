import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApi } from '../src/api/server.js';
import type { Config } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { sessionValue, tokenForLogin, viewerFromSession } from '../src/console/session.js';
import { runCheck } from '../src/store/check.js';
import { createVendorStore } from '../src/store/vendors.js';
import { readToken, ingestToken, startTestApi, type TestApi } from './support/api.js';
import { consoleConfig, seedConsole, seeded } from './support/browser.js';
import { createTestRedis, type TestRedis } from './support/redis.js';

/** Cookies a client keeps between requests, as a browser would (name → value). */
class Jar {
  readonly cookies = new Map<string, string>();
  take(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1);
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

async function get(url: string, jar?: Jar, headers: Record<string, string> = {}): Promise<Response> {
  const res = await fetch(url, {
    redirect: 'manual',
    headers: { accept: 'text/html', ...(jar ? { cookie: jar.header() } : {}), ...headers },
  });
  jar?.take(res);
  return res;
}

async function post(url: string, jar: Jar, form: Record<string, string>): Promise<Response> {
  const res = await fetch(url, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      accept: 'text/html',
      'content-type': 'application/x-www-form-urlencoded',
      cookie: jar.header(),
    },
    body: new URLSearchParams(form).toString(),
  });
  jar.take(res);
  return res;
}

/** HTML-escaped as the templates escape text (eta's default). */
const entities: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => entities[c]!);
}

function csrfOf(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match) throw new Error('no CSRF token in the page');
  return match[1]!;
}

/** Logs in with `token` through the login form; returns the jar holding the session. */
async function login(base: string, token: string): Promise<{ jar: Jar; res: Response }> {
  const jar = new Jar();
  const page = await get(`${base}/login`, jar);
  const res = await post(`${base}/login`, jar, {
    _csrf: csrfOf(await page.text()),
    token,
    next: '/incidents',
  });
  return { jar, res };
}

describe('console without tokens: open on loopback only', () => {
  let seededAt: number;
  let t: TestRedis;
  let api: TestApi;
  let config: Config;

  beforeAll(async () => {
    t = await createTestRedis('console-open');
    config = consoleConfig(t);
    seededAt = Date.now();
    await seedConsole(t, seededAt, { hostile: true });
    api = await startTestApi(t, config, 'console-open');
  });
  afterAll(async () => {
    await api?.close();
    await t?.cleanup();
  });

  test('the board lists every watched vendor with status, freshness, open incidents and a sparkline', async () => {
    const res = await get(`${api.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await res.text();
    for (const name of ['100ms', 'Twilio', 'Stripe', 'Cloudflare']) expect(html).toContain(`>${name}</a>`);
    expect(html).toContain(seeded.vendorIncidentTitle);
    expect(html).toContain('Never read'); // stripe: never read
    expect(html).toContain('Stale'); // cloudflare: last read 3 h ago
    expect(html).toMatch(
      /<svg class="spark" [^>]*role="img" aria-label="Our errors on 100ms over the last 24 hours: peak 2\d per minute/,
    );
    // The worst first: 100ms (major) before Stripe (unknown) before Twilio (operational).
    expect(html.indexOf('/vendors/100ms')).toBeLessThan(html.indexOf('/vendors/stripe'));
    expect(html.indexOf('/vendors/stripe')).toBeLessThan(html.indexOf('/vendors/twilio'));
    // Landmarks and the skip link.
    expect(html).toContain('<a class="skip-link" href="#main">');
    expect(html).toMatch(/<nav class="main-nav" aria-label="Main">/);
    expect(html).toContain('<main id="main"');
    expect(html).toContain('<th scope="col">Data freshness</th>');
    // It reloads itself each minute, unless asked not to.
    expect(html).toContain('<meta http-equiv="refresh" content="60">');
    const still = await (await get(`${api.url}/?refresh=off`)).text();
    expect(still).not.toContain('http-equiv="refresh"');
    expect(still).toContain('<a href="/">Reload every minute</a>');
  });

  test('markup in vendor and incident titles is shown escaped, and a javascript: link is not a link', async () => {
    const vendorPage = await (await get(`${api.url}/vendors/twilio`)).text();
    expect(vendorPage).toContain(
      '&lt;script&gt;alert(&quot;owned&quot;)&lt;/script&gt; Degraded &lt;b&gt;SMS&lt;/b&gt;',
    );
    expect(vendorPage).not.toContain('<script>');
    expect(vendorPage).not.toContain('javascript:');
    const board = await (await get(`${api.url}/`)).text();
    expect(board).toContain('&lt;script&gt;');
    expect(board).not.toContain('<script>');
    const incident = await (await get(`${api.url}/incidents/${seeded.incidentId}`)).text();
    expect(incident).toContain('&lt;b&gt;SMS&lt;/b&gt;');
    expect(incident).not.toMatch(/<script|<b>SMS/);
  });

  test('the incident page shows the verdict, ranked candidates with evidence and the versions', async () => {
    const html = await (await get(`${api.url}/incidents/${seeded.incidentId}`)).text();
    expect(html).toContain('Upstream (vendor)');
    expect(html).toContain('86% confidence');
    expect(html).toContain(seeded.evidence);
    expect(html).toContain(`href="https://status.100ms.live/incidents/hms-rtmp-eu"`);
    expect(html).toContain('No deploy of backstage in the 2 h before onset');
    expect(html.indexOf('>100ms</a>')).toBeLessThan(html.indexOf('>Twilio</a>'));
    // Two versions, newest first: 2 (upstream) then 1 (unclear).
    const versions = [...html.matchAll(/<th scope="row" data-label="Version">(\d+)<\/th>/g)].map((m) => m[1]);
    expect(versions).toEqual(['2', '1']);
    const list = await (await get(`${api.url}/incidents`)).text();
    expect(list).toContain(`href="/incidents/${seeded.incidentId}"`);
    expect(list).toContain('Upstream (vendor)');
  });

  test('the vendor page shows the suspected issue, its acknowledgment lag, history and our errors', async () => {
    const html = await (await get(`${api.url}/vendors/100ms`)).text();
    expect(html).toContain('Median acknowledgment lag: <strong>12 min</strong>, worst 12 min.');
    expect(html).toContain('12 min later');
    expect(html).toContain('<strong>1</strong> not acknowledged.');
    expect(html).toContain('Never acknowledged');
    expect(html).toContain('Recording delays in India');
    expect(html).toContain(seeded.vendorIncidentTitle);
    expect(html).toMatch(/Showing 2 of 2/);
    expect(html).toMatch(/<strong>[\d,]+<\/strong> errors \(client errors left out\)/);
    expect(html).toContain('From our services: backstage (');
  });

  test('the vendor page says what the last good read could not read', async () => {
    await t.redis.hset(
      t.keys.vendorHealth('100ms'),
      'partial',
      'incidents.json answered HTTP 404: recent resolved incidents not read',
    );
    try {
      const html = await (await get(`${api.url}/vendors/100ms`)).text();
      expect(html).toContain(
        '<dt>Partly read</dt><dd>incidents.json answered HTTP 404: recent resolved incidents not read</dd>',
      );
    } finally {
      await t.redis.hdel(t.keys.vendorHealth('100ms'), 'partial');
    }
    expect(await (await get(`${api.url}/vendors/100ms`)).text()).not.toContain('Partly read');
  });

  test('unknown pages answer 404 pages for browsers, and the JSON API keeps its JSON 404', async () => {
    const page = await get(`${api.url}/no-such-page`);
    expect(page.status).toBe(404);
    expect(await page.text()).toContain('<h1>Page not found</h1>');
    const vendor = await get(`${api.url}/vendors/nope`);
    expect(vendor.status).toBe(404);
    expect(await vendor.text()).toContain('No watched vendor has the id &quot;nope&quot;.');
    const incident = await get(`${api.url}/incidents/INC-none`);
    expect(incident.status).toBe(404);
    const json = await fetch(`${api.url}/v1/no-such-route`, { headers: { accept: 'text/html' } });
    expect(json.status).toBe(404);
    expect(await json.json()).toEqual({
      message: 'Route GET:/v1/no-such-route not found',
      error: 'Not Found',
      statusCode: 404,
    });
  });

  test('the check form refuses a bad field by name, next to the field, keeping what was typed', async () => {
    const res = await get(`${api.url}/check?vendor=any&region=${'x'.repeat(201)}&at=&service=&customer=acme`);
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('<p id="region-error" class="field-error">');
    expect(html).toContain('region is longer than 200 characters');
    expect(html).toContain('aria-invalid="true" aria-describedby="region-hint region-error"');
    expect(html).toContain('value="acme"');
    const blank = await (await get(`${api.url}/check`)).text();
    expect(blank).toContain('<label for="vendor">Vendor</label>');
    expect(blank).not.toContain('id="answer-heading"');
  });

  test('the check page answers as runCheck does for every vendor, and the answer is linkable', async () => {
    const verdicts = new Set<string>();
    for (const vendor of ['100ms', 'twilio', 'stripe', 'cloudflare', 'any']) {
      const query = { vendor, region: 'eu', at: new Date(seededAt + 60_000).toISOString() };
      const direct = await runCheck(
        { redis: t.redis, keys: t.keys, config },
        vendor === 'any' ? { region: query.region, at: query.at } : query,
      );
      verdicts.add(direct.verdict);
      const res = await get(`${api.url}/check?${new URLSearchParams(query).toString()}`);
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(html).toContain(`<p class="summary" id="answer-summary">${escapeHtml(direct.summary)}</p>`);
      expect(html).toContain(`<option value="${vendor}" selected>`);
      expect(html).toContain(`<section class="answer answer-`);
      for (const line of direct.evidence) expect(html).toContain(escapeHtml(line));
      for (const v of direct.vendors) expect(html).toContain(`href="/vendors/${v.vendor}"`);
    }
    // The seeded world covers several verdicts: an incident hitting us, unreadable pages, a quiet vendor.
    expect(verdicts.has('vendor-incident')).toBe(true);
    expect(verdicts.has('vendor-unknown')).toBe(true);
    expect(verdicts.size).toBeGreaterThanOrEqual(3);
  });

  test('a client that is not on loopback gets 403 while no tokens are configured', async () => {
    const producer = t.redis.duplicate();
    const app = createApi({
      config,
      store: createVendorStore(producer, t.keys),
      redis: producer,
      logger: createLogger('silent'),
    });
    try {
      const remote = await app.inject({
        url: '/',
        remoteAddress: '203.0.113.9',
        headers: { accept: 'text/html' },
      });
      expect(remote.statusCode).toBe(403);
      expect(remote.body).toContain('Console open on this machine only');
      const local = await app.inject({ url: '/', remoteAddress: '127.0.0.1' });
      expect(local.statusCode).toBe(200);
      const mapped = await app.inject({ url: '/', remoteAddress: '::ffff:127.0.0.1' });
      expect(mapped.statusCode).toBe(200);
    } finally {
      await app.close();
      producer.disconnect();
    }
  });
});

describe('console with tokens: login, sessions, CSRF', () => {
  let t: TestRedis;
  let api: TestApi;
  let config: Config;

  beforeAll(async () => {
    t = await createTestRedis('console-auth');
    config = consoleConfig(t, { tokens: true });
    await seedConsole(t, Date.now());
    api = await startTestApi(t, config, 'console-auth');
  });
  afterAll(async () => {
    await api?.close();
    await t?.cleanup();
  });

  test('pages redirect to the login page, keeping where the person wanted to go', async () => {
    const board = await get(`${api.url}/`);
    expect(board.status).toBe(303);
    expect(board.headers.get('location')).toBe('/login');
    const vendor = await get(`${api.url}/vendors/100ms`);
    expect(vendor.headers.get('location')).toBe('/login?next=%2Fvendors%2F100ms');
    const css = await get(`${api.url}/assets/console.css`);
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);
  });

  test('a read token logs in: a signed httpOnly same-site session, then the pages open', async () => {
    const { jar, res } = await login(api.url, readToken);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/incidents');
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('upcause_session='))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/Secure/i); // plain http here
    expect(cookie).toMatch(/Max-Age=43200/);
    const page = await get(`${api.url}/incidents`, jar);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Signed in as <strong>support-desk</strong>');
  });

  test('behind a proxy that terminated TLS, the session and CSRF cookies are https-only', async () => {
    const jar = new Jar();
    const https = { 'x-forwarded-proto': 'https' };
    const page = await get(`${api.url}/login`, jar, https);
    expect(page.headers.getSetCookie().find((c) => c.startsWith('upcause_csrf='))).toMatch(/; Secure/i);
    const res = await fetch(`${api.url}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { ...https, 'content-type': 'application/x-www-form-urlencoded', cookie: jar.header() },
      body: new URLSearchParams({ _csrf: csrfOf(await page.text()), token: readToken }).toString(),
    });
    expect(res.status).toBe(303);
    expect(res.headers.getSetCookie().find((c) => c.startsWith('upcause_session='))).toMatch(/; Secure/i);
  });

  test('a session cookie whose value was changed is refused', async () => {
    const { jar } = await login(api.url, readToken);
    const value = jar.cookies.get('upcause_session')!;
    jar.cookies.set('upcause_session', value.replace('support-desk', 'admin-token'));
    expect((await get(`${api.url}/`, jar)).status).toBe(303);
  });

  test('a wrong token, or one without the read scope, is refused with the reason on the form', async () => {
    for (const token of ['not-a-token-at-all-0000', ingestToken]) {
      const { jar, res } = await login(api.url, token);
      expect(res.status).toBe(401);
      const html = await res.text();
      expect(html).toContain('token: this token is unknown or lacks the &quot;read&quot; scope');
      expect(html).toContain('aria-describedby="token-error"');
      expect(jar.cookies.has('upcause_session')).toBe(false);
    }
  });

  test('a post without the CSRF token is refused, whether login or logout', async () => {
    const jar = new Jar();
    await get(`${api.url}/login`, jar);
    const forged = await post(`${api.url}/login`, jar, { token: readToken });
    expect(forged.status).toBe(403);
    expect(await forged.text()).toContain('Form expired');
    expect(jar.cookies.has('upcause_session')).toBe(false);

    const { jar: session } = await login(api.url, readToken);
    const logout = await post(`${api.url}/logout`, session, {});
    expect(logout.status).toBe(403);
    expect((await get(`${api.url}/`, session)).status).toBe(200); // still logged in
    const wrong = await post(`${api.url}/logout`, session, { _csrf: 'forged-token' });
    expect(wrong.status).toBe(403);
  });

  test('logout (a CSRF-safe post) ends the session', async () => {
    const { jar } = await login(api.url, readToken);
    const board = await get(`${api.url}/`, jar);
    const out = await post(`${api.url}/logout`, jar, { _csrf: csrfOf(await board.text()) });
    expect(out.status).toBe(303);
    expect(out.headers.get('location')).toBe('/login');
    expect(jar.cookies.has('upcause_session')).toBe(false);
    expect((await get(`${api.url}/`, jar)).status).toBe(303);
  });

  test('login never redirects to another host', async () => {
    const jar = new Jar();
    const page = await get(`${api.url}/login?next=//evil.example/x`, jar);
    const html = await page.text();
    expect(html).toContain('name="next" value="/"');
    const res = await post(`${api.url}/login`, jar, {
      _csrf: csrfOf(html),
      token: readToken,
      next: '//evil.example/x',
    });
    expect(res.headers.get('location')).toBe('/');
  });

  test('the JSON API keeps its bearer auth and its content types', async () => {
    const { jar } = await login(api.url, readToken);
    const withCookie = await fetch(`${api.url}/v1/vendors`, { headers: { cookie: jar.header() } });
    expect(withCookie.status).toBe(401); // a console session is not an API credential
    const form = await fetch(`${api.url}/v1/incidents`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${ingestToken}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'id=INC-1&service=x',
    });
    expect(form.status).toBe(415);
  });

  test('a session ends at its lifetime, and when its token leaves the config', () => {
    const token = config.api.tokens.find((x) => x.name === 'support-desk')!;
    const now = Date.parse('2026-01-01T00:00:00Z');
    const value = sessionValue(config, token, now);
    expect(viewerFromSession(config, value, now + 1000)).toEqual({ name: 'support-desk', via: 'session' });
    expect(viewerFromSession(config, value, now + config.api.console.sessionTtl + 1)).toBeNull();
    const rotated = {
      ...config,
      api: { ...config.api, tokens: [{ ...token, token: 'a-new-token-0123456789abcdef' }] },
    };
    expect(viewerFromSession(rotated, value, now + 1000)).toBeNull();
  });

  test('a login takes a read or admin token only, compared in full', () => {
    const admin = {
      ...config,
      api: {
        ...config.api,
        tokens: [{ name: 'ops', token: 'admin-token-0123456789abcdef', scopes: ['admin' as const] }],
      },
    };
    expect(tokenForLogin(admin, 'admin-token-0123456789abcdef')?.name).toBe('ops');
    expect(tokenForLogin(admin, 'admin-token-0123456789abcde')).toBeNull();
    expect(tokenForLogin(config, readToken)?.name).toBe('support-desk');
    expect(tokenForLogin(config, ingestToken)).toBeNull();
  });
});

describe('console behind a trusted reverse proxy', () => {
  let t: TestRedis;
  let api: TestApi;

  beforeAll(async () => {
    t = await createTestRedis('console-proxy');
    const config = consoleConfig(t, { tokens: true, console: { trustedUserHeader: 'x-forwarded-user' } });
    api = await startTestApi(t, config, 'console-proxy');
  });
  afterAll(async () => {
    await api?.close();
    await t?.cleanup();
  });

  test('the header the proxy sets is trusted as the viewer; without it, login is required', async () => {
    const trusted = await get(`${api.url}/`, undefined, { 'x-forwarded-user': 'alice@example.com' });
    expect(trusted.status).toBe(200);
    const html = await trusted.text();
    expect(html).toContain('Signed in as <strong>alice@example.com</strong>');
    expect(html).not.toContain('action="/logout"'); // the proxy owns the login
    expect((await get(`${api.url}/`)).status).toBe(303);
  });
});
