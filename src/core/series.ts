import { classifyError, type ErrorClass, type ErrorEvent } from './contracts.js';

/** One per-minute error series: what failed, against which vendor, where, and how. */
export interface Series {
  service: string;
  /** '' when the caller did not know the vendor. */
  vendor: string;
  /** As the caller wrote it ('' when absent); canonicalized when read. */
  region: string;
  /** The caller's code, else `HTTP_<status>`, else ''. */
  code: string;
  errorClass: ErrorClass;
}

/** The minute an instant falls in, as epoch ms / 60000. */
export function minuteOf(at: string | number): number {
  return Math.floor((typeof at === 'number' ? at : Date.parse(at)) / 60_000);
}

/** The series an event counts in. */
export function seriesOf(event: ErrorEvent): Series {
  return {
    service: event.service,
    vendor: event.vendor ?? '',
    region: event.region ?? '',
    code: event.code ?? (event.status !== undefined ? `HTTP_${event.status}` : ''),
    errorClass: classifyError(event),
  };
}

/** The hash field of a series in a minute bucket: a JSON array, so any character is safe in a name. */
export function seriesField(s: Series): string {
  return JSON.stringify([s.service, s.vendor, s.region, s.code, s.errorClass]);
}

/** Reads a bucket field back; null for a field that is not ours. */
export function parseSeriesField(field: string): Series | null {
  try {
    const parts: unknown = JSON.parse(field);
    if (!Array.isArray(parts) || parts.length !== 5 || !parts.every((p) => typeof p === 'string'))
      return null;
    const [service, vendor, region, code, errorClass] = parts as [string, string, string, string, ErrorClass];
    return { service, vendor, region, code, errorClass };
  } catch {
    return null;
  }
}

/** The (service, vendor, region) scope customers are counted in. */
export function customerScope(s: Pick<Series, 'service' | 'vendor' | 'region'>): string {
  return JSON.stringify([s.service, s.vendor, s.region]);
}

/** Whose calls a minute bucket's call-volume field counts: one service's calls to one vendor in one region. */
export interface CallsKey {
  service: string;
  vendor: string;
  /** As the caller wrote it ('' when absent). */
  region: string;
}

/** Calls of one (service, vendor, region) in one minute bucket. */
export interface CallsCount extends CallsKey {
  calls: number;
}

/**
 * The hash field of call volume in a minute bucket, beside the error series: `["calls", service,
 * vendor, region]`. Four elements, so parseSeriesField (five) skips it and error readers ignore it.
 */
export function callsField(k: CallsKey): string {
  return JSON.stringify(['calls', k.service, k.vendor, k.region]);
}

/** Reads a call-volume field back; null for any other field. */
export function parseCallsField(field: string): CallsKey | null {
  // Cheap pre-check: most fields of a bucket are error series.
  if (!field.startsWith('["calls",')) return null;
  try {
    const parts: unknown = JSON.parse(field);
    if (!Array.isArray(parts) || parts.length !== 4 || !parts.every((p) => typeof p === 'string'))
      return null;
    const [, service, vendor, region] = parts as [string, string, string, string];
    return { service, vendor, region };
  } catch {
    return null;
  }
}
