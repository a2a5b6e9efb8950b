import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLegacyStatusData } from '../providers/aws-legacy.js';
import { awsRssOptionsSchema, awsRssProvider, awsRssStatus, parseAwsRss } from '../providers/aws-rss.js';
import { splitServiceSlug } from '../providers/aws-shared.js';
import { awsProvider, parseAwsCurrentEvents } from '../providers/aws.js';
import { createDetectContext } from '../src/http/detect.js';
import { vendorStatusSchema, type VendorIncident } from '../src/core/model.js';
import { hasSharedFixtures, readOwn, readShared } from './support/fixtures.js';
import {
  type Page,
  type Pages,
  createDetectHarness,
  expectParseRejection,
  incidentProblems,
  servePages,
} from './support/provider-checks.js';
import { pollThroughStore } from './support/provider-harness.js';
import { createTestRedis, type TestRedis } from './support/redis.js';
import { startVendorServer, type VendorServer } from './support/vendor-server.js';

const now = new Date('2026-03-02T15:00:00Z');
const MIDDLE_EAST =
  'arn:aws:health:me-central-1::event/MULTIPLE_SERVICES/AWS_MULTIPLE_SERVICES_OPERATIONAL_ISSUE/AWS_MULTIPLE_SERVICES_OPERATIONAL_ISSUE_ABC12_0F1E2D3C4B5';
const EC2_US_EAST =
  'arn:aws:health:us-east-1::event/EC2/AWS_EC2_OPERATIONAL_ISSUE/AWS_EC2_OPERATIONAL_ISSUE_DEF34_1A2B3C4D5E6';
const IAM_GLOBAL =
  'arn:aws:health:global::event/IAM/AWS_IAM_OPERATIONAL_ISSUE/AWS_IAM_OPERATIONAL_ISSUE_9F8E7_6D5C4B3A291';

const utf16le = (text: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
const utf16be = (text: string) =>
  Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]);

describe('splitServiceSlug()', () => {
  it.each([
    ['rds-us-east-1', 'rds', 'us-east-1'],
    ['acm-pca-me-central-1', 'acm-pca', 'me-central-1'],
    ['ec2-us-gov-west-1', 'ec2', 'us-gov-west-1'],
    ['dynamodb-dax-ap-northeast-1', 'dynamodb-dax', 'ap-northeast-1'],
    ['multipleservices-me-central-1', 'multipleservices', 'me-central-1'],
    ['s3-us-standard', 's3', 'us-east-1'],
    ['billingconsole', 'billingconsole', null],
    ['management-console', 'management-console', null],
  ])('reads %s as service %s in region %s', (slug, service, region) => {
    expect(splitServiceSlug(slug)).toEqual({ service, region });
  });
});

