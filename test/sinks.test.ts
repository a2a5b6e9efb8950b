import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { deliveryKey } from '../src/delivery/enqueue.js';
import { createOpsgenieSink } from '../src/delivery/sinks/opsgenie.js';
import { createPagerDutySink } from '../src/delivery/sinks/pagerduty.js';
import { createSlackSink, type SlackBlock } from '../src/delivery/sinks/slack.js';
import { SinkError, type AnnotationPayload, type SinkContext } from '../src/delivery/sinks/types.js';
import { createWebhookSink } from '../src/delivery/sinks/webhook.js';
import { clipText } from '../src/core/clip.js';

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A real local HTTP server on port 0 that records every request and answers with `respond`. */
async function receiver(respond: (req: Received, res: ServerResponse) => void = (_q, res) => res.end('ok')) {
  const requests: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const received = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks),
      };
      requests.push(received);
      respond(received, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  servers.push(close);
  return { url: `http://127.0.0.1:${port}`, requests, close };
}

const servers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((close) => close()));
});

const payload: AnnotationPayload = {
  type: 'annotation',
  incident: 'INC-4211',
  version: 2,
  verdict: 'upstream',
  annotatedAt: '2024-04-04T20:58:00.000Z',
  candidates: [
    {
      vendor: '100ms',
      vendorIncidentId: 'ww76zjqsj6j9',
      confidence: 0.91,
      evidence: [
        "100ms 'Recording failures in EU' posted 20:58 UTC, 11 min after our first error",
        'regions match (Europe ⊃ eu-west-1)',
      ],
    },
    {
      vendor: 'twilio',
      suspectedIssueId: 'sus-twilio-eu-1',
      confidence: 0.2,
      evidence: ['<b>5 errors</b> & a spike'],
    },
    { vendor: 'stripe', confidence: 0.05, evidence: [] },
    { vendor: 'github', confidence: 0.01, evidence: [] },
  ],
  notes: ['no deploy of backstage in the 2 h before onset'],
};
/** Key bytes and the Standard Webhooks secret that stands for them. */
const keyBytes = Buffer.from('a-webhook-key-of-32-bytes-012345');
const secret = `whsec_${keyBytes.toString('base64')}`;

const ctx: SinkContext = {
  deliveryKey: deliveryKey('INC-4211', 2, 'hook'),
  now: new Date('2024-04-04T20:58:30Z'),
};

/** Standard Webhooks verification written from the spec, independent of src/delivery/sinks/webhook.ts. */
function verifyStandardWebhook(raw: Buffer, headers: IncomingHttpHeaders, key: Buffer): boolean {
  const id = String(headers['webhook-id']);
  const ts = String(headers['webhook-timestamp']);
  const signed = Buffer.concat([Buffer.from(`${id}.${ts}.`), raw]);
  const expected = createHmac('sha256', key).update(signed).digest();
  return String(headers['webhook-signature'])
    .split(' ')
    .some((part) => {
      const [version, value] = part.split(',');
      const presented = Buffer.from(value ?? '', 'base64');
      return version === 'v1' && presented.length === expected.length && timingSafeEqual(presented, expected);
    });
}

