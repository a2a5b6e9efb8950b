import { Queue, QueueEvents } from 'bullmq';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startApp, type RunningApp } from '../src/app.js';
import { parseConfig } from '../src/config.js';
import { ConfigError } from '../src/core/errors.js';
import { createLogger } from '../src/logger.js';
import { readBuckets } from '../src/store/error-buckets.js';
import { createAnnotationStore } from '../src/store/annotations.js';
import { connectRedis } from '../src/store/redis.js';
import { jobCatalog } from '../workers/jobs.js';
import {
  clusterKeys,
  clusterNodes,
  createTestCluster,
  hasCluster,
  type TestCluster,
} from './support/cluster.js';
import { startVendorServer, type VendorServer } from './support/vendor-server.js';
import { waitUntil } from './support/wait.js';

const token = 'cluster-token-0123456789abcdef';
const secret = 'whsec_Y2x1c3Rlci1lMmUtc2lnbmluZy1rZXktMDEyMzQ1Njc4OQ==';
const minute = 60_000;

describe('redis.cluster in the config', () => {
  test('nodes come from the file or from UPCAUSE_REDIS_CLUSTER_NODES, comma-separated', () => {
    const fromFile = parseConfig(
      { redis: { cluster: { nodes: ['redis://10.0.0.1:7000', 'redis://10.0.0.2:7000'] } } },
      {},
      'test',
    );
    expect(fromFile.redis.cluster).toEqual({ nodes: ['redis://10.0.0.1:7000', 'redis://10.0.0.2:7000'] });
    const fromEnv = parseConfig(
      {},
      { UPCAUSE_REDIS_CLUSTER_NODES: 'redis://10.0.0.1:7000, redis://10.0.0.2:7001' },
      'test',
    );
    expect(fromEnv.redis.cluster).toEqual({ nodes: ['redis://10.0.0.1:7000', 'redis://10.0.0.2:7001'] });
    expect(parseConfig({}, {}, 'test').redis.cluster).toBeUndefined();
  });

  test('a node that is not a redis://host:port URL is refused, naming the key and the variable', () => {
    expect(() => parseConfig({ redis: { cluster: { nodes: [] } } }, {}, 'test')).toThrow(
      /redis\.cluster\.nodes: expected at least one node URL/,
    );
    expect(() =>
      parseConfig({}, { UPCAUSE_REDIS_CLUSTER_NODES: 'redis://10.0.0.1:7000,10.0.0.2:7000' }, 'test'),
    ).toThrow(
      /redis\.cluster\.nodes\[1\] \(from UPCAUSE_REDIS_CLUSTER_NODES\): expected a redis:\/\/host:port URL/,
    );
    expect(() => parseConfig({ redis: { cluster: { nodes: ['redis://h:1/2'] } } }, {}, 'test')).toThrow(
      ConfigError,
    );
  });

  test('a cluster nobody answers on fails to connect with the nodes named', async () => {
    const nodes = ['redis://127.0.0.1:1', 'redis://user:s3cret@127.0.0.1:2'];
    const failure = await connectRedis(
      { url: 'redis://unused:6379', cluster: { nodes } },
      'producer',
      'test',
    ).then(
      () => null,
      (error: unknown) => error as Error,
    );
    expect(failure?.message).toMatch(
      /^Redis Cluster node .*redis\.cluster\.nodes is redis:\/\/127\.0\.0\.1:1/,
    );
    expect(failure?.message).toContain('redis://user:***@127.0.0.1:2');
    expect(failure?.message).not.toContain('s3cret');
  });
});

/** What the webhook sink posted, as far as this test looks. */
interface Posted {
  type: string;
  incident?: string;
  verdict?: string;
  candidates?: Array<{ vendor: string; vendorIncidentId: string | null }>;
}

/**
 * Statuspage's summary.json and incidents.json for 100ms, with one open incident on Recording and RTMP
 * streaming in Europe that began `startedAt`.
 */
function statusPage(startedAt: Date) {
  const page = {
    id: 'page-100ms',
    name: '100ms',
    url: 'https://status.100ms.example',
    time_zone: 'Etc/UTC',
    updated_at: startedAt.toISOString(),
  };
  const posted = new Date(startedAt.getTime() + minute).toISOString();
  const incident = {
    id: 'rec-eu-1',
    name: 'Recording and RTMP streaming failures in Europe',
    status: 'investigating',
    impact: 'major',
    created_at: posted,
    updated_at: posted,
    started_at: startedAt.toISOString(),
    resolved_at: null,
    shortlink: 'https://stspg.io/rec-eu-1',
    components: [{ name: 'Recording' }, { name: 'RTMP Streaming' }],
    incident_updates: [
      {
        id: 'u1',
        status: 'investigating',
        body: 'We are investigating failures of recordings and RTMP streams for rooms in Europe.',
        created_at: posted,
        display_at: posted,
      },
    ],
  };
  const components = [
    { id: 'c1', name: 'Recording', status: 'major_outage', group_id: null },
    { id: 'c2', name: 'RTMP Streaming', status: 'partial_outage', group_id: null },
  ];
  return {
    summary: JSON.stringify({
      page,
      status: { indicator: 'major', description: 'Major outage' },
      components,
      incidents: [incident],
      scheduled_maintenances: [],
    }),
    incidents: JSON.stringify({ page, incidents: [incident] }),
  };
}

