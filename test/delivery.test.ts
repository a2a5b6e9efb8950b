import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { Queue, type Job, type JobsOptions, type Worker } from 'bullmq';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { createAnnotationStore } from '../src/store/annotations.js';
import type { Annotation, Verdict } from '../src/core/correlate/types.js';
import { createSinks } from '../src/delivery/sinks/create.js';
import { deliveryKey, enableSink, enqueueDeliveries, sinkWants } from '../src/delivery/enqueue.js';
import { deliveryKeys, sinkStates } from '../src/store/deliveries.js';
import { createLogger } from '../src/logger.js';
import type { SinkConfig } from '../src/config.js';
import { SinkError } from '../src/delivery/sinks/types.js';
import {
  createDeliveryWorker,
  deliveryBackoff,
  MAX_BACKOFF_MS,
  runDelivery,
} from '../workers/delivery-worker.js';
import { jobCatalog } from '../workers/jobs.js';
import { createTestRedis, redisUrl, type TestRedis } from './support/redis.js';
import { waitUntil } from './support/wait.js';
import { runCli } from './support/cli.js';
import { stringify } from 'yaml';

const key = Buffer.from('delivery-test-key-0123456789abcdef');
/** A Standard Webhooks secret: the HMAC key is its base64-decoded bytes. */
const secret = `whsec_${key.toString('base64')}`;
function annotation(id: string, verdict: Verdict = 'upstream'): Annotation {
  return {
    id,
    verdict,
    annotatedAt: '2024-04-04T20:58:00.000Z',
    candidates:
      verdict === 'internal'
        ? []
        : [
            {
              vendor: '100ms',
              vendorIncidentId: 'ww76zjqsj6j9',
              confidence: 0.91,
              evidence: ['regions match'],
            },
          ],
  };
}

/**
 * A webhook receiver as the docs tell receivers to behave: verify the signature, dedupe on webhook-id
 * (a duplicate gets 200 and is not accepted again). `script` answers the n-th request (0-based) with
 * a status and an optional delay; the default is an immediate 200.
 */
async function webhookReceiver(
  script: (n: number) => { status: number; delayMs?: number } = () => ({ status: 200 }),
) {
  const requests: { id: string; headers: IncomingHttpHeaders; valid: boolean }[] = [];
  const accepted = new Map<string, number>();
  let duplicates = 0;
  const server = createServer((req, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const id = String(req.headers['webhook-id']);
      const ts = String(req.headers['webhook-timestamp']);
      const expected = createHmac('sha256', key).update(`${id}.${ts}.`).update(raw).digest();
      const presented = Buffer.from(String(req.headers['webhook-signature']).replace(/^v1,/, ''), 'base64');
      const valid = presented.length === expected.length && timingSafeEqual(presented, expected);
      const n = requests.length;
      requests.push({ id, headers: req.headers, valid });
      if (!valid) return void res.writeHead(401).end();
      const { status, delayMs = 0 } = script(n);
      if (status >= 200 && status < 300) {
        if (accepted.has(id)) {
          duplicates++;
          return void res.writeHead(200).end('duplicate');
        }
        accepted.set(id, (accepted.get(id) ?? 0) + 1);
      }
      setTimeout(() => {
        if (!res.destroyed) res.writeHead(status).end();
      }, delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  closers.push(close);
  return {
    url: `http://127.0.0.1:${port}/hook`,
    requests,
    accepted,
    get duplicates() {
      return duplicates;
    },
    close,
  };
}

/** Captured JSON log lines. */
function logSink() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean))
        lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { lines, logger: createLogger('info', stream) };
}

const closers: Array<() => Promise<void>> = [];

// Short backoff so retries happen within a test; the catalog's shape otherwise.
const fastRetries: Partial<JobsOptions> = { attempts: 4, backoff: { type: 'delivery', delay: 50 } };

