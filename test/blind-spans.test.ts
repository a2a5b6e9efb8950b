import { describe, expect, test } from 'vitest';
import {
  blindReason,
  blindSpanKnownAt,
  blindSpansKnownAt,
  spansFromReads,
  type PageRead,
} from '../src/core/correlate/blind-spans.js';
import { backtestScenario } from '../src/cli/backtest-command.js';
import type { InternalIncident } from '../src/core/contracts.js';
import { cutInput } from '../src/core/correlate/known-at.js';
import { selectInput, indexVendorIncidents, type InputConfig } from '../src/core/correlate/select-input.js';
import type { BlindSpan } from '../src/core/correlate/types.js';
import { FetchError } from '../src/core/errors.js';
import { replayScenario } from '../src/replay/run.js';
import { parseScenario, ScenarioError, type ScenarioInput } from '../src/replay/scenario.js';
import { readSnapshotPage, scenarioBlindSpans } from '../src/replay/snapshots.js';

const at = (hhmm: string) => `2024-04-04T${hhmm}:00.000Z`;
const t = (hhmm: string) => Date.parse(at(hhmm));

/** Our incident from 20:30, on backstage, which depends on 100ms; for the loader and the backtest. */
const incident: InternalIncident = {
  id: 'INC-1',
  service: 'backstage',
  title: '',
  startedAt: at('20:30'),
  resolvedAt: null,
  regions: [],
  customers: [],
};
const backstage: InputConfig['services'][number] = {
  name: 'backstage',
  regions: [],
  dependsOn: [{ vendor: '100ms', components: [] }],
};

