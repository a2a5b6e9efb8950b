/**
 * HTTP ingest benchmark: the real API (createApi + POST /v1/errors, token auth and rate limiting on)
 * runs in this process; a client in a child process pushes NDJSON batches over keep-alive connections
 * for a few seconds. Prints events/s (target ≥ 50,000), requests/s and request latency, then checks
 * that every acknowledged event is in the stream.
 *   npx tsx test/bench/ingest-http.ts [--seconds 5] [--connections 8] [--batch 1000]
 */
import { fork } from 'node:child_process';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { createApi } from '../../src/api/server.js';
import { parseConfig } from '../../src/config.js';
import { decodeEntry } from '../../src/ingest/stream-fields.js';
import { createLogger } from '../../src/logger.js';
import { connectRedis } from '../../src/store/redis.js';
import { createKeys } from '../../src/store/keys.js';
import { createVendorStore } from '../../src/store/vendors.js';
import { deleteKeys } from '../support/redis.js';

export interface HttpIngestOptions {
  durationMs?: number;
  /** Keep-alive connections the client keeps busy. */
  connections?: number;
  /** Events per NDJSON request. */
  batchSize?: number;
  redisUrl?: string;
}

export interface HttpIngestResult {
  eventsPerSec: number;
  requestsPerSec: number;
  events: number;
  requests: number;
  failedRequests: number;
  p50Ms: number;
  p99Ms: number;
  batchSize: number;
  connections: number;
  bytesPerEvent: number;
  /** Events read back from the stream; equals `events` when every acknowledged event was stored. */
  storedEvents: number;
  /** CPU the API process spent per acknowledged event (user + system), in µs: load-independent. */
  serverCpuUsPerEvent: number;
}

interface ClientReport {
  events: number;
  requests: number;
  failed: number;
  latencies: number[];
  elapsedMs: number;
}

const token = 'bench-ingest-token-0123456789';
const services = ['backstage', 'webinar-room', 'checkout', 'payments-api'];
const vendors = ['100ms', 'twilio', 'stripe', 'aws'];

/** A realistic NDJSON batch (~170 bytes an event), stamped a minute before `now`. */
function ndjsonBatch(size: number, now: number): string {
  const lines: string[] = [];
  for (let i = 0; i < size; i++) {
    lines.push(
      JSON.stringify({
        at: new Date(now - 60_000 + (i % 60) * 1000).toISOString(),
        service: services[i % services.length],
        vendor: vendors[(i >> 2) % vendors.length],
        region: i % 3 === 0 ? 'eu-west-1' : 'us-east-1',
        code: i % 5 === 0 ? 'ETIMEDOUT' : `HTTP_${500 + (i % 4)}`,
        status: i % 5 === 0 ? undefined : 500 + (i % 4),
        customer: `customer-${i % 97}`,
        endpoint: 'POST /v2/recordings',
      }),
    );
  }
  return `${lines.join('\n')}\n`;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** The client side, run in a child process so its CPU is not the server's. */
async function runClient(
  url: string,
  durationMs: number,
  connections: number,
  batchSize: number,
): Promise<ClientReport> {
  const body = Buffer.from(ndjsonBatch(batchSize, Date.now()));
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const target = new URL('/v1/errors', url);
  const report: ClientReport = { events: 0, requests: 0, failed: 0, latencies: [], elapsedMs: 0 };
  const started = performance.now();
  const until = started + durationMs;
  const send = () =>
    new Promise<void>((resolve) => {
      const t0 = performance.now();
      const req = http.request(
        target,
        {
          method: 'POST',
          agent,
          headers: {
            'content-type': 'application/x-ndjson',
            'content-length': body.length,
            authorization: `Bearer ${token}`,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            report.requests++;
            report.latencies.push(performance.now() - t0);
            if (res.statusCode === 202) {
              report.events += (
                JSON.parse(Buffer.concat(chunks).toString()) as { accepted: number }
              ).accepted;
            } else report.failed++;
            resolve();
          });
        },
      );
      req.on('error', () => {
        report.failed++;
        resolve();
      });
      req.end(body);
    });
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < until) await send();
    }),
  );
  report.elapsedMs = performance.now() - started;
  agent.destroy();
  return report;
}

