import { describe, expect, test } from 'vitest';
import { minuteErrors } from './support/minute-errors.js';
import type { ChangeEvent } from '../src/core/contracts.js';
import { correlate } from '../src/core/correlate/score.js';
import type { CallCount, CorrelationInput, ServiceSpec } from '../src/core/correlate/types.js';
import type { VendorIncident } from '../src/core/model.js';
import { minuteOf } from '../src/core/series.js';

// Where our own side could explain what looks like a vendor's: times are UTC on 2024-09-03.
const at = (hhmm: string): string => `2024-09-03T${hhmm}:00.000Z`;

const errors = minuteErrors(at, 'us-east-1');

function calls(service: string, vendor: string, from: string, to: string, perMin: number): CallCount[] {
  const out: CallCount[] = [];
  for (let m = minuteOf(at(from)); m <= minuteOf(at(to)); m++)
    out.push({ minute: m, service, vendor, region: 'us-east-1', calls: perMin });
  return out;
}

const provisioner: ServiceSpec = {
  name: 'provisioner',
  regions: ['us-east-1'],
  dependsOn: [{ vendor: 'hostco', components: ['Machines API'] }],
};
const billing: ServiceSpec = {
  name: 'billing',
  regions: ['us-east-1'],
  dependsOn: [{ vendor: 'hostco', components: ['Machines API'] }],
};

function vendorIncident(over: Partial<VendorIncident> = {}): VendorIncident {
  const postedAt = over.postedAt ?? at('10:15');
  return {
    vendor: 'hostco',
    id: 'hc-1',
    title: 'Slow Machines API operations in us-east-1',
    impact: 'minor',
    status: 'investigating',
    kind: 'incident',
    startedAt: postedAt,
    postedAt,
    updatedAt: postedAt,
    resolvedAt: null,
    components: ['Machines API'],
    regions: ['us-east-1'],
    updates: [
      { at: postedAt, status: 'investigating', body: 'Machines API operations are slow in us-east-1.' },
    ],
    url: null,
    ...over,
  };
}

const deploy: ChangeEvent = {
  id: 'd-1',
  service: 'provisioner',
  kind: 'deploy',
  at: at('10:08'),
  ref: 'a1b2c3',
};

function input(over: Partial<CorrelationInput> = {}): CorrelationInput {
  return {
    now: new Date(at('10:40')),
    incident: {
      id: 'INC-1',
      service: 'provisioner',
      title: 'Provisioning times out',
      startedAt: at('10:16'),
      resolvedAt: null,
      regions: [],
      customers: [],
    },
    service: provisioner,
    services: [provisioner, billing],
    vendorIncidents: [vendorIncident()],
    suspects: [],
    errors: [
      ...errors('provisioner', 'hostco', 'ETIMEDOUT', '08:40', '10:09', 0.1),
      ...errors('provisioner', 'hostco', 'ETIMEDOUT', '10:10', '10:40', 12),
    ],
    changes: [deploy],
    ...over,
  };
}

const top = (raw: CorrelationInput) => correlate(raw).candidates[0]!;

describe('timeouts that began right after our change', () => {
  test('timeouts only, from 2 min after our deploy, the vendor dating its trouble later: unclear', () => {
    const result = correlate(input());
    expect(result.verdict).toBe('unclear');
    expect(result.candidates[0]!.evidence.join('\n')).toMatch(/only time out.*our change/);
  });

  test('without the change the same errors and incident blame the vendor', () => {
    expect(correlate(input({ changes: [] })).verdict).toBe('upstream');
  });

  test('5xx answered by the vendor are its own word: upstream despite the change', () => {
    const result = correlate(
      input({
        errors: [
          ...errors('provisioner', 'hostco', 'HTTP_503', '08:40', '10:09', 0.1),
          ...errors('provisioner', 'hostco', 'HTTP_503', '10:10', '10:40', 12),
        ],
      }),
    );
    expect(result.verdict).toBe('upstream');
  });

  test('the vendor saying its trouble began before our change: upstream', () => {
    const early = vendorIncident({ startedAt: at('10:00'), postedAt: at('10:15') });
    expect(correlate(input({ vendorIncidents: [early] })).verdict).toBe('upstream');
  });

  test('another service of ours timing out on the vendor too: our change cannot explain it, upstream', () => {
    const base = input();
    const result = correlate({
      ...base,
      errors: [
        ...base.errors,
        ...errors('billing', 'hostco', 'ETIMEDOUT', '08:40', '10:09', 0.1),
        ...errors('billing', 'hostco', 'ETIMEDOUT', '10:11', '10:40', 10),
      ],
    });
    expect(result.verdict).toBe('upstream');
  });

  test('a change long before the timeouts began does not compete', () => {
    expect(correlate(input({ changes: [{ ...deploy, at: at('09:20') }] })).verdict).toBe('upstream');
  });
});

