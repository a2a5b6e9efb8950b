import { z } from 'zod';
import {
  SinkError,
  postJson,
  sinkDefaults,
  type AnnotationPayload,
  type DeliveryPayload,
  type Sink,
  type SinkHttpOptions,
} from './types.js';

/**
 * An id that goes into a request path as one segment. Percent-encoding alone does not keep it one:
 * `.` and `..` are left as they are and resolve as path steps (`/v2/alerts/../notes`), and a receiver
 * or a proxy may decode `%2F` back into a separator. Such ids are refused, never sent.
 */
export const pathSegmentSchema = z
  .string()
  .min(1, 'is empty')
  .refine((s) => s !== '.' && s !== '..', 'is "." or "..", which would step through the path')
  .refine((s) => !/[/\\?#]/.test(s), 'contains /, \\, ? or #, which would leave its path segment')
  .refine(
    (s) => ![...s].some((c) => c.charCodeAt(0) < 0x20 || c === '\u007f'),
    'contains a control character',
  )
  .refine(
    (s) => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s),
    'contains half of a character (a lone surrogate)',
  );

/** The id as one percent-encoded path segment, or why it cannot be one. */
export function pathSegment(id: string): { ok: true; segment: string } | { ok: false; reason: string } {
  const parsed = pathSegmentSchema.safeParse(id);
  if (!parsed.success)
    return { ok: false, reason: parsed.error.issues[0]?.message ?? 'is not a path segment' };
  return { ok: true, segment: encodeURIComponent(parsed.data) };
}

/** How one incident tool takes a note on its own record of an incident we took in from it. */
export interface NoteTarget {
  name: string;
  type: 'pagerduty' | 'opsgenie';
  apiUrl: string;
  /** The tool's id behind one of our incident ids, or null when the incident did not come from it. */
  idOf(incidentId: string): string | null;
  /** Why an incident of another origin is skipped ("… no alert to note"). */
  skipReason(incidentId: string): string;
  /** The request that adds the note; `segment` is the tool's id, checked and percent-encoded. */
  request(
    segment: string,
    payload: AnnotationPayload,
  ): { path: string; body: unknown; headers: Record<string, string> };
}

/**
 * A note sink: incidents that came from the tool get a note with the annotation; others are skipped
 * with the reason, never failed. An id that cannot be one path segment fails the delivery for good
 * (SinkError `refused`) without a request. No idempotency key exists on these APIs (see each tool's file).
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
      if (id === null) return { kind: 'skipped', reason: target.skipReason(payload.incident) };
      const checked = pathSegment(id);
      if (!checked.ok) {
        throw new SinkError(
          'refused',
          `${target.type} sink ${target.name}: incident ${JSON.stringify(payload.incident)} names the ${target.type} id ${JSON.stringify(id)}, which ${checked.reason}; not sent`,
        );
      }
      const { path, body, headers } = target.request(checked.segment, payload);
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
