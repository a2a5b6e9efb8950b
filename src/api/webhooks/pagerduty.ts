import { z } from 'zod';
import { eventTimeSchema, type InternalIncident } from '../../core/contracts.js';
import {
  clip,
  describeIssues,
  hmacSha256HexMatches,
  resolveService,
  type IncidentAction,
} from './generic.js';

// PagerDuty v3 webhooks (developer.pagerduty.com, "Webhooks Overview" and "Verifying Signatures"):
// one event per request, `{ event: { id, event_type, resource_type, occurred_at, agent, client, data } }`,
// signed with `X-PagerDuty-Signature: v1=<hex HMAC-SHA256 of the raw body>[,v1=<…>]` (several while a
// secret rotates).
//
// Mapping: incident id `pd-<data.id>`; service from `data.service.summary` (matched to a configured
// service by `resolveService`); title `data.title`; started at `data.created_at`. Every `incident.*`
// event whose data is the incident (triggered, acknowledged, unacknowledged, reopened, escalated,
// priority_updated, …) opens or updates it, unless its status is `resolved`, which resolves it at
// `occurred_at`. Notes, responders, status updates and service events are ignored.

/** The `X-PagerDuty-Signature` check over the raw body bytes. */
export function verifyPagerDutySignature(
  rawBody: Buffer,
  header: string | undefined,
  secret: string,
): boolean {
  if (!header) return false;
  const candidates = header
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.startsWith('v1='))
    .map((part) => part.slice(3));
  return hmacSha256HexMatches(rawBody, secret, candidates);
}

const referenceSchema = z.object({ summary: z.string().optional(), name: z.string().optional() });

export const pagerdutyWebhookSchema = z.object({
  event: z.object({
    id: z.string().min(1),
    event_type: z.string().min(1),
    resource_type: z.string().optional(),
    occurred_at: eventTimeSchema,
    data: z.record(z.string(), z.unknown()),
  }),
});

export const pagerdutyIncidentSchema = z.object({
  id: z.string().min(1),
  type: z.literal('incident'),
  status: z.string().optional(),
  title: z.string().optional(),
  created_at: eventTimeSchema.optional(),
  service: referenceSchema.nullish(),
});

/** Maps one PagerDuty v3 webhook body to an incident action; `services` are our configured names. */
export function mapPagerDutyWebhook(body: unknown, services: ReadonlyArray<string>): IncidentAction {
  const parsed = pagerdutyWebhookSchema.safeParse(body);
  if (!parsed.success) return { kind: 'invalid', reason: describeIssues(parsed.error.issues, body, '') };
  const { event_type: type, occurred_at: at, data } = parsed.data.event;
  if (!type.startsWith('incident.') || data.type !== 'incident') {
    return { kind: 'ignore', reason: `PagerDuty event ${type} does not change an incident's state` };
  }
  const incidentData = pagerdutyIncidentSchema.safeParse(data);
  if (!incidentData.success) {
    return { kind: 'invalid', reason: describeIssues(incidentData.error.issues, data, 'event.data') };
  }
  const { id, status, title, created_at: createdAt, service } = incidentData.data;
  const serviceName = resolveService([service?.summary, service?.name], services);
  const incidentId = clip(`pd-${id}`);
  const incident: InternalIncident | null = serviceName
    ? {
        id: incidentId,
        service: serviceName,
        title: clip(title ?? '', 2000),
        startedAt: createdAt ?? at,
        resolvedAt: null,
        regions: [],
        customers: [],
      }
    : null;
  if (status === 'resolved' || type === 'incident.resolved') {
    return { kind: 'resolve', at, id: incidentId, fallback: incident };
  }
  if (!incident)
    return { kind: 'invalid', reason: 'event.data.service: no service summary to map to one of ours' };
  return { kind: 'open', at, incident };
}
