import { describe, expect, test } from 'vitest';
import { eventsFromBuckets } from '../src/cli/backtest-command.js';
import { errorEventSchema, type ErrorEventInput } from '../src/core/contracts.js';
import { cutInput } from '../src/core/correlate/known-at.js';
import { indexVendorIncidents, selectInput } from '../src/core/correlate/select-input.js';
import type { CallCount, CorrelationInput, MinuteCount } from '../src/core/correlate/types.js';
import { createErrorTimeline } from '../src/replay/knowledge.js';
import { replayScenario } from '../src/replay/run.js';
import { parseScenario, type ScenarioInput } from '../src/replay/scenario.js';

// Call volume outside Redis: the replay's timeline, the loader's selection and knowledge cut, and the
// backtest's scenario built from buckets. (Ingest and the end-to-end path run on real Redis in
// ingest-stream, api-ingest, client and ingest-e2e.)

const T0 = Math.floor(Date.parse('2024-04-04T20:00:00Z') / 60_000);
const iso = (minute: number, second = 0) => new Date(minute * 60_000 + second * 1000).toISOString();
const events = (list: ErrorEventInput[]) => list.map((e) => errorEventSchema.parse(e));

describe('createErrorTimeline() (replay) with call volume', () => {
  const timeline = () =>
    createErrorTimeline(
      events([
        { at: iso(T0, 0), service: 'sms', vendor: 'twilio', region: 'eu', calls: 500 },
        {
          at: iso(T0, 30),
          service: 'sms',
          vendor: 'twilio',
          region: 'eu',
          calls: 200,
          status: 503,
          count: 9,
        },
        { at: iso(T0 + 1, 10), service: 'sms', vendor: 'twilio', region: 'eu', calls: 650 },
      ]),
    );

  test('sums calls per minute and (service, vendor, region), each known from its `at` on', () => {
    const t = timeline();
    expect(t.calls(new Date(iso(T0, 20)), T0 - 5, T0 + 5)).toEqual([
      { minute: T0, service: 'sms', vendor: 'twilio', region: 'eu', calls: 500 },
    ]);
    expect(t.calls(new Date(iso(T0 + 2)), T0 - 5, T0 + 5)).toEqual([
      { minute: T0, service: 'sms', vendor: 'twilio', region: 'eu', calls: 700 },
      { minute: T0 + 1, service: 'sms', vendor: 'twilio', region: 'eu', calls: 650 },
    ]);
    expect(t.calls(new Date(iso(T0 + 2)), T0 + 1, T0 + 1).map((c) => c.calls)).toEqual([650]);
  });

  test('a volume report adds no error series; an error carrying calls adds its failures', () => {
    const counts = timeline().counts(new Date(iso(T0 + 2)), T0 - 5, T0 + 5);
    expect(counts.map((c) => [c.minute, c.series.code, c.count])).toEqual([[T0, 'HTTP_503', 9]]);
  });
});

describe('replayScenario() hands scenario call volume to the scorer', () => {
  test('an incident whose vendor calls fail shows the failure ratio over calls in its evidence', () => {
    const errors: ErrorEventInput[] = [];
    for (let k = 0; k < 120; k++) {
      const at = iso(T0 + k, 5);
      const failing = k >= 90;
      errors.push({ at, service: 'sms', vendor: 'twilio', region: 'eu-west-1', calls: 1000 });
      if (failing)
        errors.push({ at, service: 'sms', vendor: 'twilio', region: 'eu-west-1', status: 503, count: 60 });
    }
    const raw: ScenarioInput = {
      name: 'twilio-calls',
      services: [{ name: 'sms', regions: ['eu-west-1'], dependsOn: [{ vendor: 'twilio', components: [] }] }],
      vendors: [{ id: 'twilio', name: 'Twilio', provider: 'statuspage' }],
      errors,
      incidents: [
        {
          id: 'INC-1',
          service: 'sms',
          title: 'SMS failing',
          startedAt: iso(T0 + 92),
          resolvedAt: iso(T0 + 110),
        },
      ],
    };
    const { incidents } = replayScenario(parseScenario(raw).scenario);
    const twilio = incidents[0]?.candidates.find((c) => c.vendor === 'twilio');
    expect(twilio?.evidence.join('\n'), JSON.stringify(incidents)).toMatch(
      /% of [\d,]+ calls to twilio failed/,
    );
  });
});