describe('parseAwsCurrentEvents() on events written from third-party descriptions of currentevents', () => {
  let body: string;
  let parsed: ReturnType<typeof parseAwsCurrentEvents>;
  beforeAll(async () => {
    body = await readOwn('aws/currentevents-from-docs.json');
    parsed = parseAwsCurrentEvents(body, 'aws', now);
  });
  const byId = (id: string) => parsed.incidents.find((i) => i.id === id);

  it('keeps every event under its ARN with every invariant holding', () => {
    expect(parsed.incidents.map((i) => i.id)).toEqual([MIDDLE_EAST, EC2_US_EAST, IAM_GLOBAL]);
    expect(incidentProblems(parsed.incidents)).toEqual([]);
  });

  it('takes the region from the ARN, never from region_name ("UAE"), and "global" for global events', () => {
    expect(parsed.incidents.map((i) => i.regions)).toEqual([['me-central-1'], ['us-east-1'], ['global']]);
  });

  it('reads an open disruption: epoch strings and numbers to UTC, the log as updates, impacted services as components', () => {
    expect(byId(MIDDLE_EAST)).toMatchObject({
      title: 'Region Availability',
      impact: 'critical',
      status: 'disruption',
      kind: 'incident',
      startedAt: '2026-03-01T12:51:25.000Z',
      postedAt: '2026-03-01T12:51:25.000Z',
      // A service recovering (a status change) is news even when nobody wrote a log entry.
      updatedAt: '2026-03-01T15:46:40.000Z',
      resolvedAt: null,
      components: [
        'Amazon CloudWatch Synthetics',
        'Amazon Elastic Compute Cloud',
        'AWS Private Certificate Authority',
      ],
      url: 'https://health.aws.amazon.com/health/status',
    });
    const updates = byId(MIDDLE_EAST)!.updates;
    expect(updates.map((u) => u.status)).toEqual(['informational', 'degraded', 'disruption']);
    expect(updates[1]).toMatchObject({
      at: '2026-03-01T13:21:25.000Z',
      body: expect.stringMatching(/^We can confirm .*Region\.\n\nWe recommend/s),
      html: expect.stringContaining('<br><br>'),
    });
  });

  it('ends an event at end_time and keeps its peak as the impact (degradation → major)', () => {
    expect(byId(EC2_US_EAST)).toMatchObject({
      impact: 'major',
      status: 'resolved',
      startedAt: '2026-03-02T12:00:00.000Z',
      resolvedAt: '2026-03-02T14:00:00.000Z',
      updatedAt: '2026-03-02T14:00:00.000Z',
    });
  });

  it('maps an informational event to minor', () => {
    expect(byId(IAM_GLOBAL)).toMatchObject({ impact: 'minor', status: 'informational' });
  });

  it('reports the worst current state of the open events and each impacted service by its slug', () => {
    const { status } = parsed;
    expect(vendorStatusSchema.parse(status)).toMatchObject({ indicator: 'critical', health: 'ok' });
    expect(status.components).toEqual([
      {
        id: 'cloudwatchsynthetics-me-central-1',
        name: 'Amazon CloudWatch Synthetics',
        group: 'me-central-1',
        status: 'major_outage',
      },
      {
        id: 'ec2-me-central-1',
        name: 'Amazon Elastic Compute Cloud',
        group: 'me-central-1',
        status: 'partial_outage',
      },
      {
        id: 'acm-pca-me-central-1',
        name: 'AWS Private Certificate Authority',
        group: 'me-central-1',
        status: 'operational',
      },
      { id: 'iam', name: 'AWS Identity and Access Management', group: null, status: 'degraded_performance' },
    ]);
  });

  it('reads an empty array as operational with no incidents', () => {
    expect(parseAwsCurrentEvents('[]', 'aws', now)).toEqual({
      status: {
        vendor: 'aws',
        indicator: 'operational',
        components: [],
        fetchedAt: now.toISOString(),
        health: 'ok',
      },
      incidents: [],
    });
  });

  it('closes an event whose impacted services all recovered or whose status is 0, and keeps planned work apart', () => {
    const events = JSON.parse(body) as Record<string, unknown>[];
    const recovered = {
      ...events[0],
      impacted_services: { 'ec2-me-central-1': { service_name: 'EC2', current: '0', max: '3' } },
    };
    const zero = { ...events[2], status: '0' };
    const planned = {
      ...events[2],
      arn: 'arn:aws:health:eu-west-1::event/RDS/AWS_RDS_MAINTENANCE_SCHEDULED/AWS_RDS_MAINTENANCE_SCHEDULED_1',
    };
    const [a, b, c] = parseAwsCurrentEvents(JSON.stringify([recovered, zero, planned]), 'aws', now).incidents;
    expect(a).toMatchObject({ status: 'resolved', resolvedAt: '2026-03-01T15:46:40.000Z' });
    expect(b).toMatchObject({ status: 'resolved', resolvedAt: '2026-03-02T14:15:00.000Z' });
    expect(c).toMatchObject({ kind: 'maintenance', regions: ['eu-west-1'], resolvedAt: null });
  });
});

describe('bad currentevents payloads', () => {
  it('rejects an HTML page and an object where the event array belongs', async () => {
    expect(
      (await expectParseRejection(() => parseAwsCurrentEvents('<html><body>Error</body></html>', 'aws', now)))
        .message,
    ).toMatch(/^currentevents: got HTML/);
    expect(
      (await expectParseRejection(() => parseAwsCurrentEvents('{"events": []}', 'aws', now))).message,
    ).toBe('currentevents: body: expected array, received object');
  });

  it('names an event without an ARN and a date that is not an epoch', async () => {
    expect(
      (await expectParseRejection(() => parseAwsCurrentEvents('[{"date": "1772369485"}]', 'aws', now)))
        .message,
    ).toMatch(/^currentevents: \[0\]\.arn/);
    const bad = '[{"arn": "arn:aws:health:us-east-1::event/EC2/X/Y", "date": "yesterday"}]';
    expect((await expectParseRejection(() => parseAwsCurrentEvents(bad, 'aws', now))).message).toMatch(
      /\[0\]\.date/,
    );
  });
});