describe('webhook sink', () => {
  test('POSTs the annotation JSON with Standard Webhooks headers that an independent verifier accepts', async () => {
    const r = await receiver();
    const sink = createWebhookSink({ name: 'hook', url: `${r.url}/hooks/upcause`, secret });
    await expect(sink.deliver(payload, ctx)).resolves.toEqual({ kind: 'delivered', status: 200 });

    expect(r.requests).toHaveLength(1);
    const [req] = r.requests;
    expect(req?.method).toBe('POST');
    expect(req?.url).toBe('/hooks/upcause');
    expect(req?.headers['content-type']).toMatch(/^application\/json/);
    expect(req?.headers['webhook-id']).toBe(ctx.deliveryKey);
    expect(req?.headers['webhook-timestamp']).toBe(String(Date.parse('2024-04-04T20:58:30Z') / 1000));
    expect(req?.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(JSON.parse(req?.body.toString() ?? '')).toEqual(payload);

    const raw = req?.body ?? Buffer.alloc(0);
    const headers = req?.headers ?? {};
    expect(verifyStandardWebhook(raw, headers, keyBytes)).toBe(true);
    // The verifier can fail: another key, the secret's text as the key (not its decoded bytes), a
    // changed body or a changed id do not verify.
    expect(verifyStandardWebhook(raw, headers, Buffer.from('another-secret-entirely'))).toBe(false);
    expect(verifyStandardWebhook(raw, headers, Buffer.from(secret))).toBe(false);
    expect(
      verifyStandardWebhook(Buffer.from(raw.toString().replace('0.91', '0.19')), headers, keyBytes),
    ).toBe(false);
    expect(verifyStandardWebhook(raw, { ...headers, 'webhook-id': 'dlv-other' }, keyBytes)).toBe(false);
  });

  test('the same base64 without whsec_ stands for the same key', async () => {
    const r = await receiver();
    const sink = createWebhookSink({ name: 'hook', url: r.url, secret: secret.slice('whsec_'.length) });
    await sink.deliver(payload, ctx);
    const [req] = r.requests;
    expect(verifyStandardWebhook(req?.body ?? Buffer.alloc(0), req?.headers ?? {}, keyBytes)).toBe(true);
  });

  test('while rotating, every secret signs: a receiver holding any one of them accepts the delivery', async () => {
    const r = await receiver();
    const nextKey = Buffer.from('the-next-webhook-key-of-32-bytes');
    const sink = createWebhookSink({
      name: 'hook',
      url: r.url,
      secret: [secret, `whsec_${nextKey.toString('base64')}`],
    });
    await sink.deliver(payload, ctx);
    const [req] = r.requests;
    const raw = req?.body ?? Buffer.alloc(0);
    const headers = req?.headers ?? {};
    expect(String(headers['webhook-signature'])).toMatch(/^v1,[A-Za-z0-9+/]+=* v1,[A-Za-z0-9+/]+=*$/);
    expect(verifyStandardWebhook(raw, headers, keyBytes)).toBe(true);
    expect(verifyStandardWebhook(raw, headers, nextKey)).toBe(true);
    expect(verifyStandardWebhook(raw, headers, Buffer.from('a-webhook-key-of-32-bytes-012346'))).toBe(false);
  });

  test('a secret that is no Standard Webhooks secret is refused when the sink is built', () => {
    expect(() =>
      createWebhookSink({ name: 'hook', url: 'http://127.0.0.1:1', secret: 'plain-old-secret!' }),
    ).toThrow(/webhook secret: expected a Standard Webhooks secret/);
    expect(() => createWebhookSink({ name: 'hook', url: 'http://127.0.0.1:1', secret: [] })).toThrow(
      /no secret configured/,
    );
  });

  test('every attempt of one delivery carries the same webhook-id and a fresh timestamp', async () => {
    const r = await receiver();
    const sink = createWebhookSink({ name: 'hook', url: r.url, secret });
    await sink.deliver(payload, ctx);
    await sink.deliver(payload, { ...ctx, now: new Date('2024-04-04T21:00:00Z') });
    expect(r.requests.map((q) => q.headers['webhook-id'])).toEqual([ctx.deliveryKey, ctx.deliveryKey]);
    expect(new Set(r.requests.map((q) => q.headers['webhook-timestamp'])).size).toBe(2);
  });
});

describe('slack sink', () => {
  test('posts a Block Kit message: verdict header, a section per top candidate, notes, and a context line', async () => {
    const r = await receiver();
    const sink = createSlackSink({ name: 'slack', url: `${r.url}/services/T000/B000/XXXX` });
    await expect(sink.deliver(payload, ctx)).resolves.toMatchObject({ kind: 'delivered' });
    const [req] = r.requests;
    expect(req?.url).toBe('/services/T000/B000/XXXX');
    const message = JSON.parse(req?.body.toString() ?? '') as { text: string; blocks: SlackBlock[] };
    expect(message.text).toBe('INC-4211: Likely upstream cause: 100ms (91%)');
    const [header, ...rest] = message.blocks;
    expect(header).toEqual({
      type: 'header',
      text: {
        type: 'plain_text',
        text: ':rotating_light: INC-4211: Likely upstream cause: 100ms (91%)',
        emoji: true,
      },
    });
    const sections = rest
      .filter((b) => b.type === 'section')
      .map((b) => (b.type === 'section' ? b.text.text : ''));
    // Three candidates shown, the fourth counted, then the notes.
    expect(sections).toHaveLength(5);
    expect(sections[0]).toBe(
      [
        '*100ms*, vendor incident ww76zjqsj6j9: confidence *91%*',
        "• 100ms 'Recording failures in EU' posted 20:58 UTC, 11 min after our first error",
        '• regions match (Europe ⊃ eu-west-1)',
      ].join('\n'),
    );
    // Vendor prose cannot inject Slack markup.
    expect(sections[1]).toContain('• &lt;b&gt;5 errors&lt;/b&gt; &amp; a spike');
    expect(sections[1]).toContain('suspected from our errors (sus-twilio-eu-1)');
    expect(sections[3]).toBe('_1 more candidate_');
    expect(sections[4]).toBe('*Notes*\n• no deploy of backstage in the 2 h before onset');
    const context = message.blocks.at(-1);
    expect(context?.type).toBe('context');
    expect(context?.type === 'context' ? context.elements[0]?.text : '').toBe(
      'Incident INC-4211 · annotation v2 · verdict since 2024-04-04T20:58:00.000Z · upcause',
    );
  });

  test('the fallback text escapes every piece of incident and vendor text, as the blocks do', async () => {
    const r = await receiver();
    const sink = createSlackSink({ name: 'slack', url: r.url });
    const hostile: AnnotationPayload = {
      ...payload,
      incident: '<!channel>',
      candidates: [{ vendor: '<@U024BE7LH> & <https://evil.example|co>', confidence: 0.9, evidence: [] }],
    };
    await sink.deliver(hostile, ctx);
    const message = JSON.parse(r.requests[0]?.body.toString() ?? '') as {
      text: string;
      blocks: SlackBlock[];
    };
    expect(message.text).toBe(
      '&lt;!channel&gt;: Likely upstream cause: &lt;@U024BE7LH&gt; &amp; &lt;https://evil.example|co&gt; (90%)',
    );
    const mrkdwn = message.blocks.flatMap((b) =>
      b.type === 'section' ? [b.text.text] : b.type === 'context' ? b.elements.map((e) => e.text) : [],
    );
    for (const text of [message.text, ...mrkdwn]) expect(text).not.toMatch(/<[!@h]/);
  });

  test('an internal verdict says there is no upstream evidence and lists no candidate sections', async () => {
    const r = await receiver();
    const sink = createSlackSink({ name: 'slack', url: r.url });
    await sink.deliver({ ...payload, verdict: 'internal', candidates: [], notes: [] }, ctx);
    const message = JSON.parse(r.requests[0]?.body.toString() ?? '') as { blocks: SlackBlock[] };
    expect(message.blocks.map((b) => b.type)).toEqual(['header', 'context']);
    expect(JSON.stringify(message.blocks[0])).toContain('No upstream evidence: likely internal');
  });
});

describe('clipping at an emoji', () => {
  /** Half of a surrogate pair left alone: what a cut through an emoji leaves. */
  const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
  const emojis = (n: number) => '😀'.repeat(n);
  /** A payload whose texts are long runs of emoji after `pad` characters, so cuts land on both halves. */
  const emojiPayload = (pad: string): AnnotationPayload => ({
    ...payload,
    candidates: [{ vendor: `${pad}${emojis(100)}`, confidence: 0.9, evidence: [`${pad}${emojis(20_000)}`] }],
  });

  test('clipText never ends inside a character, whichever half of a pair the limit falls on', () => {
    for (const max of [5, 6, 7, 8]) {
      const clipped = clipText(`a${emojis(10)}`, max);
      expect(clipped.length).toBeLessThanOrEqual(max);
      expect(clipped).not.toMatch(loneSurrogate);
      expect(clipped.endsWith('…')).toBe(true);
      const marked = clipText(emojis(10), max + 13, '\n…(truncated)');
      expect(marked.length).toBeLessThanOrEqual(max + 13);
      expect(marked).not.toMatch(loneSurrogate);
    }
    expect(clipText('😀', 1)).toBe('…');
  });

  test('PagerDuty and Opsgenie notes cut at an emoji keep whole emoji and stay within the limits', async () => {
    const pd = await receiver();
    const og = await receiver();
    const pdSink = createPagerDutySink({
      name: 'pd',
      token: 't',
      from: 'oncall@example.com',
      apiUrl: pd.url,
    });
    const ogSink = createOpsgenieSink({ name: 'og', apiKey: 'k', apiUrl: og.url });
    for (const pad of ['', 'x']) {
      await pdSink.deliver({ ...emojiPayload(pad), incident: 'pd-Q2K8' }, ctx);
      await ogSink.deliver({ ...emojiPayload(pad), incident: 'og-a1' }, ctx);
    }
    const pdNotes = pd.requests.map(
      (q) => (JSON.parse(q.body.toString()) as { note: { content: string } }).note.content,
    );
    const ogNotes = og.requests.map((q) => (JSON.parse(q.body.toString()) as { note: string }).note);
    // One of the two pads puts each cut between the halves of a pair.
    for (const [notes, max] of [
      [pdNotes, 10_000],
      [ogNotes, 25_000],
    ] as const) {
      expect(notes).toHaveLength(2);
      expect(new Set(notes.map((n) => n.length)).size).toBe(2);
      for (const note of notes) {
        expect(note.length).toBeLessThanOrEqual(max);
        expect(note.length).toBeGreaterThan(max - 3);
        expect(note.endsWith('😀\n…(truncated)')).toBe(true);
        expect(note).not.toMatch(loneSurrogate);
      }
    }
  });

  test('Slack headers and sections cut at an emoji keep whole emoji', async () => {
    const r = await receiver();
    const sink = createSlackSink({ name: 'slack', url: r.url });
    for (const pad of ['', 'x']) await sink.deliver(emojiPayload(pad), ctx);
    for (const req of r.requests) {
      const message = JSON.parse(req.body.toString()) as { text: string; blocks: SlackBlock[] };
      const [header, section] = message.blocks;
      const headerText = header?.type === 'header' ? header.text.text : '';
      const sectionText = section?.type === 'section' ? section.text.text : '';
      expect(headerText.length).toBeLessThanOrEqual(150);
      expect(sectionText.length).toBeLessThanOrEqual(3000);
      expect(sectionText.length).toBeGreaterThan(2990);
      for (const text of [headerText, sectionText, message.text]) expect(text).not.toMatch(loneSurrogate);
    }
  });
});

describe('pagerduty sink', () => {
  test('adds a note to the PagerDuty incident behind a pd- incident id, with the REST headers', async () => {
    const r = await receiver((_q, res) => {
      res.statusCode = 201;
      res.end('{"note":{"id":"PWL7QXS"}}');
    });
    const sink = createPagerDutySink({
      name: 'pd',
      token: 'u+abc123token',
      from: 'oncall@example.com',
      apiUrl: r.url,
    });
    await expect(sink.deliver({ ...payload, incident: 'pd-Q2K8ZG3W1' }, ctx)).resolves.toEqual({
      kind: 'delivered',
      status: 201,
    });
    const [req] = r.requests;
    expect(req?.method).toBe('POST');
    expect(req?.url).toBe('/incidents/Q2K8ZG3W1/notes');
    expect(req?.headers.authorization).toBe('Token token=u+abc123token');
    expect(req?.headers.from).toBe('oncall@example.com');
    expect(req?.headers.accept).toBe('application/vnd.pagerduty+json;version=2');
    const body = JSON.parse(req?.body.toString() ?? '') as { note: { content: string } };
    expect(Object.keys(body)).toEqual(['note']);
    expect(body.note.content.split('\n').slice(0, 4)).toEqual([
      'upcause: Likely upstream cause: 100ms (91%)',
      'Incident pd-Q2K8ZG3W1 · annotation v2 · verdict since 2024-04-04T20:58:00.000Z',
      '',
      '1. 100ms, vendor incident ww76zjqsj6j9, confidence 91%',
    ]);
    expect(body.note.content).toContain("   - 100ms 'Recording failures in EU' posted 20:58 UTC");
  });

  test('an incident that did not come from PagerDuty is skipped with a reason and nothing is sent', async () => {
    const r = await receiver();
    const sink = createPagerDutySink({ name: 'pd', token: 't', from: 'oncall@example.com', apiUrl: r.url });
    for (const incident of ['INC-4211', 'og-abc', 'PD-Q2K8']) {
      const result = await sink.deliver({ ...payload, incident }, ctx);
      expect(result).toMatchObject({
        kind: 'skipped',
        reason: expect.stringContaining('did not come from PagerDuty'),
      });
    }
    expect(r.requests).toHaveLength(0);
  });
});

describe('opsgenie sink', () => {
  test('adds a note to the Opsgenie alert behind an og- incident id, by id, with the GenieKey header', async () => {
    const r = await receiver((_q, res) => {
      res.statusCode = 202;
      res.end('{"result":"Request will be processed","requestId":"r1"}');
    });
    const sink = createOpsgenieSink({
      name: 'og',
      apiKey: 'eb243592-faa2-4ba2-a551q-1afdf565c889',
      apiUrl: r.url,
    });
    const alertId = '70413a06-38d6-4c85-92b8-5ebc900d42e2-1745689742269';
    await expect(sink.deliver({ ...payload, incident: `og-${alertId}` }, ctx)).resolves.toEqual({
      kind: 'delivered',
      status: 202,
    });
    const [req] = r.requests;
    expect(req?.url).toBe(`/v2/alerts/${alertId}/notes?identifierType=id`);
    expect(req?.headers.authorization).toBe('GenieKey eb243592-faa2-4ba2-a551q-1afdf565c889');
    const body = JSON.parse(req?.body.toString() ?? '') as { note: string; user: string; source: string };
    expect(body.note.startsWith('upcause: Likely upstream cause: 100ms (91%)\n')).toBe(true);
    expect(body).toMatchObject({ user: 'upcause', source: 'upcause' });
  });

  test('an incident without an og- alert id is skipped and nothing is sent', async () => {
    const r = await receiver();
    const sink = createOpsgenieSink({ name: 'og', apiKey: 'k', apiUrl: r.url });
    await expect(sink.deliver({ ...payload, incident: 'pd-Q2K8' }, ctx)).resolves.toMatchObject({
      kind: 'skipped',
    });
    expect(r.requests).toHaveLength(0);
  });

  test('an alert id that would not stay one path segment is refused for good, with the reason, and nothing is sent', async () => {
    const r = await receiver();
    const sink = createOpsgenieSink({ name: 'og', apiKey: 'k', apiUrl: r.url });
    const cases: Array<[string, RegExp]> = [
      ['og-', /is empty/],
      ['og-.', /is "\." or "\.\."/],
      ['og-..', /is "\." or "\.\."/],
      ['og-a/../../x', /contains \/, \\, \? or #/],
      ['og-..\\..\\x', /contains \/, \\, \? or #/],
      ['og-a?identifierType=alias', /contains \/, \\, \? or #/],
      ['og-a#b', /contains \/, \\, \? or #/],
      ['og-a\nb', /contains a control character/],
      ['og-a\u007fb', /contains a control character/],
      ['og-a\ud83d', /lone surrogate/],
    ];
    for (const [incident, reason] of cases) {
      const error = await sink.deliver({ ...payload, incident }, ctx).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error, incident).toBeInstanceOf(SinkError);
      expect(error, incident).toMatchObject({ kind: 'refused', permanent: true });
      expect((error as Error).message, incident).toMatch(reason);
      expect((error as Error).message, incident).toContain(
        `opsgenie sink og: incident ${JSON.stringify(incident)}`,
      );
    }
    expect(r.requests).toHaveLength(0);
  });

  test('an id with characters outside the path alphabet is sent percent-encoded, as one segment', async () => {
    const r = await receiver();
    const sink = createOpsgenieSink({ name: 'og', apiKey: 'k', apiUrl: r.url });
    await sink.deliver({ ...payload, incident: 'og-a b%2F..😀' }, ctx);
    expect(r.requests.map((q) => q.url)).toEqual([
      '/v2/alerts/a%20b%252F..%F0%9F%98%80/notes?identifierType=id',
    ]);
  });
});

describe('PagerDuty incident ids in paths', () => {
  test('a pd- id that would leave its path segment is refused without a request', async () => {
    const r = await receiver();
    const sink = createPagerDutySink({ name: 'pd', token: 't', from: 'oncall@example.com', apiUrl: r.url });
    for (const incident of ['pd-../../users', 'pd-', 'pd-..', 'pd-P1/notes']) {
      await expect(sink.deliver({ ...payload, incident }, ctx), incident).rejects.toMatchObject({
        name: 'SinkError',
        kind: 'refused',
        permanent: true,
        message: expect.stringContaining(`pagerduty sink pd: incident ${JSON.stringify(incident)}`),
      });
    }
    expect(r.requests).toHaveLength(0);
  });
});

describe('sink HTTP failures', () => {
  async function failure(respond: (req: Received, res: ServerResponse) => void, timeoutMs = 2000) {
    const r = await receiver(respond);
    const sink = createWebhookSink({ name: 'hook', url: r.url, secret }, { timeoutMs });
    const error = await sink.deliver(payload, ctx).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SinkError);
    return { error: error as SinkError, requests: r.requests };
  }
  const status =
    (code: number, headers: Record<string, string> = {}, body = '') =>
    (_q: Received, res: ServerResponse) => {
      res.writeHead(code, headers);
      res.end(body);
    };

  test('a 5xx is a retryable http failure whose message carries the status and the start of the body', async () => {
    const { error } = await failure(status(503, {}, 'upstream   busy\n try later'));
    expect(error).toMatchObject({ kind: 'http', status: 503, permanent: false });
    expect(error.message).toBe('webhook sink hook answered HTTP 503: upstream busy try later');
  });

  test('a 4xx is permanent, except 408 and 429', async () => {
    for (const code of [400, 401, 403, 404, 410, 422]) {
      expect((await failure(status(code))).error.permanent).toBe(true);
    }
    expect((await failure(status(408))).error.permanent).toBe(false);
    const limited = await failure(status(429, { 'Retry-After': '7' }));
    expect(limited.error).toMatchObject({ permanent: false, retryAfterMs: 7000 });
  });

  test('a 410 Gone says the sink is gone for good; other 4xx do not', async () => {
    expect((await failure(status(410))).error.disableReason).toBe(
      'the receiver answered 410 Gone: the endpoint no longer takes deliveries',
    );
    for (const code of [400, 404, 500])
      expect((await failure(status(code))).error.disableReason).toBeUndefined();
  });

  test("Slack's answers for an archived channel or a removed webhook say the sink is gone; others do not", async () => {
    const slackFailure = async (code: number, body: string) => {
      const r = await receiver(status(code, { 'Content-Type': 'text/html' }, body));
      const sink = createSlackSink({ name: 'slack', url: `${r.url}/services/T0/B0/X` });
      return (await sink.deliver(payload, ctx).then(
        () => null,
        (e: unknown) => e,
      )) as SinkError;
    };
    expect((await slackFailure(410, 'channel_is_archived')).disableReason).toBe(
      "Slack answered 410 channel_is_archived: the webhook's channel was archived",
    );
    expect((await slackFailure(404, 'no_service')).disableReason).toBe(
      'Slack answered 404 no_service: the incoming webhook was disabled or removed',
    );
    for (const [code, body] of [
      [404, 'channel_not_found'],
      [400, 'invalid_payload'],
      [403, 'action_prohibited'],
      [500, 'rollup_error'],
    ] as const) {
      const error = await slackFailure(code, body);
      expect(error, body).toBeInstanceOf(SinkError);
      expect(error.disableReason, body).toBeUndefined();
    }
  });

  test('a redirect is not followed and fails the delivery for good', async () => {
    const target = await receiver();
    const { error } = await failure(status(302, { Location: `${target.url}/elsewhere` }));
    expect(error).toMatchObject({ kind: 'http', status: 302, permanent: true });
    expect(target.requests).toHaveLength(0);
  });

  test('a receiver that never answers is a timeout within the deadline', async () => {
    const started = Date.now();
    const { error } = await failure(() => undefined, 300);
    expect(error).toMatchObject({ kind: 'timeout', permanent: false });
    // A deadline test keeps a wide margin: without the deadline the request would hang until the test timeout.
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  test('a refused connection is a retryable network failure', async () => {
    const r = await receiver();
    await r.close();
    const sink = createWebhookSink({ name: 'hook', url: r.url, secret });
    const error = await sink.deliver(payload, ctx).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SinkError);
    expect(error).toMatchObject({ kind: 'network', permanent: false });
    expect((error as Error).message).toContain('ECONNREFUSED');
  });

  test('a failure never carries the request (URL, Authorization) in its cause, so logging it leaks no secret', async () => {
    const r = await receiver();
    await r.close();
    const sink = createPagerDutySink({
      name: 'pd',
      token: 'SECRET-TOKEN-123',
      from: 'a@example.com',
      apiUrl: r.url,
    });
    const error = await sink.deliver({ ...payload, incident: 'pd-P1' }, ctx).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SinkError);
    const seen = JSON.stringify(error, Object.getOwnPropertyNames(error)) + String((error as Error).cause);
    expect(seen).not.toContain('SECRET-TOKEN-123');
    expect(Object.keys((error as Error).cause as object)).toEqual([]);
  });

  test('a 2xx with a huge body is accepted without reading the body', async () => {
    const r = await receiver((_q, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      const chunk = Buffer.alloc(1024 * 1024, 'x');
      // Up to 64 MiB, stopping as soon as the client goes away.
      let sent = 0;
      const pump = () => {
        while (sent < 64 && res.write(chunk)) sent++;
        if (sent < 64 && !res.destroyed) res.once('drain', pump);
        else res.end();
      };
      pump();
    });
    const sink = createWebhookSink({ name: 'hook', url: r.url, secret });
    await expect(sink.deliver(payload, ctx)).resolves.toEqual({ kind: 'delivered', status: 200 });
  });
});
