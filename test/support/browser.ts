import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { chromium } from 'playwright-core';
import { parseConfig, type Config } from '../../src/config.js';
import { seriesField, type Series } from '../../src/core/series.js';
import type { VendorIncident } from '../../src/core/model.js';
import type { Suspect } from '../../src/core/detect/suspect.js';
import { createAnnotationStore } from '../../src/store/annotations.js';
import { createIncidentStore } from '../../src/store/incidents.js';
import { createSuspectStore } from '../../src/store/suspects.js';
import { createVendorStore } from '../../src/store/vendors.js';
import { FetchError } from '../../src/core/errors.js';
import { ingestToken, readToken } from './api.js';
import { redisUrl, type TestRedis } from './redis.js';

/*
 * Support for the console's HTTP and browser tests: a real headless Chromium, and a small world of
 * vendors, incidents, annotations, suspects and error buckets written through the real stores.
 */

export const chromiumPath = '/usr/bin/chromium';

/**
 * Whether the browser tests can run here. Where no Chromium exists they skip with a notice, except
 * under CI (CI=true), where a missing browser must fail the run rather than pass it silently.
 */
export function hasChromium(): boolean {
  if (existsSync(chromiumPath)) return true;
  if (process.env.CI === 'true') return true; // launching then fails the tests, as it should in CI
  console.warn(
    `browser tests skipped: no Chromium at ${chromiumPath} (install the Debian "chromium" package)`,
  );
  return false;
}

/** A real headless Chromium. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** Ids of what `seedConsole` writes, for assertions. */
export const seeded = {
  incidentId: 'INC-4211',
  incidentTitle: 'Go Live button resets for EU webinars',
  vendorIncidentId: 'hms-rtmp-eu',
  vendorIncidentTitle: 'Elevated RTMP start failures in Europe',
  suspectId: 'sus-100ms-eu',
  evidence: 'RTMP_START_FAILED from 100ms rose to 24/min in eu-west-1 against a baseline of 0.5/min',
  hostileTitle: '<script>alert("owned")</script> Degraded <b>SMS</b>',
};

/** The console's config on `t`'s prefix: four vendors, one service, optional read/ingest tokens. */
export function consoleConfig(
  t: TestRedis,
  options: { tokens?: boolean; console?: Record<string, unknown> } = {},
): Config {
  return parseConfig(
    {
      redis: { url: redisUrl, prefix: t.prefix },
      vendors: ['100ms', 'twilio', 'stripe', 'cloudflare'],
      services: [
        {
          name: 'backstage',
          regions: ['eu-west-1'],
          dependsOn: [
            { vendor: '100ms' },
            { vendor: 'twilio' },
            { vendor: 'stripe' },
            { vendor: 'cloudflare' },
          ],
        },
      ],
      api: {
        port: 0,
        tokens: options.tokens
          ? [
              { name: 'producer', token: ingestToken, scopes: ['ingest'] },
              { name: 'support-desk', token: readToken, scopes: ['read'] },
            ]
          : [],
        console: options.console ?? {},
      },
    },
    {},
    'test',
  );
}

const minute = 60_000;

function vendorIncident(fields: Partial<VendorIncident> & Pick<VendorIncident, 'vendor' | 'id' | 'title'>) {
  const startedAt = fields.startedAt ?? new Date().toISOString();
  return {
    impact: 'major',
    status: 'investigating',
    kind: 'incident',
    startedAt,
    postedAt: startedAt,
    updatedAt: startedAt,
    resolvedAt: null,
    components: [],
    regions: [],
    updates: [],
    url: null,
    ...fields,
  } as VendorIncident;
}

/**
 * Writes, around `now`: 100ms with an open major incident in Europe and our errors on it spiking for
 * the last 40 minutes, linked to a suspected issue the vendor acknowledged 12 min late; Twilio
 * operational with a trickle of errors (and, with `hostile`, an incident titled with markup);
 * Stripe never read; Cloudflare last read three hours ago. Our incident INC-4211 with two annotation
 * versions (unclear, then upstream on 100ms).
 */
