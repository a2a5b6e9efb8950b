/**
 * Correlation benchmark.
 *
 * 1. Scale: N synthetic incidents of ours correlated against the ~10,000 real stactus vendor incidents
 *    (25 Statuspage histories), then 2× and 4× of both (the vendor side cloned under new vendor ids,
 *    so each vendor's history keeps its real density). Every incident goes through the live code:
 *    selectInput() over the vendor/time index, then correlate(). Prints wall time and memory per size.
 * 2. Live latency: a local Statuspage imitation, the app's poll worker and scheduler in this process
 *    with a 5 s poll interval, the annotator, the delivery worker and a webhook sink pointing at a
 *    local receiver. Measures from the moment the vendor incident appears on the page to the webhook
 *    delivery that blames it (target: under the poll interval + 2 s).
 *
 *   npm run bench:correlate [-- --incidents 10000 --sizes 1,2,4 --trials 5 --skip-live]
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { normalizeIncident } from '../../providers/statuspage.js';
import { createAnnotationStore } from '../../src/store/annotations.js';
import { startApp } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import type { InternalIncident } from '../../src/core/contracts.js';
import {
  indexVendorIncidents,
  selectInput,
  type InputConfig,
} from '../../src/core/correlate/select-input.js';
import { correlate } from '../../src/core/correlate/score.js';
import type { MinuteCount, ServiceSpec } from '../../src/core/correlate/types.js';
import { createSinks } from '../../src/delivery/sinks/create.js';
import { enqueueDeliveries } from '../../src/delivery/enqueue.js';
import { createIncidentStore } from '../../src/store/incidents.js';
import { minuteOf, seriesField, type Series } from '../../src/core/series.js';
import { createLogger } from '../../src/logger.js';
import type { VendorIncident } from '../../src/core/model.js';
import { createKeys } from '../../src/store/keys.js';
import { withRegions } from '../../src/core/regions/incident-regions.js';
import { startAnnotator } from '../../workers/annotator-worker.js';
import { createDeliveryWorker } from '../../workers/delivery-worker.js';
import { listShared, readShared } from '../support/fixtures.js';
import { deleteKeys } from '../support/redis.js';
import { emitRows, type BenchRow } from './rows.js';

const args = new Map(process.argv.slice(2).map((arg, i, all) => [arg, all[i + 1]] as const));
const baseIncidents = Number(args.get('--incidents') ?? 10_000);
const sizes = (args.get('--sizes') ?? '1,2,4').split(',').map(Number);
const trials = Number(args.get('--trials') ?? 5);
const skipLive = process.argv.includes('--skip-live');
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

const MINUTE = 60_000;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const gc = (globalThis as { gc?: () => void }).gc;

/** A seeded PRNG, so runs compare. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function loadStactus(): Promise<VendorIncident[]> {
  const out: VendorIncident[] = [];
  for (const file of (await listShared('real/stactus')).filter((f) => f.endsWith('.jsonl'))) {
    const vendor = file.replace(/\.jsonl$/, '');
    const lines = (await readShared(`real/stactus/${file}`)).split('\n').filter((l) => l.trim() !== '');
    const header = JSON.parse(lines[0]!) as { page?: { url?: string } };
    const incidents = lines
      .slice(1)
      .map((l) => normalizeIncident(JSON.parse(l), vendor, header.page?.url ?? null));
    out.push(...withRegions({ status: null, incidents }, 'statuspage').incidents);
  }
  return out;
}

// ─── 1. scale ───────────────────────────────────────────────────────────────────────────────

const ourRegions = ['eu-west-1', 'us-east-1', 'ap-southeast-1', 'eu-central-1', 'us-west-2'];

/** 100 services, each depending on two vendors (of any clone) with components those vendors really list. */
function servicesFor(
  vendors: string[],
  componentsOf: Map<string, string[]>,
  rand: () => number,
): ServiceSpec[] {
  return Array.from({ length: 100 }, (_, i) => {
    const deps = [0, 1].map(() => vendors[Math.floor(rand() * vendors.length)]!);
    return {
      name: `svc-${i}`,
      regions: [ourRegions[i % ourRegions.length]!],
      dependsOn: [...new Set(deps)].map((vendor) => {
        const known = componentsOf.get(vendor.replace(/~\d+$/, '')) ?? [];
        return { vendor, components: known.length ? [known[Math.floor(rand() * known.length)]!] : [] };
      }),
    };
  });
}

/**
 * One synthetic incident of ours with its error minutes: half start near a real incident of one of the
 * service's vendors (with a 5xx spike on that vendor), half at a random time (with a spike on nothing).
 */
