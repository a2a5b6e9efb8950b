import { z } from 'zod';
import type { InternalIncident } from '../../core/contracts.js';
import { clip, describeIssues, resolveService, type IncidentAction } from './generic.js';

// Opsgenie outgoing webhook integration (docs.opsgenie.com, "Webhook Integration" and "Alert action
// data"): `{ action, alert: { alertId, message, tags, entity, details?, createdAt (epoch ms),
// updatedAt (epoch ns) … }, source, integrationId, integrationName }`. Opsgenie does not sign; the
// route requires webhooks.opsgenieToken as a bearer header (a custom header on the integration) or
// `?token=`.
//
// Mapping: incident id `og-<alertId>`; title `alert.message`; service, first found of:
// `alert.details.service`, a `service:<name>` (or `service=<name>`) tag, a tag naming one of our
// services, `alert.entity`. Regions from `region:<r>` tags or `details.region`; customers from
// `customer:<c>` tags or `details.customer`. `Create`, `Acknowledge`, `UnAcknowledge` open or update;
// `Close` resolves (Opsgenie sends details only with Create, so a Close needs no service when the
// alert was seen open). Other actions are ignored.

const opsgenieAlertSchema = z.object({
  alertId: z.string().min(1),
  message: z.string().optional(),
  tags: z.array(z.string()).optional(),
  entity: z.string().optional(),
  details: z.record(z.string(), z.unknown()).nullish(),
  createdAt: z.number().optional(),
  updatedAt: z.number().optional(),
});

export const opsgenieWebhookSchema = z.object({
  action: z.string().min(1),
  alert: opsgenieAlertSchema,
});

const MIN_MS = Date.UTC(2000, 0, 1);
const MAX_MS = Date.UTC(2100, 0, 1);

/**
 * Opsgenie stamps `createdAt` in ms and `updatedAt` in ns; accept s, ms, µs or ns by magnitude. Null
 * for anything outside 2000–2100 (the caller then uses the time of receipt).
 */
export function opsgenieTime(value: number | undefined): number | null {
  if (value === undefined || !Number.isFinite(value) || value <= 0) return null;
  const ms = value >= 1e17 ? value / 1e6 : value >= 1e14 ? value / 1e3 : value >= 1e11 ? value : value * 1000;
  return ms >= MIN_MS && ms <= MAX_MS ? Math.floor(ms) : null;
}

function tagValues(tags: ReadonlyArray<string>, name: string): string[] {
  const pattern = new RegExp(`^${name}[:=](.+)$`, 'i');
  return tags.map((t) => pattern.exec(t.trim())?.[1]?.trim() ?? '').filter((v) => v.length > 0);
}

function detail(details: Record<string, unknown> | null | undefined, key: string): string | undefined {
  const value = details?.[key];
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

const openActions = new Set(['create', 'acknowledge', 'unacknowledge']);

/** Maps one Opsgenie alert webhook body to an incident action. */
export function mapOpsgenieWebhook(
  body: unknown,
  services: ReadonlyArray<string>,
  now: number,
): IncidentAction {
  const parsed = opsgenieWebhookSchema.safeParse(body);
  if (!parsed.success) return { kind: 'invalid', reason: describeIssues(parsed.error.issues, body, '') };
  const { action, alert } = parsed.data;
  const verb = action.toLowerCase();
  if (!openActions.has(verb) && verb !== 'close') {
    return { kind: 'ignore', reason: `Opsgenie action ${action} does not change an incident's state` };
  }
  const tags = alert.tags ?? [];
  const byTag = tags.find((t) => services.some((s) => s.toLowerCase() === t.trim().toLowerCase()));
  const service = resolveService(
    [detail(alert.details, 'service'), ...tagValues(tags, 'service'), byTag, alert.entity],
    services,
  );
  const createdMs = opsgenieTime(alert.createdAt) ?? now;
  const updatedMs = opsgenieTime(alert.updatedAt) ?? now;
  const id = clip(`og-${alert.alertId}`);
  const region = detail(alert.details, 'region');
  const customer = detail(alert.details, 'customer');
  const incident: InternalIncident | null = service
    ? {
        id,
        service,
        title: clip(alert.message ?? '', 2000),
        startedAt: new Date(createdMs).toISOString(),
        resolvedAt: null,
        regions: [
          ...new Set([...tagValues(tags, 'region'), ...(region ? [region] : [])].map((r) => clip(r))),
        ],
        customers: [
          ...new Set([...tagValues(tags, 'customer'), ...(customer ? [customer] : [])].map((c) => clip(c))),
        ],
      }
    : null;
  if (verb === 'close') {
    return { kind: 'resolve', at: new Date(updatedMs).toISOString(), id, fallback: incident };
  }
  if (!incident) {
    return {
      kind: 'invalid',
      reason: 'alert: cannot tell which service; set details.service, a "service:<name>" tag or the entity',
    };
  }
  // Create is stamped with the alert's creation; later actions with the alert's last update.
  const at = verb === 'create' ? createdMs : updatedMs;
  return { kind: 'open', at: new Date(at).toISOString(), incident };
}
