import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { errorEventSchema } from '../src/core/contracts.js';
import { defaultPlanOptions, planBatches } from '../src/ingest/aggregate.js';
import { createBucketWriter, writeEntries } from '../src/ingest/bucket-writer.js';
import { readBuckets, readExemplars, readMinuteCounts } from '../src/store/error-buckets.js';
import { callsField, seriesField } from '../src/core/series.js';
import { decodeEntry, validateErrorEvent } from '../src/ingest/stream-fields.js';
import { createLogger } from '../src/logger.js';
import { createKeys, type Keys } from '../src/store/keys.js';
import { createIngestWorker, ingestGroup, type IngestWorker } from '../workers/ingest-worker.js';
import { createTestRedis, type TestRedis } from './support/redis.js';
import { waitUntil } from './support/wait.js';

const retentionMs = 30 * 86_400_000;
const ingest = {
  retentionMs,
  streamMaxLen: 1_000_000,
  batchSize: 500,
  dedupeWindowMs: 3_600_000,
  claimAfterMs: 1000,
  customersPerMinute: 2000,
};
const now = Date.now();
// A recent whole minute, so events are inside the retention window.
const minute = Math.floor(now / 60_000) - 5;
const at = new Date(minute * 60_000 + 12_000).toISOString();
const window = { now, retentionMs };

function field(service: string, vendor: string, region: string, code: string, errorClass: string): string {
  return JSON.stringify([service, vendor, region, code, errorClass]);
}
const callsOf = (service: string, vendor: string, region: string) => callsField({ service, vendor, region });
/** An entry's fields as flat XADD arguments (`at … service … vendor …`), as any language writes them. */
const flatFields = (fields: Record<string, string>) => Object.entries(fields).flat();

/** A JSON-lines pino destination, so tests can read what the worker logged. */
function captureLogs() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n')) if (line) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, logger: createLogger('warn', stream) };
}

async function runUntil(worker: IngestWorker, done: () => boolean | Promise<boolean>, timeoutMs = 10_000) {
  const running = worker.run();
  try {
    await waitUntil('the worker to finish', done, { timeoutMs }).catch((error: unknown) => {
      throw new Error(`worker did not finish in time: ${JSON.stringify(worker.stats())}`, { cause: error });
    });
  } finally {
    await worker.close();
    await running;
  }
}

describe('call volume in the error event contract (errorEventSchema)', () => {
  const volume = { at, service: 'sms', vendor: 'twilio', region: 'eu-west-1', calls: 41_200 };

  test('a volume report (calls, no code or status) counts 0 failures unless it says otherwise', () => {
    expect(errorEventSchema.parse(volume)).toEqual({ ...volume, count: 0 });
    expect(errorEventSchema.parse({ ...volume, count: 0 }).count).toBe(0);
    // Failures without a code (untagged) may ride on a volume report, as on any event.
    expect(errorEventSchema.parse({ ...volume, count: 3 }).count).toBe(3);
  });

  test('an error event carrying calls keeps count defaulting to 1 and refuses count 0', () => {
    expect(errorEventSchema.parse({ ...volume, status: 503 })).toMatchObject({ calls: 41_200, count: 1 });
    expect(errorEventSchema.parse({ ...volume, code: 'ETIMEDOUT', count: 12 }).count).toBe(12);
    const zero = errorEventSchema.safeParse({ ...volume, status: 503, count: 0 });
    expect(zero.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['count', 'count must be at least 1 (0 only in a volume report: calls without code or status)'],
    ]);
    expect(errorEventSchema.safeParse({ at, service: 'sms', count: 0 }).success).toBe(false);
  });

  test('calls without vendor is rejected, the message naming both fields', () => {
    const parsed = errorEventSchema.safeParse({ at, service: 'sms', calls: 10 });
    expect(parsed.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['vendor', 'vendor is required when calls is given (the vendor those calls went to)'],
    ]);
  });

  test('negative, fractional, oversized and textual calls are rejected, naming calls', () => {
    const reasons = [-1, 2.5, 10_000_001, '40'].map((calls) => {
      const parsed = errorEventSchema.safeParse({ ...volume, calls });
      return parsed.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    });
    expect(reasons).toEqual([
      'calls: calls must be 0 or more',
      'calls: calls must be a whole number',
      'calls: calls is more than 10000000: split it into several events',
      expect.stringMatching(/^calls: .*expected number/),
    ]);
    expect(errorEventSchema.parse({ ...volume, calls: 0 }).calls).toBe(0);
    expect(errorEventSchema.parse({ ...volume, calls: 10_000_000 }).calls).toBe(10_000_000);
  });
});

