import { z } from 'zod';
import { instantSchema } from '../model.js';

/*
 * Alerts: early warning delivered through the same sinks as annotations, each event type opt-in per
 * sink (`events: [...]`). This is the alert payload every sink receives (and the webhook body), so
 * it is public: extend it, never rename.
 */

/** What a sink can subscribe to. `annotation` is the default and the only event of note sinks. */
export const sinkEvents = [
  'annotation',
  'suspected',
  'vendor-incident',
  'vendor-unreadable',
  'digest',
] as const;
export const sinkEventSchema = z.enum(sinkEvents);
export type SinkEvent = z.infer<typeof sinkEventSchema>;

export const alertEvents = ['suspected', 'vendor-incident', 'vendor-unreadable'] as const;
export const alertEventSchema = z.enum(alertEvents);
export type AlertEvent = z.infer<typeof alertEventSchema>;

export const alertPayloadSchema = z.strictObject({
  type: z.literal('alert'),
  event: alertEventSchema,
  /**
   * `raised`: it started (our errors point at a silent vendor; the vendor posted an incident touching
   * us; its page has been unreadable N minutes). `update`: a follow-up (the vendor posted about a
   * suspected issue: the acknowledgment lag). `recovered`: it is over (after the damping period).
   */
  phase: z.enum(['raised', 'update', 'recovered']),
  /** Stable per (event, subject, phase, episode): the same alert always has the same id. */
  id: z.string().min(1).max(512),
  vendor: z.string().min(1),
  vendorName: z.string().min(1),
  /** When the condition began (raised) or changed (update, recovered). */
  at: instantSchema,
  /** One line for headers and notifications. */
  title: z.string().min(1),
  /** Supporting lines (evidence, figures), plain text. */
  details: z.array(z.string()),
  /** Canonical region, when the alert is about one. */
  region: z.string().nullable().optional(),
  /** Our services concerned. */
  services: z.array(z.string()).optional(),
  /** `suspected`: weighted errors per minute vs the baseline before it. */
  ratePerMin: z.number().optional(),
  baselinePerMin: z.number().optional(),
  suspectId: z.string().optional(),
  /** `suspected` update: minutes from our first errors to the vendor's first post. */
  ackLagMinutes: z.number().nullable().optional(),
  /** `vendor-incident` (and a suspected update): the vendor's incident. */
  vendorIncident: z
    .strictObject({
      id: z.string(),
      title: z.string(),
      impact: z.string(),
      status: z.string(),
      regions: z.array(z.string()),
      components: z.array(z.string()),
      url: z.string().nullable(),
      postedAt: instantSchema,
    })
    .optional(),
  /** `vendor-unreadable`: since when, why, and for how long (on recovery). */
  unreadableSince: instantSchema.optional(),
  reason: z.string().optional(),
  minutes: z.number().optional(),
  /** A console page about it, when `api.console.publicUrl` is set. */
  link: z.string().nullable().optional(),
});
export type AlertPayload = z.infer<typeof alertPayloadSchema>;
