import { z } from 'zod';

// The public shapes of ../DESIGN "Contracts that other tools rely on": users script against them and
// evaluation suites feed them. Extend compatibly; never rename a field.

const MAX_TEXT = 512;
const shortText = (what: string) =>
  z
    .string()
    .min(1, `${what} must not be empty`)
    .max(MAX_TEXT, `${what} is longer than ${MAX_TEXT} characters`);

/** `at` as ISO-8601 (any offset) or epoch milliseconds, normalized to a UTC ISO string. */
export const eventTimeSchema = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const ms = typeof value === 'number' ? value : Date.parse(value);
  if (typeof value === 'string' && !/^\d{4}-\d{2}-\d{2}T/.test(value)) {
    ctx.addIssue({ code: 'custom', message: 'expected an ISO-8601 timestamp or epoch milliseconds' });
    return z.NEVER;
  }
  if (!Number.isFinite(ms) || ms < Date.UTC(2000, 0, 1) || ms > Date.UTC(2100, 0, 1)) {
    ctx.addIssue({ code: 'custom', message: 'expected a time between 2000 and 2100 (ISO-8601 or epoch ms)' });
    return z.NEVER;
  }
  return new Date(ms).toISOString();
});

/** Most calls one event may report; a producer with more in a minute sends several events. */
export const MAX_CALLS = 10_000_000;

/** A pure volume report: calls counted, but no failure described (neither `code` nor `status`). */
export function isVolumeReport(event: { calls?: unknown; code?: unknown; status?: unknown }): boolean {
  return event.calls !== undefined && event.code === undefined && event.status === undefined;
}

/**
 * One internal error event: a failed call our service made, usually to a vendor. With `calls` it also
 * says how many calls were made; with `calls` and neither `code` nor `status` it is a pure volume
 * report, whose `count` (failures) defaults to 0.
 */
export const errorEventSchema = z
  .strictObject({
    at: eventTimeSchema,
    service: shortText('service'),
    vendor: shortText('vendor').optional(),
    region: shortText('region').optional(),
    /** The caller's own error code: ETIMEDOUT, HTTP_503, INVALID_CREDENTIALS, 1026, … */
    code: shortText('code').optional(),
    /** The HTTP status the vendor answered, when there was one. */
    status: z.number().int().min(100).max(599).optional(),
    /** Failures; 0 only in a pure volume report (checked below). Defaults to 1, or 0 in a volume report. */
    count: z.number().int().min(0).max(1_000_000).optional(),
    /** Calls to `vendor` this service made in the event's minute (and region), failures included. */
    calls: z
      .number()
      .int('calls must be a whole number')
      .min(0, 'calls must be 0 or more')
      .max(MAX_CALLS, `calls is more than ${MAX_CALLS}: split it into several events`)
      .optional(),
    customer: shortText('customer').optional(),
    endpoint: shortText('endpoint').optional(),
    /** Producer's idempotency key: the same id within the dedupe window counts once. */
    id: shortText('id').optional(),
  })
  .superRefine((event, ctx) => {
    if (event.calls !== undefined && event.vendor === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['vendor'],
        message: 'vendor is required when calls is given (the vendor those calls went to)',
      });
    if (event.count === 0 && !isVolumeReport(event))
      ctx.addIssue({
        code: 'custom',
        path: ['count'],
        message: 'count must be at least 1 (0 only in a volume report: calls without code or status)',
      });
  })
  .transform((event) => ({ ...event, count: event.count ?? (isVolumeReport(event) ? 0 : 1) }));
export type ErrorEvent = z.infer<typeof errorEventSchema>;
export type ErrorEventInput = z.input<typeof errorEventSchema>;

/** One of our incidents, from our incident tool or the API. */
export const internalIncidentSchema = z.strictObject({
  id: shortText('id'),
  service: shortText('service'),
  title: z.string().max(2000).default(''),
  startedAt: eventTimeSchema,
  resolvedAt: eventTimeSchema.nullable().default(null),
  regions: z.array(shortText('region')).max(50).default([]),
  customers: z.array(shortText('customer')).max(1000).default([]),
});
export type InternalIncident = z.infer<typeof internalIncidentSchema>;

/** A change of ours — the competing explanation: deploys, config changes, feature flags. */
export const changeEventSchema = z.strictObject({
  at: eventTimeSchema,
  service: shortText('service'),
  kind: z.enum(['deploy', 'config', 'flag']),
  ref: shortText('ref').optional(),
  description: z.string().max(2000).optional(),
  id: shortText('id').optional(),
});
export type ChangeEvent = z.infer<typeof changeEventSchema>;

/** How an error says who is at fault: a vendor outage shows as 5xx, timeouts and resets, not as 4xx. */
export type ErrorClass = 'server' | 'timeout' | 'network' | 'rate-limit' | 'client' | 'unknown';

const timeoutCodes =
  /TIMED?_?OUT|TIMEOUT|ETIMEDOUT|ESOCKETTIMEDOUT|ECONNABORTED|DEADLINE|GATEWAY_?TIME_?OUT/i;
// Connection-level failures, certificate checks included (UNABLE_TO_GET_ISSUER_CERT_LOCALLY, CERT_HAS_EXPIRED).
const networkCodes =
  /ECONNRESET|ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|EPIPE|SOCKET_?HANG_?UP|CONNECTION_?(RESET|REFUSED|CLOSED)|TLS|SSL|DNS|CERT(IFICATE)?_|_CERT\b|SELF_?SIGNED|UNABLE_TO_(GET|VERIFY)/i;
