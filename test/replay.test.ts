import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import type { ErrorEventInput } from '../src/core/contracts.js';
import { vendorIncidentAt } from '../src/replay/knowledge.js';
import { replayScenario, type ReplayOutput } from '../src/replay/run.js';
import {
  parseScenario,
  parseScenarioText,
  ScenarioError,
  type Scenario,
  type ScenarioInput,
} from '../src/replay/scenario.js';
import { readSnapshot } from '../src/replay/snapshots.js';
import { runCli } from './support/cli.js';
import { readOwn } from './support/fixtures.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

async function example(name: string): Promise<Scenario> {
  return parseScenarioText(await readFile(path.join(repoRoot, 'examples', name), 'utf8')).scenario;
}

function problemsOf(raw: unknown): string[] {
  try {
    parseScenario(raw);
  } catch (error) {
    if (error instanceof ScenarioError) return error.problems;
    throw error;
  }
  throw new Error('expected the scenario to be refused');
}

const minute = (iso: string, k: number) => new Date(Date.parse(iso) + k * 60_000).toISOString();

/** Our api's calls to stripe: 1 error every 5 min from 09:00, 40/min of 503s from 10:00 to 10:40, then quiet. */
function stripeErrors(perMin = 40): ErrorEventInput[] {
  const events: ErrorEventInput[] = [];
  for (let k = 0; k < 180; k++) {
    const at = minute('2024-01-02T09:00:00Z', k);
    const spiking = k >= 60 && k < 100;
    if (spiking || k % 5 === 0)
      events.push({
        at,
        service: 'api',
        vendor: 'stripe',
        region: 'us-east-1',
        status: 503,
        count: spiking ? perMin : 1,
      });
  }
  return events;
}

/**
 * Our incident INC-1 (10:05–10:45) while stripe calls fail; stripe posts its incident at `postedAt`.
 * At `perMin` below the one-service bar, our errors alone do not blame stripe before it posts.
 */
function latePost(postedAt: string, perMin = 40): ScenarioInput {
  return {
    name: 'late-post',
    services: [
      { name: 'api', regions: ['us-east-1'], dependsOn: [{ vendor: 'stripe', components: ['API'] }] },
    ],
    incidents: [
      {
        id: 'INC-1',
        service: 'api',
        title: 'Checkout fails',
        startedAt: '2024-01-02T10:05:00Z',
        resolvedAt: '2024-01-02T10:45:00Z',
        regions: ['us'],
      },
    ],
    vendorIncidents: [
      {
        vendor: 'stripe',
        id: 'stripe-late',
        title: 'Elevated API error rates',
        impact: 'major',
        startedAt: '2024-01-02T09:58:00Z',
        resolvedAt: '2024-01-02T10:42:00Z',
        components: ['API'],
        regions: ['US'],
        updates: [
          { at: postedAt, status: 'resolved', body: 'Between 09:58 and 10:42 UTC API requests failed.' },
        ],
      },
    ],
    errors: stripeErrors(perMin),
  };
}

const replay = (input: ScenarioInput): ReplayOutput => replayScenario(parseScenario(input).scenario);

describe('replay contract', () => {
  test('--json output has exactly the contract fields, each with its type', async () => {
    const output = replayScenario(await example('swapcard-100ms-eu.json'));
    const printed = JSON.parse(JSON.stringify(output)) as Record<string, unknown>;
    expect(Object.keys(printed).sort()).toEqual(['expectations', 'incidents', 'suspected']);
    const [incident] = output.incidents;
    expect(incident).toMatchObject({
      id: 'INC-4211',
      verdict: expect.stringMatching(/^(upstream|unclear|internal)$/),
      annotatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z$/),
    });
    for (const c of incident!.candidates) {
      expect(typeof c.vendor).toBe('string');
      expect(c.vendorIncidentId === null || typeof c.vendorIncidentId === 'string').toBe(true);
      expect(c.confidence).toBeGreaterThanOrEqual(0);
      expect(c.confidence).toBeLessThanOrEqual(1);
      expect(c.evidence.length).toBeGreaterThan(0);
      expect(c.evidence.every((e) => typeof e === 'string' && e.length > 0)).toBe(true);
    }
    const [suspected] = output.suspected;
    expect(suspected).toMatchObject({
      vendor: '100ms',
      region: expect.any(String),
      detectedAt: expect.stringMatching(/Z$/),
      vendorPostedAt: '2024-04-04T20:58:00Z',
    });
  });

  test('a scenario with only errors replays to no incidents and no suspects', () => {
    const output = replay({ errors: [{ at: '2024-01-02T09:00:00Z', service: 'api', count: 1 }] });
    expect(output).toEqual({ incidents: [], suspected: [] });
  });
});

