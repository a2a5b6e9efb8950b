import type { Readable } from 'node:stream';
import axios, { isAxiosError, type AxiosResponse } from 'axios';
import { z } from 'zod';
import { alertPayloadSchema } from '../../core/alerts/types.js';
import { candidateSchema, type Annotation, type Verdict } from '../../core/correlate/types.js';
import { digestSchema } from '../../core/digest/types.js';
import { clipText } from '../../core/clip.js';

/*
 * The sink contract (what a delivery hands a sink and what it gets back), the one error type sinks
 * throw, and the small HTTP helper every sink posts through. Sinks do not use src/http/client.ts: that edge is
 * for vendor pages (SSRF filter, validators); sinks get the same hygiene here instead: a deadline,
 * no redirects, a capped response read, and paths that can never replace the configured host. There is
 * no private-address filter: sink URLs are the operator's own choice, and an internal receiver is a
 * normal target.
 */

/** One version of one incident's annotation (also the generic webhook's body). */
export const annotationPayloadSchema = z.strictObject({
  type: z.literal('annotation'),
  incident: z.string().min(1, 'incident must not be empty'),
  version: z.number().int().min(1, 'version must be ≥ 1'),
  verdict: z.enum(['upstream', 'unclear', 'internal']),
  annotatedAt: z.string().min(1, 'annotatedAt must not be empty'),
  candidates: z.array(candidateSchema),
  notes: z.array(z.string()),
});
export type AnnotationPayload = z.infer<typeof annotationPayloadSchema>;

/**
 * What a sink delivers: an annotation version, an alert (src/core/alerts/types.ts) or a digest
 * (src/core/digest/types.ts). The webhook sink posts it as it is.
 */
export const deliveryPayloadSchema = z.discriminatedUnion('type', [
  annotationPayloadSchema,
  alertPayloadSchema,
  digestSchema,
]);
export type DeliveryPayload = z.infer<typeof deliveryPayloadSchema>;

/** The payload of annotation `version` of `annotation.id`. */
export function deliveryPayload(annotation: Annotation, version: number): AnnotationPayload {
  return {
    type: 'annotation',
    incident: annotation.id,
    version,
    verdict: annotation.verdict,
    annotatedAt: annotation.annotatedAt,
    candidates: annotation.candidates,
    notes: annotation.notes ?? [],
  };
}

/** Per-attempt facts a sink needs. */
export interface SinkContext {
  /** The delivery key: the same for every attempt of one (incident, version, sink). */
  deliveryKey: string;
  /** Time of this attempt (signature timestamps). */
  now: Date;
}

/** A sink accepted the delivery, or it does not apply to this incident (nothing was sent). */
export type SinkResult = { kind: 'delivered'; status: number } | { kind: 'skipped'; reason: string };

/** One configured destination of annotations. */
export interface Sink {
  readonly name: string;
  readonly type: 'webhook' | 'slack' | 'pagerduty' | 'opsgenie';
  /** Deadline of one request; the worker's in-flight claim outlives it. */
  readonly timeoutMs: number;
  /** Sends once. Throws SinkError on anything but a 2xx. */
  deliver(payload: DeliveryPayload, ctx: SinkContext): Promise<SinkResult>;
}

/**
 * `refused`: the request was never sent, because this payload cannot make a valid one (an id that
 * would not stay one path segment); the sink itself is fine.
 */
export type SinkErrorKind = 'http' | 'network' | 'timeout' | 'refused';

/** Why one delivery attempt failed; `permanent` steers BullMQ (no retry) and the log. */
export class SinkError extends Error {
  override readonly name = 'SinkError';
  readonly kind: SinkErrorKind;
  readonly status: number | undefined;
  /** From a Retry-After header on 429/503, when the receiver sent one. */
  readonly retryAfterMs: number | undefined;
  /**
   * Set when the receiver said the destination is gone for good (a webhook's 410, an archived Slack
   * channel): the worker disables the sink at once, with this as the reason.
   */
  readonly disableReason: string | undefined;

