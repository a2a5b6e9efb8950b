import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { stringify } from 'yaml';
import type { Config } from '../src/config.js';
import { addDays, dayIn, digestPeriod } from '../src/core/digest/period.js';
import type { Digest } from '../src/core/digest/types.js';
import { writeDigestRun, type DigestRun } from '../src/store/digest-runs.js';
import { apiConfig, ingestToken, readToken, sendJson, startTestApi, type TestApi } from './support/api.js';
import { consoleConfig } from './support/browser.js';
import { runCli } from './support/cli.js';
import { createTestRedis, redisUrl, type TestRedis } from './support/redis.js';

const timeZone = 'Europe/Paris';

function run(periodId: string, by: string): DigestRun {
  return {
    period: digestPeriod(periodId, 1, timeZone),
    state: 'done',
    trigger: 'schedule',
    startedAt: `${periodId}T06:00:00.000Z`,
    finishedAt: `${periodId}T06:00:02.000Z`,
    by,
    vendors: ['stripe'],
    quiet: 1,
    files: [{ format: 'md', path: `/var/digests/upcause-digest-${periodId}.md`, error: null }],
    deliveries: [{ sink: 'hook', key: 'dlv-0123456789abcdef0123456789abcdef' }],
  };
}

describe('upcause digest (CLI, in process, real Redis)', () => {
  let t: TestRedis;
  let dir: string;
  let configPath: string;
  const cli = (...args: string[]) => runCli(['--config', configPath, 'digest', ...args]);

  beforeAll(async () => {
    t = await createTestRedis('digest-cli');
    dir = mkdtempSync(path.join(tmpdir(), 'upcause-digest-cli-'));
    configPath = path.join(dir, 'upcause.yaml');
    writeFileSync(
      configPath,
      stringify({
        redis: { url: redisUrl, prefix: t.prefix },
        vendors: ['stripe', 'twilio'],
        digest: { timeZone },
      }),
    );
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
    await t?.cleanup();
  });

  test('prints the digest of a date in each format', async () => {
    const md = await cli('--date', '2024-04-05');
    expect(md).toMatchObject({ code: 0, stderr: '' });
    expect(md.stdout).toContain('2024-04-05');
    expect(md.stdout).toMatch(/^# /);

    const html = await cli('--date', '2024-04-05', '--format', 'html');
    expect(html.code).toBe(0);
    expect(html.stdout).toMatch(/^<!doctype html>/i);

    const json = await cli('--date', '2024-04-05', '--format', 'json');
    expect(json.code).toBe(0);
    const digest = JSON.parse(json.stdout) as Digest;
    expect(digest.type).toBe('digest');
    expect(digest.period).toMatchObject({ id: '2024-04-05', timeZone, from: '2024-04-04T22:00:00.000Z' });
    expect(digest.quiet.map((q) => q.id).sort()).toEqual(['stripe', 'twilio']);

    const slack = await cli('--date', '2024-04-05', '--format', 'slack');
    expect(slack.code).toBe(0);
    expect((JSON.parse(slack.stdout) as { text: string }).text).toContain('5 Apr 2024');
  });

  test('--days widens the period back from --date; without --date it ends yesterday in the time zone', async () => {
    const week = await cli('--date', '2024-04-05', '--days', '7', '--json');
    expect((JSON.parse(week.stdout) as Digest).period).toMatchObject({
      id: '2024-03-30..2024-04-05',
      days: 7,
    });
    const before = addDays(dayIn(Date.now(), timeZone), -1);
    const plain = await cli('--json');
    const after = addDays(dayIn(Date.now(), timeZone), -1);
    expect(plain.code).toBe(0);
    expect([before, after]).toContain((JSON.parse(plain.stdout) as Digest).period.id);
  });

  test('--out writes the file and says where on stderr, printing nothing on stdout', async () => {
    const out = path.join(dir, 'reports', 'digest.md');
    const result = await cli('--date', '2024-04-05', '--format', 'md', '--out', out);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(out);
    expect(readFileSync(out, 'utf8')).toContain('2024-04-05');
  });

  test('refuses bad input naming the option', async () => {
    const date = await cli('--date', '2024-02-30');
    expect(date.code).toBe(2);
    expect(date.stderr).toMatch(/--date: expected a real calendar date/);
    const days = await cli('--days', '0');
    expect(days.code).toBe(2);
    expect(days.stderr).toMatch(/--days: days must be at least 1/);
    const format = await cli('--format', 'pdf');
    expect(format.code).toBe(2);
    expect(format.stderr).toMatch(/--format: .*md.*html.*json.*slack/);
    const future = await cli('--date', '2999-01-01');
    expect(future.code).toBe(2);
    expect(future.stderr).toMatch(/--date: 2999-01-01 is in the future/);
    expect(date.stdout + days.stdout + format.stdout + future.stdout).toBe('');
  });

  test('--runs lists the recorded runs, newest first, as a table or JSON', async () => {
    const empty = await cli('--runs');
    expect(empty.stdout).toContain('no digest runs recorded yet');
    await writeDigestRun(t.redis, t.keys, run('2024-04-04', 'host-a:1'));
    await writeDigestRun(t.redis, t.keys, run('2024-04-05', 'host-b:2'));
    const table = await cli('--runs');
    expect(table.code).toBe(0);
    const lines = table.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^PERIOD\s+TRIGGER\s+FINISHED \(UTC\)\s+BY/);
    expect(lines[1]).toMatch(/^2024-04-05\s+schedule\s+2024-04-05 06:00\s+host-b:2\s+1\s+hook\s+md$/);
    expect(lines[2]).toMatch(/^2024-04-04 /);
    const json = await cli('--runs', '--json', '--limit', '1');
    expect((JSON.parse(json.stdout) as DigestRun[]).map((r) => r.period.id)).toEqual(['2024-04-05']);
  });
});

