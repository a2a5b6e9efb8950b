/**
 * Support-check benchmark. The API runs in its own process (`upcause start`), loaded from this one with
 * autocannon at a fixed rate, each request a different question (vendor, service, region, at, customer).
 *  1. 200 watched vendors, 30 days of error buckets: `GET /v1/check` at 500 req/s.
 *  2. A burst: 2,000 vendor pages change at once (every page new, as bench:poll's round 1) while agents
 *     ask `GET /v1/check`; the API's latency with the workers in its process (--single-process) and
 *     apart (the default: a supervised child process).
 *   npm run bench:check [-- --rate 500 --duration 20 --burst-vendors 2000 --burst-rate 100 --no-burst --no-check]
 */
import type { ChildProcess } from 'node:child_process';
import { fork } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { stringify } from 'yaml';
import { createKeys, type Keys } from '../../src/store/keys.js';
import { jobCatalog } from '../../workers/jobs.js';
import { spawnCli, stop } from '../support/cli.js';
import { statuspagePayloads } from '../support/payloads.js';
import { deleteKeys } from '../support/redis.js';
import { waitUntil } from '../support/wait.js';
import {
  random,
  regions,
  seedBuckets,
  seedVendors,
  servicesFor,
  type ServiceSeed,
  seededVendorEntries,
} from './check-seed.js';
import { emitRows, type BenchRow } from './rows.js';

