import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { eventTimeSchema, type ChangeEvent, type InternalIncident } from '../../core/contracts.js';
import { clipText } from '../../core/clip.js';

// Shared pieces of the inbound webhook adapters (pure: no I/O), and the documented generic mapping:
//
//   POST /v1/webhooks/generic   (Authorization: Bearer <token with the ingest scope>)
//   { "id": "INC-4211", "service": "backstage", "title": "Go Live button resets",
//     "status": "triggered" | "resolved", "at": "2024-04-04T20:50:00Z",
//     "startedAt"?: "…", "regions"?: ["eu"], "customers"?: ["acme"] }
//
// `triggered` opens (or reopens) the incident at `at`; `resolved` resolves it at `at`.

/** What an incident webhook asks of the store. */
export type IncidentAction =
  /** Open or update; `at` is when the sender says this happened (older news never reopens). */
  | { kind: 'open'; at: string; incident: InternalIncident }
  /** Resolve `id`; `fallback` is stored when the incident was never seen open. */
  | { kind: 'resolve'; at: string; id: string; fallback: InternalIncident | null }
  | { kind: 'ignore'; reason: string }
  | { kind: 'invalid'; reason: string };

/** What a change webhook (GitHub deployments) asks of the store. */
export type ChangeAction =
  | { kind: 'change'; change: ChangeEvent }
  | { kind: 'ignore'; reason: string }
  | { kind: 'invalid'; reason: string };

/** The outcome of applying an incident action to what is stored. */
export type IncidentPlan = { write: InternalIncident } | { ignore: string };

const MAX_TEXT = 512;

/**
 * Trims and cuts a sender's text to what our contracts accept (senders are not ours to reject), never
 * inside a character: these texts reach the sinks' messages.
 */
export function clip(value: string, max = MAX_TEXT): string {
  return clipText(value.trim(), max, '');
}

function pathOf(prefix: string, path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>(
    (acc, segment) => (typeof segment === 'number' ? `${acc}[${segment}]` : `${acc}.${String(segment)}`),
    prefix,
  );
}

function valueAt(input: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let current = input;
  for (const segment of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return current;
}

const timeFields = new Set(['at', 'startedAt', 'resolvedAt', 'from', 'to']);

/**
 * zod issues as one line naming each field: `events[3].at: expected an ISO-8601 timestamp or epoch
 * milliseconds`. `input` is what was validated, so a missing field reads "is required".
 */
export function describeIssues(
  issues: ReadonlyArray<z.core.$ZodIssue>,
  input: unknown,
  prefix: string,
): string {
  const parts = issues.slice(0, 3).map((issue) => {
    const where = issue.path.length === 0 && prefix === '' ? 'body' : pathOf(prefix, issue.path);
    const last = issue.path[issue.path.length - 1];
    const missing = issue.path.length > 0 && valueAt(input, issue.path) === undefined;
    let message = issue.message;
    if (missing && (issue.code === 'invalid_type' || issue.code === 'invalid_union')) message = 'is required';
    else if (issue.code === 'invalid_union' && typeof last === 'string' && timeFields.has(last))
      message = 'expected an ISO-8601 timestamp or epoch milliseconds';
    return `${where.replace(/^\./, '')}: ${message}`;
  });
  if (issues.length > 3) parts.push(`and ${issues.length - 3} more`);
  return parts.join('; ');
}

/**
 * Maps a sender's service label to one of ours: exact (case-insensitive), then slug-equal, then a
 * configured name appearing as a whole word in the label ("Backstage (prod)" → backstage; the longest
 * wins). A label matching nothing is kept as the sender wrote it, so nothing is lost.
 */
export function resolveService(
  candidates: ReadonlyArray<string | undefined>,
  known: ReadonlyArray<string>,
): string | null {
  const labels = candidates.map((c) => (typeof c === 'string' ? c.trim() : '')).filter((c) => c.length > 0);
  const slug = (s: string) =>
    s
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '');
  for (const label of labels) {
    const exact = known.find((k) => k.toLowerCase() === label.toLowerCase() || slug(k) === slug(label));
    if (exact) return exact;
  }
  for (const label of labels) {
    const words = `-${slug(label)}-`;
    const inside = known
      .filter((k) => slug(k).length > 0 && words.includes(`-${slug(k)}-`))
      .sort((a, b) => b.length - a.length)[0];
    if (inside) return inside;
  }
  return labels[0] ? clip(labels[0]) : null;
}

