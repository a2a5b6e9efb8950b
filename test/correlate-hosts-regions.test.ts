import { describe, expect, test } from 'vitest';
import { minuteErrors } from './support/minute-errors.js';
import { classifyError } from '../src/core/contracts.js';
import { correlate } from '../src/core/correlate/score.js';
import type { CorrelationInput, MinuteCount, ServiceSpec } from '../src/core/correlate/types.js';
import type { VendorIncident } from '../src/core/model.js';
import { vendorInText } from '../src/core/vendor-names.js';
import { catalogHostOwner } from '../src/catalog-hosts.js';

// Errors that name the vendor only by the host they called, errors split over regions the vendor does
// and does not name, credentials refused after our rotation. UTC on 2025-09-02.
const at = (hhmm: string): string => `2025-09-02T${hhmm}:00.000Z`;
const east = minuteErrors(at, 'us-east-1');
const west = minuteErrors(at, 'eu-west-1');

function vendorIncident(over: Partial<VendorIncident> = {}): VendorIncident {
  const postedAt = over.postedAt ?? at('10:12');
  return {
    vendor: 'dbco',
    id: 'db-1',
    title: 'Connectivity issues in US East',
    impact: 'major',
    status: 'investigating',
    kind: 'incident',
    startedAt: postedAt,
    postedAt,
    updatedAt: postedAt,
    resolvedAt: null,
    components: ['Clusters'],
    regions: ['aws:us-east-1'],
    updates: [
      { at: postedAt, status: 'investigating', body: 'Customers in US East may see failed connections.' },
    ],
    url: null,
    ...over,
  };
}

const twoRegions: ServiceSpec = {
  name: 'catalog-api',
  regions: ['us-east-1', 'eu-west-1'],
  dependsOn: [{ vendor: 'dbco', components: ['Clusters'] }],
};

function input(errors: MinuteCount[], over: Partial<CorrelationInput> = {}): CorrelationInput {
  return {
    now: new Date(at('10:50')),
    incident: {
      id: 'INC-7',
      service: 'catalog-api',
      title: 'Catalog errors',
      startedAt: at('10:10'),
      resolvedAt: null,
      regions: [],
      customers: [],
    },
    service: twoRegions,
    services: [twoRegions],
    vendorIncidents: [vendorIncident()],
    suspects: [],
    errors,
    changes: [],
    ...over,
  };
}

const notes = (raw: CorrelationInput): string => {
  const result = correlate(raw);
  return [...result.candidates[0]!.evidence, ...(result.notes ?? [])].join('\n');
};

describe('errors split between a region the vendor names and one it does not', () => {
  const quiet = [
    ...east('catalog-api', 'dbco', 'ETIMEDOUT', '08:40', '10:04', 0.1),
    ...west('catalog-api', 'dbco', 'ETIMEDOUT', '08:40', '10:04', 0.1),
  ];

  test('as many errors in the unnamed region as in the named one: unclear, not upstream', () => {
    const raw = input([
      ...quiet,
      ...east('catalog-api', 'dbco', 'ETIMEDOUT', '10:05', '10:50', 6),
      ...west('catalog-api', 'dbco', 'ETIMEDOUT', '10:05', '10:50', 6),
    ]);
    expect(correlate(raw).verdict).toBe('unclear');
    expect(notes(raw)).toMatch(
      /dbco names .*but our errors on it in eu-west-1 \(\d+\) are as many as in us-east-1/,
    );
  });

  test('the errors in the named region only (the service runs in both): upstream', () => {
    const raw = input([
      ...quiet,
      ...east('catalog-api', 'dbco', 'ETIMEDOUT', '10:05', '10:50', 12),
      ...west('catalog-api', 'dbco', 'ETIMEDOUT', '10:05', '10:50', 0.5),
    ]);
    expect(correlate(raw).verdict).toBe('upstream');
    expect(notes(raw)).not.toMatch(/are as many as in/);
  });

  test("the vendor's own datacenter named: customers anywhere route through it, no split is read", () => {
    const raw = input(
      [
        ...quiet,
        ...east('catalog-api', 'dbco', 'ETIMEDOUT', '10:05', '10:50', 6),
        ...west('catalog-api', 'dbco', 'ETIMEDOUT', '10:05', '10:50', 6),
      ],
      {
        vendorIncidents: [
          vendorIncident({
            title: 'Degraded performance in our US East data center',
            regionEvidence: [{ id: 'aws:us-east-1', raw: 'US East', from: 'title' }],
            updates: [
              { at: at('10:12'), status: 'investigating', body: 'Our US East data center is degraded.' },
            ],
          }),
        ],
      },
    );
    expect(notes(raw)).not.toMatch(/are as many as in/);
  });
});