describe('parseAwsRss() on a feed written from AWS feed descriptions', () => {
  let incidents: VendorIncident[];
  beforeAll(async () => {
    incidents = await parseAwsRss(await readOwn('aws/all-rss-from-docs.xml'), 'aws');
  });
  const byId = (id: string) => incidents.find((i) => i.id === id);

  it('groups one update per item into incidents by service and summary, a resolution closing each', () => {
    expect(incidents.map((i) => i.id)).toEqual([
      'ec2-eu-central-1_1657038600',
      's3-us-standard_1657318800',
      'ec2-eu-central-1_1657544520',
      'cloudfront_1657554600',
    ]);
    expect(incidentProblems(incidents)).toEqual([]);
  });

  it('reads an incident across three items: PDT dates to UTC, the worst prefix as impact, guids as update ids', () => {
    expect(byId('ec2-eu-central-1_1657544520')).toMatchObject({
      title: 'Increased API Error Rates',
      impact: 'major',
      status: 'resolved',
      startedAt: '2022-07-11T13:02:00.000Z',
      postedAt: '2022-07-11T13:02:00.000Z',
      updatedAt: '2022-07-11T14:10:00.000Z',
      resolvedAt: '2022-07-11T14:10:00.000Z',
      components: ['ec2'],
      regions: ['eu-central-1'],
    });
    expect(byId('ec2-eu-central-1_1657544520')!.updates.map((u) => [u.id, u.status])).toEqual([
      ['http://status.aws.amazon.com/#ec2-eu-central-1_1657544520', 'informational'],
      ['http://status.aws.amazon.com/#ec2-eu-central-1_1657546260', 'degraded'],
      ['http://status.aws.amazon.com/#ec2-eu-central-1_1657548600', 'resolved'],
    ]);
  });

  it('keeps a same-titled incident of an earlier day as its own incident', () => {
    expect(byId('ec2-eu-central-1_1657038600')).toMatchObject({
      impact: 'minor',
      startedAt: '2022-07-05T16:30:00.000Z',
      resolvedAt: '2022-07-05T18:00:00.000Z',
    });
  });

  it('maps "Service disruption" to critical and the legacy us-standard slug to us-east-1', () => {
    expect(byId('s3-us-standard_1657318800')).toMatchObject({ impact: 'critical', regions: ['us-east-1'] });
  });

  it('leaves regions empty for a global service (no region in the guid) and keeps it open', () => {
    expect(byId('cloudfront_1657554600')).toMatchObject({
      regions: [],
      components: ['cloudfront'],
      status: 'informational',
      resolvedAt: null,
    });
  });

  it('derives the status from open incidents and one component per per-service feed', () => {
    const feeds = ['/rss/all.rss', '/rss/cloudfront.rss', '/rss/ec2-eu-central-1.rss'];
    const status = awsRssStatus(incidents, feeds, 'aws', now);
    expect(vendorStatusSchema.parse(status).indicator).toBe('minor');
    expect(status.components).toEqual([
      { id: 'cloudfront', name: 'cloudfront', group: null, status: 'degraded_performance' },
      { id: 'ec2-eu-central-1', name: 'ec2', group: 'eu-central-1', status: 'operational' },
    ]);
  });
});

describe('bad AWS feeds', () => {
  const feed = (item: string) =>
    `<?xml version="1.0"?><rss version="2.0"><channel><title>Amazon Web Services Service Status</title>${item}</channel></rss>`;

  it('rejects an HTML page and malformed XML', async () => {
    expect(
      (await expectParseRejection(() => parseAwsRss('<!DOCTYPE html><html></html>', 'aws'))).message,
    ).toBe('aws rss: got an HTML page instead of RSS');
    expect((await expectParseRejection(() => parseAwsRss('<rss><channel><item>', 'aws'))).message).toMatch(
      /^aws rss: not a readable RSS feed/,
    );
  });

  it('names an item whose guid no longer carries the service and epoch', async () => {
    const drifted = feed('<item><title>Informational message: x</title><guid>abc-123</guid></item>');
    expect((await expectParseRejection(() => parseAwsRss(drifted, 'aws'))).message).toBe(
      'aws rss: item 0: guid "abc-123" is not …#<service>-<region>_<epoch>',
    );
  });

  it('falls back to the guid epoch when the pubDate is missing, and to unknown for an unknown prefix', async () => {
    const [incident] = await parseAwsRss(
      feed('<item><title>Heads up: Something</title><guid>http://x/#sqs-eu-west-1_1657554600</guid></item>'),
      'aws',
    );
    expect(incident).toMatchObject({
      title: 'Heads up: Something',
      startedAt: '2022-07-11T15:50:00.000Z',
      impact: 'unknown',
      status: 'unknown',
      resolvedAt: null,
    });
    expect(awsRssStatus([incident!], ['/rss/all.rss'], 'aws', now).indicator).toBe('minor');
  });
});

