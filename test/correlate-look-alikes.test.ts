import { describe, expect, test } from 'vitest';
import { minuteErrors } from './support/minute-errors.js';
import { classifyError, type ChangeEvent } from '../src/core/contracts.js';
import { kindsOf, matchKinds } from '../src/core/components/kinds.js';
import { correlate } from '../src/core/correlate/score.js';
import type { CallCount, CorrelationInput, ServiceSpec } from '../src/core/correlate/types.js';
import type { VendorIncident } from '../src/core/model.js';
import { minuteOf } from '../src/core/series.js';

// Cases of ours that look like a vendor's, and the vendor's cases next to them. UTC on 2025-05-06.
const at = (hhmm: string): string => `2025-05-06T${hhmm}:00.000Z`;
const errors = minuteErrors(at, 'eu-central-1');

function calls(service: string, vendor: string, from: string, to: string, perMin: number): CallCount[] {
  const out: CallCount[] = [];
  for (let m = minuteOf(at(from)); m <= minuteOf(at(to)); m++)
    out.push({ minute: m, service, vendor, region: 'eu-central-1', calls: perMin });
  return out;
}

const spec = (name: string, components: string[]): ServiceSpec => ({
  name,
  regions: ['eu-central-1'],
  dependsOn: [{ vendor: 'edgeco', components }],
});

function vendorIncident(over: Partial<VendorIncident> = {}): VendorIncident {
  const postedAt = over.postedAt ?? at('10:05');
  return {
    vendor: 'edgeco',
    id: 'ec-1',
    title: 'Increased errors in Europe',
    impact: 'major',
    status: 'investigating',
    kind: 'incident',
    startedAt: postedAt,
    postedAt,
    updatedAt: postedAt,
    resolvedAt: null,
    components: ['Platform / Durable Objects', 'Platform / D1'],
    regions: ['Europe'],
    updates: [{ at: postedAt, status: 'investigating', body: 'We are investigating increased errors.' }],
    url: null,
    ...over,
  };
}

function input(service: ServiceSpec, over: Partial<CorrelationInput> = {}): CorrelationInput {
  return {
    now: new Date(at('10:50')),
    incident: {
      id: 'INC-1',
      service: service.name,
      title: 'Pages failing',
      startedAt: at('10:18'),
      resolvedAt: null,
      regions: [],
      customers: [],
    },
    service,
    services: [service],
    vendorIncidents: [vendorIncident()],
    suspects: [],
    // Our origin's 500s, naming no vendor: a quiet baseline, then a rise with the vendor's incident.
    errors: [
      ...errors(service.name, '', 'HTTP_500', '08:40', '10:09', 0.3),
      ...errors(service.name, '', 'HTTP_500', '10:10', '10:50', 8),
    ],
    changes: [],
    ...over,
  };
}

const evidence = (raw: CorrelationInput): string => correlate(raw).candidates[0]!.evidence.join('\n');

describe('component kinds', () => {
  test('names a config writes and names a page writes meet in one kind of product', () => {
    expect([...kindsOf('object storage')]).toEqual(['object storage']);
    expect([...kindsOf('Cloudflare Sites and Services / R2')]).toEqual(['object storage']);
    expect([...kindsOf('Edge Network')]).toEqual(['CDN']);
    expect([...kindsOf('Serverless Functions')]).toEqual(['serverless functions']);
    expect(kindsOf('Workspace').size).toBe(0);
    expect(matchKinds(['CDN / IAD1 - Washington DC', 'Dashboard'], ['Edge Network'])).toEqual([
      { vendorComponent: 'CDN / IAD1 - Washington DC', ours: 'Edge Network', kind: 'CDN' },
    ]);
    expect(matchKinds(['Platform / Durable Objects', 'Platform / D1'], ['CDN/Cache'])).toEqual([]);
  });
});

