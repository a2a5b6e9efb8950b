import { Queue, type Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { providers } from '../providers/registry.js';
import { parseConfig, type Config } from '../src/config.js';
import type { AlertPayload } from '../src/core/alerts/types.js';
import type { Annotation } from '../src/core/correlate/types.js';
import type { VendorIncident } from '../src/core/model.js';
import { seriesField, type Series } from '../src/core/series.js';
import { enqueueDeliveries } from '../src/delivery/enqueue.js';
import { createSinks } from '../src/delivery/sinks/create.js';
import { createHttpClient, type HttpClient } from '../src/http/client.js';
import { createLogger } from '../src/logger.js';
import { createVendorStore, type VendorStore } from '../src/store/vendors.js';
import { runAlertTick, suspectAlertHandler, type AlertDeps } from '../workers/alert-worker.js';
import { createDeliveryWorker } from '../workers/delivery-worker.js';
import { jobCatalog } from '../workers/jobs.js';
import { pollVendor } from '../workers/poll.js';
import { runSuspectEvaluation } from '../workers/suspect-worker.js';
import { createTestRedis, redisUrl, type TestRedis } from './support/redis.js';
import { startVendorServer, type VendorServer } from './support/vendor-server.js';
import { waitUntil } from './support/wait.js';

const T0 = Date.parse('2024-04-04T19:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000);
const iso = (minutes: number) => at(minutes).toISOString();
const secret = 'whsec_YWxlcnRzLWUyZS1zaWduaW5nLWtleS0wMTIzNDU2Nzg5';
const silent = createLogger('silent');

/** One body a sink received, with the path naming the sink. */
interface Received {
  sink: string;
  id: string;
  body: { type: string } & Partial<Omit<AlertPayload, 'type'>>;
}

/** A webhook receiver on port 0 that accepts everything; each sink posts to its own path. */
async function startReceiver() {
  const received: Received[] = [];
  const server = await startVendorServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        sink: (req.url ?? '').slice(1),
        id: String(req.headers['webhook-id']),
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Received['body'],
      });
      res.writeHead(200).end();
    });
  });
  return { server, received };
}

/** What the Slack sink posts, as far as these tests look. */
interface SlackMessage {
  text: string;
  blocks: Array<{ type: string; text?: { text: string } }>;
}

/** An empty but valid Statuspage page: nothing open, all operational. */
function statuspageBodies(name: string) {
  const page = {
    id: `page-${name}`,
    name,
    url: `https://status.${name}.example`,
    time_zone: 'Etc/UTC',
    updated_at: '2024-04-04T19:00:00.000Z',
  };
  return {
    summary: JSON.stringify({
      page,
      status: { indicator: 'none', description: 'All Systems Operational' },
      components: [],
      incidents: [],
      scheduled_maintenances: [],
    }),
    incidents: JSON.stringify({ page, incidents: [] }),
  };
}

/** Everything one scenario runs on: Redis, the sinks' receiver, the real delivery worker, the deps. */
interface Rig {
  t: TestRedis;
  config: Config;
  deps: AlertDeps;
  store: VendorStore;
  received: Received[];
  close(): Promise<void>;
}

const sinkEntries = (url: string) => [
  {
    type: 'webhook',
    name: 'alerts',
    url: `${url}/alerts`,
    secret,
    events: ['suspected', 'vendor-incident', 'vendor-unreadable'],
  },
  { type: 'webhook', name: 'unreadable', url: `${url}/unreadable`, secret, events: ['vendor-unreadable'] },
  // events default to ['annotation'].
  { type: 'webhook', name: 'notes', url: `${url}/notes`, secret },
  { type: 'slack', name: 'slack', url: `${url}/slack`, events: ['vendor-incident'] },
];