function synthetic(
  i: number,
  services: ServiceSpec[],
  byVendor: Map<string, VendorIncident[]>,
  span: { from: number; to: number },
  rand: () => number,
): { incident: InternalIncident; errors: MinuteCount[]; now: Date } {
  const spec = services[Math.floor(rand() * services.length)]!;
  const vendor = spec.dependsOn[Math.floor(rand() * spec.dependsOn.length)]!.vendor;
  const theirs = byVendor.get(vendor) ?? [];
  const near = rand() < 0.5 && theirs.length > 0;
  const anchor = near ? Date.parse(theirs[Math.floor(rand() * theirs.length)]!.startedAt) : 0;
  const start =
    Math.floor(
      (near ? anchor + (rand() * 90 - 30) * MINUTE : span.from + rand() * (span.to - span.from)) / MINUTE,
    ) * MINUTE;
  const region = spec.regions[0]!;
  const series = (errorClass: Series['errorClass'], code: string): Series => ({
    service: spec.name,
    vendor,
    region,
    code,
    errorClass,
  });
  const quiet = series('timeout', 'ETIMEDOUT');
  const loud = near ? series('server', 'HTTP_503') : series('unknown', 'APP_ERROR');
  const errors: MinuteCount[] = [];
  const first = minuteOf(start);
  for (let m = first - 120; m < first + 60; m++) {
    if (m % 5 === 0) errors.push({ minute: m, series: quiet, count: 1 });
    if (m >= first - 10) errors.push({ minute: m, series: loud, count: 20 + Math.floor(rand() * 10) });
  }
  const incident: InternalIncident = {
    id: `INC-${i}`,
    service: spec.name,
    title: 'synthetic',
    startedAt: new Date(start).toISOString(),
    resolvedAt: new Date(start + 60 * MINUTE).toISOString(),
    regions: [],
    customers: [],
  };
  return { incident, errors, now: new Date(start + 90 * MINUTE) };
}

async function scale(real: VendorIncident[]) {
  const vendorsReal = [...new Set(real.map((v) => v.vendor))];
  const componentsOf = new Map<string, string[]>();
  for (const v of real) {
    const list = componentsOf.get(v.vendor) ?? [];
    for (const c of v.components) if (!list.includes(c) && list.length < 50) list.push(c);
    componentsOf.set(v.vendor, list);
  }
  const starts = real.map((v) => Date.parse(v.startedAt));
  const span = { from: Math.min(...starts), to: Math.max(...starts) };
  console.log(
    `\nScale: ${real.length} real vendor incidents from ${vendorsReal.length} Statuspage histories, ${new Date(span.from).toISOString().slice(0, 10)} → ${new Date(span.to).toISOString().slice(0, 10)}`,
  );
  console.log(
    'size  ours      vendor inc.  index ms  correlate s  µs/incident  selected/inc  upstream  heapUsed  RSS',
  );
  const baseline: { perIncident: number } = { perIncident: 0 };
  for (const k of sizes) {
    gc?.();
    const rand = random(42);
    const clones = Array.from({ length: k }, (_, j) => j);
    const vendorIncidents = clones.flatMap((j) =>
      j === 0 ? real : real.map((v) => ({ ...v, vendor: `${v.vendor}~${j}` })),
    );
    const vendors = clones.flatMap((j) => vendorsReal.map((v) => (j === 0 ? v : `${v}~${j}`)));
    const services = servicesFor(vendors, componentsOf, rand);
    const config: InputConfig = { services, vendors: vendors.map((id) => ({ id, name: id })) };
    const byVendor = new Map<string, VendorIncident[]>();
    for (const v of vendorIncidents) {
      const list = byVendor.get(v.vendor);
      if (list) list.push(v);
      else byVendor.set(v.vendor, [v]);
    }

    const t0 = performance.now();
    const index = indexVendorIncidents(vendorIncidents);
    const indexMs = performance.now() - t0;

    const n = baseIncidents * k;
    let selected = 0;
    let upstream = 0;
    const t1 = performance.now();
    for (let i = 0; i < n; i++) {
      const { incident, errors, now } = synthetic(i, services, byVendor, span, rand);
      const input = selectInput(
        { incident, config, errors, vendorIncidents: index, suspects: [], changes: [] },
        now,
      );
      selected += input.vendorIncidents.length;
      if (correlate(input).verdict === 'upstream') upstream++;
    }
    const seconds = (performance.now() - t1) / 1000;
    const perIncident = (seconds * 1e6) / n;
    if (k === sizes[0]) baseline.perIncident = perIncident;
    rows.push({
      bench: 'correlate',
      figure: `correlate one incident of ours, ${k}× (${index.size} vendor incidents)`,
      value: perIncident,
      unit: 'µs',
      better: 'lower',
      ...(k === sizes[0]
        ? {}
        : { reference: { what: `the same at ${sizes[0]}× the vendor side`, value: baseline.perIncident } }),
    });
    const mem = process.memoryUsage();
    console.log(
      [
        `${k}×`.padEnd(4),
        String(n).padEnd(8),
        String(index.size).padEnd(11),
        indexMs.toFixed(0).padStart(8),
        seconds.toFixed(2).padStart(11),
        perIncident.toFixed(0).padStart(11),
        (selected / n).toFixed(2).padStart(12),
        String(upstream).padStart(8),
        mb(mem.heapUsed).padStart(8),
        mb(mem.rss).padStart(6),
      ].join('  '),
    );
  }
  console.log(
    '(near-linear: µs/incident and selected/incident stay flat as both sides grow; an all-pairs scan would grow µs/incident with the vendor side)',
  );
  if (!gc) console.log('(run with node --expose-gc for heap numbers measured after a collection)');
}