describe('blind spans (pure)', () => {
  test('blindReason words each fetch failure kind as an annotation can quote it', () => {
    expect(
      blindReason(new FetchError('http', 'GET x answered 503 Service Unavailable', { status: 503 })),
    ).toBe('HTTP 503');
    expect(blindReason(new FetchError('timeout', 'GET x did not complete within 10000 ms'))).toBe('timeout');
    expect(blindReason(new FetchError('parse', 'expected JSON from x, got text/html (an error page?)'))).toBe(
      'parse error: expected JSON from x, got text/html (an error page?)',
    );
    expect(blindReason(new FetchError('network', 'GET x failed: ECONNREFUSED'))).toBe(
      'network error: GET x failed: ECONNREFUSED',
    );
    expect(blindReason(new FetchError('parse', 'y'.repeat(1000))).length).toBeLessThanOrEqual(200);
  });

  test('spansFromReads opens at the first failed read after a good one and closes at the next good read', () => {
    const reads: PageRead[] = [
      { vendor: 'a', at: at('10:00'), ok: true },
      { vendor: 'a', at: at('10:05'), ok: false, reason: 'HTTP 503' },
      { vendor: 'b', at: at('10:06'), ok: false, reason: 'timeout' },
      { vendor: 'a', at: at('10:10'), ok: false, reason: 'timeout' },
      { vendor: 'a', at: at('10:15'), ok: true },
      { vendor: 'a', at: at('10:20'), ok: true },
      { vendor: 'a', at: at('10:25'), ok: false, reason: 'parse error: bad' },
    ];
    expect(spansFromReads(reads)).toEqual([
      { vendor: 'a', since: at('10:05'), until: at('10:15'), reason: 'HTTP 503' },
      // Never read well: blind from the first attempt.
      { vendor: 'b', since: at('10:06'), until: null, reason: 'timeout' },
      { vendor: 'a', since: at('10:25'), until: null, reason: 'parse error: bad' },
    ]);
  });

  test('spansFromReads orders reads by time whatever order they come in', () => {
    expect(
      spansFromReads([
        { vendor: 'a', at: at('10:15'), ok: true },
        { vendor: 'a', at: at('10:05'), ok: false, reason: 'HTTP 502' },
      ]),
    ).toEqual([{ vendor: 'a', since: at('10:05'), until: at('10:15'), reason: 'HTTP 502' }]);
  });

  test('a span is unknown before it opened, and still open at a time before it closed', () => {
    const span: BlindSpan = { vendor: 'a', since: at('10:05'), until: at('10:15'), reason: 'HTTP 503' };
    expect(blindSpanKnownAt(span, t('10:04'))).toBeNull();
    expect(blindSpanKnownAt(span, t('10:05'))).toEqual({ ...span, until: null });
    expect(blindSpanKnownAt(span, t('10:14'))).toEqual({ ...span, until: null });
    expect(blindSpanKnownAt(span, t('10:15'))).toBe(span);
  });

  test('blindSpansKnownAt keeps the spans overlapping [from, now], cut at now, oldest first', () => {
    const spans: BlindSpan[] = [
      { vendor: 'a', since: at('12:00'), until: null, reason: 'timeout' },
      { vendor: 'a', since: at('08:00'), until: at('08:30'), reason: 'HTTP 500' },
      { vendor: 'b', since: at('09:50'), until: at('10:20'), reason: 'HTTP 503' },
      { vendor: 'a', since: at('09:00'), until: null, reason: 'blocked: x' },
    ];
    expect(blindSpansKnownAt(spans, t('10:10'), t('09:00'))).toEqual([
      { vendor: 'a', since: at('09:00'), until: null, reason: 'blocked: x' },
      { vendor: 'b', since: at('09:50'), until: null, reason: 'HTTP 503' },
    ]);
  });

  test('the loader keeps the candidate vendors’ spans overlapping [start − 2 h, now], cut at now', () => {
    const blind: BlindSpan[] = [
      { vendor: '100ms', since: at('17:00'), until: at('18:00'), reason: 'HTTP 500' }, // ended before start − 2 h
      { vendor: '100ms', since: at('18:00'), until: at('18:40'), reason: 'timeout' },
      { vendor: '100ms', since: at('20:20'), until: at('21:30'), reason: 'HTTP 503' }, // closes after now
      { vendor: '100ms', since: at('21:00'), until: null, reason: 'HTTP 502' }, // opens after now
      { vendor: 'stripe', since: at('20:00'), until: null, reason: 'timeout' }, // not a candidate
    ];
    const input = selectInput(
      {
        incident,
        config: {
          services: [backstage],
          vendors: [
            { id: '100ms', name: '100ms' },
            { id: 'stripe', name: 'Stripe' },
          ],
        },
        errors: [],
        vendorIncidents: indexVendorIncidents([]),
        suspects: [],
        changes: [],
        blind,
      },
      new Date(at('20:45')),
    );
    expect(input.blind).toEqual([
      { vendor: '100ms', since: at('18:00'), until: at('18:40'), reason: 'timeout' },
      { vendor: '100ms', since: at('20:20'), until: null, reason: 'HTTP 503' },
    ]);
    // The knowledge cut applies to the spans too (backtests judge an earlier `now`).
    expect(cutInput(input, new Date(at('20:00'))).blind).toEqual([
      { vendor: '100ms', since: at('18:00'), until: at('18:40'), reason: 'timeout' },
    ]);
  });
});

// ─── replay ─────────────────────────────────────────────────────────────────────────────────

const summary = JSON.stringify({
  page: { id: 'p', name: '100ms', url: 'https://status.100ms.live', updated_at: at('20:00') },
  status: { indicator: 'none', description: 'All Systems Operational' },
  components: [],
  incidents: [],
  scheduled_maintenances: [],
});
const html502 =
  '<!doctype html><html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>';

/** backstage → 100ms; our incident 20:30–21:30 with untagged 503s; snapshots as given. */
function scenarioWith(extra: Partial<ScenarioInput>): ScenarioInput {
  const errors = [];
  for (let m = 0; m < 60; m++)
    errors.push({
      at: new Date(t('20:25') + m * 60_000).toISOString(),
      service: 'backstage',
      code: 'HTTP_503',
      count: 20,
    });
  return {
    services: [
      { name: 'backstage', regions: ['eu-west-1'], dependsOn: [{ vendor: '100ms', components: [] }] },
    ],
    vendors: [{ id: '100ms', name: '100ms', provider: 'statuspage' }],
    incidents: [
      {
        id: 'INC-1',
        service: 'backstage',
        startedAt: at('20:30'),
        resolvedAt: at('21:30'),
      },
    ],
    errors,
    ...extra,
  };
}

