import {
  postJson,
  sinkDefaults,
  type AnnotationPayload,
  type DeliveryPayload,
  type Sink,
  type SinkHttpOptions,
} from './types.js';

/** How one incident tool takes a note on its own record of an incident we took in from it. */
export interface NoteTarget {
  name: string;
  type: 'pagerduty' | 'opsgenie';
  apiUrl: string;
  /** The tool's id behind one of our incident ids, or null when the incident did not come from it. */
  idOf(incidentId: string): string | null;
  /** Why an incident of another origin is skipped ("… no alert to note"). */
  skipReason(incidentId: string): string;
  /** The request that adds the note. */
  request(
    id: string,
    payload: AnnotationPayload,
  ): { path: string; body: unknown; headers: Record<string, string> };
}

/**
 * A note sink: incidents that came from the tool get a note with the annotation; others are skipped
 * with the reason, never failed. No idempotency key exists on these APIs (see each tool's file).
 */
export function createNoteSink(target: NoteTarget, http: SinkHttpOptions = {}): Sink {
  return {
    name: target.name,
    type: target.type,
    timeoutMs: http.timeoutMs ?? sinkDefaults.timeoutMs,
    async deliver(payload: DeliveryPayload) {
      if (payload.type !== 'annotation')
        return { kind: 'skipped', reason: `${target.type} sink ${target.name} takes annotations only` };
      const id = target.idOf(payload.incident);
      if (!id) return { kind: 'skipped', reason: target.skipReason(payload.incident) };
      const { path, body, headers } = target.request(id, payload);
      const { status } = await postJson(http, {
        baseUrl: target.apiUrl,
        path,
        body: JSON.stringify(body),
        headers,
        what: `${target.type} sink ${target.name}`,
      });
      return { kind: 'delivered', status };
    },
  };
}