describe('stream entry decoding (pure)', () => {
  test('decodeEntry() reads flat fields and coerces status, count and an epoch-ms at', () => {
    const epoch = String(minute * 60_000 + 1000);
    const decoded = decodeEntry(
      ['at', epoch, 'service', 'backstage', 'vendor', '100ms', 'status', '502', 'count', '3'],
      window,
    );
    expect(decoded.rejected).toEqual([]);
    expect(decoded.events).toEqual([
      {
        event: {
          at: new Date(Number(epoch)).toISOString(),
          service: 'backstage',
          vendor: '100ms',
          status: 502,
          count: 3,
        },
        ms: Number(epoch),
      },
    ]);
  });

  test('decodeEntry() reads flat calls as an integer; a flat volume report counts 0 failures', () => {
    const decoded = decodeEntry(
      ['at', at, 'service', 'sms', 'vendor', 'twilio', 'region', 'eu-west-1', 'calls', '1840'],
      window,
    );
    expect(decoded.rejected).toEqual([]);
    expect(decoded.events.map((e) => e.event)).toEqual([
      { at, service: 'sms', vendor: 'twilio', region: 'eu-west-1', calls: 1840, count: 0 },
    ]);
    expect(decodeEntry(['at', at, 'service', 'sms', 'calls', '5'], window).rejected[0]?.reason).toBe(
      'vendor: vendor is required when calls is given (the vendor those calls went to)',
    );
    expect(
      decodeEntry(['at', at, 'service', 's', 'vendor', 'v', 'calls', '-3'], window).rejected[0]?.reason,
    ).toBe('calls: calls must be 0 or more');
  });

  test('decodeEntry() rejects a flat status that is not a number, naming the field', () => {
    const decoded = decodeEntry(['at', at, 'service', 's', 'status', 'bad'], window);
    expect(decoded.events).toEqual([]);
    expect(decoded.rejected[0]?.reason).toMatch(/^status: .*expected number/);
  });

  test('decodeEntry() rejects an entry that mixes "events" with flat fields as a whole', () => {
    const decoded = decodeEntry(['events', '[]', 'service', 's'], window);
    expect(decoded.rejected).toEqual([{ index: null, reason: expect.stringMatching(/no other fields/) }]);
  });

  test('decodeEntry() rejects an unparsable events array as a whole and a broken NDJSON line alone', () => {
    expect(decodeEntry(['events', '[{"at": 1'], window).rejected).toEqual([
      { index: null, reason: expect.stringMatching(/^events: not valid JSON/) },
    ]);
    const ndjson = [
      JSON.stringify({ at, service: 'a' }),
      '{"at": oops',
      JSON.stringify({ at, service: 'b' }),
    ];
    const decoded = decodeEntry(['events', ndjson.join('\n')], window);
    expect(decoded.events.map((e) => e.event.service)).toEqual(['a', 'b']);
    expect(decoded.rejected).toEqual([{ index: 1, reason: expect.stringMatching(/not valid JSON/) }]);
  });

  test('decodeEntry() rejects a duplicated flat field and a field named __proto__', () => {
    expect(decodeEntry(['at', at, 'service', 'a', 'service', 'b'], window).rejected[0]?.reason).toBe(
      'field "service" is given twice',
    );
    expect(decodeEntry(['at', at, 'service', 'a', '__proto__', 'x'], window).rejected[0]?.reason).toMatch(
      /Unrecognized key.*__proto__/,
    );
  });

  test('the fast path of validateErrorEvent() and decodeEntry() agrees with the zod schema', () => {
    const epoch = minute * 60_000;
    const cases: unknown[] = [
      { at, service: 'a' },
      { at: epoch, service: 'a', vendor: 'v', region: 'r', code: 'c', status: 503, count: 7 },
      { at: epoch + 1, service: 'a' },
      { at: epoch + 59_999, service: 'a' },
      { at: epoch + 0.5, service: 'a' },
      { at: '2024-04-04T20:47:12+02:00', service: 'a', customer: 'c', endpoint: 'GET /', id: 'x' },
      { at: '2024-04-04T20:47:12Z', service: 'a' },
      { at: '2024-04-04T20:47:12.5Z', service: 'a' },
      { at: '2024-04-04T20:47:12.123456Z', service: 'a' },
      { at: '2024-04-04T20:47:12.123z', service: 'a' },
      { at: '2024-02-29T12:00:00.000Z', service: 'a' },
      { at: '2023-02-29T12:00:00.000Z', service: 'a' },
      { at: '2024-02-30T00:00:00.000Z', service: 'a' },
      { at: '2024-04-04T24:00:00.000Z', service: 'a' },
      { at: '2024-04-04T23:59:60.000Z', service: 'a' },
      { at: '2024-13-01T00:00:00.000Z', service: 'a' },
      { at: '1999-12-31T23:59:59.999Z', service: 'a' },
      { at: '0050-01-01T00:00:00.000Z', service: 'a' },
      { at, service: '' },
      { at, service: 'a', status: 99 },
      { at, service: 'a', status: 502.5 },
      { at, service: 'a', count: 0 },
      { at, service: 'a', count: null },
      { at, service: 'a', vendor: 'v', calls: 40 },
      { at, service: 'a', vendor: 'v', region: 'r', calls: 40, count: 0 },
      { at, service: 'a', vendor: 'v', calls: 40, count: 2 },
      { at, service: 'a', vendor: 'v', calls: 40, status: 503 },
      { at, service: 'a', vendor: 'v', calls: 40, code: 'ETIMEDOUT', count: 3 },
      { at, service: 'a', vendor: 'v', calls: 0 },
      { at, service: 'a', vendor: 'v', calls: 10_000_000 },
      { at, service: 'a', vendor: 'v', calls: 10_000_001 },
      { at, service: 'a', vendor: 'v', calls: -1 },
      { at, service: 'a', vendor: 'v', calls: 1.5 },
      { at, service: 'a', vendor: 'v', calls: '40' },
      { at, service: 'a', calls: 40 },
      { at, service: 'a', vendor: 'v', calls: 40, status: 503, count: 0 },
      { at, service: 'a', vendor: 'v', count: 0 },
      { at: '04/04/2024', service: 'a' },
      { at: 'not a date', service: 'a' },
      { at: true, service: 'a' },
      { service: 'a' },
      { at },
      { at, service: 'a', extra: 1 },
      { at, service: 'a'.repeat(513) },
      [],
      null,
      'text',
    ];
    const wide = { now, retentionMs: 40 * 365 * 86_400_000 };
    for (const input of cases) {
      const zod = errorEventSchema.safeParse(input);
      const copy = structuredClone(input);
      const ours = validateErrorEvent(input, wide);
      expect({ input, ok: ours.ok }).toEqual({ input, ok: zod.success });
      if (ours.ok && zod.success) expect(ours.event).toEqual(zod.data);
      expect(input).toEqual(copy); // the exported check never changes what it was given
      // The stream decoder normalizes its own freshly parsed objects in place: same result.
      const decoded = decodeEntry(['events', JSON.stringify([input])], wide);
      expect(decoded.events.map((e) => e.event)).toEqual(zod.success ? [zod.data] : []);
    }
  });

  test('planBatches() merges increments across entries and keeps guarded events apart', () => {
    const keys = {
      errorBucket: (m: number) => `b:${m}`,
      errorCustomers: (m: number, s: string) => `c:${m}:${s}`,
      errorExemplars: (m: number) => `x:${m}`,
      eventId: (id: string) => `id:${id}`,
    } as unknown as Keys;
    const ev = (extra: Record<string, unknown>) => {
      const r = validateErrorEvent({ at, service: 's', vendor: 'v', status: 503, ...extra }, window);
      if (!r.ok) throw new Error(r.reason);
      return { event: r.event, ms: r.ms };
    };
    const [plan, ...more] = planBatches(
      [
        { id: '1-0', events: [ev({ count: 2, customer: 'acme' }), ev({ customer: 'beta' })] },
        { id: '2-0', events: [ev({ customer: 'acme' }), ev({ id: 'p-1' })] },
      ],
      keys,
      { ...defaultPlanOptions, retentionMs },
    );
    expect(more).toEqual([]);
    const f = seriesField({ service: 's', vendor: 'v', region: '', code: 'HTTP_503', errorClass: 'server' });
    expect(plan?.entryIds).toEqual(['1-0', '2-0']);
    expect(plan?.counts.get(`b:${minute}`)?.get(f)).toBe(4);
    expect([...(plan?.customers.values() ?? [])].map((s) => [...s])).toEqual([['acme', 'beta']]);
    expect(plan?.guarded).toMatchObject([{ idKey: 'id:p-1', field: f, count: 1 }]);
    expect(plan?.expireAt.get(`b:${minute}`)).toBe((minute + 1) * 60_000 + retentionMs);
    expect(plan?.events).toBe(4);

    // Call volume: its own field in the same bucket; a volume report adds no series, customer or exemplar.
    const [withCalls] = planBatches(
      [
        {
          id: '6-0',
          events: [
            ev({ status: undefined, calls: 900, customer: 'acme' }),
            ev({ calls: 100, count: 4 }),
            ev({ status: undefined, calls: 50, id: 'v-1' }),
          ],
        },
      ],
      keys,
      { ...defaultPlanOptions, retentionMs },
    );
    const volume = callsOf('s', 'v', '');
    expect(Object.fromEntries(withCalls?.counts.get(`b:${minute}`) ?? [])).toEqual({
      [f]: 4,
      [volume]: 1000,
    });
    expect(withCalls?.customers.size).toBe(0);
    expect([...(withCalls?.exemplars.values() ?? [])].flat().map((e) => JSON.parse(e).calls)).toEqual([100]);
    expect(withCalls?.guarded).toEqual([
      {
        idKey: 'id:v-1',
        bucketKey: `b:${minute}`,
        field: '',
        count: 0,
        callsField: volume,
        calls: 50,
        customersKey: null,
        customer: null,
      },
    ]);

    // Many producer ids: plans close at the cap, never in the middle of an entry.
    const split = planBatches(
      [
        { id: '3-0', events: [ev({ id: 'a' }), ev({ id: 'b' })] },
        { id: '4-0', events: [ev({ id: 'c' })] },
        { id: '5-0', events: [ev({})] },
      ],
      keys,
      { ...defaultPlanOptions, retentionMs, maxGuardedPerPlan: 2 },
    );
    expect(split.map((p) => [p.entryIds, p.guarded.length, p.events])).toEqual([
      [['3-0'], 2, 2],
      [['4-0', '5-0'], 1, 2],
    ]);
  });
});