/**
 * Whether any of `presentedHex` is the HMAC-SHA256 of the raw body under `secret`. Constant time per
 * candidate (`timingSafeEqual` after a length check); malformed candidates simply do not match.
 */
export function hmacSha256HexMatches(
  rawBody: Buffer,
  secret: string,
  presentedHex: ReadonlyArray<string>,
): boolean {
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  let matched = false;
  for (const candidate of presentedHex) {
    if (!/^[0-9a-fA-F]{64}$/.test(candidate)) continue;
    const presented = Buffer.from(candidate, 'hex');
    if (presented.length === expected.length && timingSafeEqual(presented, expected)) matched = true;
  }
  return matched;
}

function union(a: ReadonlyArray<string>, b: ReadonlyArray<string>): string[] {
  return [...new Set([...a, ...b])];
}

/**
 * Applies a webhook's action to the stored incident: opens or updates it (never reopening it with news
 * older than its resolution, as senders retry and deliver out of order), or resolves it.
 */
export function planIncident(before: InternalIncident | null, action: IncidentAction): IncidentPlan {
  if (action.kind === 'ignore' || action.kind === 'invalid') return { ignore: action.reason };
  if (action.kind === 'open') {
    const incoming = action.incident;
    if (!before) return { write: incoming };
    if (before.resolvedAt !== null && Date.parse(action.at) <= Date.parse(before.resolvedAt)) {
      return {
        ignore: `stale: incident ${before.id} was resolved at ${before.resolvedAt}, after this event`,
      };
    }
    return {
      write: {
        ...before,
        title: incoming.title || before.title,
        startedAt:
          Date.parse(incoming.startedAt) < Date.parse(before.startedAt)
            ? incoming.startedAt
            : before.startedAt,
        resolvedAt: null,
        regions: union(before.regions, incoming.regions),
        customers: union(before.customers, incoming.customers),
      },
    };
  }
  const stored = before ?? action.fallback;
  if (!stored) return { ignore: `resolve for unknown incident ${action.id}` };
  if (before?.resolvedAt) return { write: before };
  // A resolution stamped before the start (clock skew between senders) is clamped to the start.
  const resolvedAt = Date.parse(action.at) < Date.parse(stored.startedAt) ? stored.startedAt : action.at;
  return { write: { ...stored, resolvedAt } };
}

const textList = z.array(z.string().min(1).max(MAX_TEXT)).max(50);

/** The generic incident webhook body (documented above). */
export const genericIncidentWebhookSchema = z.strictObject({
  id: z.string().min(1).max(MAX_TEXT),
  service: z.string().min(1).max(MAX_TEXT),
  title: z.string().max(2000).default(''),
  status: z.enum(['triggered', 'resolved']),
  at: eventTimeSchema,
  startedAt: eventTimeSchema.optional(),
  regions: textList.default([]),
  customers: z.array(z.string().min(1).max(MAX_TEXT)).max(1000).default([]),
});

/** Maps a generic incident webhook body to an action. */
export function mapGenericWebhook(body: unknown): IncidentAction {
  const parsed = genericIncidentWebhookSchema.safeParse(body);
  if (!parsed.success) return { kind: 'invalid', reason: describeIssues(parsed.error.issues, body, '') };
  const { id, service, title, status, at, startedAt, regions, customers } = parsed.data;
  const incident: InternalIncident = {
    id,
    service,
    title,
    startedAt: startedAt ?? at,
    resolvedAt: null,
    regions,
    customers,
  };
  return status === 'triggered'
    ? { kind: 'open', at, incident }
    : { kind: 'resolve', at, id, fallback: incident };
}
