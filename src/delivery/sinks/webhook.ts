import { createHmac } from 'node:crypto';
import {
  postJson,
  sinkDefaults,
  type DeliveryPayload,
  type Sink,
  type SinkContext,
  type SinkHttpOptions,
} from './types.js';
import { secretList, webhookSecretKey } from './webhook-secret.js';

/** The webhook entry of the `sinks` config. */
export interface WebhookSinkConfig {
  name: string;
  url: string;
  /** One Standard Webhooks secret, or several while rotating (each signs every delivery). */
  secret: string | ReadonlyArray<string>;
}

/** The HMAC key a secret stands for; throws when it is not a Standard Webhooks secret (the config refuses those first). */
export function webhookKey(secret: string): Buffer {
  const parsed = webhookSecretKey(secret);
  if (!parsed.ok) throw new TypeError(`webhook secret: ${parsed.reason}`);
  return parsed.key;
}

/** The `webhook-signature` header value for one attempt: `v1,<base64 HMAC>` per key, space-separated. */
export function signWebhook(
  keys: ReadonlyArray<Buffer>,
  id: string,
  timestampSeconds: number,
  body: string,
): string {
  return keys
    .map(
      (key) => `v1,${createHmac('sha256', key).update(`${id}.${timestampSeconds}.${body}`).digest('base64')}`,
    )
    .join(' ');
}

/**
 * Generic webhook sink, signed per Standard Webhooks v1 (https://www.standardwebhooks.com).
 *
 * Each payload is POSTed to `url` as JSON, discriminated by `type`: `annotation` (one version of an
 * incident's annotation), `alert` (src/core/alerts/types.ts: `suspected`, `vendor-incident`,
 * `vendor-unreadable`, each `raised`, `update` or `recovered`) or `digest` (src/core/digest/types.ts).
 * A sink receives alerts and the digest only when its `events` name them; annotations by default.
 *
 * ```json
 * { "type": "annotation", "incident": "INC-4211", "version": 2, "verdict": "upstream",
 *   "annotatedAt": "2024-04-04T20:58:00.000Z",
 *   "candidates": [ { "vendor": "100ms", "vendorIncidentId": "ww76zjqsj6j9", "confidence": 0.91,
 *                     "evidence": ["…"] } ],
 *   "notes": [] }
 *
 * { "type": "alert", "event": "vendor-unreadable", "phase": "raised",
 *   "id": "vendor-unreadable|stripe|2024-04-04T19:00:00.000Z|raised", "vendor": "stripe",
 *   "vendorName": "Stripe", "at": "2024-04-04T19:00:00.000Z",
 *   "title": "Stripe status page unreadable for 12 min", "details": ["…"],
 *   "unreadableSince": "2024-04-04T19:00:00.000Z", "reason": "HTTP 500", "minutes": 12, "link": null }
 * ```
 *
 * with three headers:
 *
 * - `webhook-id`: the delivery key, `dlv-<32 hex>`, one per (payload, sink): per (incident, annotation
 *   version), per alert id, per digest period. Every retry of a delivery carries the same id.
 * - `webhook-timestamp`: Unix seconds when this attempt was sent.
 * - `webhook-signature`: `v1,<base64 HMAC-SHA256(key, "{webhook-id}.{webhook-timestamp}.{raw body}")>`,
 *   one per configured secret, space-separated (several while rotating). A secret is Standard
 *   Webhooks' `whsec_<base64>` (or the same base64 without the prefix) and `key` is its decoded bytes
 *   (at least 24), so the `standardwebhooks` libraries verify it unchanged.
 *
 * A receiver must:
 *
 * 1. verify the signature over the raw body bytes (before any JSON parsing), with a constant-time compare;
 * 2. reject a `webhook-timestamp` more than 5 minutes away from its clock (replays);
 * 3. **dedupe on `webhook-id`**: the same delivery can arrive twice. upcause records a delivery as done
 *    only after a 2xx, so a timeout, a dropped connection, or a worker killed between your 2xx and that
 *    record makes it send again, with the same `webhook-id`;
 * 4. answer 2xx within 10 s (queue slow work). 3xx, and 4xx other than 408/429, fail the delivery for
 *    good; anything else (5xx, 408, 429, timeouts, resets) is retried with exponential backoff and
 *    jitter, up to 8 attempts (Retry-After on 429/503 is honoured).
 *
 * After 10 consecutive failed attempts the sink is disabled (an error log says so), and at once when
 * the receiver answers 410 Gone (the endpoint is gone for good); re-enable with
 * `upcause sinks enable <name>` or by deleting the Redis key `{<prefix>}:sink:<name>:disabled`.
 *
 * Verifying in Node (no library):
 *
 * ```ts
 * import { createHmac, timingSafeEqual } from 'node:crypto';
 *
 * function verifyUpcause(rawBody: Buffer, headers: Record<string, string | undefined>, secret: string): boolean {
 *   const id = headers['webhook-id'];
 *   const ts = headers['webhook-timestamp'];
 *   const sigs = headers['webhook-signature'];
 *   if (!id || !ts || !sigs || Math.abs(Date.now() / 1000 - Number(ts)) > 300) return false;
 *   const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
 *   const expected = createHmac('sha256', key).update(`${id}.${ts}.`).update(rawBody).digest();
 *   return sigs.split(' ').some((sig) => {
 *     const [version, value] = sig.split(',');
 *     const presented = Buffer.from(value ?? '', 'base64');
 *     return version === 'v1' && presented.length === expected.length && timingSafeEqual(presented, expected);
 *   });
 * }
 * // then: if (await seen(headers['webhook-id'])) return 200; else process, remember the id, return 200.
 * ```
 */
export function createWebhookSink(config: WebhookSinkConfig, http: SinkHttpOptions = {}): Sink {
  const keys = secretList(config.secret).map(webhookKey);
  if (keys.length === 0) throw new TypeError(`webhook sink ${config.name}: no secret configured`);
  return {
    name: config.name,
    type: 'webhook',
    timeoutMs: http.timeoutMs ?? sinkDefaults.timeoutMs,
    async deliver(payload: DeliveryPayload, ctx: SinkContext) {
      const body = JSON.stringify(payload);
      const timestamp = Math.floor(ctx.now.getTime() / 1000);
      const { status } = await postJson(http, {
        baseUrl: config.url,
        path: '',
        body,
        headers: {
          'webhook-id': ctx.deliveryKey,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': signWebhook(keys, ctx.deliveryKey, timestamp, body),
        },
        what: `webhook sink ${config.name}`,
        goneReason: (status) =>
          status === 410 ? 'the receiver answered 410 Gone: the endpoint no longer takes deliveries' : null,
      });
      return { kind: 'delivered', status };
    },
  };
}