const argv = process.argv.slice(2);
const args = new Map(argv.map((arg, i, all) => [arg, all[i + 1]] as const));
const rate = Number(args.get('--rate') ?? 500);
const durationS = Number(args.get('--duration') ?? 20);
const vendorCount = Number(args.get('--vendors') ?? 200);
const days = Number(args.get('--days') ?? 30);
const burstVendors = Number(args.get('--burst-vendors') ?? 2000);
const burstRate = Number(args.get('--burst-rate') ?? 100);
const runBurst = !argv.includes('--no-burst');
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const rows: BenchRow[] = [];
const ttlSeconds = 3 * 3600;

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** `upcause start` with this config, once its API answers. */
async function startUpcause(config: Record<string, unknown>, startArgs: string[]) {
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'upcause-bench-'));
  const configPath = path.join(dir, 'upcause.yaml');
  writeFileSync(configPath, stringify({ ...config, api: { ...(config.api as object), port } }));
  const child = spawnCli(['--config', configPath, 'start', ...startArgs], { REDIS_URL: redisUrl });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout?.resume();
  const url = `http://127.0.0.1:${port}`;
  await waitUntil(
    'the API to answer',
    async () => {
      if (child.exitCode !== null) throw new Error(`upcause start exited ${child.exitCode}: ${stderr}`);
      return fetch(`${url}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
    },
    { timeoutMs: 60_000, intervalMs: 100 },
  );
  return { url, child };
}

/** Questions as agents ask them: about one vendor or all of a service's, a region, a time now or past. */
function questions(
  vendorIds: string[],
  services: ServiceSeed[],
  now: number,
  options: { count: number; vendorOnly?: boolean },
): string[] {
  const rand = random(99);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)]!;
  return Array.from({ length: options.count }, () => {
    const q = new URLSearchParams();
    const kind = options.vendorOnly ? 0 : rand();
    // Most agents name the vendor; some ask about a service's vendors, a few about every vendor.
    if (kind < 0.6) q.set('vendor', pick(vendorIds));
    else if (kind < 0.9) q.set('service', pick(services).name);
    if (rand() < 0.3) q.set('region', pick(['eu', 'Frankfurt', 'us-east-1', 'Sydney', ...regions]));
    if (!options.vendorOnly && rand() < 0.5) {
      const at = new Date(now - Math.floor(rand() * (days - 1) * 86_400_000));
      q.set('at', rand() < 0.5 ? at.toISOString() : `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`);
    }
    if (rand() < 0.1) q.set('customer', `cust-${Math.floor(rand() * 500)}`);
    return `/v1/check?${q.toString()}`;
  });
}

/** Fixed-rate load over `paths` in turn; `durationS` 0 runs until stopLoad. */
function load(
  url: string,
  paths: string[],
  options: { rate: number; durationS: number },
): Promise<autocannon.Result> & { stopLoad(): void } {
  let next = 0;
  let instance: autocannon.Instance | null = null;
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon(
      {
        url,
        connections: 50,
        overallRate: options.rate,
        ...(options.durationS > 0 ? { duration: options.durationS } : { duration: 3600 }),
        requests: [
          {
            method: 'GET',
            setupRequest: (request) => ({ ...request, path: paths[next++ % paths.length]! }),
          },
        ],
      },
      (error, result) => (error ? reject(error as Error) : resolve(result)),
    );
  });
  return Object.assign(done, { stopLoad: () => instance?.stop() });
}

function describeLoad(label: string, result: autocannon.Result): string {
  const l = result.latency;
  const bad = result.non2xx + result.errors + result.timeouts;
  return (
    `${label.padEnd(34)} ${Math.round(result.requests.average)} req/s; latency p50 ${l.p50} ms, p99 ${l.p99} ms, max ${l.max} ms` +
    `${bad > 0 ? `; ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts` : ''}`
  );
}

/** What a question asks about: one vendor, a service's vendors, or every vendor. */
function kindOf(path: string): 'vendor' | 'service' | 'every vendor' {
  return path.includes('vendor=') ? 'vendor' : path.includes('service=') ? 'service' : 'every vendor';
}

/** One request at a time, a few of each kind: what a single answer costs, before any load. */
async function sampleKinds(
  url: string,
  paths: string[],
  label = '',
): Promise<Map<string, { medianMs: number; bytes: number }>> {
  const kinds = new Map<string, { medianMs: number; bytes: number }>();
  for (const kind of ['vendor', 'service', 'every vendor'] as const) {
    const times: number[] = [];
    let bytes = 0;
    for (const p of paths.filter((q) => kindOf(q) === kind).slice(0, 10)) {
      const started = performance.now();
      const response = await fetch(`${url}${p}`);
      const body = await response.text();
      if (!response.ok) throw new Error(`${p} answered ${response.status}: ${body}`);
      times.push(performance.now() - started);
      bytes += body.length;
    }
    if (times.length === 0) continue;
    times.sort((a, b) => a - b);
    console.log(
      `  one at a time${label}, ${kind.padEnd(12)}: median ${times[times.length >> 1]!.toFixed(1)} ms, ` +
        `max ${times[times.length - 1]!.toFixed(1)} ms, ${Math.round(bytes / times.length / 1024)} KiB per answer`,
    );
    kinds.set(kind, { medianMs: times[times.length >> 1]!, bytes: bytes / times.length });
  }
  return kinds;
}

/** A bare fastify server in its own process, answering every GET with `bytes` of JSON. */
async function startBareServer(bytes: number): Promise<{ url: string; child: ChildProcess }> {
  const child = fork(
    new URL('./bare-server-process.ts', import.meta.url).pathname,
    [String(Math.round(bytes))],
    {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
  const url = await new Promise<string>((resolve) => child.once('message', (m) => resolve(String(m))));
  return { url, child };
}

/** Requests per second answered with 10 connections kept busy (no fixed rate) for `seconds`. */
async function saturate(url: string, paths: string[], seconds: number): Promise<autocannon.Result> {
  let next = 0;
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url,
        connections: 10,
        duration: seconds,
        requests: [
          { method: 'GET', setupRequest: (request) => ({ ...request, path: paths[next++ % paths.length]! }) },
        ],
      },
      (error, result) => (error ? reject(error as Error) : resolve(result)),
    );
  });
}

async function checkPathOrFallback(url: string): Promise<boolean> {
  const response = await fetch(`${url}/v1/check`);
  return response.status !== 404;
}

async function cleanup(redis: Redis, keys: Keys) {
  await deleteKeys(redis, `${keys.root}*`);
  await deleteKeys(redis, `${keys.bull}*`);
}

async function checkLoad(redis: Redis, payloads: { summary: string; incidents: string }) {
  const prefix = `bench-check-${process.pid}`;
  const keys = createKeys(prefix);
  const vendorIds = Array.from({ length: vendorCount }, (_, i) => `v${i}`);
  const services = servicesFor(vendorIds, 40, 10);
  const now = Date.now();
  const seeding = performance.now();
  const fields = await seedBuckets(redis, keys, { services, days, now, seriesPerMinute: 8, ttlSeconds });
  await seedVendors(redis, keys, vendorIds, payloads, { now: new Date(now), blindEvery: 25 });
  console.log(
    `seeded ${vendorCount} vendors, ${services.length} services, ${days} days × 1440 minute buckets ` +
      `(${fields.toLocaleString('en')} fields) in ${((performance.now() - seeding) / 1000).toFixed(1)} s`,
  );
  const config = {
    redis: { url: redisUrl, prefix },
    vendors: seededVendorEntries(vendorIds),
    services,
    api: { rateLimit: 100_000_000 },
    log: { level: 'warn' },
  };
  const api = await startUpcause(config, ['--role', 'api']);
  try {
    let paths = questions(vendorIds, services, now, { count: 5000 });
    if (!(await checkPathOrFallback(api.url))) {
      console.log('GET /v1/check is not served by this build: loading GET /v1/vendors instead');
      paths = ['/v1/vendors'];
    }
    if (paths.length > 1) {
      const kinds = await sampleKinds(api.url, paths);
      // The reference: a bare fastify server answering as many bytes as a question about a vendor.
      const vendorPaths = questions(vendorIds, services, now, { count: 2000, vendorOnly: true });
      const bare = await startBareServer(kinds.get('vendor')?.bytes ?? 2048);
      try {
        const bareOne = await sampleKinds(bare.url, vendorPaths.slice(0, 10), ' (bare fastify)');
        const ours = await saturate(api.url, vendorPaths, durationS);
        const theirs = await saturate(bare.url, vendorPaths, durationS);
        console.log(
          `${describeLoad('GET /v1/check?vendor=, 10 connections', ours)}\n` +
            `${describeLoad('bare fastify, same body size', theirs)}`,
        );
        const bareRef = (value: number) => ({ what: 'bare fastify server, same body size', value });
        rows.push(
          {
            bench: 'check',
            figure: 'one /v1/check?vendor= at a time, median',
            value: kinds.get('vendor')?.medianMs ?? NaN,
            unit: 'ms',
            better: 'lower',
            reference: bareRef(bareOne.get('vendor')?.medianMs ?? NaN),
          },
          {
            bench: 'check',
            figure: 'one /v1/check?service= at a time, median',
            value: kinds.get('service')?.medianMs ?? NaN,
            unit: 'ms',
            better: 'lower',
          },
          {
            bench: 'check',
            figure: `one /v1/check for every vendor (${vendorCount}) at a time, median`,
            value: kinds.get('every vendor')?.medianMs ?? NaN,
            unit: 'ms',
            better: 'lower',
          },
          {
            bench: 'check',
            figure: '/v1/check?vendor= answered, 10 connections busy',
            value: ours.requests.average,
            unit: 'req/s',
            better: 'higher',
            reference: bareRef(theirs.requests.average),
          },
        );
      } finally {
        bare.child.kill();
      }
    }
    await load(api.url, paths, { rate, durationS: 3 });
    const result = await load(api.url, paths, { rate, durationS });
    console.log(describeLoad(`GET /v1/check at ${rate} req/s, ${durationS} s`, result));
    rows.push({
      bench: 'check',
      figure: `/v1/check mixed questions at ${rate} req/s offered, p99`,
      value: result.requests.total > 0 ? result.latency.p99 : NaN,
      unit: 'ms',
      better: 'lower',
      target: 20,
    });
    const met =
      result.requests.total > 0 &&
      result.non2xx + result.errors + result.timeouts === 0 &&
      result.latency.p99 < 20;
    console.log(`target: p99 < 20 ms at 500 req/s — ${met ? 'met' : 'NOT met'}`);
  } finally {
    await stop(api.child);
    await cleanup(redis, keys);
  }
}

async function startVendorServerProcess(): Promise<{ baseUrl: string; child: ChildProcess }> {
  const child = fork(new URL('./vendor-server-process.ts', import.meta.url).pathname, [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const baseUrl = await new Promise<string>((resolve) => child.once('message', (m) => resolve(String(m))));
  return { baseUrl, child };
}

/** The API's latency while `burstVendors` pages are read and stored at once, the workers where `mode` puts them. */
async function burst(redis: Redis, baseUrl: string, mode: 'single-process' | 'split') {
  const prefix = `bench-burst-${process.pid}-${mode}`;
  const keys = createKeys(prefix);
  const vendorIds = Array.from({ length: burstVendors }, (_, i) => `v${i}`);
  const services = servicesFor(vendorIds.slice(0, 200), 40, 10);
  const now = Date.now();
  await seedBuckets(redis, keys, { services, days: 1, now, seriesPerMinute: 8, ttlSeconds });
  const config = {
    redis: { url: redisUrl, prefix },
    vendors: vendorIds.map((id) => ({ id, name: id, provider: 'statuspage', url: `${baseUrl}/${id}` })),
    services,
    poll: { allowPrivateNetworks: true, concurrency: 32, timeout: '10s' },
    api: { rateLimit: 100_000_000 },
    log: { level: 'warn' },
  };
  const api = await startUpcause(config, [
    '--role',
    'api,worker',
    ...(mode === 'single-process' ? ['--single-process'] : []),
  ]);
  const queue = new Queue(jobCatalog.poll.queue, { connection: redis.duplicate(), prefix: keys.bull });
  const events = new QueueEvents(jobCatalog.poll.queue, { connection: redis.duplicate(), prefix: keys.bull });
  try {
    await events.waitUntilReady();
    // /healthz costs the API next to nothing: its latency is the event loop's. The check's own cost
    // on this machine is measured above, apart.
    const paths = ['/healthz'];
    // Quiet first: the same load before any page changes.
    const quiet = await load(api.url, paths, { rate: burstRate, durationS: 5 });
    let done = 0;
    const finished = new Promise<void>((resolve) => {
      const onDone = () => {
        done += 1;
        if (done === burstVendors) resolve();
      };
      events.on('completed', onDone);
      events.on('failed', onDone);
    });
    const during = load(api.url, paths, { rate: burstRate, durationS: 0 });
    const started = performance.now();
    await queue.addBulk(
      vendorIds.map((vendor) => ({
        name: jobCatalog.poll.name,
        data: { vendor },
        opts: { attempts: 1, removeOnComplete: true, removeOnFail: true },
      })),
    );
    await finished;
    const seconds = (performance.now() - started) / 1000;
    during.stopLoad();
    const result = await during;
    const what = 'GET /healthz';
    console.log(
      `  ${mode}: ${burstVendors} pages read and stored in ${seconds.toFixed(1)} s (load average ${loadavg()[0]!.toFixed(1)})`,
    );
    console.log(`    ${describeLoad(`${what} before the burst`, quiet)}`);
    console.log(`    ${describeLoad(`${what} during the burst`, result)}`);
    rows.push({
      bench: 'check',
      figure: `/healthz p99 while ${burstVendors} pages are read, ${mode === 'split' ? 'workers apart (default)' : 'one process'}`,
      value: result.latency.p99,
      unit: 'ms',
      better: 'lower',
      reference: { what: 'the same before the burst', value: quiet.latency.p99 },
      ...(mode === 'split' ? { target: 50 } : {}),
    });
    return result;
  } finally {
    await events.close();
    await queue.close();
    await stop(api.child);
    await cleanup(redis, keys);
  }
}

async function main() {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const payloads = await statuspagePayloads();
  console.log(`check benchmark (${payloads.source}); load from this process, the API in its own`);
  if (!argv.includes('--no-check')) await checkLoad(redis, payloads);
  if (runBurst) {
    console.log(`burst: ${burstVendors} vendor pages change at once; GET /healthz at ${burstRate} req/s`);
    console.log(
      `  (the answer's wait on the API's event loop; what the check itself costs is measured apart)`,
    );
    const server = await startVendorServerProcess();
    try {
      const single = await burst(redis, server.baseUrl, 'single-process');
      const split = await burst(redis, server.baseUrl, 'split');
      console.log(
        `API p99 during the burst: ${single.latency.p99} ms with every role in one process, ` +
          `${split.latency.p99} ms with the workers apart (the default) (target < 50 ms: ${split.latency.p99 < 50 ? 'met' : 'NOT met'})`,
      );
    } finally {
      server.child.kill();
    }
  }
  redis.disconnect();
  emitRows(rows);
}

// Connections handed to BullMQ stay open after its queue closes: the process ends here.
main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