const rateLimitCodes = /TOO_?MANY_?REQUESTS|RATE_?LIMIT|THROTTL|RESOURCE_?EXHAUSTED|QUOTA_?EXCEEDED/i;
// Words a caller writes when the other side failed: HTTP reason phrases and gRPC's server-side codes.
const serverCodes =
  /SERVICE_?UNAVAILABLE|BAD_?GATEWAY|INTERNAL_?(SERVER_?)?ERROR|^INTERNAL$|^UNAVAILABLE$|UNAVAILABLE$|OVERLOADED|UPSTREAM_?(ERROR|FAIL)|SERVER_?ERROR|^DATA_?LOSS$|\b5XX\b|_5XX\b/i;
// The caller's plan or data is full: a database refusing writes at its memory limit, storage, series or
// billing quota used up. The vendor enforces what we bought; more of it is our fix ("REDIS_OOM", "ENOSPC").
const capacityCodes =
  /(?:^|[\W_])OOM(?:[\W_]|$)|OUT_?OF_?MEMORY|MAXMEMORY|INSUFFICIENT_?(?:QUOTA|STORAGE|FUNDS|CREDITS?|BALANCE)|(?:STORAGE|DISK|DATABASE|PLAN|SERIES|CARDINALITY|TENANT)_?(?:FULL|LIMIT)|MAX_?(?:ACTIVE_?)?SERIES|ENOSPC|NO_?SPACE_?LEFT|PAYMENT_?REQUIRED|BILLING_?(?:HARD_?)?LIMIT/i;
// The caller's request or identity is wrong: validation, missing things, and refused credentials ("bad
// auth", WRONGPASS, an expired token), which a rotated secret or a revoked key produce.
const clientCodes =
  /INVALID|UNAUTHORI[SZ]ED|UNAUTHENTICATED|NOT_?AUTHORI[SZ]ED|FORBIDDEN|PERMISSION|ACCESS_?DENIED|(?:^|[\W_])(?:AUTH(?:ENTICATION)?_?FAIL|BAD_?AUTH|NO_?AUTH\b|LOGIN_?FAIL)|WRONGPASS|(?:TOKEN|KEY|CREDENTIALS?|SIGNATURE)_?EXPIRED|EXPIRED_?(?:TOKEN|KEY|CREDENTIALS?)|SIGNATURE_?DOES_?NOT_?MATCH|NOT_?FOUND|BAD_?REQUEST|CREDENTIAL|API_?KEY|VALIDATION|MISSING|UNPROCESSABLE|FAILED_?PRECONDITION|ALREADY_?EXISTS|OUT_?OF_?RANGE|\b4XX\b|_4XX\b/i;

// gRPC status numbers (GRPC_14) as the classes their names carry.
const GRPC_CLASS: Record<number, ErrorClass> = {
  2: 'server',
  3: 'client',
  4: 'timeout',
  5: 'client',
  6: 'client',
  7: 'client',
  8: 'rate-limit',
  9: 'client',
  10: 'server',
  11: 'client',
  12: 'client',
  13: 'server',
  14: 'server',
  15: 'server',
  16: 'client',
};

/**
 * SMTP replies: 4xx are transient failures of the receiving side (421 service not available, 450/451/452),
 * 550/551/553 say the recipient is wrong; other 5xx could be either.
 */
function smtpClass(reply: number): ErrorClass {
  if (reply >= 400 && reply < 500) return 'server';
  if (reply === 550 || reply === 551 || reply === 553) return 'client';
  return 'unknown';
}

/** The class a caller's own code carries when no status came with it ("HTTP_503", "S3_503", "UNAVAILABLE"). */
function classOfCode(code: string): ErrorClass {
  const httpCode = /^HTTP[_ -]?(\d{3})$/i.exec(code);
  if (httpCode) return classifyError({ status: Number(httpCode[1]) });
  const smtp = /SMTP\D{0,3}([245]\d{2})\b/i.exec(code);
  if (smtp) return smtpClass(Number(smtp[1]));
  const grpc = /GRPC\D{0,3}(\d{1,2})\b/i.exec(code);
  if (grpc) return GRPC_CLASS[Number(grpc[1])] ?? 'unknown';
  if (capacityCodes.test(code)) return 'client';
  if (timeoutCodes.test(code)) return 'timeout';
  if (networkCodes.test(code)) return 'network';
  if (rateLimitCodes.test(code)) return 'rate-limit';
  if (clientCodes.test(code)) return 'client';
  if (serverCodes.test(code)) return 'server';
  // A status written into a code ("S3_503", "UPSTREAM_502", "503"): three digits standing alone.
  const embedded = /(?:^|[^0-9])([45]\d{2})(?![0-9])/.exec(code);
  if (embedded) return classifyError({ status: Number(embedded[1]) });
  return 'unknown';
}

/** Classifies an event by its HTTP status, else its code. */
export function classifyError(event: Pick<ErrorEvent, 'status' | 'code'>): ErrorClass {
  const { status, code } = event;
  // A limit of our plan answered as 429 or 4xx ("per-user series limit exceeded") is not throttling.
  if (
    code &&
    (status === undefined || (status >= 400 && status < 500) || status === 507) &&
    capacityCodes.test(code)
  )
    return 'client';
  if (status !== undefined) {
    if (status === 429) return 'rate-limit';
    // A CDN saying the origin's certificate is invalid or its TLS handshake failed (525, 526): the origin is ours.
    if (status === 525 || status === 526) return 'client';
    if (status === 408 || status === 504) return 'timeout';
    if (status >= 500) return 'server';
    if (status >= 400) return 'client';
  }
  return code ? classOfCode(code) : 'unknown';
}