describe('aws-rss options', () => {
  it('defaults to /rss/all.rss and names a feed that is not a path', () => {
    expect(awsRssOptionsSchema.parse({})).toEqual({ feeds: ['/rss/all.rss'] });
    const result = awsRssOptionsSchema.safeParse({ feeds: ['https://status.aws.amazon.com/rss/all.rss'] });
    expect(result.error?.issues[0]).toMatchObject({
      path: ['feeds', 0],
      message: 'expected a feed path such as /rss/ec2-us-east-1.rss',
    });
    expect(awsRssOptionsSchema.safeParse({ feeds: [] }).error?.issues[0]?.message).toBe(
      'list at least one feed path, e.g. /rss/all.rss',
    );
  });
});

describe.skipIf(!hasSharedFixtures)('recorded AWS payloads', () => {
  it('reads all.rss of 2023-02-13: PST to UTC, an open global item and a resolved regional one', async () => {
    const incidents = await parseAwsRss(await readShared('real/aws/all_rss_2023-02-13_two_items.xml'), 'aws');
    expect(incidentProblems(incidents)).toEqual([]);
    expect(incidents).toEqual([
      expect.objectContaining({
        id: 'billingconsole_1675376364',
        startedAt: '2023-02-02T22:19:24.000Z',
        impact: 'minor',
        status: 'informational',
        resolvedAt: null,
        regions: [],
      }),
      expect.objectContaining({
        id: 'rds-us-east-1_1676072880',
        title: 'Connectivity issues affecting some instances',
        startedAt: '2023-02-10T23:48:00.000Z',
        // Posted only once it was over: "operating normally" alone says nothing about how bad it was.
        impact: 'unknown',
        status: 'resolved',
        resolvedAt: '2023-02-10T23:48:00.000Z',
        regions: ['us-east-1'],
      }),
    ]);
  });

  it('reads the empty all.rss of 2023-02-16 as healthy: no incidents, operational', async () => {
    const incidents = await parseAwsRss(await readShared('real/aws/all_rss_2023-02-16_empty.xml'), 'aws');
    expect(incidents).toEqual([]);
    expect(awsRssStatus(incidents, ['/rss/all.rss'], 'aws', now).indicator).toBe('operational');
  });

  describe('legacy data.json of 2022-07-03', () => {
    let incidents: VendorIncident[];
    beforeAll(async () => {
      incidents = parseLegacyStatusData(
        await readShared('real/aws/legacy_status_data_json_2022-07-03.json'),
        'aws',
      );
    });
    const byId = (id: string) => incidents.find((i) => i.id === id)!;

    it('parses all 86 events, resolved, with every invariant holding', () => {
      expect(incidents).toHaveLength(86);
      expect(incidentProblems(incidents)).toEqual([]);
      expect(incidents.every((i) => i.status === 'resolved' && i.resolvedAt !== null)).toBe(true);
    });

    it('starts each event at its epoch, which is its first update to the minute', () => {
      for (const i of incidents) expect(i.updates[0]?.at, i.id).toBe(i.startedAt);
      expect(byId('ec2-eu-central-1_1626179354')).toMatchObject({
        title: 'Instance connectivity',
        startedAt: '2021-07-13T12:29:14.000Z',
        resolvedAt: '2021-07-13T14:24:00.000Z',
        impact: 'minor',
        components: ['Amazon Elastic Compute Cloud'],
        regions: ['eu-central-1'],
      });
    });

    it('rolls year-less PST stamps past midnight, and reads a stamp that names its day', () => {
      expect(byId('events-af-south-1_1637641154').updates.map((u) => u.at)).toEqual([
        '2021-11-23T04:19:14.000Z', // 8:19 PM PST on Nov 22
        '2021-11-23T05:13:00.000Z',
        '2021-11-23T06:26:00.000Z',
        '2021-11-23T08:04:00.000Z', // "Nov 23, 12:04 AM PST"
        '2021-11-23T09:59:00.000Z',
      ]);
      expect(byId('directconnect-ap-northeast-1_1630543140').resolvedAt).toBe('2021-09-07T03:25:00.000Z');
      expect(byId('elasticbeanstalk-us-east-1_1640158400').updates.map((u) => u.at)).toEqual([
        '2021-12-22T07:33:20.000Z',
        '2021-12-22T08:34:00.000Z',
        '2021-12-22T09:20:00.000Z',
        '2021-12-22T11:21:00.000Z',
      ]);
    });

    it('dates the update that all.rss published on its own (sns, 2:44 PM PST) to the guid epoch', () => {
      // grafana-infinity-datasource's docs quote that item: guid #sns-us-east-1_1642200240, pubDate 14:44 PST.
      expect(byId('sns-us-east-1_1642186756').updates.at(-1)?.at).toBe(
        new Date(1642200240 * 1000).toISOString(),
      );
    });

    it('maps status 3 to critical and 2 to major, and us-standard to us-east-1, global services to no region', () => {
      expect(byId('certificatemanager-us-east-1_1624993969').impact).toBe('critical');
      expect(byId('ec2-us-east-1_1632712292').impact).toBe('major');
      expect(byId('s3-us-standard_1636495106').regions).toEqual(['us-east-1']);
      expect(byId('cloudfront_1625000294')).toMatchObject({ regions: [], components: ['Amazon CloudFront'] });
    });

    it('turns the update HTML into text: no &nbsp; prefix, links kept in html, bilingual text intact', () => {
      const last = byId('ec2-us-east-1_1638895771').updates.at(-1)!;
      expect(last.body).toMatch(/^Between 7:32 AM and 3:10 PM PST/);
      expect(last.html).toContain('<a href="https://aws.amazon.com/message/12721/">');
      expect(byId('cloudwatch-ap-northeast-1_1626280770').updates[0]?.body).toMatch(
        /^AP-NORTHEAST-1 リージョン.* \| We are investigating/,
      );
    });
  });
});