describe('replay of the examples', () => {
  test('swapcard-100ms-eu: upstream from our own errors before 100ms posts, then on its incident ww76zjqsj6j9', async () => {
    const output = replayScenario(await example('swapcard-100ms-eu.json'));
    const [incident] = output.incidents;
    expect(incident?.verdict).toBe('upstream');
    expect(incident?.candidates[0]).toMatchObject({ vendor: '100ms', vendorIncidentId: 'ww76zjqsj6j9' });
    // One service, 40 errors/min on 100ms, ×80: enough before the vendor says anything.
    expect(Date.parse(incident!.annotatedAt)).toBeLessThan(Date.parse('2024-04-04T20:58:00Z'));
    expect(incident?.revisions.at(-1)).toMatchObject({
      at: '2024-04-04T20:58:00Z',
      top: '100ms/ww76zjqsj6j9',
    });
    // Our own errors raised the suspicion before the vendor said anything.
    expect(output.suspected).toHaveLength(1);
    expect(Date.parse(output.suspected[0]!.detectedAt)).toBeLessThan(Date.parse('2024-04-04T20:58:00Z'));
    expect(output.expectations?.passed).toBe(true);
  });

  test('demio-join-links: internal from the start, no vendor suspected, nobody blamed', async () => {
    const output = replayScenario(await example('demio-join-links.json'));
    const [incident] = output.incidents;
    expect(incident?.verdict).toBe('internal');
    expect(incident?.annotatedAt).toBe('2024-08-20T00:25:00Z');
    expect(incident?.revisions.every((r) => r.verdict === 'internal')).toBe(true);
    expect(output.suspected).toEqual([]);
    expect(output.expectations).toMatchObject({ passed: true, falseBlame: [] });
  });

  test('tokbox-1026-rolling-deploy: upstream from the snapshot that first shows the incident, not from its created_at', async () => {
    const output = replayScenario(await example('tokbox-1026-rolling-deploy.json'));
    const [incident] = output.incidents;
    expect(incident?.verdict).toBe('upstream');
    expect(incident?.candidates[0]).toMatchObject({ vendor: 'tokbox', vendorIncidentId: 'm0xt3q9lkb2w' });
    // Created 20:52 on the vendor's page, but our recorder first saw it in the 20:55 summary.
    expect(incident?.annotatedAt).toBe('2017-02-23T20:55:00Z');
    expect(incident?.revisions.filter((r) => r.top === 'tokbox/m0xt3q9lkb2w').map((r) => r.at)[0]).toBe(
      '2017-02-23T20:55:00Z',
    );
    // The region (SJC) is only in the 21:07 update, read from the later snapshot.
    expect(incident?.candidates[0]?.evidence.join(' ')).toMatch(/SJC/);
    expect(output.suspected[0]).toMatchObject({
      vendor: 'tokbox',
      vendorIncidentId: 'm0xt3q9lkb2w',
      vendorPostedAt: '2017-02-23T20:52:00Z',
      services: ['classroom', 'proctoring'],
    });
  });
});