describe('GET /v1/digest and /v1/digest/runs (real API, real Redis)', () => {
  let t: TestRedis;
  let api: TestApi;

  beforeAll(async () => {
    t = await createTestRedis('digest-api');
    const config = apiConfig(t, { vendors: ['stripe'], digest: { timeZone } });
    api = await startTestApi(t, config, 'digest-api');
    await writeDigestRun(t.redis, t.keys, run('2024-04-05', 'host-a:1'));
  });
  afterAll(async () => {
    await api?.close();
    await t?.cleanup();
  });

  const get = (query: string, token = readToken) => sendJson(`${api.url}/v1/digest${query}`, 'GET', token);

  test('needs a read token once tokens are configured', async () => {
    expect((await fetch(`${api.url}/v1/digest?date=2024-04-05`)).status).toBe(401);
    expect((await get('?date=2024-04-05', ingestToken)).status).toBe(403);
    expect((await fetch(`${api.url}/v1/digest/runs`)).status).toBe(401);
  });

  test('answers each format with its content type (json by default)', async () => {
    const json = await get('?date=2024-04-05&days=2');
    expect(json.status).toBe(200);
    expect(json.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const digest = (await json.json()) as Digest;
    expect(digest.period).toMatchObject({ id: '2024-04-04..2024-04-05', days: 2, timeZone });
    expect(digest.quiet).toEqual([{ id: 'stripe', name: 'Stripe' }]);

    const md = await get('?date=2024-04-05&format=md');
    expect(md.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    expect(await md.text()).toContain('2024-04-05');
    const html = await get('?date=2024-04-05&format=html');
    expect(html.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await html.text()).toMatch(/^<!doctype html>/i);
    const slack = await get('?date=2024-04-05&format=slack');
    expect(slack.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(((await slack.json()) as { text: string }).text).toContain('5 Apr 2024');
  });

  test('answers 400 naming the field for a bad query', async () => {
    const cases: Array<[string, RegExp]> = [
      ['?date=2024-02-30', /^query\.date: expected a real calendar date/],
      ['?date=5 April', /^query\.date: expected a date like 2024-04-05/],
      ['?days=0', /^query\.days: days must be at least 1/],
      ['?days=32', /^query\.days: days must be at most 31/],
      ['?format=pdf', /^query\.format: /],
      ['?date=2999-01-01', /^query\.date: 2999-01-01 is in the future/],
      ['?colour=red', /Unrecognized key.*colour/],
    ];
    for (const [query, message] of cases) {
      const res = await get(query);
      expect(res.status, query).toBe(400);
      expect(((await res.json()) as { error: string }).error, query).toMatch(message);
    }
  });

  test('/v1/digest/runs answers the run records', async () => {
    const res = await sendJson(`${api.url}/v1/digest/runs`, 'GET', readToken);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { runs: DigestRun[] };
    expect(body.runs).toEqual([run('2024-04-05', 'host-a:1')]);
    const bad = await sendJson(`${api.url}/v1/digest/runs?limit=0`, 'GET', readToken);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/^query\.limit: /);
  });
});

describe('console /digest (logged in through the login form)', () => {
  let t: TestRedis;
  let api: TestApi;
  let config: Config;

  beforeAll(async () => {
    t = await createTestRedis('digest-console');
    config = consoleConfig(t, { tokens: true });
    api = await startTestApi(t, config, 'digest-console');
  });
  afterAll(async () => {
    await api?.close();
    await t?.cleanup();
  });

  /** Logs in with the read token; returns the cookie header of the session. */
  async function login(): Promise<string> {
    const page = await fetch(`${api.url}/login`, { headers: { accept: 'text/html' } });
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;
    const cookies = new Map<string, string>();
    const keep = (res: Response) => {
      for (const line of res.headers.getSetCookie()) {
        const [pair] = line.split(';');
        const eq = pair!.indexOf('=');
        cookies.set(pair!.slice(0, eq), pair!.slice(eq + 1));
      }
    };
    keep(page);
    const res = await fetch(`${api.url}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        accept: 'text/html',
        'content-type': 'application/x-www-form-urlencoded',
        cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      },
      body: new URLSearchParams({ _csrf: csrf, token: readToken, next: '/digest' }).toString(),
    });
    expect(res.status).toBe(303);
    keep(res);
    return [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  const page = (query: string, cookie?: string) =>
    fetch(`${api.url}/digest${query}`, {
      redirect: 'manual',
      headers: { accept: 'text/html', ...(cookie ? { cookie } : {}) },
    });

  test('sends a visitor without a session to the login page', async () => {
    const res = await page('?date=2024-04-05');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/login?next=%2Fdigest%3Fdate%3D2024-04-05');
  });

  test('shows the HTML digest of the picked period with the date form and a way back, for a logged-in user', async () => {
    const cookie = await login();
    const res = await page('?date=2024-04-05&days=2', cookie);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.headers.get('content-security-policy')).not.toContain('script-src');
    const html = await res.text();
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html).toContain('2024-04-05');
    expect(html).toContain('<a href="/"');
    expect(html).toMatch(/<form method="get" action="\/digest"/);
    expect(html).toContain('name="date" value="2024-04-05"');
    expect(html).toContain('name="days" value="2"');
    expect(html).toContain('2024-04-04 to 2024-04-05 (UTC)');

    const bad = await page('?date=2024-02-30', cookie);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('date: expected a real calendar date');

    // The nav of every console page links to it.
    const board = await fetch(`${api.url}/`, { headers: { accept: 'text/html', cookie } });
    expect(await board.text()).toContain('<a href="/digest">Digest</a>');
  });
});