describe('AWS providers end to end through a local server and Redis', () => {
  let currentevents: string;
  let feed: string;
  let server: VendorServer;
  let t: TestRedis;
  const pages = new Map<string, Page>();
  const utf16 = 'application/json;charset=utf-16';

  beforeAll(async () => {
    currentevents = await readOwn('aws/currentevents-from-docs.json');
    feed = await readOwn('aws/all-rss-from-docs.xml');
    t = await createTestRedis('aws-provider');
    server = await startVendorServer(servePages(pages));
  });
  afterAll(async () => {
    await server.close();
    await t.cleanup();
  });
  const vendorAt = (name: string, options?: Record<string, unknown>) => ({
    base: `/${name}`,
    vendor: { id: `aws-${name}`, url: `${server.baseUrl}/${name}`, ...(options ? { options } : {}) },
  });

  it('decodes currentevents served as UTF-16LE with a BOM and stores its events', async () => {
    const { base, vendor } = vendorAt('le');
    pages.set(`${base}/public/currentevents`, { type: utf16, body: utf16le(currentevents) });
    const { outcome, view, incidents } = await pollThroughStore(awsProvider, vendor, t, now);
    expect(outcome).toMatchObject({ ok: true, notModified: false });
    expect(view.health.state).toBe('ok');
    expect(view.status.indicator).toBe('critical');
    expect(incidents.map((i) => i.id).sort()).toEqual([EC2_US_EAST, IAM_GLOBAL, MIDDLE_EAST].sort());
    expect(view.openIncidents.map((i) => i.id).sort()).toEqual([IAM_GLOBAL, MIDDLE_EAST].sort());
  });

  it('decodes the big-endian variant too', async () => {
    const { base, vendor } = vendorAt('be');
    pages.set(`${base}/public/currentevents`, { type: utf16, body: utf16be(currentevents) });
    const { outcome, incidents } = await pollThroughStore(awsProvider, vendor, t, now);
    expect(outcome.ok).toBe(true);
    expect(incidents).toHaveLength(3);
  });

  it('answers notModified when currentevents is unchanged (304)', async () => {
    const { base, vendor } = vendorAt('etag');
    pages.set(`${base}/public/currentevents`, { type: utf16, body: utf16le(currentevents) });
    await pollThroughStore(awsProvider, vendor, t, now);
    const second = await pollThroughStore(awsProvider, vendor, t, now);
    expect(second.outcome).toMatchObject({ ok: true, notModified: true });
    expect(second.view.status.indicator).toBe('critical');
  });

  it('aws-rss stores the incidents of the default all.rss and is minor while CloudFront is open', async () => {
    const { base, vendor } = vendorAt('rss');
    pages.set(`${base}/rss/all.rss`, { type: 'application/rss+xml', body: feed });
    const { outcome, view, incidents } = await pollThroughStore(awsRssProvider, vendor, t, now);
    expect(outcome).toMatchObject({ ok: true, notModified: false });
    expect(view.health.state).toBe('ok');
    expect(view.status.indicator).toBe('minor');
    expect(incidents).toHaveLength(4);
    expect(view.openIncidents.map((i) => i.id)).toEqual(['cloudfront_1657554600']);
  });

  it('aws-rss reads an empty channel as operational, not as an error', async () => {
    const { base, vendor } = vendorAt('rss-empty');
    const empty = feed.replace(/<item>[\s\S]*<\/item>/, '');
    pages.set(`${base}/rss/all.rss`, { type: 'application/rss+xml', body: empty });
    const { outcome, view } = await pollThroughStore(awsRssProvider, vendor, t, now);
    expect(outcome.ok).toBe(true);
    expect(view.status.indicator).toBe('operational');
  });

  it('aws-rss polls per-service feeds, notModified when all answer 304, and keeps the status when only some changed', async () => {
    const feeds = ['/rss/ec2-eu-central-1.rss', '/rss/cloudfront.rss'];
    const { base, vendor } = vendorAt('rss-multi', { feeds });
    const only = (slug: string) =>
      feed.replace(/<item>[\s\S]*?<\/item>/g, (item) => (item.includes(`#${slug}_`) ? item : ''));
    pages.set(`${base}/rss/ec2-eu-central-1.rss`, {
      type: 'application/rss+xml',
      body: only('ec2-eu-central-1'),
    });
    pages.set(`${base}/rss/cloudfront.rss`, { type: 'application/rss+xml', body: only('cloudfront') });
    const first = await pollThroughStore(awsRssProvider, vendor, t, now);
    expect(first.view.status.components.map((c) => [c.id, c.status])).toEqual([
      ['ec2-eu-central-1', 'operational'],
      ['cloudfront', 'degraded_performance'],
    ]);
    expect(first.incidents).toHaveLength(3);
    expect((await pollThroughStore(awsRssProvider, vendor, t, now)).outcome).toMatchObject({
      notModified: true,
    });

    const fresh = only('ec2-eu-central-1').replace(
      '<item>',
      '<item><title><![CDATA[Informational message: Elevated launch failures]]></title><pubDate>Mon, 11 Jul 2022 09:00:00 PDT</pubDate><guid isPermaLink="false">http://status.aws.amazon.com/#ec2-eu-central-1_1657555200</guid><description>Investigating.</description></item><item>',
    );
    pages.set(`${base}/rss/ec2-eu-central-1.rss`, { type: 'application/rss+xml', body: fresh });
    const third = await pollThroughStore(awsRssProvider, vendor, t, now);
    expect(third.outcome).toMatchObject({ ok: true, notModified: false });
    expect(third.incidents.map((i) => i.id)).toContain('ec2-eu-central-1_1657555200');
    // cloudfront.rss answered 304: its open incident is not in this poll, so the stored status stands.
    expect(third.view.status.components.map((c) => c.status)).toEqual([
      'operational',
      'degraded_performance',
    ]);
  });

  it('aws-rss marks the vendor unknown on a drifted feed or an HTML page', async () => {
    const drift = vendorAt('rss-drift');
    pages.set(`${drift.base}/rss/all.rss`, {
      type: 'application/rss+xml',
      body: feed.replace(/#cloudfront_1657554600/, '/cloudfront/1657554600'),
    });
    const drifted = await pollThroughStore(awsRssProvider, drift.vendor, t, now);
    expect(!drifted.outcome.ok && drifted.outcome.error).toMatchObject({
      kind: 'parse',
      url: `${drift.vendor.url}/rss/all.rss`,
    });
    expect(drifted.view).toMatchObject({
      status: { indicator: 'unknown' },
      health: { state: 'parse_error' },
    });

    const html = vendorAt('rss-html');
    pages.set(`${html.base}/rss/all.rss`, { type: 'text/html', body: '<!doctype html><html>Oops</html>' });
    const page = await pollThroughStore(awsRssProvider, html.vendor, t, now);
    expect(!page.outcome.ok && page.outcome.error.kind).toBe('parse');
    expect(page.view).toMatchObject({ status: { indicator: 'unknown' }, health: { state: 'parse_error' } });
  });

  it('aws-rss refuses options that are not feed paths with a parse error naming the option', async () => {
    const { vendor } = vendorAt('rss-options', { feeds: ['rss/all.rss'] });
    const { outcome } = await pollThroughStore(awsRssProvider, vendor, t, now);
    expect(!outcome.ok && outcome.error.message).toBe(
      'aws-rss options: feeds[0]: expected a feed path such as /rss/ec2-us-east-1.rss',
    );
  });
});

describe('AWS detect()', () => {
  const harness = createDetectHarness();
  const { http } = harness;
  afterAll(() => harness.close());
  async function contextFor(pages: Pages) {
    const server = await harness.start(servePages(pages));
    return { server, ctx: createDetectContext(harness.http, server.baseUrl) };
  }

  it('aws recognizes UTF-16 currentevents with AWS Health ARNs', async () => {
    const body = utf16le(await readOwn('aws/currentevents-from-docs.json'));
    const { server, ctx } = await contextFor(
      new Map([['/public/currentevents', { type: 'application/json;charset=utf-16', body }]]),
    );
    const detection = await awsProvider.detect!(ctx);
    expect(detection).toMatchObject({ provider: 'aws', url: server.baseUrl, confidence: 0.9 });
    expect(detection!.evidence[0]).toContain('3 AWS Health events');
  });

  it('aws gives an empty currentevents array only a middling confidence', async () => {
    const { ctx } = await contextFor(
      new Map([['/public/currentevents', { type: 'application/json', body: '[]' }]]),
    );
    expect((await awsProvider.detect!(ctx))?.confidence).toBe(0.5);
  });

  it('aws-rss recognizes the Service Health Dashboard feed', async () => {
    const body = await readOwn('aws/all-rss-from-docs.xml');
    const { server, ctx } = await contextFor(
      new Map([['/rss/all.rss', { type: 'application/rss+xml', body }]]),
    );
    expect(await awsRssProvider.detect!(ctx)).toMatchObject({
      provider: 'aws-rss',
      url: server.baseUrl,
      confidence: 0.9,
    });
    expect(await awsProvider.detect!(ctx)).toBeNull();
  });

  it('recognizes the AWS hosts by name without fetching', async () => {
    const health = createDetectContext(http, 'https://health.aws.amazon.com/health/status');
    expect(await awsProvider.detect!(health)).toMatchObject({
      provider: 'aws',
      url: 'https://health.aws.amazon.com',
    });
    const status = createDetectContext(http, 'https://status.aws.amazon.com/');
    expect(await awsRssProvider.detect!(status)).toMatchObject({
      provider: 'aws-rss',
      url: 'https://status.aws.amazon.com',
    });
  });

  it('returns null on a server answering 404 everywhere and on another platform', async () => {
    const missing = await contextFor(new Map());
    expect(await awsProvider.detect!(missing.ctx)).toBeNull();
    expect(await awsRssProvider.detect!(missing.ctx)).toBeNull();
    const statuspage = await contextFor(
      new Map([
        [
          '/api/v2/summary.json',
          { type: 'application/json', body: await readOwn('statuspage/summary-from-docs.json') },
        ],
        ['/public/currentevents', { type: 'application/json', body: '[{"arn": "x", "date": "1"}]' }],
        [
          '/rss/all.rss',
          { type: 'application/rss+xml', body: await readOwn('statuspage/history-from-docs.atom') },
        ],
      ]),
    );
    expect(await awsProvider.detect!(statuspage.ctx)).toBeNull();
    expect(await awsRssProvider.detect!(statuspage.ctx)).toBeNull();
  });
});