describe('knowledge cut', () => {
  test('a vendor incident is unknown before its first update, and each update before its own time', () => {
    const { scenario } = parseScenario({
      vendorIncidents: [
        {
          vendor: 'stripe',
          id: 'x1',
          title: 'Elevated error rates',
          impact: 'major',
          startedAt: '2024-01-02T10:00:00Z',
          resolvedAt: '2024-01-02T11:00:00Z',
          updates: [
            { at: '2024-01-02T10:10:00Z', status: 'investigating', body: 'We are investigating errors.' },
            { at: '2024-01-02T10:30:00Z', status: 'identified', body: 'Requests in us-east-1 fail.' },
            { at: '2024-01-02T11:20:00Z', status: 'resolved', body: 'Resolved.' },
          ],
        },
      ],
    });
    const incident = scenario.vendorIncidents[0]!;
    const at = (iso: string) => vendorIncidentAt(incident, 'statuspage', new Date(iso));
    expect(at('2024-01-02T10:09:59Z')).toBeNull();
    const first = at('2024-01-02T10:20:00Z');
    expect(first?.postedAt).toBe('2024-01-02T10:10:00.000Z');
    expect(first?.updates.map((u) => u.body)).toEqual(['We are investigating errors.']);
    expect(first?.regions).toEqual([]);
    expect(at('2024-01-02T10:30:00Z')?.regions).toEqual(['aws:us-east-1']);
    // Resolved at 11:00 by the vendor's account, but it only said so at 11:20.
    expect(at('2024-01-02T11:10:00Z')).toMatchObject({ resolvedAt: null, status: 'identified' });
    expect(at('2024-01-02T11:20:00Z')).toMatchObject({
      resolvedAt: '2024-01-02T11:00:00.000Z',
      status: 'resolved',
    });
  });

  test('a vendor post within a day of our resolution revises the closed incident, annotated at the post', () => {
    const output = replay(latePost('2024-01-02T13:00:00Z', 8));
    const [incident] = output.incidents;
    expect(incident?.verdict).toBe('upstream');
    expect(incident?.annotatedAt).toBe('2024-01-02T13:00:00Z');
    expect(
      incident?.revisions.filter((r) => Date.parse(r.at) < Date.parse('2024-01-02T13:00:00Z')),
    ).not.toEqual([]);
    for (const r of incident!.revisions)
      if (Date.parse(r.at) < Date.parse('2024-01-02T13:00:00Z')) {
        expect(r.top).not.toContain('stripe-late');
        expect(r.verdict).not.toBe('upstream');
      }
  });

  test('a vendor post more than a day after our resolution never reaches the closed incident', () => {
    const output = replay(latePost('2024-01-04T12:00:00Z', 8));
    const [incident] = output.incidents;
    expect(incident?.verdict).not.toBe('upstream');
    expect(incident?.candidates.some((c) => c.vendorIncidentId === 'stripe-late')).toBe(false);
    expect(incident?.revisions.every((r) => Date.parse(r.at) <= Date.parse('2024-01-02T10:45:00Z'))).toBe(
      true,
    );
  });

  test('errors after now are not counted: the suspect opens only once the spike has lasted', () => {
    const output = replay({ ...latePost('2024-01-02T13:00:00Z'), incidents: [] });
    const [suspect] = output.suspected;
    expect(suspect).toMatchObject({ vendor: 'stripe', since: '2024-01-02T10:00:00Z' });
    // The single-service bar needs 5 spiking minutes: 10:00–10:04, judged at 10:05.
    expect(suspect?.detectedAt).toBe('2024-01-02T10:05:00Z');
  });
});

describe('annotatedAt', () => {
  test('is the start of the final verdict run, not the last change of the top candidate', async () => {
    const output = replayScenario(await example('demio-join-links.json'));
    const [incident] = output.incidents;
    expect(incident?.revisions.length).toBeGreaterThan(1);
    expect(incident?.revisions.at(-1)?.at).not.toBe(incident?.annotatedAt);
    expect(incident?.annotatedAt).toBe(incident?.revisions[0]?.at);
  });

  test('moves to the time the verdict last changed', async () => {
    const output = replayScenario(await example('swapcard-100ms-eu.json'));
    const revisions = output.incidents[0]!.revisions;
    expect(revisions[0]?.verdict).not.toBe('upstream');
    const firstUpstream = revisions.find((r) => r.verdict === 'upstream');
    expect(output.incidents[0]?.annotatedAt).toBe(firstUpstream?.at);
  });
});

