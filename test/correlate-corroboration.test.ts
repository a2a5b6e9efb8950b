import { describe, expect, test } from 'vitest';
import { minuteErrors } from './support/minute-errors.js';
import type { ChangeEvent } from '../src/core/contracts.js';
import { correlate, SCORING } from '../src/core/correlate/score.js';
import { blamingSentence, corroboration } from '../src/core/correlate/signal-corroboration.js';
import { relatedIncidents, selectInput, indexVendorIncidents } from '../src/core/correlate/select-input.js';
import type { CorrelationInput, ServiceSpec } from '../src/core/correlate/types.js';
import type { VendorIncident } from '../src/core/model.js';

// Another vendor's page blaming a candidate: times are UTC on 2024-06-11.
const at = (hhmm: string): string => `2024-06-11T${hhmm}:00.000Z`;

const errors = minuteErrors(at, 'eu-central-1');

function vendorIncident(over: Partial<VendorIncident> & Pick<VendorIncident, 'vendor' | 'id' | 'title'>) {
  const postedAt = over.postedAt ?? at('10:12');
  return {
    impact: 'major',
    status: 'investigating',
    kind: 'incident',
    startedAt: postedAt,
    postedAt,
    updatedAt: postedAt,
    resolvedAt: null,
    components: [],
    regions: [],
    updates: [{ at: postedAt, status: 'investigating', body: 'We are investigating.' }],
    url: null,
    ...over,
  } satisfies VendorIncident;
}

const shop: ServiceSpec = {
  name: 'shop',
  regions: ['eu-central-1'],
  dependsOn: [{ vendor: 'fastcdn', components: ['CDN'] }],
};
const mailer: ServiceSpec = {
  name: 'mailer',
  regions: ['eu-central-1'],
  dependsOn: [{ vendor: 'postbox', components: [] }],
};

// fastcdn lists only its dashboard, as CDNs often do first; postbox says fastcdn took it down.
const cdnIncident = vendorIncident({
  vendor: 'fastcdn',
  id: 'cdn-1',
  title: 'Dashboard and API errors',
  impact: 'critical',
  components: ['Dashboard'],
  postedAt: at('10:12'),
});
const blaming = vendorIncident({
  vendor: 'postbox',
  id: 'pb-1',
  title: 'Sending delays',
  postedAt: at('10:15'),
  updates: [
    {
      at: at('10:15'),
      status: 'investigating',
      body: 'Some customers cannot reach the web app. This is due to an outage at FastCDN, our CDN provider.',
    },
  ],
});

// Our shop returns 503s naming no vendor from 10:04 (2/min before), while the calls it tags with
// fastcdn fail at their usual 1/min: on its own, not enough to blame fastcdn.
const shopErrors = [
  ...errors('shop', '', 'HTTP_503', '08:40', '10:03', 2),
  ...errors('shop', '', 'HTTP_503', '10:04', '10:30', 40),
  ...errors('shop', 'fastcdn', 'HTTP_502', '08:40', '10:30', 1),
];

function input(over: Partial<CorrelationInput> = {}): CorrelationInput {
  return {
    now: new Date(at('10:30')),
    incident: {
      id: 'INC-77',
      service: 'shop',
      title: 'Shop pages fail',
      startedAt: at('10:08'),
      resolvedAt: null,
      regions: [],
      customers: [],
    },
    service: shop,
    services: [shop, mailer],
    vendorIncidents: [cdnIncident],
    suspects: [],
    errors: shopErrors,
    changes: [],
    ...over,
  };
}