async function startRig(name: string, file: Record<string, unknown>): Promise<Rig> {
  const t = await createTestRedis(name);
  const { server, received } = await startReceiver();
  const config = parseConfig(
    {
      redis: { url: redisUrl, prefix: t.prefix },
      poll: { allowPrivateNetworks: true, timeout: '2s' },
      alerts: { unreadableAfter: '10m', settleAfter: '15m' },
      api: { console: { publicUrl: 'https://upcause.example.com' } },
      sinks: sinkEntries(server.baseUrl),
      ...file,
    },
    {},
    'test',
  );
  const deliverQueue = new Queue(jobCatalog.deliver.queue, {
    connection: t.redis.duplicate(),
    prefix: t.keys.bull,
  });
  const worker: Worker = createDeliveryWorker({
    connection: t.redis.duplicate({ maxRetriesPerRequest: null }),
    redis: t.redis,
    keys: t.keys,
    prefix: t.keys.bull,
    sinks: createSinks(config.sinks, { timeoutMs: 2000 }),
    logger: silent,
    workerOptions: { drainDelay: 1 },
  });
  void worker.run();
  return {
    t,
    config,
    deps: {
      redis: t.redis,
      keys: t.keys,
      config,
      logger: silent,
      deliverQueue,
      jobOptions: { attempts: 3, backoff: { type: 'delivery', delay: 50 } },
    },
    store: createVendorStore(t.redis, t.keys),
    received,
    async close() {
      await worker.close();
      await deliverQueue.close();
      await server.close();
      await t.cleanup();
    },
  };
}

/** Waits until every deliver job has finished (none waiting, delayed or running). */
async function drained(rig: Rig) {
  await waitUntil(
    'deliveries to finish',
    async () => {
      const c = await rig.deps.deliverQueue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      return Object.values(c).reduce((a, b) => a + b, 0);
    },
    { until: (n) => n === 0 },
  );
}

/** What one sink received of an event: `<phase>` in order of arrival. */
const phases = (rig: Rig, sink: string, event: string) =>
  rig.received.filter((r) => r.sink === sink && r.body.event === event).map((r) => r.body.phase);

describe('vendor-unreadable alerts from a real local status page (real Redis, real delivery worker)', () => {
  let rig: Rig;
  let page: VendorServer;
  let http: HttpClient;
  // Whether each vendor's page answers; the rest answer 500.
  const readable = new Map<string, boolean>();

  beforeAll(async () => {
    page = await startVendorServer((req, res) => {
      const [, vendor = '', ...rest] = (req.url ?? '').split('/');
      if (!readable.get(vendor))
        return void res.writeHead(500, { 'content-type': 'text/plain' }).end('upstream exploded');
      const bodies = statuspageBodies(vendor);
      const path = `/${rest.join('/')}`;
      const body = path.endsWith('summary.json')
        ? bodies.summary
        : path.endsWith('.json')
          ? bodies.incidents
          : null;
      if (!body) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'application/json' }).end(body);
    });
    rig = await startRig('alerts-unreadable', {
      vendors: ['pagely', 'flappy'].map((id) => ({
        id,
        name: id === 'pagely' ? 'Pagely' : 'Flappy',
        provider: 'statuspage',
        url: `${page.baseUrl}/${id}`,
      })),
    });
    http = createHttpClient({
      timeoutMs: 2000,
      maxBodyBytes: 1024 * 1024,
      userAgent: 'upcause-test',
      allowPrivateNetworks: true,
    });
  });

  afterAll(async () => {
    http?.close();
    await page?.close();
    await rig?.close();
  });

  async function poll(vendor: string, minute: number) {
    const watched = rig.config.vendors.find((v) => v.id === vendor)!;
    return pollVendor(watched, { http, providers, store: rig.store, logger: silent }, at(minute));
  }

  test('a page answering 500: nothing before N minutes, one `raised` after, one `recovered` after it settles', async () => {
    readable.set('pagely', false);
    const sent: Array<[number, string]> = [];
    const tick = async (minute: number) => {
      const summary = await runAlertTick(rig.deps, at(minute));
      expect(summary.failed).toEqual([]);
      for (const a of summary.alerts) if (a.vendor === 'pagely') sent.push([minute, a.phase]);
    };
    for (let m = 0; m <= 9; m++) {
      expect((await poll('pagely', m)).ok).toBe(false);
      await tick(m);
    }
    expect(sent).toEqual([]);
    await poll('pagely', 10);
    await tick(10);
    // BullMQ may run a tick twice: the second one sends nothing more.
    await tick(10);
    await tick(11);
    expect(sent).toEqual([[10, 'raised']]);

    const raised = (await waitUntil('the raised alert', () =>
      rig.received.find((r) => r.sink === 'alerts' && r.body.event === 'vendor-unreadable'),
    ))!;
    expect(raised.body).toMatchObject({
      type: 'alert',
      phase: 'raised',
      vendor: 'pagely',
      vendorName: 'Pagely',
      unreadableSince: iso(0),
      minutes: 10,
      link: 'https://upcause.example.com/vendors/pagely',
    });
    expect(raised.body.reason).toMatch(/500/);

    readable.set('pagely', true);
    for (let m = 12; m <= 27; m++) {
      expect((await poll('pagely', m)).ok).toBe(true);
      await tick(m);
    }
    await tick(27);
    expect(sent).toEqual([
      [10, 'raised'],
      [27, 'recovered'],
    ]);
    await drained(rig);
    expect(phases(rig, 'alerts', 'vendor-unreadable')).toEqual(['raised', 'recovered']);
    expect(phases(rig, 'unreadable', 'vendor-unreadable')).toEqual(['raised', 'recovered']);
    const recovered = rig.received.find((r) => r.sink === 'alerts' && r.body.phase === 'recovered')!;
    expect(recovered.body).toMatchObject({ unreadableSince: iso(0), minutes: 12, at: iso(12) });
    // A sink that takes annotations only hears nothing of it.
    expect(rig.received.filter((r) => r.sink === 'notes')).toEqual([]);
    // The alert log keeps each alert once.
    expect(await rig.t.redis.zcard(rig.t.keys.alertLog)).toBe(2);
  });

  test('a page flipping red and green five times in an hour yields one alert and one recovery', async () => {
    // Red for 12 minutes first (long enough to raise), then four more short red spells, 8 minutes apart.
    const red = (m: number) => m < 12 || (m < 60 && m >= 20 && (m - 20) % 10 < 3);
    const flips: boolean[] = [];
    for (let m = 0; m <= 80; m++) {
      readable.set('flappy', !red(m));
      if (flips.at(-1) !== red(m)) flips.push(red(m));
      await poll('flappy', m);
      await runAlertTick(rig.deps, at(m));
    }
    expect(flips.filter(Boolean)).toHaveLength(5);
    await drained(rig);
    const flappy = rig.received.filter((r) => r.sink === 'alerts' && r.body.vendor === 'flappy');
    expect(flappy.map((r) => r.body.phase)).toEqual(['raised', 'recovered']);
    // The recovery counts from the first failure to the last good read that held.
    expect(flappy[1]!.body).toMatchObject({ unreadableSince: iso(0), at: iso(53) });
  });
});