describe('snapshots', () => {
  const snapshot = (body: string, provider = 'statuspage') =>
    parseScenario({ vendorSnapshots: [{ vendor: 'acme', at: '2024-03-01T12:00:00Z', provider, body }] })
      .scenario.vendorSnapshots[0]!;

  test('statuspage: summary, incidents, one incident and maintenances are told apart by shape', async () => {
    const summary = readSnapshot(snapshot(await readOwn('statuspage/summary-from-docs.json')), 0);
    expect(summary.openSetComplete).toBe(true);
    expect(summary.incidents.map((i) => i.kind).sort()).toEqual(['incident', 'maintenance']);

    const listText = await readOwn('statuspage/incidents-from-docs.json');
    const list = readSnapshot(snapshot(listText), 0);
    expect(list.openSetComplete).toBe(false);
    expect(list.incidents.map((i) => i.id)).toEqual([
      'rec0rd1ngeu1',
      'p0stm0rtem01',
      'backf1lled01',
      'm1n1mal00001',
    ]);

    const data = JSON.parse(listText) as { page: unknown; incidents: unknown[] };
    const one = readSnapshot(snapshot(JSON.stringify({ page: data.page, incident: data.incidents[0] })), 0);
    expect(one.incidents.map((i) => i.id)).toEqual(['rec0rd1ngeu1']);

    const summaryData = JSON.parse(await readOwn('statuspage/summary-from-docs.json')) as {
      scheduled_maintenances: unknown[];
    };
    const maint = readSnapshot(
      snapshot(JSON.stringify({ scheduled_maintenances: summaryData.scheduled_maintenances })),
      0,
    );
    expect(maint.incidents.map((i) => i.kind)).toEqual(['maintenance']);
  });

  test('incident.io: the Statuspage-compatible summary and the native proxy summary both read', async () => {
    const compat = readSnapshot(
      snapshot(await readOwn('incidentio/summary-from-docs.json'), 'incidentio'),
      0,
    );
    expect(compat.openSetComplete).toBe(true);
    const proxy = readSnapshot(snapshot(await readOwn('incidentio/proxy-from-docs.json'), 'incidentio'), 0);
    expect(proxy.incidents.length).toBeGreaterThan(0);
    expect(proxy.incidents.every((i) => i.vendor === 'acme')).toBe(true);
  });

  test('snapshot incidents get canonical regions as polled ones do', () => {
    const body = JSON.stringify({
      incidents: [
        {
          id: 'eu1',
          name: 'Recording failures in EU (Frankfurt)',
          status: 'investigating',
          impact: 'major',
          created_at: '2024-03-01T11:50:00Z',
          incident_updates: [
            {
              id: 'u1',
              status: 'investigating',
              body: 'Looking into it',
              created_at: '2024-03-01T11:50:00Z',
            },
          ],
        },
      ],
    });
    expect(readSnapshot(snapshot(body), 0).incidents[0]?.regions).toEqual(['aws:eu-central-1']);
  });

  test('an open incident missing from a later summary closes by absence at that snapshot', () => {
    const open = JSON.stringify({
      status: { indicator: 'minor' },
      incidents: [
        {
          id: 'gone1',
          name: 'API errors',
          status: 'investigating',
          impact: 'minor',
          created_at: '2024-03-01T10:00:00Z',
          incident_updates: [
            { id: 'u', status: 'investigating', body: 'x', created_at: '2024-03-01T10:00:00Z' },
          ],
        },
      ],
    });
    const quiet = JSON.stringify({ status: { indicator: 'none' }, incidents: [] });
    const output = replay({
      services: [{ name: 'api', regions: [], dependsOn: [{ vendor: 'acme', components: [] }] }],
      incidents: [
        { id: 'I', service: 'api', startedAt: '2024-03-01T09:50:00Z', resolvedAt: '2024-03-01T11:00:00Z' },
      ],
      vendorSnapshots: [
        { vendor: 'acme', at: '2024-03-01T10:01:00Z', provider: 'statuspage', body: open },
        { vendor: 'acme', at: '2024-03-01T10:30:00Z', provider: 'statuspage', body: quiet },
      ],
    });
    const top = output.incidents[0]?.candidates.find((c) => c.vendorIncidentId === 'gone1');
    expect(top?.evidence.join(' ')).toMatch(/resolved 10:30 UTC/);
  });

  test('an unknown provider is refused naming the snapshot', () => {
    expect(
      problemsOf({
        vendorSnapshots: [
          { vendor: 'a', at: '2024-03-01T12:00:00Z', provider: 'statuspage', body: '{}' },
          { vendor: 'a', at: '2024-03-01T12:00:00Z', provider: 'carrier-pigeon', body: '{}' },
        ],
      }),
    ).toEqual([
      expect.stringMatching(/^vendorSnapshots\[1\]\.provider: replay cannot read "carrier-pigeon" payloads/),
    ]);
  });

  test('a payload its parser refuses does not stop the replay; the strict read names the snapshot and the complaint', () => {
    const scenario = parseScenario({
      vendorSnapshots: [
        { vendor: 'a', at: '2024-03-01T12:00:00Z', provider: 'statuspage', body: '<html>Bad gateway</html>' },
      ],
    }).scenario;
    expect(() => replayScenario(scenario)).not.toThrow();
    expect(() => readSnapshot(scenario.vendorSnapshots[0]!, 0)).toThrowError(
      /vendorSnapshots\[0\]\.body: statuspage payload: parse error: .*HTML/,
    );
  });
});