describe.skipIf(!hasCluster)('the worker path on a Redis Cluster (UPCAUSE_REDIS_CLUSTER)', () => {
  let t: TestCluster;
  let app: RunningApp;
  let page: VendorServer;
  let receiver: VendorServer;
  let queueConnection: TestCluster['redis'];
  const posted: Posted[] = [];
  // The suspect detector judges the last full minute; the spike covers the 12 minutes up to it.
  const nowMinute = Math.floor(Date.now() / minute);
  const first = nowMinute - 72;
  const spikeFrom = nowMinute - 12;

  beforeAll(async () => {
    t = await createTestCluster('cluster-e2e', { partitions: 3 });
    queueConnection = t.redis.duplicate();
    const bodies = statusPage(new Date((spikeFrom - 1) * minute));
    page = await startVendorServer((req, res) => {
      const path = req.url ?? '';
      const body = path.endsWith('summary.json')
        ? bodies.summary
        : path.endsWith('incidents.json')
          ? bodies.incidents
          : null;
      if (!body) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'application/json' }).end(body);
    });
    receiver = await startVendorServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        posted.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Posted);
        res.writeHead(200).end();
      });
    });
    const dependsOn = [{ vendor: '100ms', components: ['Recording', 'RTMP Streaming'] }];
    const config = parseConfig(
      {
        redis: { cluster: { nodes: clusterNodes }, prefix: t.prefix },
        api: { port: 0, tokens: [{ name: 'producer', token, scopes: ['ingest', 'read'] }] },
        ingest: { claimAfter: '2s', partitions: 3 },
        poll: { allowPrivateNetworks: true, timeout: '5s' },
        vendors: [{ id: '100ms', name: '100ms', provider: 'statuspage', url: page.baseUrl }],
        services: [
          { name: 'backstage', regions: ['eu-west-1'], dependsOn },
          { name: 'studio', regions: ['eu-west-1'], dependsOn },
        ],
        sinks: [{ type: 'webhook', name: 'notes', url: `${receiver.baseUrl}/notes`, secret }],
      },
      {},
      'test',
    );
    // The product's own start-up: every connection it opens is a cluster client.
    app = await startApp(config, new Set(['api', 'worker']), createLogger('silent'));
  });
  afterAll(async () => {
    await app?.close(5000);
    await queueConnection?.quit();
    await page?.close();
    await receiver?.close();
    await t?.cleanup();
  });

  /** Enqueues one job of a catalog entry on the cluster and waits until a worker has finished it. */
  async function runJob(entry: { queue: string; name: string }, data: Record<string, unknown>) {
    const queue = new Queue(entry.queue, { connection: queueConnection, prefix: t.keys.bull });
    const events = new QueueEvents(entry.queue, {
      connection: queueConnection.duplicate(),
      prefix: t.keys.bull,
    });
    try {
      await events.waitUntilReady();
      const job = await queue.add(entry.name, data, { attempts: 1 });
      return await job.waitUntilFinished(events, 15_000);
    } finally {
      await events.close();
      await queue.close();
    }
  }

  test('error events through the stream and the API land in the minute buckets', async () => {
    // 72 minutes of two services' 502s on three vendors: 1–3 a minute, then 80 a minute on 100ms,
    // each service's to its own partition's stream (one pipeline per partition: one slot each).
    const pipelines = new Map(t.keys.partitions.map((p) => [p.errors, t.redis.pipeline()]));
    let expected = 0;
    let backstageExpected = 0;
    for (let m = first; m < nowMinute; m++) {
      for (const [k, service] of ['backstage', 'studio'].entries()) {
        for (const [v, vendor] of ['100ms', 'stripe', 'twilio'].entries()) {
          const count = vendor === '100ms' && m >= spikeFrom ? 80 : 1 + ((m + k + v) % 3);
          expected += count;
          if (service === 'backstage') backstageExpected += count;
          const at = new Date(m * minute + 30_000).toISOString();
          const stream = t.keys.partitionOf(service, vendor).errors;
          pipelines
            .get(stream)!
            .xadd(
              stream,
              '*',
              ...['at', at, 'service', service, 'vendor', vendor, 'region', 'eu-west-1'],
              ...['status', '502', 'count', String(count)],
            );
        }
      }
    }
    await Promise.all([...pipelines.values()].map((pipeline) => pipeline.exec()));
    const at = new Date((nowMinute - 1) * minute + 40_000).toISOString();
    const lines = [1, 2, 3].map((i) =>
      JSON.stringify({
        at,
        service: 'backstage',
        vendor: '100ms',
        region: 'eu-west-1',
        status: 502,
        id: `api-${i}`,
      }),
    );
    const res = await fetch(`${app.apiUrl}/v1/errors`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson' },
      body: lines.join('\n'),
    });
    expect(res.status).toBe(202);
    expect(((await res.json()) as { accepted: number }).accepted).toBe(3);
    expected += 3;
    backstageExpected += 3;

    const range = { from: first * minute, to: nowMinute * minute };
    const read = await waitUntil(
      `${expected} events in the buckets`,
      () => readBuckets(t.redis, t.keys, range),
      {
        until: (r) => r.total >= expected,
        intervalMs: 100,
      },
    );
    expect(read.total).toBe(expected);
    const backstage = await readBuckets(t.redis, t.keys, { ...range, service: 'backstage' });
    expect(backstage.total).toBe(backstageExpected);
  });

  test('the suspect worker opens a suspected 100ms issue in eu-west-1', async () => {
    const summary = (await runJob(jobCatalog.suspect, {})) as { opened: string[] };
    expect(summary.opened).toHaveLength(1);
    const open = await t.redis.smembers(t.keys.suspectedOpen);
    expect(open).toEqual(summary.opened);
    const suspect = JSON.parse((await t.redis.get(t.keys.suspected(open[0]!)))!) as Record<string, unknown>;
    expect(suspect).toMatchObject({ vendor: '100ms', region: 'aws:eu-west-1' });
  });

  test('one poll of the local status page stores its open incident, and the suspect is linked to it', async () => {
    await runJob(jobCatalog.poll, { vendor: '100ms' });
    expect(page.requests.some((r) => r.path.endsWith('summary.json'))).toBe(true);
    expect(await t.redis.hkeys(t.keys.vendorIncidents('100ms'))).toEqual(['rec-eu-1']);
    expect(await t.redis.smembers(t.keys.vendorOpen('100ms'))).toEqual(['rec-eu-1']);
    const summary = (await runJob(jobCatalog.suspect, {})) as { linked: Array<{ incident: string }> };
    expect(summary.linked.map((l) => l.incident)).toEqual(['rec-eu-1']);
  });

  test('our incident is annotated with 100ms as the upstream cause and the webhook receives it', async () => {
    const res = await fetch(`${app.apiUrl}/v1/incidents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        id: 'INC-CLUSTER-1',
        service: 'backstage',
        title: 'Recordings fail to start',
        startedAt: new Date(spikeFrom * minute).toISOString(),
        regions: ['eu'],
      }),
    });
    expect(res.status).toBe(201);
    const delivered = await waitUntil(
      'the annotation at the webhook',
      () => posted.find((p) => p.type === 'annotation' && p.incident === 'INC-CLUSTER-1'),
      { intervalMs: 100 },
    );
    expect(delivered).toMatchObject({ verdict: 'upstream' });
    expect(delivered?.candidates?.[0]).toMatchObject({ vendor: '100ms', vendorIncidentId: 'rec-eu-1' });
    const stored = await createAnnotationStore(t.redis, t.keys).latest('INC-CLUSTER-1');
    expect(stored).toMatchObject({ verdict: 'upstream', top: '100ms/rec-eu-1' });
  });

  test('the keys of the run spread over the three masters: one ingest partition on each, shared state under {prefix}', async () => {
    const byMaster = await clusterKeys(t.redis, `{${t.prefix}*`);
    const holding = [...byMaster].filter(([, keys]) => keys.length > 0);
    expect(holding).toHaveLength(3);
    // Each partition's tag is one slot, and the three slots are on three different masters.
    const masterOf = new Map<string, string>();
    for (const [master, keys] of byMaster) for (const key of keys) masterOf.set(key, master);
    const partitionMasters = t.keys.partitions.map((p) => masterOf.get(p.errors));
    expect(new Set(partitionMasters).size).toBe(3);
    for (const p of t.keys.partitions) {
      const inTag = [...masterOf.keys()].filter((key) => key.startsWith(p.root));
      expect(inTag).toContain(p.errors);
      const slots = new Set(await Promise.all(inTag.map((key) => t.redis.cluster('KEYSLOT', key))));
      expect(slots.size).toBe(1);
    }
    // Each (service, vendor) pair's counts are in its own partition, and every partition has some.
    for (const p of t.keys.partitions) {
      const fields = await t.redis.hkeys(p.errorBucket(spikeFrom));
      expect(fields.length).toBeGreaterThan(0);
      for (const field of fields) {
        const [service, vendor] = JSON.parse(field) as [string, string];
        expect(t.keys.partitionOf(service, vendor).index).toBe(p.index);
      }
    }
    // The stream list producers in other languages read.
    expect(await t.redis.lrange(t.keys.partitionStreams, 0, -1)).toEqual(
      t.keys.partitions.map((p) => p.errors),
    );
  });
});
