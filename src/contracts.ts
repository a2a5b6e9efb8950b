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

const clientCodes =
  /INVALID|UNAUTHORI[SZ]ED|FORBIDDEN|NOT_?FOUND|BAD_?REQUEST|CREDENTIAL|API_?KEY|PERMISSION|VALIDATION|MISSING|UNPROCESSABLE/i;
const timeoutCodes = /TIMED?_?OUT|TIMEOUT|ETIMEDOUT|ESOCKETTIMEDOUT|DEADLINE/i;
const networkCodes =
  /ECONNRESET|ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|EPIPE|SOCKET_?HANG_?UP|CONNECTION_?(RESET|REFUSED|CLOSED)|TLS|SSL|DNS/i;

/** Classifies an event by its HTTP status, else its code. */
export function classifyError(event: Pick<ErrorEvent, 'status' | 'code'>): ErrorClass {
  const { status, code } = event;
  if (status !== undefined) {
    if (status === 429) return 'rate-limit';
    if (status === 408 || status === 504) return 'timeout';
    if (status >= 500) return 'server';
    if (status >= 400) return 'client';
  }
  if (code) {
    const httpCode = /^HTTP_?(\d{3})$/i.exec(code);
    if (httpCode) return classifyError({ status: Number(httpCode[1]) });
    if (timeoutCodes.test(code)) return 'timeout';
    if (networkCodes.test(code)) return 'network';
    if (clientCodes.test(code)) return 'client';
  }
  return 'unknown';
}