export async function seedConsole(
  t: TestRedis,
  now: number,
  options: { hostile?: boolean } = {},
): Promise<void> {
  const vendors = createVendorStore(t.redis, t.keys);
  const at = (minutesAgo: number) => new Date(now - minutesAgo * minute);
  const iso = (minutesAgo: number) => at(minutesAgo).toISOString();

  await vendors.applyPoll(
    '100ms',
    {
      status: {
        vendor: '100ms',
        indicator: 'major',
        description: 'Partial outage',
        components: [],
        fetchedAt: iso(1),
        health: 'ok',
      },
      incidents: [
        vendorIncident({
          vendor: '100ms',
          id: seeded.vendorIncidentId,
          title: seeded.vendorIncidentTitle,
          startedAt: iso(38),
          postedAt: iso(28),
          updatedAt: iso(10),
          regions: ['eu'],
          components: ['RTMP'],
          url: 'https://status.100ms.live/incidents/hms-rtmp-eu',
        }),
        vendorIncident({
          vendor: '100ms',
          id: 'hms-old',
          title: 'Recording delays in India',
          impact: 'minor',
          status: 'resolved',
          startedAt: iso(6 * 24 * 60),
          resolvedAt: iso(6 * 24 * 60 - 90),
          regions: ['ap-south'],
        }),
      ],
    },
    { now: at(1), latencyMs: 120 },
  );
  await vendors.applyPoll(
    'twilio',
    {
      status: {
        vendor: 'twilio',
        indicator: 'operational',
        description: 'All Systems Operational',
        components: [],
        fetchedAt: iso(1),
        health: 'ok',
      },
      incidents: options.hostile
        ? [
            vendorIncident({
              vendor: 'twilio',
              id: 'tw-hostile',
              title: seeded.hostileTitle,
              impact: 'minor',
              startedAt: iso(300),
              url: 'javascript:alert(1)',
            }),
          ]
        : [],
    },
    { now: at(2), latencyMs: 90 },
  );
  await vendors.recordFailure('stripe', new FetchError('timeout', 'timed out after 10000 ms'), {
    now: at(1),
    latencyMs: 10_000,
  });
  await vendors.applyPoll(
    'cloudflare',
    {
      status: {
        vendor: 'cloudflare',
        indicator: 'operational',
        description: 'All Systems Operational',
        components: [],
        fetchedAt: iso(180),
        health: 'ok',
      },
      incidents: [],
    },
    { now: at(180), latencyMs: 200 },
  );

  // Our errors: 100ms spiking for the last 40 minutes after a quiet day; Twilio a steady trickle.
  const series = (vendor: string, code: string, errorClass: Series['errorClass']): Series => ({
    service: 'backstage',
    vendor,
    region: 'eu-west-1',
    code,
    errorClass,
  });
  const nowMinute = Math.floor(now / minute);
  const pipeline = t.redis.pipeline();
  for (let m = nowMinute - 24 * 60; m <= nowMinute; m++) {
    const ago = nowMinute - m;
    const hms = ago <= 40 ? 20 + (ago % 7) : m % 5 === 0 ? 1 : 0;
    if (hms)
      pipeline.hincrby(
        t.keys.errorBucket(m),
        seriesField(series('100ms', 'RTMP_START_FAILED', 'server')),
        hms,
      );
    const twilio = m % 97 === 0 ? 4 : m % 7 === 0 ? 1 : 0;
    if (twilio)
      pipeline.hincrby(t.keys.errorBucket(m), seriesField(series('twilio', 'HTTP_503', 'server')), twilio);
  }
  await pipeline.exec();

  const suspect: Suspect = {
    id: seeded.suspectId,
    vendor: '100ms',
    region: 'eu',
    since: iso(40),
    services: ['backstage'],
    rule: 'single-service',
    ratePerMin: 24,
    baselinePerMin: 0.5,
    ratio: 48,
    peakPerMin: 26,
    detectedAt: iso(37),
    updatedAt: iso(1),
    lastSpikeAt: iso(1),
    closedAt: null,
    vendorIncidentId: seeded.vendorIncidentId,
    vendorPostedAt: iso(28),
    ackLagMinutes: 12,
    regionMatch: 'contains',
  };
  // An earlier spike the vendor never said a word about.
  const silent: Suspect = {
    ...suspect,
    id: 'sus-100ms-us',
    region: 'us-east',
    since: iso(3 * 24 * 60),
    detectedAt: iso(3 * 24 * 60 - 3),
    updatedAt: iso(3 * 24 * 60 - 25),
    lastSpikeAt: iso(3 * 24 * 60 - 30),
    closedAt: iso(3 * 24 * 60 - 25),
    peakPerMin: 9,
    ratePerMin: 1,
    baselinePerMin: 0.4,
    ratio: 2.5,
    vendorIncidentId: null,
    vendorPostedAt: null,
    ackLagMinutes: null,
    regionMatch: null,
  };
  await createSuspectStore(t.redis, t.keys).save({ opened: [suspect], updated: [], closed: [silent] }, at(1));

  await createIncidentStore(t.redis, t.keys).upsert({
    id: seeded.incidentId,
    service: 'backstage',
    title: options.hostile ? `${seeded.incidentTitle} ${seeded.hostileTitle}` : seeded.incidentTitle,
    startedAt: iso(35),
    resolvedAt: null,
    regions: ['eu'],
    customers: ['acme'],
  });
  const annotations = createAnnotationStore(t.redis, t.keys);
  await annotations.record(
    {
      id: seeded.incidentId,
      verdict: 'unclear',
      candidates: [
        {
          vendor: '100ms',
          suspectedIssueId: seeded.suspectId,
          confidence: 0.45,
          evidence: ['Our errors on 100ms spiked in eu-west-1; 100ms has posted nothing yet'],
        },
      ],
    },
    at(33),
  );
  await annotations.record(
    {
      id: seeded.incidentId,
      verdict: 'upstream',
      candidates: [
        {
          vendor: '100ms',
          vendorIncidentId: seeded.vendorIncidentId,
          confidence: 0.86,
          evidence: [
            `100ms posted "${seeded.vendorIncidentTitle}" (major, Europe) 3 min before our incident began`,
            seeded.evidence,
          ],
        },
        {
          vendor: 'twilio',
          confidence: 0.05,
          evidence: ['Twilio is operational and our calls to it are at baseline (0.3/min)'],
        },
      ],
      notes: ['No deploy of backstage in the 2 h before onset'],
    },
    at(25),
  );
}