describe('an unreadable vendor page beside calls measured healthy', () => {
  // billing's own TypeErrors after its deploy; its calls to hostco counted every minute, failing as usual.
  const own = (over: Partial<CorrelationInput>): CorrelationInput =>
    input({
      incident: { ...input().incident, service: 'billing' },
      service: billing,
      vendorIncidents: [],
      changes: [{ ...deploy, service: 'billing' }],
      blind: [{ vendor: 'hostco', since: at('09:50'), until: null, reason: 'HTTP 503' }],
      errors: [
        ...errors('billing', '', 'TYPE_ERROR', '08:40', '10:09', 0.02),
        ...errors('billing', '', 'TYPE_ERROR', '10:10', '10:40', 12),
        ...errors('billing', 'hostco', 'HTTP_503', '08:40', '10:40', 0.05),
      ],
      ...over,
    });

  test('with call volume at its usual failure rate and our deploy explaining the errors: internal', () => {
    const result = correlate(own({ calls: calls('billing', 'hostco', '08:40', '10:40', 60) }));
    expect(result.verdict).toBe('internal');
    expect(result.candidates[0]!.evidence.join('\n')).toMatch(/measured healthy all along/);
  });

  test('without call volume the unreadable page still keeps the vendor in doubt: unclear', () => {
    const result = correlate(own({}));
    expect(result.verdict).toBe('unclear');
    expect(top(own({})).evidence[0]).toMatch(/could not read hostco's status page/);
  });
});

describe('more failed calls with no larger share failing', () => {
  // ci's own workers die (no vendor) while its vendor calls double with traffic, failing at the same ratio.
  const traffic = (over: Partial<CorrelationInput>): CorrelationInput =>
    input({
      incident: { ...input().incident, service: 'billing' },
      service: billing,
      changes: [],
      vendorIncidents: [vendorIncident({ impact: 'major', regions: [] })],
      errors: [
        ...errors('billing', '', 'WORKER_CRASHED', '08:40', '10:09', 0.2),
        ...errors('billing', '', 'WORKER_CRASHED', '10:10', '10:40', 6),
        ...errors('billing', 'hostco', 'HTTP_502', '08:40', '10:09', 0.4),
        ...errors('billing', 'hostco', 'HTTP_502', '10:10', '10:40', 1.2),
      ],
      calls: [
        ...calls('billing', 'hostco', '08:40', '10:09', 100),
        ...calls('billing', 'hostco', '10:10', '10:40', 150),
      ],
      ...over,
    });

  test('the rise is our traffic: the vendor incident is not confirmed and our own errors stay ours', () => {
    const result = correlate(traffic({}));
    expect(result.verdict).not.toBe('upstream');
    expect(result.candidates[0]!.evidence.join('\n')).toMatch(/rose with our traffic/);
  });

  test('the same count with a failure ratio that jumps does confirm it', () => {
    const result = correlate(
      traffic({
        calls: calls('billing', 'hostco', '08:40', '10:40', 100),
        errors: [
          ...errors('billing', 'hostco', 'HTTP_502', '08:40', '10:09', 0.4),
          ...errors('billing', 'hostco', 'HTTP_502', '10:10', '10:40', 20),
        ],
      }),
    );
    expect(result.verdict).toBe('upstream');
  });
});