describe("one service's untagged errors during an incident on another product", () => {
  test('our CDN in front, the vendor failing products we do not use: not blamed', () => {
    const result = correlate(input(spec('shop-api', ['CDN/Cache'])));
    expect(result.verdict).toBe('internal');
    expect(evidence(input(spec('shop-api', ['CDN/Cache'])))).toMatch(/not a component we use/);
  });

  test('the same errors when the incident is on the same kind of product under its own name: upstream', () => {
    const raw = input(spec('media-api', ['object storage']), {
      vendorIncidents: [vendorIncident({ components: ['Platform / R2', 'Platform / Images'] })],
    });
    expect(correlate(raw).verdict).toBe('upstream');
    expect(evidence(raw)).toMatch(/components match by kind: 'Platform \/ R2' and our 'object storage'/);
  });

  test('several of our services failing at once still confirm an incident listed on other products', () => {
    const a = spec('shop-api', ['CDN/Cache']);
    const b = spec('cart-api', ['CDN/Cache']);
    const raw = input(a, {
      services: [a, b],
      errors: [
        ...input(a).errors,
        ...errors('cart-api', '', 'HTTP_502', '08:40', '10:09', 0.3),
        ...errors('cart-api', '', 'HTTP_502', '10:11', '10:50', 9),
      ],
    });
    expect(correlate(raw).verdict).not.toBe('internal');
  });
});

describe('a calm peer using what we use of the vendor', () => {
  const failing = spec('billing-worker', ['Managed Databases']);
  const peer = spec('accounts-api', ['Managed Databases']);
  const other = spec('accounts-api', ['Spaces']);
  const base = (peerSpec: ServiceSpec): CorrelationInput =>
    input(failing, {
      services: [failing, peerSpec],
      vendorIncidents: [
        vendorIncident({ impact: 'minor', components: ['Managed Databases / Global'], regions: [] }),
      ],
      errors: [
        ...errors('billing-worker', '', 'EAI_AGAIN', '08:40', '10:09', 0.05),
        ...errors('billing-worker', '', 'EAI_AGAIN', '10:10', '10:50', 4),
        // The peer tags its calls to the vendor; a few failures a minute as always.
        ...errors('accounts-api', 'edgeco', 'PG_CONNECTION_TIMEOUT', '08:40', '10:50', 0.2),
      ],
    });

  test('weighs against the vendor when the peer declares the same components', () => {
    const text = evidence(base(peer));
    expect(text).toMatch(/accounts-api .*using the same edgeco components .*at baseline/);
    expect(correlate(base(peer)).verdict).not.toBe('upstream');
  });

  test('a peer whose own errors naming no vendor spike too is hit, not calm', () => {
    const raw = base(peer);
    raw.errors.push(
      ...errors('accounts-api', '', 'HTTP_503', '08:40', '10:09', 0.05),
      ...errors('accounts-api', '', 'HTTP_503', '10:11', '10:50', 5),
    );
    expect(evidence(raw)).not.toMatch(/using the same edgeco components/);
    expect(evidence(raw)).toMatch(/accounts-api spiked at the same time/);
  });

  test('says nothing when the peer uses another product of the vendor', () => {
    expect(evidence(base(other))).not.toMatch(/using the same edgeco components/);
    expect(correlate(base(other)).candidates[0]!.confidence).toBeGreaterThan(
      correlate(base(peer)).candidates[0]!.confidence,
    );
  });
});

describe('an incident the vendor resolved before our trouble began', () => {
  const service = spec('export', ['Logs']);
  const raw = (resolvedAt: string): CorrelationInput =>
    input(service, {
      vendorIncidents: [
        vendorIncident({
          components: ['Logs'],
          startedAt: at('09:00'),
          postedAt: at('09:10'),
          resolvedAt,
          status: 'resolved',
        }),
      ],
      errors: [
        ...errors('export', 'edgeco', 'QUERY_TIMEOUT', '08:40', '10:09', 0.05),
        ...errors('export', 'edgeco', 'QUERY_TIMEOUT', '10:10', '10:50', 6),
      ],
    });

  test('resolved 5 minutes before our first error: at most unclear, saying why', () => {
    const result = correlate(raw(at('10:05')));
    expect(result.verdict).toBe('unclear');
    expect(result.candidates[0]!.evidence.join('\n')).toMatch(/had resolved it at .*the timing cannot tell/);
  });

  test('resolved after our errors began: upstream', () => {
    expect(correlate(raw(at('10:40'))).verdict).toBe('upstream');
  });
});

