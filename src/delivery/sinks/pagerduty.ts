import { createNoteSink } from './note-sink.js';
import { annotationText, type Sink, type SinkHttpOptions } from './types.js';

/*
 * PagerDuty incident note (REST API v2, "Create a note on an incident"):
 *   POST {apiUrl}/incidents/{id}/notes   Authorization: Token token=<REST API token>
 *   From: <email of a PagerDuty user>    body {"note": {"content": "…"}}
 *
 * Which PagerDuty incident: our incidents that came in through the PagerDuty webhook
 * (src/api/webhooks/pagerduty.ts) have the id `pd-<PagerDuty incident id>`, so that suffix is the id.
 * Any other incident (from the API, Opsgenie, a replay) has no PagerDuty counterpart and is skipped
 * with a logged reason, not failed.
 *
 * PagerDuty notes have no idempotency key: a worker killed between PagerDuty's 2xx and the delivery
 * record adds the note twice. The worker records right after the 2xx to keep that window small.
 */

/** The pagerduty entry of the `sinks` config. */
export interface PagerDutySinkConfig {
  name: string;
  token: string;
  from: string;
  /** https://api.pagerduty.com unless overridden (tests, proxies). */
  apiUrl: string;
}

// Well under PagerDuty's note limit; our notes are a few hundred characters anyway.
const NOTE_MAX = 10_000;

/**
 * The PagerDuty incident id behind one of our incident ids, or null when it did not come from PagerDuty.
 * Whatever follows the prefix is the id; the note sink refuses one that is no path segment.
 */
export function pagerDutyIncidentId(incidentId: string): string | null {
  const match = /^pd-(.*)$/s.exec(incidentId);
  return match?.[1] ?? null;
}

/** The PagerDuty incident-note sink. */
export function createPagerDutySink(config: PagerDutySinkConfig, http: SinkHttpOptions = {}): Sink {
  return createNoteSink(
    {
      name: config.name,
      type: 'pagerduty',
      apiUrl: config.apiUrl,
      idOf: pagerDutyIncidentId,
      skipReason: (incident) =>
        `incident ${incident} did not come from PagerDuty (no "pd-<id>" id), so it has no PagerDuty incident to note`,
      request: (segment, payload) => ({
        path: `/incidents/${segment}/notes`,
        body: { note: { content: annotationText(payload, NOTE_MAX) } },
        headers: {
          Authorization: `Token token=${config.token}`,
          From: config.from,
          Accept: 'application/vnd.pagerduty+json;version=2',
        },
      }),
    },
    http,
  );
}