const snapshot = (hhmm: string, fields: Record<string, unknown>) => ({
  vendor: '100ms',
  at: at(hhmm),
  provider: 'statuspage',
  ...fields,
});

describe('replay: unreadable snapshots leave the vendor blind', () => {
  const cases: Array<[string, Record<string, unknown>, string | RegExp]> = [
    [
      'an HTML 502 page',
      { contentType: 'text/html', body: html502 },
      /^parse error: expected JSON, got text\/html/,
    ],
    ['bad JSON', { body: '{"page": {"id": "x"}, "components": [' }, /^parse error: /],
    ['status 503', { status: 503, body: 'Service Unavailable' }, 'HTTP 503'],
    ['a fetch error "timeout"', { error: 'timeout' }, 'timeout'],
    ['an empty body', { body: '' }, 'empty body'],
  ];

  for (const [what, fields, reason] of cases)
    test(`${what}: the replay runs, and the vendor is blind from that snapshot to the next readable one`, () => {
      const { scenario, warnings } = parseScenario(
        scenarioWith({
          vendorSnapshots: [
            snapshot('20:00', { body: summary }),
            snapshot('20:20', fields),
            snapshot('20:40', fields),
            snapshot('21:10', { body: summary }),
          ],
        }),
      );
      expect(warnings).toEqual([]);
      expect(() => replayScenario(scenario)).not.toThrow();
      expect(replayScenario(scenario).incidents.map((i) => i.id)).toEqual(['INC-1']);

      const reads = scenario.vendorSnapshots.map(readSnapshotPage);
      expect(reads.map((r) => r.ok)).toEqual([true, false, false, true]);
      const spans = scenarioBlindSpans(reads, scenario.vendorHealth);
      expect(spans).toEqual([
        { vendor: '100ms', since: at('20:20'), until: at('21:10'), reason: expect.any(String) },
      ]);
      expect(spans[0]!.reason).toMatch(reason);
      // What each correlate() call is given: open while the clock is inside the span.
      expect(blindSpansKnownAt(spans, t('20:45'), t('18:30'))).toEqual([{ ...spans[0], until: null }]);
      expect(blindSpansKnownAt(spans, t('21:15'), t('18:30'))).toEqual(spans);
      expect(blindSpansKnownAt(spans, t('20:10'), t('18:30'))).toEqual([]);
    });

  test('a vendor whose every snapshot is unreadable stays blind from the first one', () => {
    const { scenario } = parseScenario(
      scenarioWith({
        vendorSnapshots: [snapshot('20:20', { status: 502 }), snapshot('20:50', { error: 'timeout' })],
      }),
    );
    expect(() => replayScenario(scenario)).not.toThrow();
    expect(scenarioBlindSpans(scenario.vendorSnapshots.map(readSnapshotPage), [])).toEqual([
      { vendor: '100ms', since: at('20:20'), until: null, reason: 'HTTP 502' },
    ]);
  });

  test('a 304 without a body is a good read that closes a span', () => {
    const { scenario } = parseScenario(
      scenarioWith({
        vendorSnapshots: [
          snapshot('20:20', { error: 'connection refused' }),
          snapshot('20:35', { status: 304 }),
        ],
      }),
    );
    expect(scenarioBlindSpans(scenario.vendorSnapshots.map(readSnapshotPage), [])).toEqual([
      { vendor: '100ms', since: at('20:20'), until: at('20:35'), reason: 'connection refused' },
    ]);
  });

  test('vendorHealth states spans directly: not ok opens one at `at`, ok closes it', () => {
    const { scenario, warnings } = parseScenario(
      scenarioWith({
        vendorHealth: [
          { vendor: '100ms', at: at('20:15'), state: 'timeout' },
          { vendor: '100ms', at: at('20:25'), state: 'unreachable', reason: 'DNS fails' },
          { vendor: '100ms', at: at('21:05'), state: 'ok' },
          { vendor: 'stripe', at: at('20:40'), state: 'blocked', reason: 'status page behind a login' },
          { vendor: 'stripe', at: at('20:41'), state: 'parse_error' },
        ],
      }),
    );
    expect(warnings).toEqual([]);
    expect(() => replayScenario(scenario)).not.toThrow();
    expect(scenarioBlindSpans([], scenario.vendorHealth)).toEqual([
      { vendor: '100ms', since: at('20:15'), until: at('21:05'), reason: 'timeout' },
      { vendor: 'stripe', since: at('20:40'), until: null, reason: 'status page behind a login' },
    ]);
  });

  test('snapshots and stated health combine on one timeline per vendor', () => {
    const { scenario } = parseScenario(
      scenarioWith({
        vendorSnapshots: [snapshot('20:00', { body: summary }), snapshot('20:50', { body: summary })],
        vendorHealth: [{ vendor: '100ms', at: at('20:10'), state: 'parse_error' }],
      }),
    );
    expect(scenarioBlindSpans(scenario.vendorSnapshots.map(readSnapshotPage), scenario.vendorHealth)).toEqual(
      [{ vendor: '100ms', since: at('20:10'), until: at('20:50'), reason: 'parse error' }],
    );
  });

  test('a provider replay cannot read is still the author’s error, naming the snapshot', () => {
    expect(() =>
      parseScenario(
        scenarioWith({ vendorSnapshots: [snapshot('20:20', { provider: 'pingdom', body: '{}' })] }),
      ),
    ).toThrowError(/vendorSnapshots\[0\]\.provider: replay cannot read "pingdom" payloads/);
  });

  test('bad status, health state or a missing body are refused naming the field', () => {
    const problems = (extra: Partial<ScenarioInput>) => {
      try {
        parseScenario(scenarioWith(extra));
      } catch (error) {
        if (error instanceof ScenarioError) return error.problems;
        throw error;
      }
      return [];
    };
    expect(problems({ vendorSnapshots: [snapshot('20:20', { status: 99, body: '{}' })] })).toEqual([
      'vendorSnapshots[0].status: expected an HTTP status code between 100 and 599',
    ]);
    expect(problems({ vendorSnapshots: [snapshot('20:20', {})] })).toEqual([
      'vendorSnapshots[0].body: missing (expected the raw payload, or an "error" or "status" saying the fetch failed)',
    ]);
    expect(problems({ vendorHealth: [{ vendor: '100ms', at: at('20:20'), state: 'down' as 'ok' }] })).toEqual(
      ['vendorHealth[0].state: expected one of ok, unreachable, parse_error, timeout, blocked'],
    );
  });
});

describe('backtest: stored blind spans reach the replay', () => {
  test('backtestScenario states the spans as vendorHealth, which the replay reads back as the same spans', () => {
    const blind: BlindSpan[] = [
      { vendor: '100ms', since: at('20:10'), until: at('20:40'), reason: 'HTTP 503' },
      { vendor: '100ms', since: at('21:00'), until: null, reason: 'timeout' },
      // Begun long before: stated from the lookback's start, so the clock does not run over it.
      { vendor: 'stripe', since: '2024-04-01T00:00:00.000Z', until: null, reason: 'blocked: x' },
    ];
    const raw = backtestScenario({
      incident,
      config: {
        services: [backstage],
        vendors: [{ id: '100ms', name: '100ms', provider: 'statuspage' }],
      },
      vendorIncidents: [],
      changes: [],
      errors: [],
      cut: t('22:30'),
      blind,
    });
    const { scenario, warnings } = parseScenario(raw);
    expect(warnings).toEqual([]);
    expect(scenarioBlindSpans([], scenario.vendorHealth)).toEqual([
      { ...blind[2], since: at('18:30') },
      blind[0],
      blind[1],
    ]);
  });
});