  constructor(
    kind: SinkErrorKind,
    message: string,
    options: { status?: number; retryAfterMs?: number; disableReason?: string; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.kind = kind;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
    this.disableReason = options.disableReason;
  }

  /**
   * A 4xx (except 408 and 429) says the request itself is wrong (bad token, unknown incident, archived
   * channel): resending the same request cannot succeed. A 3xx is a misconfigured URL, as redirects are
   * never followed. A refused payload never can be sent. Timeouts, network errors and 5xx may pass.
   */
  get permanent(): boolean {
    if (this.kind === 'refused') return true;
    if (this.kind !== 'http' || this.status === undefined) return false;
    if (this.status >= 300 && this.status < 400) return true;
    return this.status >= 400 && this.status < 500 && this.status !== 408 && this.status !== 429;
  }
}

/** Limits of every sink request. */
export interface SinkHttpOptions {
  /** Deadline for connect, headers and the (capped) body read. Default 10 s. */
  timeoutMs?: number;
  /** Bytes of a response body read for the error message; the rest is discarded. Default 4 KiB. */
  maxResponseBytes?: number;
  userAgent?: string;
}

export const sinkDefaults = {
  timeoutMs: 10_000,
  maxResponseBytes: 4096,
  userAgent: 'upcause/0.1 (annotation delivery)',
} as const;

/** One POST of a JSON body. `path` is '' or an already-encoded relative path ("/incidents/P1/notes"). */
export interface SinkRequest {
  baseUrl: string;
  path: string;
  /** The exact bytes to send (webhook signatures cover them). */
  body: string;
  headers: Record<string, string>;
  /** For messages: "webhook ops-hook", never the URL (a Slack URL is a credential). */
  what: string;
  /**
   * Whether a failed answer says the destination is gone for good: the reason to disable the sink
   * with, or null. Sees the status and the start of the body.
   */
  goneReason?: (status: number, body: string) => string | null;
}

/** POSTs through axios with the sink hygiene; resolves on 2xx, throws SinkError otherwise. */
export async function postJson(options: SinkHttpOptions, req: SinkRequest): Promise<{ status: number }> {
  if (req.path !== '' && !/^\/(?!\/)[\x21-\x7e]*$/.test(req.path)) {
    throw new TypeError(`${req.what}: path ${JSON.stringify(req.path)} is not a plain relative path`);
  }
  const timeoutMs = options.timeoutMs ?? sinkDefaults.timeoutMs;
  const cap = options.maxResponseBytes ?? sinkDefaults.maxResponseBytes;
  const signal = AbortSignal.timeout(timeoutMs);
  let res: AxiosResponse<Readable>;
  try {
    res = await axios.request<Readable>({
      method: 'POST',
      baseURL: req.baseUrl,
      url: req.path,
      // The path never replaces the configured host, whatever an incident id contains.
      allowAbsoluteUrls: false,
      data: req.body,
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': options.userAgent ?? sinkDefaults.userAgent,
        ...req.headers,
      },
      maxRedirects: 0,
      proxy: false,
      timeout: timeoutMs,
      signal,
      // A stream, so a 2xx with a huge body is still a 2xx (we stop reading), not an axios error.
      responseType: 'stream',
      decompress: true,
      validateStatus: () => true,
      transitional: { clarifyTimeoutError: true },
    });
  } catch (error) {
    throw toSinkError(error, req.what, timeoutMs, signal);
  }
  const { status } = res;
  if (status >= 200 && status < 300) {
    res.data.destroy();
    return { status };
  }
  const text = await readCapped(res.data, cap, signal);
  const retryAfterMs =
    status === 429 || status === 503 ? parseRetryAfter(res.headers['retry-after']) : undefined;
  const snippet = clipText(text.replace(/\s+/g, ' ').trim(), 200, '');
  const disableReason = req.goneReason?.(status, snippet) ?? null;
  throw new SinkError('http', `${req.what} answered HTTP ${status}${snippet ? `: ${snippet}` : ''}`, {
    status,
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    ...(disableReason !== null ? { disableReason } : {}),
  });
}