describe('rate limits', () => {
  const service = spec('chat-assist', ['API']);
  const deploy: ChangeEvent = { service: 'chat-assist', kind: 'deploy', at: at('10:08'), ref: 'retry-v2' };
  const raw = (perMinAfter: number): CorrelationInput =>
    input(service, {
      vendorIncidents: [
        vendorIncident({ components: ['API'], impact: 'minor', regions: [], postedAt: at('10:15') }),
      ],
      changes: [deploy],
      errors: [
        ...errors('chat-assist', 'edgeco', 'HTTP_429', '08:40', '10:09', 0.05),
        ...errors('chat-assist', 'edgeco', 'HTTP_429', '10:10', '10:50', 50),
      ],
      calls: [
        ...calls('chat-assist', 'edgeco', '08:40', '10:09', 120),
        ...calls('chat-assist', 'edgeco', '10:10', '10:50', perMinAfter),
      ],
    });

  test('429s while our successful calls tripled after our deploy: our surge, internal', () => {
    const result = correlate(raw(380));
    expect(result.verdict).toBe('internal');
    expect(result.candidates[0]!.evidence.join('\n')).toMatch(
      /successful calls to edgeco rose to .* edgeco is limiting a surge of our own traffic/,
    );
  });

  test('429s at our usual call rate from just after our deploy: our change or the vendor, unclear', () => {
    const result = correlate(raw(120));
    expect(result.verdict).toBe('unclear');
    expect(result.candidates[0]!.evidence.join('\n')).toMatch(
      /only hit rate limits, from 2 min after our change/,
    );
  });

  test('429s at our usual call rate with no change of ours: the vendor limiting us, upstream', () => {
    expect(correlate({ ...raw(120), changes: [] }).verdict).toBe('upstream');
  });
});