describe('scenario validation', () => {
  test('a bad update time names its full path', () => {
    const problems = problemsOf({
      vendorIncidents: [
        {
          vendor: 'v',
          id: 'i',
          startedAt: '2024-01-01T00:00:00Z',
          updates: [
            { at: '2024-01-01T00:00:00Z' },
            { at: '2024-01-01T00:10:00Z' },
            { at: 'yesterday at noon', status: 'resolved' },
          ],
        },
      ],
    });
    expect(problems).toEqual(['vendorIncidents[0].updates[2].at: expected an ISO-8601 timestamp']);
  });

  test('every problem is listed, each with its path', () => {
    const problems = problemsOf({
      incidents: [{ service: 'api', startedAt: '2024-01-01T00:00:00Z' }],
      errors: [{ at: '2024-01-01T00:00:00Z', service: 'api', status: 999 }],
      services: 'backstage',
      expect: { 'INC-9': 'vendor' },
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^incidents\[0\]\.id: missing/),
        expect.stringMatching(/^errors\[0\]\.status: /),
        expect.stringMatching(/^services: /),
        expect.stringMatching(/^expect\.INC-9: /),
      ]),
    );
  });

  test('expect must name an incident of the scenario; duplicate ids are refused', () => {
    const base = { service: 'api', startedAt: '2024-01-01T00:00:00Z' };
    expect(problemsOf({ incidents: [{ id: 'A', ...base }], expect: { B: 'internal' } })).toEqual([
      'expect.B: no incident in "incidents" has this id',
    ]);
    expect(
      problemsOf({
        incidents: [
          { id: 'A', ...base },
          { id: 'A', ...base },
        ],
      }),
    ).toEqual(['incidents[1]: duplicate incident id A']);
  });

  test('unknown fields are ignored with a warning that names them; not JSON is a ScenarioError', () => {
    const { warnings } = parseScenario({
      incident: [],
      vendorIncidents: [{ vendor: 'v', id: 'i', startedAt: '2024-01-01T00:00:00Z', severity: 3 }],
    });
    expect(warnings).toEqual([
      'incident: unknown field, ignored',
      'vendorIncidents[0].severity: unknown field, ignored',
    ]);
    expect(() => parseScenarioText('{ nope', 'x.json')).toThrowError(/x\.json: not valid JSON/);
  });
});

describe('upcause replay', () => {
  const run = (args: string[]) => runCli(['replay', ...args]);

  test('--json prints the contract; the default prints a readable report', async () => {
    const json = await run(['examples/swapcard-100ms-eu.json', '--json']);
    expect(json.code).toBe(0);
    const printed = JSON.parse(json.stdout) as ReplayOutput;
    expect(printed.incidents[0]).toMatchObject({ id: 'INC-4211', verdict: 'upstream' });

    const human = await run(['examples/swapcard-100ms-eu.json']);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/INC-4211 .*\n {2}verdict: UPSTREAM since 20:51 UTC/);
    expect(human.stdout).toMatch(/1\. 100ms — incident ww76zjqsj6j9 — confidence 0\.\d\d/);
  });

  test('an invalid scenario exits 2 naming the file and the path', async () => {
    const bad = await run(['test/fixtures/statuspage/summary-from-docs.json', '--json']);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/summary-from-docs\.json: invalid scenario:\n {2}incidents\[0\]\./);
  });
});

describe('vendor names', () => {
  test("errors and dependsOn naming a vendor by its display name are read as that vendor's", () => {
    const scenario = latePost('2024-01-02T10:20:00Z', 8);
    const output = replay({
      ...scenario,
      vendors: [{ id: 'stripe', name: 'Stripe Payments', provider: 'statuspage' }],
      services: [
        {
          name: 'api',
          regions: ['us-east-1'],
          dependsOn: [{ vendor: 'STRIPE PAYMENTS', components: ['API'] }],
        },
      ],
      errors: (scenario.errors ?? []).map((e) => ({ ...e, vendor: 'Stripe Payments' })),
    });
    const [incident] = output.incidents;
    expect(incident?.verdict).toBe('upstream');
    expect(incident?.candidates[0]).toMatchObject({ vendor: 'stripe', vendorIncidentId: 'stripe-late' });
  });
});