describe('selectInput() and cutInput(): call volume selected like errors, nothing after now', () => {
  const incident = {
    id: 'INC-1',
    service: 'sms',
    title: '',
    startedAt: iso(T0 + 10),
    resolvedAt: null,
    regions: [],
    customers: [],
  };
  const call = (minute: number, service: string, vendor: string, calls = 100): CallCount => ({
    minute,
    service,
    vendor,
    region: 'eu',
    calls,
  });
  const error = (minute: number): MinuteCount => ({
    minute,
    series: { service: 'sms', vendor: 'twilio', region: 'eu', code: 'HTTP_503', errorClass: 'server' },
    count: 3,
  });

  test('keeps our service’s rows and the candidate vendors’ rows, and cuts minutes after now', () => {
    const input = selectInput(
      {
        incident,
        config: {
          services: [{ name: 'sms', regions: ['eu'], dependsOn: [{ vendor: 'twilio', components: [] }] }],
          vendors: [{ id: 'twilio', name: 'Twilio' }],
        },
        errors: [error(T0 + 10)],
        vendorIncidents: indexVendorIncidents([]),
        suspects: [],
        changes: [],
        calls: [
          call(T0 + 9, 'sms', 'twilio'),
          call(T0 + 9, 'sms', 'stripe'),
          call(T0 + 9, 'mail', 'Twilio'),
          call(T0 + 9, 'mail', 'sendgrid'),
          call(T0 + 12, 'sms', 'twilio'),
        ],
      },
      new Date(iso(T0 + 11, 30)),
    );
    expect(input.calls?.map((c) => [c.minute - T0, c.service, c.vendor])).toEqual([
      [9, 'sms', 'twilio'],
      [9, 'sms', 'stripe'],
      [9, 'mail', 'Twilio'],
    ]);
  });

  test('cutInput() drops calls of minutes after now and leaves an input without calls as it was', () => {
    const base: CorrelationInput = {
      now: new Date(iso(T0 + 20)),
      incident,
      services: [],
      vendorIncidents: [],
      suspects: [],
      errors: [],
      changes: [],
    };
    const cut = cutInput(
      { ...base, calls: [call(T0 + 5, 'sms', 'twilio'), call(T0 + 6, 'sms', 'twilio')] },
      new Date(iso(T0 + 5, 59)),
    );
    expect(cut.calls?.map((c) => c.minute - T0)).toEqual([5]);
    expect('calls' in cutInput(base, new Date(iso(T0 + 5)))).toBe(false);
  });
});

describe('eventsFromBuckets() (backtest) keeps call volume', () => {
  test('stored calls become volume reports of the same minute, errors stay errors', () => {
    const out = eventsFromBuckets([
      {
        minute: T0,
        counts: [
          {
            series: {
              service: 'sms',
              vendor: 'twilio',
              region: 'eu',
              code: 'HTTP_503',
              errorClass: 'server',
            },
            count: 4,
          },
        ],
        calls: [
          { service: 'sms', vendor: 'twilio', region: 'eu', calls: 25_000_000 },
          { service: 'sms', vendor: '', region: '', calls: 3 },
        ],
      },
    ]);
    const parsed = out.map((e) => errorEventSchema.parse(e));
    expect(parsed.filter((e) => e.calls !== undefined).map((e) => [e.calls, e.count])).toEqual([
      [10_000_000, 0],
      [10_000_000, 0],
      [5_000_000, 0],
    ]);
    expect(parsed.filter((e) => e.calls === undefined).map((e) => [e.code, e.count])).toEqual([
      ['HTTP_503', 4],
    ]);
    expect(new Set(parsed.map((e) => Math.floor(Date.parse(e.at) / 60_000)))).toEqual(new Set([T0]));
  });
});