// ─── 2. live latency ────────────────────────────────────────────────────────────────────────

interface Delivery {
  at: number;
  body: { incident: string; version: number; verdict: string; candidates: { vendorIncidentId?: string }[] };
}

async function listen(handler: http.RequestListener): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function statuspageIncident(id: string, createdAt: string) {
  return {
    id,
    name: 'Recording failures in Europe',
    status: 'investigating',
    impact: 'major',
    created_at: createdAt,
    updated_at: createdAt,
    started_at: createdAt,
    resolved_at: null,
    shortlink: null,
    components: [{ id: 'c1', name: 'Recording' }],
    incident_updates: [
      {
        id: `${id}-u1`,
        status: 'investigating',
        body: 'Recordings fail for rooms in Europe.',
        created_at: createdAt,
        display_at: createdAt,
      },
    ],
  };
}

async function live() {
  const prefix = `bench-correlate-${process.pid}`;
  const keys = createKeys(prefix);
  // One vendor (and one service of ours depending on it) per trial, so no trial sees another's incident.
  const vendorIds = Array.from({ length: trials }, (_, i) => `acme-${i + 1}`);
  const pages = new Map(vendorIds.map((id) => [id, [] as ReturnType<typeof statuspageIncident>[]]));
  const vendorServer = await listen((req, res) => {
    const [, vendor = '', ...rest] = (req.url ?? '').split('/');
    const incidents = pages.get(vendor);
    const path = `/${rest.join('/')}`;
    const body = (extra: object) =>
      JSON.stringify({
        page: { id: vendor, name: vendor, url: `https://status.${vendor}.example` },
        ...extra,
      });
    if (!incidents) return res.writeHead(404).end();
    if (path === '/api/v2/summary.json')
      return res.writeHead(200, { 'content-type': 'application/json' }).end(
        body({
          status: { indicator: incidents.length ? 'major' : 'none', description: '' },
          components: [
            { id: 'c1', name: 'Recording', status: incidents.length ? 'major_outage' : 'operational' },
          ],
          incidents,
          scheduled_maintenances: [],
        }),
      );
    if (path === '/api/v2/incidents.json')
      return res.writeHead(200, { 'content-type': 'application/json' }).end(body({ incidents }));
    res.writeHead(404).end();
  });
  const deliveries: Delivery[] = [];
  const receiver = await listen((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString()));
    req.on('end', () => {
      deliveries.push({ at: Date.now(), body: JSON.parse(text) as Delivery['body'] });
      res.writeHead(204).end();
    });
  });
  const config = parseConfig(
    {
      redis: { url: redisUrl, prefix },
      vendors: vendorIds.map((id) => ({
        id,
        name: id,
        provider: 'statuspage',
        url: `${vendorServer.url}/${id}`,
      })),
      services: vendorIds.map((id) => ({
        name: `backstage-${id}`,
        regions: ['eu-west-1'],
        dependsOn: [{ vendor: id, components: ['Recording'] }],
      })),
      poll: { interval: '5s', timeout: '2s', allowPrivateNetworks: true },
      sinks: [
        {
          type: 'webhook',
          name: 'receiver',
          url: receiver.url,
          secret: 'whsec_YmVuY2gtc2lnbmluZy1rZXktMDEyMzQ1Njc4OWFiY2Q=',
        },
      ],
      log: { level: 'warn' },
    },
    {},
    'bench',
  );
  const logger = createLogger('warn');
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  await deleteKeys(redis, `${keys.root}*`);
  const app = await startApp(config, new Set(['worker', 'scheduler'] as const), logger);
  const deliverQueue = new Queue('deliver', { connection: connection.duplicate(), prefix: keys.bull });
  const deliveryWorker = createDeliveryWorker({
    connection: connection.duplicate(),
    redis,
    keys,
    prefix: keys.bull,
    sinks: createSinks(config.sinks, { timeoutMs: 2_000 }),
    logger,
  });
  void deliveryWorker.run();
  const annotator = await startAnnotator({
    redis,
    keys,
    config,
    logger,
    connection,
    prefix: keys.bull,
    onAnnotationChanged: async (annotation, version) => {
      await enqueueDeliveries({ queue: deliverQueue, redis, keys, sinks: config.sinks }, annotation, version);
    },
  });
  const incidents = createIncidentStore(redis, keys);
  const annotations = createAnnotationStore(redis, keys);
  const latencies: number[] = [];
  console.log(
    `\nLive: poll interval ${config.poll.intervalMs / 1000} s, app roles worker+scheduler, annotator, delivery worker, webhook sink → local receiver`,
  );
  try {
    for (const [n, vendor] of vendorIds.entries()) {
      // Our incident opened 5 min ago, with 5xx from our service → the vendor in eu-west-1 for 15 min.
      const now = Date.now();
      const id = `INC-live-${n + 1}`;
      const service = `backstage-${vendor}`;
      const series: Series = { service, vendor, region: 'eu-west-1', code: 'HTTP_503', errorClass: 'server' };
      const pipeline = redis.pipeline();
      for (let m = minuteOf(now) - 15; m <= minuteOf(now); m++)
        pipeline.hincrby(keys.errorBucket(m), seriesField(series), 30);
      await pipeline.exec();
      await incidents.upsert({
        id,
        service,
        title: 'Go Live fails',
        startedAt: new Date(now - 5 * MINUTE).toISOString(),
        resolvedAt: null,
        regions: ['eu'],
        customers: [],
      });
      const deadline = Date.now() + 20_000;
      while (!deliveries.some((d) => d.body.incident === id) && Date.now() < deadline) await sleep(20);
      // The vendor incident appears at a random phase of the poll cycle.
      await sleep(Math.random() * config.poll.intervalMs);
      const vendorIncidentId = `${vendor}-incident`;
      const appeared = Date.now();
      pages.set(vendor, [statuspageIncident(vendorIncidentId, new Date(appeared).toISOString())]);
      let stored = 0;
      let hit: Delivery | undefined;
      while (!hit && Date.now() < appeared + 30_000) {
        if (!stored && (await annotations.latest(id))?.candidates[0]?.vendorIncidentId === vendorIncidentId)
          stored = Date.now();
        hit = deliveries.find(
          (d) => d.body.incident === id && d.body.candidates[0]?.vendorIncidentId === vendorIncidentId,
        );
        await sleep(10);
      }
      if (!hit) {
        console.log(`  trial ${n + 1}: no delivery blaming ${vendorIncidentId} within 30 s`);
        continue;
      }
      latencies.push((hit.at - appeared) / 1000);
      console.log(
        `  trial ${n + 1}: annotation stored after ${(((stored || hit.at) - appeared) / 1000).toFixed(2)} s, webhook received after ${((hit.at - appeared) / 1000).toFixed(2)} s (verdict ${hit.body.verdict}, version ${hit.body.version})`,
      );
    }
  } finally {
    await annotator.close();
    await deliveryWorker.close();
    await deliverQueue.close();
    await app.close();
    await deleteKeys(redis, `${keys.root}*`);
    await Promise.all([redis.quit(), connection.quit()]);
    await vendorServer.close();
    await receiver.close();
  }
  if (latencies.length > 0) {
    const sorted = [...latencies].sort((a, b) => a - b);
    const target = config.poll.intervalMs / 1000 + 2;
    rows.push({
      bench: 'correlate',
      figure: `vendor incident on the page → webhook, median of ${sorted.length}`,
      value: sorted[Math.floor(sorted.length / 2)]!,
      unit: 's',
      better: 'lower',
      reference: { what: 'the poll interval', value: config.poll.intervalMs / 1000 },
      target,
    });
    const worst = sorted.at(-1)!;
    console.log(
      `  vendor incident on the page → webhook: median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(2)} s, worst ${worst.toFixed(2)} s over ${sorted.length} of ${trials} trials (target < ${target} s: ${worst < target && sorted.length === trials ? 'met' : 'MISSED'})`,
    );
  }
}

const rows: BenchRow[] = [];

async function main() {
  const real = await loadStactus();
  await scale(real);
  if (!skipLive) await live();
  emitRows(rows);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