describe('delivery key and rules (pure)', () => {
  test('deliveryKey is deterministic, a valid BullMQ job id, and differs per incident, version and sink', () => {
    const key = deliveryKey('INC-4211', 2, 'hook');
    expect(key).toMatch(/^dlv-[0-9a-f]{32}$/);
    expect(deliveryKey('INC-4211', 2, 'hook')).toBe(key);
    const others = [
      deliveryKey('INC-4212', 2, 'hook'),
      deliveryKey('INC-4211', 3, 'hook'),
      deliveryKey('INC-4211', 2, 'slack'),
    ];
    expect(new Set([key, ...others]).size).toBe(4);
    expect(deliveryKey('a:b|1', 1, 'x')).not.toContain(':');
  });

  test('sinkWants: minVerdict filters lower verdicts but still delivers a retraction of what reached it', () => {
    expect(sinkWants(undefined, 'internal', null)).toBe(true);
    expect(sinkWants('upstream', 'upstream', null)).toBe(true);
    expect(sinkWants('upstream', 'unclear', null)).toBe(false);
    expect(sinkWants('upstream', 'internal', 'unclear')).toBe(false);
    // The channel heard "upstream"; it must hear that this no longer holds.
    expect(sinkWants('upstream', 'internal', 'upstream')).toBe(true);
    expect(sinkWants('unclear', 'unclear', 'internal')).toBe(true);
    expect(sinkWants('unclear', 'internal', 'upstream')).toBe(true);
    expect(sinkWants('unclear', 'internal', 'internal')).toBe(false);
  });

  test('deliveryBackoff doubles per attempt, draws within [½, 1] of it, caps, and honours a longer Retry-After', () => {
    expect(deliveryBackoff(1, 2000, new Error('x'), () => 0)).toBe(1000);
    expect(deliveryBackoff(1, 2000, new Error('x'), () => 1)).toBe(2000);
    expect(deliveryBackoff(4, 2000, new Error('x'), () => 1)).toBe(16_000);
    expect(deliveryBackoff(40, 2000, new Error('x'), () => 1)).toBe(MAX_BACKOFF_MS);
    const limited = new SinkError('http', 'slow down', { status: 429, retryAfterMs: 30_000 });
    expect(deliveryBackoff(1, 2000, limited, () => 1)).toBe(30_000);
    const absurd = new SinkError('http', 'slow down', { status: 429, retryAfterMs: 86_400_000 });
    expect(deliveryBackoff(1, 2000, absurd, () => 1)).toBe(MAX_BACKOFF_MS);
  });
});