describe('blamingSentence()', () => {
  test('finds the sentence that names the vendor as a cause, in any casing and spacing', () => {
    expect(blamingSentence('All good. Access issues due to a Cloudflare outage. Sorry!', 'cloudflare')).toBe(
      'Access issues due to a Cloudflare outage.',
    );
    expect(
      blamingSentence('Caused by an incident at our upstream provider Google Cloud', 'google-cloud'),
    ).toBe('Caused by an incident at our upstream provider Google Cloud');
  });

  test('a mention that is no cause, a denial, a longer word or a too-short name is not blame', () => {
    expect(blamingSentence('You can sign in with GitHub again.', 'github')).toBeNull();
    expect(blamingSentence('This is not related to the AWS outage reported today.', 'aws')).toBeNull();
    expect(blamingSentence('An outage of CloudflareWorkersKV-like caches', 'cloudflare')).toBeNull();
    expect(blamingSentence('Degradation due to io limits', 'io')).toBeNull();
  });

  test('corroboration() needs another vendor, an incident, and overlapping times', () => {
    const now = Date.parse(at('10:30'));
    expect(corroboration('fastcdn', cdnIncident, [blaming], now)).toMatchObject({
      name: 'corroboration',
      value: 0.5,
    });
    // The same vendor blaming itself, a maintenance, or an incident long over do not count.
    expect(corroboration('postbox', blaming, [blaming], now)).toBeNull();
    expect(corroboration('fastcdn', cdnIncident, [{ ...blaming, kind: 'maintenance' }], now)).toBeNull();
    const old = { ...blaming, startedAt: at('06:00'), resolvedAt: at('07:00') };
    expect(corroboration('fastcdn', cdnIncident, [old], now)).toBeNull();
  });
});

describe('correlate(): another vendor blaming a candidate', () => {
  test('a critical incident listing only a component we do not use, blamed by another vendor while our untagged 5xx rise, is upstream', () => {
    const alone = correlate(input());
    const top = (r: ReturnType<typeof correlate>) =>
      r.candidates.find((c) => c.vendorIncidentId === 'cdn-1')!;
    expect(alone.verdict).not.toBe('upstream');
    const withBlame = correlate(input({ vendorIncidents: [cdnIncident, blaming] }));
    expect(top(withBlame).confidence).toBeGreaterThan(top(alone).confidence);
    expect(withBlame.verdict).toBe('upstream');
    expect(withBlame.candidates[0]!.vendor).toBe('fastcdn');
    expect(top(withBlame).evidence.join(' ')).toContain("postbox's incident 'Sending delays' blames fastcdn");
    // The live loader passes it as a related incident rather than a candidate's: the same answer.
    const related = correlate(input({ related: [blaming] }));
    expect(related.verdict).toBe('upstream');
    expect(related.candidates.some((c) => c.vendor === 'postbox')).toBe(false);
  });

  test('without our errors pointing at the vendor, blame from another vendor proves nothing about us', () => {
    const quiet = [
      ...errors('shop', '', 'HTTP_503', '08:40', '10:30', 2),
      ...errors('shop', 'fastcdn', 'HTTP_502', '08:40', '10:30', 1),
    ];
    const result = correlate(input({ vendorIncidents: [cdnIncident, blaming], errors: quiet }));
    expect(result.verdict).toBe('internal');
    expect(result.candidates[0]!.evidence.join(' ')).not.toContain('blames');
  });

  test('our deploy just before onset keeps it unclear: the blame says the outage is real, not that it is ours', () => {
    const deploy: ChangeEvent = { at: at('10:02'), service: 'shop', kind: 'deploy', ref: 'v99' };
    const result = correlate(input({ vendorIncidents: [cdnIncident, blaming], changes: [deploy] }));
    expect(result.verdict).not.toBe('upstream');
    expect(result.candidates[0]!.confidence).toBeLessThanOrEqual(SCORING.ambiguousRange[1]);
  });

  test('selectInput() keeps only other vendors’ incidents that blame a candidate', () => {
    const unrelated = vendorIncident({ vendor: 'postbox', id: 'pb-2', title: 'Webhook retries slow' });
    expect(relatedIncidents([blaming, unrelated, cdnIncident], ['fastcdn'])).toEqual([blaming]);
    const selected = selectInput(
      {
        incident: input().incident,
        config: {
          services: [shop, mailer],
          vendors: [
            { id: 'fastcdn', name: 'FastCDN' },
            { id: 'postbox', name: 'Postbox' },
          ],
        },
        errors: shopErrors,
        vendorIncidents: indexVendorIncidents([cdnIncident]),
        suspects: [],
        changes: [],
        others: [blaming, unrelated],
      },
      new Date(at('10:30')),
    );
    expect(selected.related?.map((v) => v.id)).toEqual(['pb-1']);
    expect(correlate(selected).verdict).toBe('upstream');
  });
});
