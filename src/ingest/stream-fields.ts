/**
 * @module
 * # The error stream's entry layout
 *
 * Any service, in any language, appends internal error events to the stream `{<prefix>}:errors`
 * (`{upcause}:errors` by default) with a plain `XADD`. Cap the stream with `MAXLEN ~`; the ingest
 * worker aggregates entries into per-minute buckets, so the stream only has to hold what is not yet
 * consumed. An entry takes ONE of three shapes:
 *
 * 1. **One event as flat fields**: each contract field is a stream field. Numbers arrive as
 *    strings: `status`, `count` and `calls` are read as integers, and an all-digits `at` as epoch ms.
 *    ```
 *    XADD {upcause}:errors MAXLEN ~ 1000000 * at 2024-04-04T20:47:12Z service backstage vendor 100ms
 *         region eu-west-1 code RTMP_START_FAILED status 502 count 1 customer acme
 *    XADD {upcause}:errors MAXLEN ~ 1000000 * at 2024-04-04T20:47:00Z service backstage vendor 100ms
 *         region eu-west-1 calls 1840
 *    ```
 * 2. **One event as JSON**: a single field `event` holding the JSON object of the public contract.
 *    ```
 *    XADD {upcause}:errors MAXLEN ~ 1000000 * event '{"at":1712263632000,"service":"backstage","vendor":"100ms","status":502}'
 *    ```
 * 3. **A batch as one entry**: a single field `events` holding a JSON array of events, or NDJSON
 *    (one JSON object per line). This is the fast path: one entry of a few hundred events costs
 *    Redis about what one small entry costs.
 *    ```
 *    XADD {upcause}:errors MAXLEN ~ 1000000 * events '[{"at":"…","service":"a"},{"at":"…","service":"b"}]'
 *    ```
 *
 * Fields of an event (see the public contract): `at` (ISO-8601 or epoch ms, required), `service`
 * (required), `vendor`, `region`, `code`, `status` (100–599), `count` (1–1,000,000, default 1),
 * `calls` (0–10,000,000: calls to `vendor` in the event's minute and region, failures included;
 * requires `vendor`), `customer`, `endpoint`, and `id` (the producer's idempotency key: the same id
 * within the dedupe window counts once). An event with `calls` but neither `code` nor `status` is a
 * pure volume report: its `count` defaults to 0 (and may be 0), and it adds calls, not errors.
 * Unknown fields are rejected, text fields hold 1–512 characters, values must be valid UTF-8, and
 * `at` must lie between the retention horizon and 15 minutes ahead of the worker's clock. Each
 * event is checked on its own: a bad one is rejected (logged with the entry id, its index and the
 * reason, and counted) and never blocks the others in its entry. Whole entries are rejected only
 * when their shape is wrong: `event`/`events` alongside other fields, a field given twice, a field
 * over 8 MiB, or an `events` JSON array that does not parse (with NDJSON, a broken line costs only
 * itself). Rejected or not, every entry is acknowledged once it has been read.
 *
 * Python: `redis.Redis().xadd('{upcause}:errors', {'events': json.dumps(batch)}, maxlen=1_000_000, approximate=True)`
 */
import { isUtf8 } from 'node:buffer';
import { errorEventSchema, isVolumeReport, MAX_CALLS, type ErrorEvent } from '../core/contracts.js';

/** How far ahead of our clock an event may be stamped: producers' clocks drift, years-ahead stamps are bugs. */
export const maxFutureSkewMs = 15 * 60_000;
/** A stream field bigger than this is rejected unread; it would stall the worker's event loop. */
export const maxFieldBytes = 8 * 1024 * 1024;
const maxReasonChars = 300;
const maxText = 512;

/** The instant events are judged against: too old to keep, or too far ahead to believe. */
export interface TimeWindow {
  now: number;
  retentionMs: number;
}

/** An event that passed validation, with its instant in epoch ms (the bucket minute comes from it). */
export interface ValidEvent {
  event: ErrorEvent;
  ms: number;
}

/** Why an event (index in its entry) or a whole entry (index null) was not stored. */
export interface Rejection {
  index: number | null;
  reason: string;
}

export type EventCheck = ({ ok: true } & ValidEvent) | { ok: false; reason: string };

/** What one stream entry held. */
export interface DecodedEntry {
  events: ValidEvent[];
  rejected: Rejection[];
}

const isoPrefix = /^\d{4}-\d{2}-\d{2}T/;
const minMs = Date.UTC(2000, 0, 1);
const maxMs = Date.UTC(2100, 0, 1);