function toSinkError(error: unknown, what: string, timeoutMs: number, signal: AbortSignal): SinkError {
  // The cause keeps only code and message: an AxiosError carries the request config, i.e. the
  // Authorization header and the URL (a Slack URL is itself a credential), and must not reach a log.
  const code = isAxiosError(error) ? (error.code ?? '') : '';
  const message = error instanceof Error ? error.message : String(error);
  const cause = new Error(code ? `${code}: ${message}` : message);
  if (signal.aborted || code === 'ETIMEDOUT' || code === 'ECONNABORTED') {
    return new SinkError('timeout', `${what}: no answer within ${timeoutMs} ms`, { cause });
  }
  return new SinkError('network', `${what}: ${code || 'request failed'}: ${message}`, { cause });
}

/** Reads at most `cap` bytes of an error body, then drops the connection's remainder. */
async function readCapped(stream: Readable, cap: number, signal: AbortSignal): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream) {
      if (signal.aborted) break;
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
      chunks.push(buffer);
      size += buffer.length;
      if (size >= cap) break;
    }
  } catch {
    // The status already says what failed; a broken error body only shortens the message.
  } finally {
    stream.destroy();
  }
  return Buffer.concat(chunks).subarray(0, cap).toString('utf8');
}

/** Retry-After as seconds or an HTTP date, in ms; undefined when absent or unreadable. */
export function parseRetryAfter(value: unknown, now = Date.now()): number | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

// ─── shared wording ─────────────────────────────────────────────────────────────────────────

const percent = (confidence: number) => `${Math.round(confidence * 100)}%`;

/** One line saying what the annotation concludes, for headers and notes. */
export function headline(payload: Pick<AnnotationPayload, 'verdict' | 'candidates'>): string {
  const top = payload.candidates[0];
  const verdicts: Record<Verdict, string> = {
    upstream: top
      ? `Likely upstream cause: ${top.vendor} (${percent(top.confidence)})`
      : 'Likely upstream cause',
    unclear: top
      ? `Unclear: ${top.vendor} possible (${percent(top.confidence)}), not established`
      : 'Unclear: no upstream cause established',
    internal: 'No upstream evidence: likely internal',
  };
  return verdicts[payload.verdict];
}

/** Where a candidate points: the vendor incident or the suspected issue. */
export function candidateRef(candidate: AnnotationPayload['candidates'][number]): string {
  if (candidate.vendorIncidentId) return `vendor incident ${candidate.vendorIncidentId}`;
  if (candidate.suspectedIssueId) return `suspected from our errors (${candidate.suspectedIssueId})`;
  return 'no vendor incident';
}

/** Candidates shown in messages; the rest are counted. */
export const shownCandidates = 3;

/**
 * The annotation as plain text (PagerDuty and Opsgenie notes), cut to `max` UTF-16 units so the API
 * never rejects it for length, and never inside a character.
 */
export function annotationText(payload: AnnotationPayload, max: number): string {
  const lines = [
    `upcause: ${headline(payload)}`,
    `Incident ${payload.incident} · annotation v${payload.version} · verdict since ${payload.annotatedAt}`,
  ];
  payload.candidates.slice(0, shownCandidates).forEach((c, i) => {
    lines.push('', `${i + 1}. ${c.vendor}, ${candidateRef(c)}, confidence ${percent(c.confidence)}`);
    for (const e of c.evidence) lines.push(`   - ${e}`);
  });
  const more = payload.candidates.length - shownCandidates;
  if (more > 0) lines.push('', `(${more} more candidate${more === 1 ? '' : 's'})`);
  if (payload.notes.length > 0) lines.push('', 'Notes:', ...payload.notes.map((n) => ` - ${n}`));
  const text = lines.join('\n');
  return clipText(text, max, '\n…(truncated)');
}