describe('vendor-incident alerts: only incidents touching a service of ours', () => {
  let rig: Rig;

  beforeAll(async () => {
    rig = await startRig('alerts-incident', {
      vendors: [
        { id: 'twilio', name: 'Twilio', provider: 'statuspage', url: 'https://status.twilio.example' },
        { id: 'stripe', name: 'Stripe', provider: 'statuspage', url: 'https://status.stripe.example' },
      ],
      services: [
        {
          name: 'checkout-us',
          regions: ['us-east-1'],
          dependsOn: [
            { vendor: 'twilio', components: ['SMS*'] },
            { vendor: 'stripe', components: [] },
          ],
        },
      ],
    });
  });

  afterAll(async () => {
    await rig?.close();
  });

  const incident = (
    over: Partial<VendorIncident> & Pick<VendorIncident, 'vendor' | 'id'>,
  ): VendorIncident => ({
    title: 'Elevated error rates',
    impact: 'major',
    status: 'investigating',
    kind: 'incident',
    startedAt: iso(0),
    postedAt: iso(2),
    updatedAt: iso(2),
    resolvedAt: null,
    components: [],
    regions: [],
    updates: [],
    url: null,
    ...over,
  });

  /** Stores what a poll of the vendor found, through the vendor store as the poll worker does. */
  async function posted(vendor: string, incidents: VendorIncident[], minute: number) {
    await rig.store.applyPoll(vendor, { status: null, incidents }, { now: at(minute), latencyMs: 1 });
  }

  test('a relevant incident raises one alert, another one during the episode one update, and the end one recovery; an irrelevant one nothing', async () => {
    // Twilio: SMS in Europe only, and a maintenance; our US service hears of neither.
    await posted(
      'twilio',
      [
        incident({ vendor: 'twilio', id: 'tw-eu', components: ['SMS'], regions: ['macro:europe'] }),
        incident({ vendor: 'twilio', id: 'tw-voice', components: ['Voice'], regions: ['aws:us-east-1'] }),
        incident({ vendor: 'twilio', id: 'tw-mnt', kind: 'maintenance', regions: ['aws:us-east-1'] }),
      ],
      2,
    );
    // Stripe: an incident naming no region is relevant.
    const first = incident({
      vendor: 'stripe',
      id: 'st-1',
      title: 'Payments <b>API</b> errors',
      url: 'https://status.stripe.example/incidents/st-1',
    });
    await posted('stripe', [first], 2);
    const sent: string[] = [];
    const tick = async (minute: number) => {
      const summary = await runAlertTick(rig.deps, at(minute));
      expect(summary.failed).toEqual([]);
      sent.push(...summary.alerts.map((a) => `${a.vendor} ${a.event} ${a.phase}`));
    };
    await tick(3);
    await tick(3);
    await tick(4);
    expect(sent).toEqual(['stripe vendor-incident raised']);

    // A second relevant Stripe incident while the first is open: one update, once.
    const second = incident({ vendor: 'stripe', id: 'st-2', postedAt: iso(6), regions: ['country:us'] });
    await posted('stripe', [first, second], 6);
    await tick(6);
    await tick(7);
    expect(sent).toEqual(['stripe vendor-incident raised', 'stripe vendor-incident update']);

    // Both resolved: recovered once it has stayed so for the settle period.
    await posted(
      'stripe',
      [first, second].map((i) => ({ ...i, status: 'resolved', resolvedAt: iso(20), updatedAt: iso(20) })),
      20,
    );
    for (let m = 20; m <= 35; m++) await tick(m);
    expect(sent).toEqual([
      'stripe vendor-incident raised',
      'stripe vendor-incident update',
      'stripe vendor-incident recovered',
    ]);

    await drained(rig);
    expect(phases(rig, 'alerts', 'vendor-incident')).toEqual(['raised', 'update', 'recovered']);
    const [raised, update] = rig.received.filter((r) => r.sink === 'alerts');
    expect(raised!.body).toMatchObject({
      vendor: 'stripe',
      services: ['checkout-us'],
      vendorIncident: { id: 'st-1', title: 'Payments <b>API</b> errors', postedAt: iso(2) },
    });
    expect(update!.body.vendorIncident?.id).toBe('st-2');
    expect(rig.received.some((r) => r.body.vendor === 'twilio')).toBe(false);
    // Sinks without the event in `events` get nothing.
    expect(rig.received.filter((r) => r.sink === 'unreadable' || r.sink === 'notes')).toEqual([]);
    // Slack gets the same three as Block Kit messages, vendor markup escaped.
    const slack = rig.received
      .filter((r) => r.sink === 'slack')
      .map((r) => r.body as unknown as SlackMessage);
    expect(slack.map((m) => m.blocks[0]?.text?.text.split(' ')[0])).toEqual([
      ':rotating_light:',
      ':speech_balloon:',
      ':white_check_mark:',
    ]);
    expect(slack[0]!.text).toBe("Stripe incident: 'Payments &lt;b&gt;API&lt;/b&gt; errors'");
  });

  test('a bad stored alert state is logged and skipped: the tick goes on for the other vendors', async () => {
    await rig.t.redis.set(rig.t.keys.alertState('vendor-incident', 'twilio'), '{not json');
    await rig.t.redis.hset(rig.t.keys.vendorIncidents('stripe'), 'broken', '{not json');
    await rig.t.redis.sadd(rig.t.keys.vendorOpen('stripe'), 'broken');
    const summary = await runAlertTick(rig.deps, at(40));
    expect(summary.failed.map((f) => `${f.vendor} ${f.event}`)).toEqual(['stripe vendor-incident']);
    expect(summary.alerts).toEqual([]);
  });

  test('an annotation still reaches the sink that takes annotations only, and only that one', async () => {
    const annotation: Annotation = {
      id: 'INC-7',
      verdict: 'upstream',
      annotatedAt: iso(5),
      candidates: [
        { vendor: 'stripe', vendorIncidentId: 'st-1', confidence: 0.9, evidence: ['regions match'] },
      ],
    };
    const results = await enqueueDeliveries(
      { queue: rig.deps.deliverQueue, redis: rig.t.redis, keys: rig.t.keys, sinks: rig.config.sinks },
      annotation,
      1,
    );
    expect(results.map((r) => r.sink)).toEqual(['notes']);
    await drained(rig);
    const annotations = rig.received.filter((r) => r.body.type === 'annotation');
    expect(annotations.map((r) => r.sink)).toEqual(['notes']);
  });
});