/** Starts the API here, drives it from a child process, and measures what got acknowledged. */
export async function benchHttpIngest(opts: HttpIngestOptions = {}): Promise<HttpIngestResult> {
  const durationMs = opts.durationMs ?? 5000;
  const connections = opts.connections ?? 8;
  const batchSize = opts.batchSize ?? 1000;
  const redisUrl = opts.redisUrl ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const prefix = `bench-http-${process.pid}`;
  const keys = createKeys(prefix);
  const config = parseConfig(
    {
      redis: { url: redisUrl, prefix },
      vendors: [],
      api: {
        port: 0,
        rateLimit: 1_000_000_000,
        maxBodySize: '10MiB',
        tokens: [{ name: 'bench', token, scopes: ['ingest'] }],
      },
      // Room for the whole run, so the read-back below sees every acknowledged event.
      ingest: { streamMaxLen: 1_000_000 },
    },
    {},
    'bench',
  );
  // Request logging off: at info fastify writes two lines a request, which is the caller's choice.
  const logger = createLogger('warn');
  const producer = await connectRedis(redisUrl, 'producer', 'bench-http-api');
  const admin = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const app = createApi({ config, store: createVendorStore(producer, keys), redis: producer, logger });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  try {
    const cpuBefore = process.cpuUsage();
    const child = fork(
      fileURLToPath(import.meta.url),
      ['--client', url, String(durationMs), String(connections), String(batchSize)],
      {
        execArgv: ['--import', 'tsx'],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      },
    );
    const report = await new Promise<ClientReport>((resolve, reject) => {
      child.once('message', (m) => resolve(m as ClientReport));
      child.once('exit', (code) => reject(new Error(`bench client exited with ${code} before reporting`)));
    });
    const cpu = process.cpuUsage(cpuBefore);
    child.kill();
    // Read back through the ingest worker's own decoder: what it would count.
    let storedEvents = 0;
    const window = { now: Date.now(), retentionMs: config.ingest.retentionMs };
    for (const [, fields] of (await admin.xrange(keys.errors, '-', '+')) as Array<[string, string[]]>) {
      storedEvents += decodeEntry(fields, window).events.length;
    }
    const latencies = report.latencies.sort((a, b) => a - b);
    const seconds = report.elapsedMs / 1000;
    return {
      eventsPerSec: Math.round(report.events / seconds),
      requestsPerSec: Math.round(report.requests / seconds),
      events: report.events,
      requests: report.requests,
      failedRequests: report.failed,
      p50Ms: Number(percentile(latencies, 50).toFixed(1)),
      p99Ms: Number(percentile(latencies, 99).toFixed(1)),
      batchSize,
      connections,
      bytesPerEvent: Math.round(Buffer.byteLength(ndjsonBatch(batchSize, Date.now())) / batchSize),
      storedEvents,
      serverCpuUsPerEvent: Number(((cpu.user + cpu.system) / Math.max(1, report.events)).toFixed(2)),
    };
  } finally {
    await app.close();
    producer.disconnect();
    await deleteKeys(admin, `${keys.root}*`);
    await admin.quit();
  }
}

async function main() {
  const args = new Map(process.argv.slice(2).map((arg, i, all) => [arg, all[i + 1]] as const));
  const result = await benchHttpIngest({
    durationMs: Number(args.get('--seconds') ?? 5) * 1000,
    connections: Number(args.get('--connections') ?? 8),
    batchSize: Number(args.get('--batch') ?? 1000),
  });
  console.log(
    [
      `HTTP NDJSON ingest: ${result.eventsPerSec.toLocaleString('en')} events/s (target ≥ 50,000)`,
      `  ${result.requestsPerSec.toLocaleString('en')} requests/s of ${result.batchSize} events (~${result.bytesPerEvent} B each) over ${result.connections} keep-alive connections`,
      `  request latency p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms; failed requests ${result.failedRequests}`,
      `  API process CPU ${result.serverCpuUsPerEvent} µs/event (≈ ${Math.round(1e6 / result.serverCpuUsPerEvent).toLocaleString('en')} events per CPU-second)`,
      `  acknowledged ${result.events.toLocaleString('en')} events, found ${result.storedEvents.toLocaleString('en')} in the stream`,
    ].join('\n'),
  );
}

if (process.argv[2] === '--client') {
  const [, , , url, durationMs, connections, batchSize] = process.argv;
  const report = await runClient(url!, Number(durationMs), Number(connections), Number(batchSize));
  process.send?.(report, () => process.exit(0));
} else if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await main();
}
