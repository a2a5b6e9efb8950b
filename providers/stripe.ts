import { z } from 'zod';
import { FetchError } from '../src/core/errors.js';
import {
  worseIndicator,
  type ComponentStatus,
  type Indicator,
  type VendorComponent,
  type VendorStatus,
} from '../src/core/model.js';
import { list, parseJson, text, withUrl } from './support.js';
import type { Provider } from './types.js';

// Stripe documents no status API. The shape is what third-party clients read from
// status.stripe.com/current/full: {UptimeStatus, message, uptimeData[{key, title, warning}]}; the older
// /current adds {largestatus, statuses{api, dashboard, …}}. Both are accepted.
export const stripeStatusSchema = z
  .looseObject({
    UptimeStatus: text,
    largestatus: text,
    message: text,
    uptimeData: list(z.looseObject({ key: text, title: text, warning: z.unknown().optional() })),
    statuses: z.record(z.string(), z.string()).nullish(),
  })
  .refine((data) => Boolean(data.UptimeStatus ?? data.largestatus), {
    message: 'expected a string (up, degraded, down, …)',
    path: ['UptimeStatus'],
  });

// "pending" and "paused" are monitor states, not service states: they say nothing about Stripe.
const indicators: Record<string, Indicator> = {
  up: 'operational',
  degraded: 'minor',
  down: 'critical',
};
const componentStatuses: Record<string, ComponentStatus> = {
  up: 'operational',
  degraded: 'degraded_performance',
  down: 'major_outage',
};
const componentIndicators: Record<ComponentStatus, Indicator> = {
  operational: 'operational',
  unknown: 'operational',
  under_maintenance: 'maintenance',
  degraded_performance: 'minor',
  partial_outage: 'major',
  major_outage: 'critical',
};

/** current/full: Stripe's overall word and message, and its per-service rows when present; Stripe publishes no incidents here. */
export function parseStripeStatus(body: string, vendor: string, now: Date): VendorStatus {
  const data = parseJson(body, stripeStatusSchema, 'stripe current');
  const word = (data.UptimeStatus ?? data.largestatus ?? '').toLowerCase();
  const rows = (data.uptimeData ?? []).flatMap((row): VendorComponent[] => {
    const name = row.title ?? row.key;
    if (!name) return [];
    // A row's warning is free text shown under it; any warning means the service is not fully healthy.
    const status = row.warning === null || row.warning === undefined ? 'operational' : 'degraded_performance';
    return [{ ...(row.key ? { id: row.key } : {}), name, group: null, status }];
  });
  const legacy = Object.entries(data.statuses ?? {}).map(([key, state]): VendorComponent => ({
    id: key,
    name: key,
    group: null,
    status: componentStatuses[state.toLowerCase()] ?? 'unknown',
  }));
  const components = rows.length > 0 ? rows : legacy;
  const indicator = components.reduce<Indicator>(
    (worst, c) => worseIndicator(worst, componentIndicators[c.status]),
    indicators[word] ?? 'unknown',
  );
  const description = data.message ?? undefined;
  return {
    vendor,
    indicator,
    ...(description ? { description } : {}),
    components,
    fetchedAt: now.toISOString(),
    health: 'ok',
  };
}

/** Stripe's custom status page (https://status.stripe.com): overall state only, no incident detail. */
export const stripeProvider: Provider = {
  id: 'stripe',
  name: 'Stripe status',
  async poll(ctx) {
    const response = await ctx.get('/current/full', { accept: 'application/json' });
    if (response.status === 304) return { notModified: true, status: null, incidents: [] };
    const status = withUrl(response.url, () => parseStripeStatus(response.body, ctx.vendor.id, ctx.now));
    // The message is the only narrative Stripe gives here; it goes in the status, not a made-up incident.
    return { notModified: false, status, incidents: [] };
  },
  async detect(ctx) {
    try {
      const response = await ctx.get('/current/full', { accept: 'application/json' });
      const status = parseStripeStatus(response.body, 'detect', new Date(0));
      return {
        provider: 'stripe',
        confidence: 0.85,
        url: new URL(response.url).origin,
        name: 'Stripe',
        evidence: [
          `/current/full answered in Stripe's status shape (${status.components.length} services, indicator ${status.indicator})`,
        ],
      };
    } catch (error) {
      if (error instanceof FetchError) return null;
      throw error;
    }
  },
};