describe('ingest worker on the Redis stream (real Redis)', () => {
  let t: TestRedis;

  beforeAll(async () => {
    t = await createTestRedis('ingest-stream');
  });
  afterAll(async () => {
    await t.cleanup();
  });

  /** A fresh stream per test: its own key root inside this file's prefix. */
  function keysFor(name: string): Keys {
    return createKeys(`${t.prefix}:${name}`);
  }

  function worker(keys: Keys, logger = captureLogs().logger, consumer?: string, settings = ingest) {
    return createIngestWorker({ redis: t.redis, keys, config: { ingest: settings }, logger, consumer });
  }

  test('counts events from all three entry layouts into minute buckets, customers and exemplars', async () => {
    const keys = keysFor('layouts');
    await t.redis.xadd(
      keys.errors,
      'MAXLEN',
      '~',
      1000,
      '*',
      ...flatFields({
        at,
        service: 'backstage',
        vendor: '100ms',
        region: 'eu-west-1',
        code: 'RTMP_START_FAILED',
        status: '502',
        count: '1',
        customer: 'acme',
      }),
    );
    await t.redis.xadd(
      keys.errors,
      '*',
      'event',
      JSON.stringify({
        at,
        service: 'backstage',
        vendor: '100ms',
        region: 'eu-west-1',
        code: 'RTMP_START_FAILED',
        status: 502,
        count: 2,
        customer: 'beta',
      }),
    );
    const batch = [
      {
        at,
        service: 'backstage',
        vendor: '100ms',
        region: 'eu-west-1',
        code: 'RTMP_START_FAILED',
        status: 502,
        customer: 'acme',
      },
      { at, service: 'webinar', vendor: 'twilio', code: 'ETIMEDOUT', count: 5, customer: 'gamma' },
    ];
    await t.redis.xadd(keys.errors, '*', 'events', JSON.stringify(batch));
    await t.redis.xadd(keys.errors, '*', 'events', batch.map((e) => JSON.stringify(e)).join('\n') + '\n');

    const w = worker(keys);
    await runUntil(w, () => w.stats().entries === 4);
    expect(w.stats()).toMatchObject({ entries: 4, events: 6, rejected: 0 });

    const hash = await t.redis.hgetall(keys.errorBucket(minute));
    expect(hash).toEqual({
      [field('backstage', '100ms', 'eu-west-1', 'RTMP_START_FAILED', 'server')]: '5',
      [field('webinar', 'twilio', '', 'ETIMEDOUT', 'timeout')]: '10',
    });
    const scope = JSON.stringify(['backstage', '100ms', 'eu-west-1']);
    expect(await t.redis.pfcount(keys.errorCustomers(minute, scope))).toBe(2);

    const read = await readBuckets(t.redis, keys, { from: minute * 60_000, to: (minute + 1) * 60_000 });
    expect(read.total).toBe(15);
    expect(read.customers).toBe(3);
    expect(read.series.map((s) => [s.service, s.count, s.customers])).toEqual([
      ['backstage', 5, 2],
      ['webinar', 10, 1],
    ]);
    const onlyTwilio = await readBuckets(t.redis, keys, {
      from: minute * 60_000,
      to: (minute + 1) * 60_000,
      vendor: 'twilio',
    });
    expect(onlyTwilio.series.map((s) => s.service)).toEqual(['webinar']);

    const exemplars = await readExemplars(t.redis, keys, minute);
    expect(exemplars.length).toBeGreaterThanOrEqual(2);
    expect(exemplars.map((e) => e.service)).toEqual(expect.arrayContaining(['backstage', 'webinar']));

    // Retention counts from the bucket's minute, not from now.
    const pttl = await t.redis.pttl(keys.errorBucket(minute));
    const expected = (minute + 1) * 60_000 + retentionMs - Date.now();
    expect(Math.abs(pttl - expected)).toBeLessThan(5000);
    expect(((await t.redis.xpending(keys.errors, ingestGroup)) as unknown[])[0]).toBe(0);
  });

  test('call volume from all three entry layouts lands beside the error series, which its readers ignore', async () => {
    const keys = keysFor('calls');
    const sms = { at, service: 'sms', vendor: 'twilio', region: 'eu-west-1' };
    // Flat fields: a pure volume report, as any language writes it.
    await t.redis.xadd(keys.errors, '*', ...flatFields({ ...sms, calls: '1000' }));
    // One JSON event with a producer id, sent twice: its calls count once.
    await t.redis.xadd(keys.errors, '*', 'event', JSON.stringify({ ...sms, calls: 200, id: 'vol-1' }));
    await t.redis.xadd(keys.errors, '*', 'event', JSON.stringify({ ...sms, calls: 200, id: 'vol-1' }));
    // A batch: an error event carrying calls, a volume report with count 0, a plain error.
    await t.redis.xadd(
      keys.errors,
      '*',
      'events',
      JSON.stringify([
        { ...sms, status: 503, count: 31, calls: 40, customer: 'acme' },
        { ...sms, calls: 7, count: 0, customer: 'beta' },
        { ...sms, code: 'ETIMEDOUT' },
      ]),
    );

    const w = worker(keys);
    await runUntil(w, () => w.stats().entries === 4);
    expect(w.stats()).toMatchObject({ entries: 4, events: 5, duplicates: 1, rejected: 0 });

    // One calls field; no error series with a zero count for the volume reports.
    expect(await t.redis.hgetall(keys.errorBucket(minute))).toEqual({
      [callsOf('sms', 'twilio', 'eu-west-1')]: '1247',
      [field('sms', 'twilio', 'eu-west-1', 'HTTP_503', 'server')]: '31',
      [field('sms', 'twilio', 'eu-west-1', 'ETIMEDOUT', 'timeout')]: '1',
    });

    const read = await readBuckets(t.redis, keys, { from: minute * 60_000, to: (minute + 1) * 60_000 });
    expect(read.series.map((s) => [s.code, s.count])).toEqual([
      ['ETIMEDOUT', 1],
      ['HTTP_503', 31],
    ]);
    expect(read.total).toBe(32);
    // Customers count failures only: "beta" came with a volume report.
    expect(read.customers).toBe(1);
    expect(read.calls).toEqual([
      {
        minute,
        at: new Date(minute * 60_000).toISOString(),
        service: 'sms',
        vendor: 'twilio',
        region: 'eu-west-1',
        calls: 1247,
      },
    ]);
    expect(read.totalCalls).toBe(1247);
    expect(
      (
        await readBuckets(t.redis, keys, {
          from: minute * 60_000,
          to: (minute + 1) * 60_000,
          vendor: 'stripe',
        })
      ).calls,
    ).toEqual([]);

    // The suspect detector's reader: the same errors, the calls apart.
    const [bucket, ...others] = await readMinuteCounts(t.redis, keys, minute - 1, minute + 1);
    expect(others).toEqual([]);
    expect(bucket?.minute).toBe(minute);
    expect(bucket?.counts.map((c) => [c.series.code, c.count])).toEqual(
      expect.arrayContaining([
        ['HTTP_503', 31],
        ['ETIMEDOUT', 1],
      ]),
    );
    expect(bucket?.counts).toHaveLength(2);
    expect(bucket?.calls).toEqual([{ service: 'sms', vendor: 'twilio', region: 'eu-west-1', calls: 1247 }]);

    // Exemplars show failures, not volume reports.
    const exemplars = await readExemplars(t.redis, keys, minute);
    expect(exemplars.map((e) => e.count).sort()).toEqual([1, 31]);
  });

  test('an entry handed to two consumers (XAUTOCLAIM after a stall) is counted once', async () => {
    const keys = keysFor('twice');
    await t.redis.xgroup('CREATE', keys.errors, ingestGroup, '0', 'MKSTREAM');
    await t.redis.xadd(
      keys.errors,
      '*',
      'events',
      JSON.stringify([
        { at, service: 's', count: 3 },
        { at, service: 's' },
      ]),
    );
    const readA = (await t.redis.xreadgroup(
      'GROUP',
      ingestGroup,
      'A',
      'COUNT',
      10,
      'STREAMS',
      keys.errors,
      '>',
    )) as [string, [string, string[]][]][];
    const entryA = readA[0]?.[1][0] as [string, string[]];
    // XAUTOCLAIM below takes entries idle at least 10 ms.
    await waitUntil('the entry to be idle 10 ms', async () => {
      const [pending] = (await t.redis.xpending(keys.errors, ingestGroup, '-', '+', 1)) as [
        string,
        string,
        number,
      ][];
      return (pending?.[2] ?? 0) >= 10;
    });
    const claimB = (await t.redis.xautoclaim(keys.errors, ingestGroup, 'B', 10, '0-0', 'COUNT', 10)) as [
      string,
      [string, string[]][],
    ];
    const entryB = claimB[1][0] as [string, string[]];
    expect(entryB[0]).toBe(entryA[0]);

    const writer = createBucketWriter(t.redis, {
      stream: keys.errors,
      group: ingestGroup,
      dedupeWindowMs: 60_000,
      exemplarsPerMinute: 10,
    });
    const options = { ...defaultPlanOptions, retentionMs };
    const asEntry = ([id, fields]: [string, string[]]) => ({
      id,
      events: () => decodeEntry(fields, window).events,
    });
    const [b, a] = await Promise.all([
      writeEntries(writer, [asEntry(entryB)], keys, options),
      writeEntries(writer, [asEntry(entryA)], keys, options),
    ]);
    expect(a.entries + b.entries).toBe(1);
    expect(a.conflicts + b.conflicts).toBe(1);
    expect(await t.redis.hgetall(keys.errorBucket(minute))).toEqual({
      [field('s', '', '', '', 'unknown')]: '4',
    });
    // Delivered a third time (the same ids again): still no second count.
    const again = await writeEntries(writer, [asEntry(entryA)], keys, options);
    expect(again).toMatchObject({ entries: 0, conflicts: 1 });
    expect(await t.redis.hget(keys.errorBucket(minute), field('s', '', '', '', 'unknown'))).toBe('4');
  });

  test('a conflict on one entry drops only that entry; the rest of the batch still counts', async () => {
    const keys = keysFor('partial');
    await t.redis.xgroup('CREATE', keys.errors, ingestGroup, '0', 'MKSTREAM');
    for (const service of ['x', 'y', 'z'])
      await t.redis.xadd(keys.errors, '*', 'event', JSON.stringify({ at, service }));
    const read = (await t.redis.xreadgroup(
      'GROUP',
      ingestGroup,
      'A',
      'COUNT',
      10,
      'STREAMS',
      keys.errors,
      '>',
    )) as [string, [string, string[]][]][];
    const entries = (read[0]?.[1] ?? []).map(([id, fields]) => ({
      id,
      events: () => decodeEntry(fields, window).events,
    }));
    await t.redis.xack(keys.errors, ingestGroup, entries[1]?.id as string); // someone else counted "y"
    const writer = createBucketWriter(t.redis, {
      stream: keys.errors,
      group: ingestGroup,
      dedupeWindowMs: 60_000,
      exemplarsPerMinute: 10,
    });
    const outcome = await writeEntries(writer, entries, keys, { ...defaultPlanOptions, retentionMs });
    expect(outcome).toEqual({ entries: 2, events: 2, duplicates: 0, conflicts: 1 });
    expect(Object.keys(await t.redis.hgetall(keys.errorBucket(minute))).sort()).toEqual([
      field('x', '', '', '', 'unknown'),
      field('z', '', '', '', 'unknown'),
    ]);
  });

  test('a key of the wrong type fails the whole write before anything is counted or acknowledged', async () => {
    const keys = keysFor('wrongtype');
    await t.redis.xgroup('CREATE', keys.errors, ingestGroup, '0', 'MKSTREAM');
    await t.redis.xadd(keys.errors, '*', 'event', JSON.stringify({ at, service: 'w', customer: 'acme' }));
    await t.redis.set(keys.errorExemplars(minute), 'not a list');
    const read = (await t.redis.xreadgroup(
      'GROUP',
      ingestGroup,
      'A',
      'COUNT',
      10,
      'STREAMS',
      keys.errors,
      '>',
    )) as [string, [string, string[]][]][];
    const entries = (read[0]?.[1] ?? []).map(([id, fields]) => ({
      id,
      events: () => decodeEntry(fields, window).events,
    }));
    const writer = createBucketWriter(t.redis, {
      stream: keys.errors,
      group: ingestGroup,
      dedupeWindowMs: 60_000,
      exemplarsPerMinute: 10,
    });
    await expect(writeEntries(writer, entries, keys, { ...defaultPlanOptions, retentionMs })).rejects.toThrow(
      /WRONGTYPE .*:ex:\d+ holds a string, not a list; nothing written/,
    );
    expect(await t.redis.exists(keys.errorBucket(minute))).toBe(0);
    expect(((await t.redis.xpending(keys.errors, ingestGroup)) as unknown[])[0]).toBe(1);
  });

  test('text with a lone UTF-16 surrogate (valid JSON, not UTF-8) is counted, not fatal to the write', async () => {
    const keys = keysFor('surrogate');
    const events = `[{"at":"${at}","service":"s","customer":"bad\\ud800"},{"at":"${at}","service":"s","customer":"bad\\udfff","id":"x\\ud800"}]`;
    await t.redis.xadd(keys.errors, '*', 'events', events);
    const w = worker(keys);
    await runUntil(w, () => w.stats().entries === 1);
    expect(w.stats()).toMatchObject({ events: 2, rejected: 0 });
    expect(await t.redis.hget(keys.errorBucket(minute), field('s', '', '', '', 'unknown'))).toBe('2');
  });

  test('events with the same producer id count once within the dedupe window, across and within entries', async () => {
    const keys = keysFor('dedupe');
    const e = (id: string, customer: string) => ({
      at,
      service: 'billing',
      vendor: 'stripe',
      status: 503,
      id,
      customer,
    });
    await t.redis.xadd(
      keys.errors,
      '*',
      'events',
      JSON.stringify([e('evt-1', 'a'), e('evt-1', 'a'), e('evt-2', 'b')]),
    );
    await t.redis.xadd(keys.errors, '*', 'event', JSON.stringify(e('evt-2', 'b')));
    await t.redis.xadd(
      keys.errors,
      '*',
      ...flatFields({ at, service: 'billing', vendor: 'stripe', status: '503', id: 'evt-3' }),
    );
    const w = worker(keys);
    await runUntil(w, () => w.stats().entries === 3);
    expect(w.stats()).toMatchObject({ events: 3, duplicates: 2 });
    expect(
      await t.redis.hget(keys.errorBucket(minute), field('billing', 'stripe', '', 'HTTP_503', 'server')),
    ).toBe('3');
    const pttl = await t.redis.pttl(keys.eventId('evt-1'));
    expect(pttl).toBeGreaterThan(3_500_000);
    expect(pttl).toBeLessThanOrEqual(3_600_000);
  });

  test('malformed events are rejected with their reasons and logged; the good ones are stored', async () => {
    const keys = keysFor('malformed');
    const { lines, logger } = captureLogs();
    const good = { at, service: 'ok-service', vendor: 'v' };
    const bad: Array<[unknown, RegExp]> = [
      [{ at, service: 42 }, /^service: .*expected string/],
      [{ at, service: 's', status: '502' }, /^status: .*expected number/],
      [{ service: 's' }, /^at: /],
      [{ at }, /^service: /],
      [{ at: new Date(now + 3 * 3_600_000).toISOString(), service: 's' }, /ahead of now/],
      [
        { at: new Date(now - 40 * 86_400_000).toISOString(), service: 's' },
        /older than the 30\.0-day retention/,
      ],
      [{ at: '1999-12-31T00:00:00Z', service: 's' }, /^at: expected a time between 2000 and 2100/],
      [{ at, service: 'x'.repeat(1_048_576) }, /^service: service is longer than 512/],
      [{ at, service: 's', colour: 'red' }, /Unrecognized key.*colour/],
    ];
    await t.redis.xadd(keys.errors, '*', 'events', JSON.stringify([good, ...bad.map(([e]) => e), good]));
    // Invalid UTF-8: raw bytes, in a batch (one event damaged) and in a flat field.
    const broken = Buffer.concat([
      Buffer.from(JSON.stringify(good) + '\n' + '{"at":"' + at + '","service":"caf'),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('"}\n' + JSON.stringify(good)),
    ]);
    await t.redis.xadd(keys.errors, '*', Buffer.from('events'), broken);
    await t.redis.xadd(keys.errors, '*', 'at', at, 'service', Buffer.from([0x73, 0xff, 0xfe]));
    await t.redis.xadd(keys.errors, '*', 'event', JSON.stringify(good));

    const w = worker(keys, logger);
    await runUntil(w, () => w.stats().entries === 4);
    expect(w.stats()).toMatchObject({ events: 5, rejected: bad.length + 2 });
    expect(await t.redis.hget(keys.errorBucket(minute), field('ok-service', 'v', '', '', 'unknown'))).toBe(
      '5',
    );

    const rejections = lines.filter(
      (l) => l.msg === 'rejected error event' || l.msg === 'rejected more error events in this entry',
    );
    const first = lines.filter((l) => l.msg === 'rejected error event').slice(0, 5);
    expect(first.map((l) => l.index)).toEqual([1, 2, 3, 4, 5]);
    first.forEach((line, i) => expect(String(line.reason)).toMatch((bad[i] as [unknown, RegExp])[1]));
    expect(rejections.find((l) => l.more === bad.length - 5)).toBeDefined();
    expect(lines.some((l) => l.reason === 'contains bytes that are not valid UTF-8' && l.index === 1)).toBe(
      true,
    );
    expect(lines.some((l) => l.reason === 'service: contains bytes that are not valid UTF-8')).toBe(true);
    expect(lines.every((l) => typeof l.entry === 'string' || l.msg !== 'rejected error event')).toBe(true);
    // A 1 MB value must not be copied into the logs.
    expect(Math.max(...lines.map((l) => JSON.stringify(l).length))).toBeLessThan(2000);

    // Each reason, straight from the decoder, for the events after the first five.
    const decoded = decodeEntry(['events', JSON.stringify(bad.map(([e]) => e))], window);
    decoded.rejected.forEach((r, i) => expect(r.reason).toMatch((bad[i] as [unknown, RegExp])[1]));
  });

  test('a consumer restarted under its own name first counts what it was handed before', async () => {
    const keys = keysFor('restart');
    await t.redis.xgroup('CREATE', keys.errors, ingestGroup, '0', 'MKSTREAM');
    await t.redis.xadd(keys.errors, '*', 'event', JSON.stringify({ at, service: 'r', count: 7 }));
    await t.redis.xreadgroup('GROUP', ingestGroup, 'same-name', 'COUNT', 10, 'STREAMS', keys.errors, '>');
    const w = worker(keys, undefined, 'same-name', { ...ingest, claimAfterMs: 3_600_000 });
    await runUntil(w, () => w.stats().entries === 1);
    expect(await t.redis.hget(keys.errorBucket(minute), field('r', '', '', '', 'unknown'))).toBe('7');
    expect(w.stats().claimed).toBe(0);
  });

  test('close() lets the in-flight batch finish and reads nothing after', async () => {
    const keys = keysFor('close');
    const w = worker(keys);
    const running = w.run();
    await t.redis.xadd(keys.errors, '*', 'event', JSON.stringify({ at, service: 'c' }));
    await waitUntil('the first entry to be handled', () => w.stats().entries >= 1);
    await w.close();
    await running;
    const [first] = await t.redis.xrange(keys.errors, '-', '+');
    await t.redis.xadd(keys.errors, '*', 'event', JSON.stringify({ at, service: 'c' }));
    // A reader still blocked on the group would be served by XADD itself, before Redis runs the next command.
    const groups = (await t.redis.xinfo('GROUPS', keys.errors)) as unknown[][];
    const group = groups
      .map((g) => new Map(g.flatMap((v, i) => (i % 2 ? [] : [[v, g[i + 1]] as const]))))
      .at(0);
    expect(group?.get('last-delivered-id')).toBe(first?.[0]);
    expect(w.stats().entries).toBe(1);
    const pending = (await t.redis.xpending(keys.errors, ingestGroup)) as [number];
    expect(pending[0]).toBe(0);
    expect(await t.redis.xlen(keys.errors)).toBe(2);
  });

  test('readBuckets() refuses a range that ends before it starts, naming the field', async () => {
    await expect(readBuckets(t.redis, t.keys, { from: now, to: now - 1 })).rejects.toThrow(
      /to: "to" must be after "from"/,
    );
  });
});