describe('suspected alerts from the suspect evaluation', () => {
  let rig: Rig;
  const T = Math.floor(T0 / 60_000);
  const nowAfter = (judged: number) => new Date((judged + 1) * 60_000 + 5_000);
  const flat = (i: number) => [1, 2, 3, 2, 2, 3, 1, 2, 2, 2][i % 10]!;

  beforeAll(async () => {
    rig = await startRig('alerts-suspected', {
      vendors: [{ id: '100ms', name: '100ms', provider: 'statuspage', url: 'https://status.100ms.example' }],
    });
  });

  afterAll(async () => {
    await rig?.close();
  });

  /** Per-minute buckets as the ingest worker writes them: 100ms spikes from T+60 to T+72 in eu-west-1. */
  async function writeScenario() {
    const pipeline = rig.t.redis.pipeline();
    for (let i = 0; i < 100; i++) {
      for (const [k, service] of ['backstage', 'webinar'].entries()) {
        for (const [v, vendor] of ['100ms', 'stripe', 'twilio'].entries()) {
          const series: Series = {
            service,
            vendor,
            region: 'eu-west-1',
            code: 'HTTP_502',
            errorClass: 'server',
          };
          const spiking = vendor === '100ms' && i >= 60 && i < 72;
          pipeline.hincrby(
            rig.t.keys.errorBucket(T + i),
            seriesField(series),
            spiking ? 80 : flat(i + 3 * k + v),
          );
        }
      }
    }
    await pipeline.exec();
  }

  test('an opened suspect sends one `suspected` alert; the vendor posting later sends one follow-up with the lag', async () => {
    await writeScenario();
    const deps = {
      redis: rig.t.redis,
      keys: rig.t.keys,
      logger: silent,
      onRun: suspectAlertHandler(rig.deps),
    };
    const opened: string[] = [];
    for (let judged = T + 55; judged <= T + 84; judged++) {
      const summary = await runSuspectEvaluation(deps, nowAfter(judged));
      opened.push(...summary.opened);
      // A rerun of the same minute (BullMQ may run a job twice) sends nothing more.
      if (summary.opened.length > 0) await deps.onRun(summary);
    }
    expect(opened).toHaveLength(1);

    // The vendor posts at T+85, 25 minutes after our first errors; the next evaluation links it.
    await rig.store.applyPoll(
      '100ms',
      {
        status: null,
        incidents: [
          {
            vendor: '100ms',
            id: 'ww76zjqsj6j9',
            title: 'Recording failures in EU',
            impact: 'major',
            status: 'investigating',
            kind: 'incident',
            startedAt: new Date((T + 70) * 60_000).toISOString(),
            postedAt: new Date((T + 85) * 60_000).toISOString(),
            updatedAt: new Date((T + 85) * 60_000).toISOString(),
            resolvedAt: null,
            components: [],
            regions: ['macro:europe'],
            updates: [],
            url: null,
          },
        ],
      },
      { now: new Date((T + 85) * 60_000), latencyMs: 1 },
    );
    const linked = await runSuspectEvaluation(deps, nowAfter(T + 85));
    expect(linked.linked).toEqual([{ suspect: opened[0], incident: 'ww76zjqsj6j9', ackLagMinutes: 25 }]);
    await deps.onRun(linked);
    await runSuspectEvaluation(deps, nowAfter(T + 86));

    await drained(rig);
    const suspected = rig.received.filter((r) => r.sink === 'alerts' && r.body.event === 'suspected');
    expect(suspected.map((r) => r.body.phase)).toEqual(['raised', 'update']);
    expect(suspected[0]!.body).toMatchObject({
      vendor: '100ms',
      region: 'aws:eu-west-1',
      services: ['backstage', 'webinar'],
      suspectId: opened[0],
      at: new Date((T + 60) * 60_000).toISOString(),
    });
    expect(suspected[0]!.body.ratePerMin).toBeGreaterThan(suspected[0]!.body.baselinePerMin!);
    expect(suspected[1]!.body).toMatchObject({
      ackLagMinutes: 25,
      suspectId: opened[0],
      vendorIncident: { id: 'ww76zjqsj6j9' },
    });
    expect(suspected[1]!.body.title).toBe(
      "100ms posted 'Recording failures in EU', 25 min after our errors showed it",
    );
    expect(rig.received.filter((r) => r.sink !== 'alerts')).toEqual([]);
  });
});
