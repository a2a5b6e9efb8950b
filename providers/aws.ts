import { z } from 'zod';
import { FetchError } from '../src/core/errors.js';
import {
  worseIndicator,
  type IncidentUpdate,
  type Indicator,
  type VendorComponent,
  type VendorIncident,
  type VendorStatus,
} from '../src/core/model.js';
import { plainBody } from '../src/core/text.js';
import {
  asCode,
  code,
  componentStatuses,
  detectBy,
  epoch,
  epochInstant,
  impacts,
  indicatorOf,
  splitServiceSlug,
  statusWords,
  worst,
} from './aws-shared.js';
import { earliest, latest, list, parseJson, text, withUrl } from './support.js';
import type { Provider } from './types.js';

/** Base URL of the AWS Health Dashboard, whose /public/currentevents lists the open public events. */
export const AWS_HEALTH_URL = 'https://health.aws.amazon.com';

// ---- health.aws.amazon.com/public/currentevents (JSON, served as UTF-16 with a BOM) ----
// The RSS provider is in aws-rss.ts, the legacy data.json parser in aws-legacy.ts.

export const awsEventSchema = z.looseObject({
  arn: z.string().min(1),
  date: epoch,
  end_time: epoch.nullish(),
  region_name: text,
  status: code,
  service: text,
  service_name: text,
  summary: text,
  event_log: list(z.looseObject({ summary: text, message: text, status: code, timestamp: epoch })),
  impacted_services: z
    .record(z.string(), z.looseObject({ service_name: text, current: code, max: code }))
    .nullish(),
  impacted_service_status_changes: list(
    z.looseObject({ service: text, current_status: code, previous_status: code, timestamp: epoch.nullish() }),
  ),
});
export const awsCurrentEventsSchema = z.array(awsEventSchema);
export type AwsEvent = z.infer<typeof awsEventSchema>;

/** currentevents: the open public events (an empty array when all is well) and the status they imply. */
export function parseAwsCurrentEvents(
  body: string,
  vendor: string,
  now: Date,
): { status: VendorStatus; incidents: VendorIncident[] } {
  const events = parseJson(body, awsCurrentEventsSchema, 'currentevents');
  const incidents = events.map((event) => eventToIncident(event, vendor));
  let indicator: Indicator = 'operational';
  const components = new Map<string, VendorComponent>();
  events.forEach((event, index) => {
    if (incidents[index]!.resolvedAt !== null) return;
    const services = Object.entries(event.impacted_services ?? {});
    // The top-level status is the event's peak; the services' `current` says how it stands now.
    const current =
      worst(services.map(([, s]) => asCode(s.current))) ?? asCode(event.event_log?.at(-1)?.status);
    const impact = current === null ? incidents[index]!.impact : impacts[current]!;
    indicator = worseIndicator(
      indicator,
      incidents[index]!.kind === 'maintenance' ? 'maintenance' : indicatorOf(impact),
    );
    for (const [key, service] of services) {
      const c = asCode(service.current);
      const status = c === null ? 'unknown' : componentStatuses[c]!;
      const seen = components.get(key);
      if (!seen || componentStatuses.indexOf(status) > componentStatuses.indexOf(seen.status))
        components.set(key, {
          id: key,
          name: service.service_name ?? key,
          group: splitServiceSlug(key).region,
          status,
        });
    }
  });
  return {
    status: {
      vendor,
      indicator,
      components: [...components.values()],
      fetchedAt: now.toISOString(),
      health: 'ok',
    },
    incidents,
  };
}

function eventToIncident(event: AwsEvent, vendor: string): VendorIncident {
  const log = (event.event_log ?? [])
    .map((entry) => ({ entry, at: epochInstant(entry.timestamp), code: asCode(entry.status) }))
    .filter((e): e is typeof e & { at: string } => e.at !== null)
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const updates = log.map(({ entry, at, code: c }): IncidentUpdate => ({
    at,
    status: c === null ? 'unknown' : statusWords[c],
    ...plainBody(entry.message || entry.summary || ''),
  }));
  const posted = epochInstant(event.date);
  const changes = (event.impacted_service_status_changes ?? []).map((c) => epochInstant(c.timestamp));
  const services = Object.values(event.impacted_services ?? {});
  const startedAt = earliest([posted, updates[0]?.at ?? null]);
  if (startedAt === null) throw new FetchError('parse', `currentevents: event ${event.arn}: no date`);
  const updatedAt = latest([
    startedAt,
    epochInstant(event.end_time),
    ...updates.map((u) => u.at),
    ...changes,
  ])!;
  const allRecovered = services.length > 0 && services.every((s) => asCode(s.current) === 0);
  const resolvedAt =
    epochInstant(event.end_time) ??
    (asCode(event.status) === 0 || log.at(-1)?.code === 0 || allRecovered ? updatedAt : null);
  const peak = worst([
    asCode(event.status),
    ...services.map((s) => asCode(s.max)),
    ...log.map((l) => l.code),
  ]);
  const [, , , arnRegion = '', , rest = ''] = event.arn.split(':');
  const typeCode = rest.split('/')[2] ?? '';
  const region = arnRegion || (event.service ? splitServiceSlug(event.service).region : null);
  const names = services.flatMap((s) => (s.service_name ? [s.service_name] : []));
  return {
    vendor,
    id: event.arn,
    title: event.summary ?? event.service_name ?? '',
    impact: peak === null ? 'unknown' : impacts[peak]!,
    status: resolvedAt !== null ? 'resolved' : (updates.at(-1)?.status ?? 'unknown'),
    // The Health API's event type codes name planned work `…_MAINTENANCE_SCHEDULED`.
    kind: /MAINTENANCE|_SCHEDULED$/.test(typeCode) ? 'maintenance' : 'incident',
    startedAt,
    postedAt: posted ?? startedAt,
    updatedAt,
    resolvedAt,
    components: [...new Set(names.length > 0 ? names : event.service_name ? [event.service_name] : [])],
    regions: region ? [region] : [],
    updates,
    url: `${AWS_HEALTH_URL}/health/status`,
  };
}

/** Polls /public/currentevents; the HTTP edge decodes its UTF-16 by the BOM. */
export const awsProvider: Provider = {
  id: 'aws',
  name: 'AWS Health Dashboard',
  async poll(ctx) {
    const response = await ctx.get('/public/currentevents', { accept: 'application/json' });
    if (response.status === 304) return { notModified: true, status: null, incidents: [] };
    const { status, incidents } = withUrl(response.url, () =>
      parseAwsCurrentEvents(response.body, ctx.vendor.id, ctx.now),
    );
    // Complete: currentevents lists only current events; finished ones vanish without an end.
    return { notModified: false, status, incidents, openSetComplete: true };
  },
  detect: (ctx) =>
    detectBy(ctx, 'health.aws.amazon.com', AWS_HEALTH_URL, 'aws', async (base) => {
      const response = await ctx.getUrl(`${base}/public/currentevents`, { accept: 'application/json' });
      const events = parseJson(response.body, awsCurrentEventsSchema, 'currentevents');
      if (events.length > 0 && !events.every((e) => e.arn.startsWith('arn:aws'))) return null;
      // An empty array is the healthy state, but any JSON API could answer one.
      return events.length > 0
        ? {
            confidence: 0.9,
            evidence: `${base}/public/currentevents lists ${events.length} AWS Health events (arn:aws:health ARNs)`,
          }
        : {
            confidence: 0.5,
            evidence: `${base}/public/currentevents answers an empty JSON array, as AWS does when all is well`,
          };
    }),
};