describe('client errors while the vendor page cannot be read', () => {
  const bot = spec('ci-bot', ['API']);
  const notes = spec('release-notes', ['API']);
  const raw = (withPeer: boolean): CorrelationInput =>
    input(bot, {
      services: withPeer ? [bot, notes] : [bot],
      vendorIncidents: [],
      blind: [{ vendor: 'edgeco', since: at('10:00'), until: null, reason: 'timed out' }],
      errors: [
        ...errors('ci-bot', 'edgeco', 'HTTP_401', '10:10', '10:50', 60),
        ...(withPeer ? errors('release-notes', 'edgeco', 'HTTP_502', '08:40', '10:50', 0.1) : []),
      ],
    });

  test('401s on one service while another calls the vendor fine: internal', () => {
    const result = correlate(raw(true));
    expect(result.verdict).toBe('internal');
    expect(result.candidates[0]!.evidence.join('\n')).toMatch(/refused for the caller's fault/);
  });

  test('401s with nothing else to compare: the unreadable page keeps it unclear', () => {
    expect(correlate(raw(false)).verdict).toBe('unclear');
  });
});

describe('a plan or memory limit', () => {
  test('resource-full codes are the caller’s, other codes keep their class', () => {
    for (const code of ['REDIS_OOM', 'OUT_OF_MEMORY', 'insufficient_quota', 'ENOSPC', 'STORAGE_LIMIT'])
      expect(classifyError({ code }), code).toBe('client');
    expect(classifyError({ status: 429, code: 'MAX_SERIES_PER_USER' })).toBe('client');
    expect(classifyError({ status: 429, code: 'TOO_MANY_REQUESTS' })).toBe('rate-limit');
    expect(classifyError({ status: 503, code: 'REDIS_OOM' })).toBe('server');
    expect(classifyError({ status: 526 })).toBe('client');
    expect(classifyError({ status: 522 })).toBe('server');
    expect(classifyError({ code: 'ZOOM_ERROR' })).toBe('unknown');
    expect(classifyError({ code: 'ETIMEDOUT' })).toBe('timeout');
  });
});

describe('errors that outlast the vendor incident', () => {
  const service = spec('report-writer', ['API']);
  const change: ChangeEvent = {
    service: 'report-writer',
    kind: 'config',
    at: at('10:08'),
    ref: 'timeout-8s',
  };
  const raw = (until: string, changes: ChangeEvent[]): CorrelationInput =>
    input(service, {
      now: new Date(at('11:10')),
      vendorIncidents: [
        vendorIncident({
          components: ['API'],
          impact: 'minor',
          regions: [],
          startedAt: at('10:12'),
          postedAt: at('10:20'),
          resolvedAt: at('10:28'),
          status: 'resolved',
        }),
      ],
      changes,
      errors: [
        ...errors('report-writer', 'edgeco', 'HTTP_503', '08:40', '10:09', 0.05),
        ...errors('report-writer', 'edgeco', 'HTTP_503', '10:10', until, 9),
      ],
    });

  test('going on 40 minutes after a 16-minute incident, begun after our change: internal', () => {
    const result = correlate(raw('11:08', [change]));
    expect(result.verdict).toBe('internal');
    const text = result.candidates[0]!.evidence.join('\n');
    expect(text).toMatch(/ours outlasted it/);
    expect(text).toMatch(/the change is the better explanation/);
  });

  test('ending as the vendor resolved: upstream', () => {
    expect(correlate(raw('10:27', [])).verdict).toBe('upstream');
  });

  test('begun after our change long before a vendor incident that sits inside them: internal', () => {
    const result = correlate(
      input(service, {
        now: new Date(at('12:00')),
        vendorIncidents: [
          vendorIncident({
            components: ['API'],
            impact: 'minor',
            regions: [],
            startedAt: at('10:50'),
            postedAt: at('10:50'),
            resolvedAt: at('11:30'),
            status: 'resolved',
          }),
        ],
        changes: [change],
        errors: [
          ...errors('report-writer', 'edgeco', 'ETIMEDOUT', '08:40', '10:09', 0.05),
          ...errors('report-writer', 'edgeco', 'ETIMEDOUT', '10:10', '11:55', 6),
        ],
      }),
    );
    expect(result.verdict).toBe('internal');
    expect(result.candidates[0]!.evidence.join('\n')).toMatch(/its incident sits inside ours/);
  });
});

describe('one service failing while a peer on the same components is measured fine', () => {
  const shipper = spec('audit-shipper', ['Logs']);
  const peer = spec('app-log-shipper', ['Logs']);
  const raw = (peerCalls: boolean): CorrelationInput =>
    input(shipper, {
      services: [shipper, peer],
      vendorIncidents: [vendorIncident({ components: ['Logs'], impact: 'minor', regions: [] })],
      errors: [
        ...errors('audit-shipper', 'edgeco', 'HTTP_504', '08:40', '10:09', 0.1),
        ...errors('audit-shipper', 'edgeco', 'HTTP_504', '10:10', '10:50', 4),
      ],
      calls: peerCalls ? calls('app-log-shipper', 'edgeco', '08:40', '10:50', 120) : [],
    });

  test('with the peer counting its calls: unclear, naming the peer', () => {
    const result = correlate(raw(true));
    expect(result.verdict).toBe('unclear');
    expect(result.candidates[0]!.evidence.join('\n')).toMatch(
      /app-log-shipper, using the same edgeco components/,
    );
  });

  test('without a measured peer the same errors blame the vendor', () => {
    expect(correlate(raw(false)).verdict).toBe('upstream');
  });
});
