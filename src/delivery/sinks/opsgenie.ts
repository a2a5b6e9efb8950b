import { createNoteSink } from './note-sink.js';
import { annotationText, type Sink, type SinkHttpOptions } from './types.js';

/*
 * Opsgenie alert note (Alert API v2, "Add Note to Alert"):
 *   POST {apiUrl}/v2/alerts/{id}/notes?identifierType=id   Authorization: GenieKey <API key>
 *   body {"note": "…", "user": "upcause", "source": "upcause"}
 *
 * Which alert: our incidents that came in through the Opsgenie webhook (src/api/webhooks/opsgenie.ts)
 * have the id `og-<alertId>`; other incidents are skipped with a logged reason. Opsgenie answers
 * 202 and applies the note asynchronously; a note it later rejects (say, the alert was deleted) is
 * not seen here. No idempotency key exists: a worker killed between the 202 and the delivery record
 * adds the note twice.
 */

/** The opsgenie entry of the `sinks` config. */
export interface OpsgenieSinkConfig {
  name: string;
  apiKey: string;
  /** https://api.opsgenie.com, or https://api.eu.opsgenie.com for EU accounts. */
  apiUrl: string;
}

// Opsgenie's documented maximum for a note.
const NOTE_MAX = 25_000;

/**
 * The Opsgenie alert id behind one of our incident ids, or null when it did not come from Opsgenie.
 * Whatever follows the prefix is the id; the note sink refuses one that is no path segment.
 */
export function opsgenieAlertId(incidentId: string): string | null {
  const match = /^og-(.*)$/s.exec(incidentId);
  return match?.[1] ?? null;
}

/** The Opsgenie alert-note sink. */
export function createOpsgenieSink(config: OpsgenieSinkConfig, http: SinkHttpOptions = {}): Sink {
  return createNoteSink(
    {
      name: config.name,
      type: 'opsgenie',
      apiUrl: config.apiUrl,
      idOf: opsgenieAlertId,
      skipReason: (incident) =>
        `incident ${incident} did not come from Opsgenie (no "og-<alertId>" id), so it has no alert to note`,
      request: (segment, payload) => ({
        path: `/v2/alerts/${segment}/notes?identifierType=id`,
        body: { note: annotationText(payload, NOTE_MAX), user: 'upcause', source: 'upcause' },
        headers: { Authorization: `GenieKey ${config.apiKey}` },
      }),
    },
    http,
  );
}