function text(value: unknown): value is string {
  return typeof value === 'string' && value.length >= 1 && value.length <= maxText;
}
function intIn(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

function digits(s: string, from: number, count: number): number {
  let n = 0;
  for (let i = from; i < from + count; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return NaN;
    n = n * 10 + c;
  }
  return n;
}

const daysIn = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * `YYYY-MM-DDTHH:MM:SSZ` or `…SS.sssZ` read by hand, every part in range, so the instant is exactly
 * what the text says and the normalized form is known without Date.parse + toISOString (~2 µs
 * together, the largest cost per event). Anything else returns NaN and takes the Date path.
 */
function canonicalIsoMs(s: string): number {
  const len = s.length;
  if (len !== 20 && len !== 24) return NaN;
  if (s[4] !== '-' || s[7] !== '-' || s[10] !== 'T' || s[13] !== ':' || s[16] !== ':' || s[len - 1] !== 'Z')
    return NaN;
  const year = digits(s, 0, 4);
  const month = digits(s, 5, 2);
  const day = digits(s, 8, 2);
  const hour = digits(s, 11, 2);
  const minute = digits(s, 14, 2);
  const second = digits(s, 17, 2);
  const milli = len === 24 ? (s[19] === '.' ? digits(s, 20, 3) : NaN) : 0;
  if (!(month >= 1 && month <= 12 && hour <= 23 && minute <= 59 && second <= 59 && milli >= 0)) return NaN;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (!(day >= 1 && day <= (month === 2 && !leap ? 28 : (daysIn[month - 1] as number)))) return NaN;
  return Date.UTC(year, month - 1, day, hour, minute, second, milli);
}

// Events of a batch share a few minutes: the formatted minute is reused (a memo; no behaviour).
let memoMinute = NaN;
let memoPrefix = '';
/** `new Date(ms).toISOString()` for whole milliseconds, without building a Date per event. */
function isoOf(ms: number): string {
  if (!Number.isInteger(ms)) return new Date(ms).toISOString();
  const minute = Math.floor(ms / 60_000);
  if (minute !== memoMinute) {
    memoPrefix = new Date(minute * 60_000).toISOString().slice(0, 17);
    memoMinute = minute;
  }
  const rest = ms - minute * 60_000;
  const second = Math.floor(rest / 1000);
  const milli = rest % 1000;
  return `${memoPrefix}${second < 10 ? '0' : ''}${second}.${milli < 10 ? '00' : milli < 100 ? '0' : ''}${milli}Z`;
}

/**
 * The common case without zod: checks `input` accepts only what errorEventSchema accepts, and
 * returns its instant (NaN when unsure: zod decides, and writes the reasons). JSON.parse + zod costs
 * ~2 µs an event; this a fraction of that.
 */
function fastInstant(input: Record<string, unknown>): number {
  let hasService = false;
  let hasCalls = false;
  let zeroCount = false;
  for (const key in input) {
    const v = input[key];
    switch (key) {
      case 'service':
        hasService = true;
        if (!text(v)) return NaN;
        break;
      case 'vendor':
      case 'region':
      case 'code':
      case 'customer':
      case 'endpoint':
      case 'id':
        if (!text(v)) return NaN;
        break;
      case 'status':
        if (!intIn(v, 100, 599)) return NaN;
        break;
      case 'count':
        if (!intIn(v, 0, 1_000_000)) return NaN;
        zeroCount = v === 0;
        break;
      case 'calls':
        if (!intIn(v, 0, MAX_CALLS)) return NaN;
        hasCalls = true;
        break;
      case 'at':
        break;
      default:
        return NaN;
    }
  }
  if (!hasService) return NaN;
  // Calls are counted per vendor; a zero count is only for a pure volume report (zod says why not).
  if (hasCalls && input.vendor === undefined) return NaN;
  if (zeroCount && !isVolumeReport(input)) return NaN;
  const at = input.at;
  let ms: number;
  atIsNormal = false;
  if (typeof at === 'number') ms = at;
  else if (typeof at === 'string') {
    ms = canonicalIsoMs(at);
    atIsNormal = at.length === 24 && !Number.isNaN(ms);
    if (Number.isNaN(ms) && isoPrefix.test(at)) ms = Date.parse(at);
  } else return NaN;
  return Number.isFinite(ms) && ms >= minMs && ms <= maxMs ? ms : NaN;
}

/** Set by fastInstant: `at` was already `YYYY-MM-DDTHH:MM:SS.sssZ`, its own normal form. */
let atIsNormal = false;

function normalAt(value: Record<string, unknown>, ms: number): string {
  return atIsNormal ? (value.at as string) : isoOf(ms);
}

/** The schema's default `count` for an event the fast path accepted: 0 in a pure volume report, else 1. */
function defaultCount(value: Record<string, unknown>): number {
  return isVolumeReport(value) ? 0 : 1;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The fast path over a value this module owns (fresh from JSON.parse): normalizes it in place
 * instead of copying it, which saves an allocation per event.
 */
function fastCheckOwned(value: unknown): ValidEvent | null {
  if (!isPlainObject(value)) return null;
  const ms = fastInstant(value);
  if (Number.isNaN(ms)) return null;
  // Already in normal form (the reporter's and most producers' output): the string stays as it is.
  if (!atIsNormal) value.at = isoOf(ms);
  if (value.count === undefined) value.count = defaultCount(value);
  return { event: value as ErrorEvent, ms };
}

function fastCheckCopy(value: unknown): ValidEvent | null {
  if (!isPlainObject(value)) return null;
  const ms = fastInstant(value);
  if (Number.isNaN(ms)) return null;
  const count = value.count ?? defaultCount(value);
  return { event: { ...value, at: normalAt(value, ms), count } as ErrorEvent, ms };
}

function clip(reason: string): string {
  return reason.length > maxReasonChars ? `${reason.slice(0, maxReasonChars)}…` : reason;
}

function zodCheck(value: unknown): EventCheck {
  const parsed = errorEventSchema.safeParse(value);
  if (parsed.success) return { ok: true, event: parsed.data, ms: Date.parse(parsed.data.at) };
  const reason = parsed.error.issues
    .map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
  return { ok: false, reason: clip(reason) };
}

/** Validates one event against the public contract and the time window; usable by every ingest path. */
export function validateErrorEvent(value: unknown, window: TimeWindow): EventCheck {
  return withinWindow(fastCheckCopy(value) ?? zodCheck(value), window);
}

function withinWindow(checked: ValidEvent | EventCheck, window: TimeWindow): EventCheck {
  const result: EventCheck = 'ok' in checked ? checked : { ok: true, ...checked };
  if (!result.ok) return result;
  if (result.ms > window.now + maxFutureSkewMs) {
    const minutes = Math.round((result.ms - window.now) / 60_000);
    return { ok: false, reason: `at: ${result.event.at} is ${minutes} minutes ahead of now (limit 15)` };
  }
  // Older than retention: its bucket would expire on arrival, so it cannot count anywhere.
  if (result.ms < window.now - window.retentionMs) {
    const days = (window.retentionMs / 86_400_000).toFixed(1);
    return { ok: false, reason: `at: ${result.event.at} is older than the ${days}-day retention` };
  }
  return result;
}

type RawValue = Buffer | string;

function byteLength(value: RawValue): number {
  return typeof value === 'string' ? Buffer.byteLength(value) : value.length;
}

/** Decodes a field value; `lossy` means it held invalid UTF-8 and was decoded with U+FFFD in place. */
function decodeText(value: RawValue): { text: string; lossy: boolean } {
  if (typeof value === 'string') return { text: value, lossy: false };
  return { text: value.toString('utf8'), lossy: !isUtf8(value) };
}

/** Flat fields come as strings: numbers are coerced so zod sees the contract's types. */
function coerceFlat(field: string, value: string): unknown {
  if ((field === 'status' || field === 'count' || field === 'calls') && /^-?\d+$/.test(value))
    return Number(value);
  if (field === 'at' && /^\d+$/.test(value)) return Number(value);
  return value;
}

/** Top level only: a valid event holds no nested values, and deep nesting must not cost recursion. */
function hasReplacementChar(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\uFFFD');
  if (typeof value !== 'object' || value === null) return false;
  for (const [key, v] of Object.entries(value)) {
    if (key.includes('\uFFFD') || (typeof v === 'string' && v.includes('\uFFFD'))) return true;
  }
  return false;
}

function checkParsed(
  value: unknown,
  index: number,
  lossy: boolean,
  window: TimeWindow,
  into: DecodedEntry,
): void {
  // Only when the raw bytes were not UTF-8: the events that carry the damage are the bad ones.
  if (lossy && hasReplacementChar(value)) {
    into.rejected.push({ index, reason: 'contains bytes that are not valid UTF-8' });
    return;
  }
  const fast = fastCheckOwned(value);
  // The common case skips building an EventCheck: two small objects fewer per event.
  if (fast && fast.ms <= window.now + maxFutureSkewMs && fast.ms >= window.now - window.retentionMs) {
    into.events.push(fast);
    return;
  }
  const result = withinWindow(fast ?? zodCheck(value), window);
  if (result.ok) into.events.push({ event: result.event, ms: result.ms });
  else into.rejected.push({ index, reason: result.reason });
}

function parseJson(source: string): { ok: true; value: unknown } | { ok: false; reason: string } {
  try {
    return { ok: true, value: JSON.parse(source) };
  } catch (error) {
    return { ok: false, reason: clip(`not valid JSON: ${(error as Error).message}`) };
  }
}

function decodeBatch(raw: RawValue, window: TimeWindow, into: DecodedEntry): void {
  const { text: source, lossy } = decodeText(raw);
  const start = source.trimStart();
  if (start.startsWith('[')) {
    const parsed = parseJson(source);
    if (!parsed.ok) {
      into.rejected.push({ index: null, reason: `events: ${parsed.reason}` });
      return;
    }
    const list = parsed.value as unknown[];
    for (let i = 0; i < list.length; i++) checkParsed(list[i], i, lossy, window, into);
    return;
  }
  // NDJSON: each line stands alone, so one broken line costs only itself.
  let index = 0;
  for (const line of source.split('\n')) {
    if (line.trim() === '') continue;
    const parsed = parseJson(line);
    if (parsed.ok) checkParsed(parsed.value, index, lossy, window, into);
    else into.rejected.push({ index, reason: parsed.reason });
    index++;
  }
}

function decodeFlat(pairs: Array<[string, RawValue]>, window: TimeWindow, into: DecodedEntry): void {
  const seen = new Set<string>();
  const entries: Array<[string, unknown]> = [];
  for (const [field, raw] of pairs) {
    if (seen.has(field)) {
      into.rejected.push({ index: 0, reason: clip(`field "${field}" is given twice`) });
      return;
    }
    seen.add(field);
    const { text: value, lossy } = decodeText(raw);
    if (lossy) {
      into.rejected.push({ index: 0, reason: clip(`${field}: contains bytes that are not valid UTF-8`) });
      return;
    }
    entries.push([field, coerceFlat(field, value)]);
  }
  // fromEntries defines own properties, so a field named "__proto__" is an unknown key, not a prototype.
  checkParsed(Object.fromEntries(entries), 0, false, window, into);
}

/**
 * Decodes one stream entry's fields (as XREADGROUP returns them: name, value, name, value…) into
 * validated events and rejections. A deleted entry (null fields) holds nothing.
 */
export function decodeEntry(fields: ReadonlyArray<RawValue> | null, window: TimeWindow): DecodedEntry {
  const into: DecodedEntry = { events: [], rejected: [] };
  if (!fields || fields.length === 0) return into;
  const pairs: Array<[string, RawValue]> = [];
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const name = fields[i] as RawValue;
    const value = fields[i + 1] as RawValue;
    pairs.push([typeof name === 'string' ? name : name.toString('utf8'), value]);
  }
  const tooBig = pairs.find(([, value]) => byteLength(value) > maxFieldBytes);
  if (tooBig) {
    const mib = (byteLength(tooBig[1]) / 1048576).toFixed(1);
    into.rejected.push({ index: null, reason: clip(`field "${tooBig[0]}" holds ${mib} MiB (limit 8 MiB)`) });
    return into;
  }
  const first = pairs[0];
  if (first && (first[0] === 'event' || first[0] === 'events')) {
    if (pairs.length !== 1) {
      into.rejected.push({
        index: null,
        reason: `an entry holding "${first[0]}" must have no other fields (got ${pairs.length})`,
      });
      return into;
    }
    if (first[0] === 'events') {
      decodeBatch(first[1], window, into);
      return into;
    }
    const { text: source, lossy } = decodeText(first[1]);
    const parsed = parseJson(source);
    if (parsed.ok) checkParsed(parsed.value, 0, lossy, window, into);
    else into.rejected.push({ index: 0, reason: `event: ${parsed.reason}` });
    return into;
  }
  if (pairs.some(([name]) => name === 'event' || name === 'events')) {
    into.rejected.push({
      index: null,
      reason: 'an entry is either flat event fields, one "event" field or one "events" field, not a mix',
    });
    return into;
  }
  decodeFlat(pairs, window, into);
  return into;
}