describe('delivery through BullMQ (real Redis, real local receivers)', () => {
  let t: TestRedis;
  let queue: Queue;
  const workers: Worker[] = [];

  beforeAll(async () => {
    t = await createTestRedis('delivery');
    queue = new Queue(jobCatalog.deliver.queue, { connection: t.redis.duplicate(), prefix: t.keys.bull });
  });
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.close()));
    await Promise.all(closers.splice(0).map((close) => close()));
    await queue.obliterate({ force: true });
    const stale = await t.redis.keys(`${t.keys.root}:dlv*`);
    const sinks = await t.redis.keys(`${t.keys.root}:sink:*`);
    if (stale.length + sinks.length > 0) await t.redis.del(...stale, ...sinks);
  });
  afterAll(async () => {
    await queue.close();
    await t.cleanup();
  });

  function startWorker(
    sinkConfigs: SinkConfig[],
    options: { disableAfter?: number; logger?: ReturnType<typeof createLogger> } = {},
  ) {
    const worker = createDeliveryWorker({
      connection: t.redis,
      redis: t.redis,
      keys: t.keys,
      prefix: t.keys.bull,
      sinks: createSinks(sinkConfigs, { timeoutMs: 2000 }),
      logger: options.logger ?? createLogger('silent'),
      ...(options.disableAfter !== undefined ? { disableAfter: options.disableAfter } : {}),
      workerOptions: { drainDelay: 1 },
    });
    workers.push(worker);
    void worker.run();
    return worker;
  }

  const deps = (sinks: SinkConfig[], jobOptions: Partial<JobsOptions> = fastRetries) => ({
    queue,
    redis: t.redis,
    keys: t.keys,
    sinks,
    jobOptions,
  });
  const hook = (url: string, name = 'hook'): SinkConfig => ({
    type: 'webhook',
    name,
    url,
    secret,
    events: ['annotation'],
  });
  const stateOf = async (key: string) => (await queue.getJob(key))?.getState();
  const settled = (key: string) =>
    waitUntil(`job ${key} to settle`, async () => {
      const state = await stateOf(key);
      return state === 'completed' || state === 'failed' ? state : null;
    });

  test('a receiver failing twice then answering 200 gets the annotation once: one webhook-id, one acceptance', async () => {
    const r = await webhookReceiver((n) => ({ status: n < 2 ? 503 : 200 }));
    const sinks = [hook(r.url)];
    startWorker(sinks);
    const [enqueued] = await enqueueDeliveries(deps(sinks), annotation('INC-1'), 1);
    expect(await settled(enqueued!.key)).toBe('completed');

    expect(r.requests.map((q) => q.valid)).toEqual([true, true, true]);
    expect(new Set(r.requests.map((q) => q.id))).toEqual(new Set([enqueued!.key]));
    expect([...r.accepted.values()]).toEqual([1]);
    const job = (await queue.getJob(enqueued!.key)) as Job;
    expect(job.attemptsMade).toBe(3);
    const record = JSON.parse(
      (await t.redis.get(deliveryKeys(t.keys).done(enqueued!.key))) ?? 'null',
    ) as unknown;
    expect(record).toMatchObject({
      outcome: 'delivered',
      status: 200,
      attempt: 3,
      incident: 'INC-1',
      version: 1,
    });
    // A success resets the sink's failure count.
    expect(await t.redis.get(deliveryKeys(t.keys).failures('hook'))).toBeNull();
  });

  test('a permanent 4xx fails the delivery after one request, without retries', async () => {
    const r = await webhookReceiver(() => ({ status: 422 }));
    const sinks = [hook(r.url)];
    startWorker(sinks);
    const [enqueued] = await enqueueDeliveries(deps(sinks), annotation('INC-2'), 1);
    expect(await settled(enqueued!.key)).toBe('failed');
    // Failed is final in BullMQ: one attempt made means no retry is coming.
    const job = (await queue.getJob(enqueued!.key)) as Job;
    expect(job.attemptsMade).toBe(1);
    expect(r.requests).toHaveLength(1);
    expect(job.failedReason).toBe('webhook sink hook answered HTTP 422');
    expect(await t.redis.get(deliveryKeys(t.keys).done(enqueued!.key))).toBeNull();
  });

  test('the same (incident, version, sink) enqueued twice is delivered once, also after the job is gone', async () => {
    const r = await webhookReceiver();
    const sinks = [hook(r.url)];
    await enqueueDeliveries(deps(sinks), annotation('INC-3'), 1);
    const [again] = await enqueueDeliveries(deps(sinks), annotation('INC-3'), 1);
    expect(await queue.getJobCounts('waiting')).toMatchObject({ waiting: 1 });
    startWorker(sinks);
    expect(await settled(again!.key)).toBe('completed');

    // BullMQ forgets completed jobs (removeOnComplete); the done record still stops a resend.
    await (await queue.getJob(again!.key))?.remove();
    await enqueueDeliveries(deps(sinks), annotation('INC-3'), 1);
    expect(await settled(again!.key)).toBe('completed');
    const rerun = await queue.getJob(again!.key);
    expect(rerun?.returnvalue).toMatchObject({ outcome: 'already-done' });
    expect(r.requests).toHaveLength(1);

    // A new version is a new delivery.
    const [next] = await enqueueDeliveries(deps(sinks), annotation('INC-3', 'internal'), 2);
    expect(await settled(next!.key)).toBe('completed');
    expect(r.accepted.size).toBe(2);
  });

  test('a sink failing 3 consecutive attempts is disabled with an error log saying how to re-enable it', async () => {
    let healthy = false;
    const r = await webhookReceiver(() => ({ status: healthy ? 200 : 500 }));
    const sinks = [hook(r.url, 'flaky'), hook(r.url, 'other')];
    const { lines, logger } = logSink();
    startWorker(sinks, { disableAfter: 3, logger });
    const jobOptions = { attempts: 2, backoff: { type: 'delivery', delay: 20 } };
    const first = await enqueueDeliveries(deps([sinks[0]!], jobOptions), annotation('INC-4'), 1);
    expect(await settled(first[0]!.key)).toBe('failed');
    const second = await enqueueDeliveries(deps([sinks[0]!], jobOptions), annotation('INC-5'), 1);
    expect(await settled(second[0]!.key)).toBe('failed');
    // Attempts: 2 for INC-4, then 1 for INC-5 reaches 3 and disables; its retry sends nothing.
    expect(r.requests).toHaveLength(3);

    const disabledKey = deliveryKeys(t.keys).disabled('flaky');
    const states = await sinkStates(t.redis, t.keys, ['flaky', 'other']);
    expect(states.flaky).toMatchObject({ failures: 3, lastError: 'webhook sink flaky answered HTTP 500' });
    expect(states.other).toBeNull();
    const alert = lines.filter((l) => l.level === 50 && String(l.msg).includes('disabled after'));
    expect(alert).toHaveLength(1);
    expect(alert[0]?.msg).toContain('upcause sinks enable flaky');
    expect(alert[0]?.msg).toContain(disabledKey);

    // While disabled, a new delivery fails at once without a request.
    const third = await enqueueDeliveries(deps([sinks[0]!], jobOptions), annotation('INC-6'), 1);
    expect(await settled(third[0]!.key)).toBe('failed');
    expect(r.requests).toHaveLength(3);
    expect((await queue.getJob(third[0]!.key))?.failedReason).toMatch(/^sink flaky is disabled/);

    // Re-enabling retries what failed; each of the three is delivered once.
    healthy = true;
    const enabled = await enableSink({ redis: t.redis, keys: t.keys, queue }, 'flaky');
    expect(enabled).toEqual({ wasDisabled: true, retried: 3 });
    for (const key of [first[0]!.key, second[0]!.key, third[0]!.key])
      expect(await settled(key)).toBe('completed');
    expect([...r.accepted.values()]).toEqual([1, 1, 1]);
    expect(await t.redis.exists(disabledKey)).toBe(0);
  });

  test('minVerdict skips lower verdicts yet delivers the retraction of an upstream verdict', async () => {
    const r = await webhookReceiver();
    const sinks: SinkConfig[] = [
      { ...hook(r.url, 'blame-only'), minVerdict: 'upstream' },
      hook(r.url, 'all'),
    ];
    const store = createAnnotationStore(t.redis, t.keys);
    const verdicts: Verdict[] = ['internal', 'upstream', 'internal'];
    const handed: Array<{ sink: string; wanted: boolean }[]> = [];
    for (const [i, verdict] of verdicts.entries()) {
      const { candidates } = annotation('INC-7', verdict);
      const outcome = await store.record(
        { id: 'INC-7', verdict, candidates },
        new Date(Date.UTC(2024, 3, 4, 21, i)),
      );
      expect(outcome.kind).toBe('created');
      const results = await enqueueDeliveries(
        deps(sinks),
        annotation('INC-7', verdict),
        outcome.version.version,
      );
      handed.push(results.map(({ sink, wanted }) => ({ sink, wanted })));
    }
    expect(handed.map((h) => h.find((x) => x.sink === 'blame-only')?.wanted)).toEqual([false, true, true]);
    expect(handed.every((h) => h.find((x) => x.sink === 'all')?.wanted)).toBe(true);
    expect(await queue.getJobCounts('waiting')).toMatchObject({ waiting: 5 });
  });

  test('a second worker finding a delivery in flight does not send it, and sends nothing once it is done', async () => {
    const r = await webhookReceiver(() => ({ status: 200, delayMs: 600 }));
    const sinks = [hook(r.url)];
    startWorker(sinks);
    const [enqueued] = await enqueueDeliveries(deps(sinks), annotation('INC-10'), 1);
    await waitUntil('the first request to reach the receiver', async () => r.requests.length >= 1);
    // What a worker that took the job over (say, after a lock lost to a stalled event loop) would do.
    const job = await queue.getJob(enqueued!.key);
    const data = jobCatalog.deliver.schema.parse(job?.data);
    const other = {
      connection: t.redis,
      redis: t.redis,
      keys: t.keys,
      prefix: t.keys.bull,
      sinks: createSinks(sinks, { timeoutMs: 2000 }),
      logger: createLogger('silent'),
    };
    const during = await runDelivery(other, data, 2);
    expect(during).toMatchObject({ outcome: 'in-flight' });
    expect(during.outcome === 'in-flight' && during.retryInMs).toBeGreaterThan(2000);
    expect(await settled(enqueued!.key)).toBe('completed');
    expect(await runDelivery(other, data, 2)).toMatchObject({ outcome: 'already-done' });
    expect(r.requests).toHaveLength(1);
  });

  test('a job whose delivery another worker has claimed waits for the claim without using an attempt', async () => {
    const key = deliveryKey('INC-11', 1, 'hook');
    const claim = deliveryKeys(t.keys).claim(key);
    // Who held the claim when each request arrived (Redis answers in command order).
    const claimedAtRequest: Promise<string | null>[] = [];
    const r = await webhookReceiver(() => {
      claimedAtRequest.push(t.redis.get(claim));
      return { status: 200 };
    });
    const sinks = [hook(r.url)];
    // As if a worker elsewhere were sending it right now.
    await t.redis.set(claim, 'someone-else', 'PX', 700);
    startWorker(sinks);
    await enqueueDeliveries(deps(sinks), annotation('INC-11'), 1);
    await waitUntil('the job to be delayed', async () => (await stateOf(key)) === 'delayed');
    expect(r.requests).toHaveLength(0);
    expect(await settled(key)).toBe('completed');
    expect(await Promise.all(claimedAtRequest)).not.toContain('someone-else');
    expect(claimedAtRequest).toHaveLength(1);
    expect(r.requests).toHaveLength(1);
    expect((await queue.getJob(key))?.returnvalue).toMatchObject({ outcome: 'delivered', attempt: 1 });
  });

  test('a webhook answering 410 Gone disables its sink at once; status says why; enabling sends again', async () => {
    let gone = true;
    const r = await webhookReceiver(() => ({ status: gone ? 410 : 200 }));
    const sinks = [hook(r.url, 'gone'), hook(r.url, 'other')];
    const { lines, logger } = logSink();
    startWorker(sinks, { logger });
    const first = await enqueueDeliveries(deps([sinks[0]!]), annotation('INC-10'), 1);
    expect(await settled(first[0]!.key)).toBe('failed');
    // One request: a 4xx is not retried, and the sink is disabled after one failure, not ten.
    expect(r.requests).toHaveLength(1);
    const states = await sinkStates(t.redis, t.keys, ['gone', 'other']);
    expect(states.gone).toMatchObject({
      failures: 1,
      reason: 'the receiver answered 410 Gone: the endpoint no longer takes deliveries',
      lastError: 'webhook sink gone answered HTTP 410',
    });
    expect(states.other).toBeNull();
    const alert = lines.filter(
      (l) => l.level === 50 && String(l.msg).startsWith('sink gone disabled at once'),
    );
    expect(alert).toHaveLength(1);
    expect(alert[0]?.msg).toContain('upcause sinks enable gone');

    // A later delivery fails at once, without a request.
    const second = await enqueueDeliveries(deps([sinks[0]!]), annotation('INC-11'), 1);
    expect(await settled(second[0]!.key)).toBe('failed');
    expect(r.requests).toHaveLength(1);

    // `upcause sinks status` shows why; `upcause sinks enable` re-enables and resends.
    const dir = mkdtempSync(path.join(tmpdir(), 'upcause-delivery-'));
    const configPath = path.join(dir, 'upcause.yaml');
    writeFileSync(
      configPath,
      stringify({
        redis: { url: redisUrl, prefix: t.prefix },
        vendors: [],
        sinks: sinks.map((s) => ({ ...s })),
      }),
    );
    const status = await runCli(['--config', configPath, 'sinks', 'status']);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(
      /gone +webhook +disabled since \S+: the receiver answered 410 Gone: the endpoint no longer takes deliveries; last error: webhook sink gone answered HTTP 410/,
    );
    expect(status.stdout).toMatch(/other +webhook +enabled/);
    gone = false;
    const enable = await runCli(['--config', configPath, 'sinks', 'enable', 'gone', '--json']);
    expect(JSON.parse(enable.stdout)).toEqual({ sink: 'gone', wasDisabled: true, retried: 2 });
    for (const key of [first[0]!.key, second[0]!.key]) expect(await settled(key)).toBe('completed');
    expect([...r.accepted.values()]).toEqual([1, 1]);
  });

  test('Slack answering 410 channel_is_archived disables its sink at once; other 4xx do not', async () => {
    const answers: Array<{ status: number; body: string }> = [];
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const answer = answers.shift() ?? { status: 200, body: 'ok' };
        res.writeHead(answer.status, { 'Content-Type': 'text/html' }).end(answer.body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(
      () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    );
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/services/T0/B0/X`;
    const sinks: SinkConfig[] = [{ type: 'slack', name: 'slack', url, events: ['annotation'] }];
    startWorker(sinks);
    answers.push({ status: 400, body: 'invalid_payload' });
    const first = await enqueueDeliveries(deps(sinks), annotation('INC-12'), 1);
    expect(await settled(first[0]!.key)).toBe('failed');
    expect((await sinkStates(t.redis, t.keys, ['slack'])).slack).toBeNull();

    answers.push({ status: 410, body: 'channel_is_archived' });
    const second = await enqueueDeliveries(deps(sinks), annotation('INC-13'), 1);
    expect(await settled(second[0]!.key)).toBe('failed');
    expect((await sinkStates(t.redis, t.keys, ['slack'])).slack).toMatchObject({
      failures: 2,
      reason: "Slack answered 410 channel_is_archived: the webhook's channel was archived",
    });
  });

  test('an Opsgenie alert id that would walk out of its path fails for good without a request, and the sink stays enabled', async () => {
    const r = await webhookReceiver();
    const sinks: SinkConfig[] = [
      { type: 'opsgenie', name: 'og', apiKey: 'k', apiUrl: r.url, events: ['annotation'] },
    ];
    const { lines, logger } = logSink();
    startWorker(sinks, { disableAfter: 1, logger });
    const [enqueued] = await enqueueDeliveries(deps(sinks), annotation('og-../../v1/users'), 1);
    expect(await settled(enqueued!.key)).toBe('failed');
    const job = await queue.getJob(enqueued!.key);
    expect(job?.attemptsMade).toBe(1);
    expect(job?.failedReason).toBe(
      'opsgenie sink og: incident "og-../../v1/users" names the opsgenie id "../../v1/users", which contains /, \\, ? or #, which would leave its path segment; not sent',
    );
    expect(r.requests).toHaveLength(0);
    expect((await sinkStates(t.redis, t.keys, ['og'])).og).toBeNull();
    expect(lines.some((l) => l.level === 40 && String(l.msg).startsWith('delivery refused'))).toBe(true);
  });

  test('PagerDuty deliveries for incidents that did not come from PagerDuty complete as skipped, with no request', async () => {
    const r = await webhookReceiver();
    const sinks: SinkConfig[] = [
      {
        type: 'pagerduty',
        name: 'pd',
        token: 't',
        from: 'a@example.com',
        apiUrl: r.url,
        events: ['annotation'],
      },
    ];
    startWorker(sinks);
    const [enqueued] = await enqueueDeliveries(deps(sinks), annotation('INC-8'), 1);
    expect(await settled(enqueued!.key)).toBe('completed');
    const job = await queue.getJob(enqueued!.key);
    expect(job?.returnvalue).toMatchObject({
      outcome: 'skipped',
      reason: expect.stringContaining('PagerDuty'),
    });
    expect(r.requests).toHaveLength(0);
  });
});

describe('a delivery worker killed mid-request (child processes, SIGKILL)', () => {
  let t: TestRedis;
  const children: ChildProcess[] = [];
  const childEntry = path.join(path.dirname(fileURLToPath(import.meta.url)), 'support/delivery-child.ts');

  beforeAll(async () => {
    t = await createTestRedis('delivery-kill');
  });
  afterAll(async () => {
    await Promise.all(children.map(kill));
    await Promise.all(closers.splice(0).map((close) => close()));
    await t.cleanup();
  });

  function startChild(url: string) {
    const child = spawn(process.execPath, ['--import', 'tsx', childEntry], {
      env: {
        ...process.env,
        UPCAUSE_TEST_PREFIX: t.prefix,
        DELIVERY_SINK_URL: url,
        DELIVERY_SECRET: secret,
        REDIS_URL: redisUrl,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    const ready = new Promise<void>((resolve, reject) => {
      child.stdout?.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('ready')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`delivery child exited early with ${code}`)));
    });
    return { child, ready };
  }

  function kill(child: ChildProcess): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    return exited;
  }

  test('the receiver ends with exactly one accepted delivery per webhook-id and the job completes', async () => {
    // The receiver accepts (and remembers the id) at once but delays its 200 by 1 s: the kill lands
    // after the receiver took the delivery and before the worker could record it.
    const r = await webhookReceiver(() => ({ status: 200, delayMs: 1000 }));
    const queue = new Queue(jobCatalog.deliver.queue, {
      connection: t.redis.duplicate(),
      prefix: t.keys.bull,
    });
    try {
      const victim = startChild(r.url);
      await victim.ready;
      const sinks = [{ type: 'webhook' as const, name: 'hook', url: r.url, secret }];
      const [enqueued] = await enqueueDeliveries(
        { queue, redis: t.redis, keys: t.keys, sinks },
        annotation('INC-9'),
        1,
      );
      const key = enqueued!.key;
      await waitUntil('the first request to reach the receiver', async () => r.requests.length >= 1);
      await kill(victim.child);
      expect(await t.redis.get(deliveryKeys(t.keys).done(key))).toBeNull();

      const rescuer = startChild(r.url);
      await rescuer.ready;
      await waitUntil(
        'the job to complete',
        async () => (await (await queue.getJob(key))?.getState()) === 'completed',
        { timeoutMs: 20_000 },
      );

      expect(r.requests.length).toBe(2);
      expect(r.requests.every((q) => q.valid && q.id === key)).toBe(true);
      expect([...r.accepted.entries()]).toEqual([[key, 1]]);
      expect(r.duplicates).toBe(1);
      const record = JSON.parse((await t.redis.get(deliveryKeys(t.keys).done(key))) ?? 'null') as unknown;
      expect(record).toMatchObject({ outcome: 'delivered', status: 200 });
    } finally {
      await queue.close();
    }
  }, 40_000);
});