describe('refused credentials are the caller’s', () => {
  test('auth failures written as codes classify as client errors; an OAuth provider failing does not', () => {
    for (const code of [
      'AUTH_FAILED',
      'AuthenticationFailed',
      'WRONGPASS',
      'NOAUTH',
      'ACCESS_DENIED',
      'ExpiredToken',
    ])
      expect([code, classifyError({ code })]).toEqual([code, 'client']);
    expect(classifyError({ code: 'OAUTH_FAILED' })).toBe('unknown');
    expect(classifyError({ code: 'AUTH_SERVICE_UNAVAILABLE' })).toBe('server');
  });

  test('AUTH_FAILED on every call right after our password rotation, during an auth incident elsewhere: internal', () => {
    const one: ServiceSpec = { name: 'catalog-api', regions: ['us-east-1'], dependsOn: twoRegions.dependsOn };
    const raw = input(
      [
        ...east('catalog-api', 'dbco', 'AUTH_FAILED', '10:01', '10:40', 14),
        ...east('catalog-api', 'dbco', 'ETIMEDOUT', '08:40', '10:00', 0.1),
      ],
      {
        service: one,
        services: [one],
        changes: [{ at: at('10:00'), service: 'catalog-api', kind: 'config', ref: 'rotate-db-password' }],
        vendorIncidents: [
          vendorIncident({
            title: 'Authentication failures for search queries',
            regions: [],
            postedAt: at('10:08'),
          }),
        ],
      },
    );
    expect(correlate(raw).verdict).toBe('internal');
  });
});

describe('the vendor named only by the host our client called', () => {
  const vendors = [
    { id: 'anthropic', name: 'Anthropic' },
    { id: 'dbco', name: 'DB Co', url: 'https://status.dbco.example' },
  ];
  const hostIn = vendorInText(vendors, catalogHostOwner);

  test('a code or endpoint carrying a watched vendor’s host names it; words alone, or two vendors, do not', () => {
    expect(hostIn('ECONNRESET api.anthropic.com:443')).toBe('anthropic');
    expect(hostIn('POST https://api.dbco.example/v1/query')).toBe('dbco');
    expect(hostIn('ETIMEDOUT eu.api.dbco.example')).toBe('dbco');
    expect(hostIn('anthropic overloaded')).toBeNull();
    expect(hostIn('ECONNRESET api.unknown-vendor.example')).toBeNull();
    expect(hostIn('proxy api.dbco.example -> api.anthropic.com')).toBeNull();
  });

  test('one service, its only dependency: untagged 529s count with the resets naming the host', () => {
    const spec: ServiceSpec = {
      name: 'summarizer',
      regions: ['us-east-1'],
      dependsOn: [{ vendor: 'anthropic', components: ['Claude API'] }],
    };
    const errors = [
      ...east('summarizer', 'anthropic', 'ECONNRESET', '08:40', '10:04', 0),
      ...east('summarizer', 'anthropic', 'ECONNRESET', '10:05', '10:40', 7),
      ...east('summarizer', '', 'HTTP_529', '10:05', '10:40', 4),
    ].filter((e) => e.count > 0);
    const suspect = {
      id: 'sus-anthropic',
      vendor: 'anthropic',
      region: 'aws:us-east-1',
      since: at('10:05'),
      detectedAt: at('10:10'),
      closedAt: null,
      services: ['summarizer'],
      ratePerMin: 11,
      baselinePerMin: 0,
    };
    const raw: CorrelationInput = {
      ...input(errors, { service: spec, services: [spec], vendorIncidents: [], suspects: [suspect] }),
      incident: { ...input([]).incident, service: 'summarizer' },
    };
    expect(correlate(raw).verdict).toBe('upstream');
    // The same service with a second dependency: its untagged 529s could be the other vendor's.
    const two: ServiceSpec = { ...spec, dependsOn: [...spec.dependsOn, { vendor: 'dbco', components: [] }] };
    expect(correlate({ ...raw, service: two, services: [two] }).verdict).toBe('unclear');
  });
});
