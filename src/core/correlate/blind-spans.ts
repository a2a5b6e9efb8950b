import { z } from 'zod';
import type { BlindSpan } from './types.js';
import type { FetchErrorKind } from '../errors.js';

/*
 * Blind spans: stretches during which we could not read a vendor's status page. Pure: the vendor
 * store keeps them live, replay derives them from unreadable snapshots, and both hand the scorer
 * the spans known at `now` through the functions below.
 */

const HOUR = 3_600_000;

/** How far before our incident's start a blind span still matters: the scorer's lead and lag, with slack. */
export const BLIND_LOOKBACK_MS = 2 * HOUR;

/** What the store keeps per vendor: the newest closed spans, none that ended longer ago than this. */
export const BLIND_RETENTION = { maxSpans: 200, maxAgeMs: 30 * 24 * HOUR } as const;

/** A stored span; `since`/`until` are ISO instants. */
export const blindSpanSchema = z.object({
  vendor: z.string().min(1),
  since: z.string().refine((v) => Number.isFinite(Date.parse(v)), 'expected an ISO-8601 instant'),
  until: z
    .string()
    .refine((v) => Number.isFinite(Date.parse(v)), 'expected an ISO-8601 instant')
    .nullable(),
  reason: z.string(),
});

const MAX_REASON = 200;
const clip = (text: string) => (text.length > MAX_REASON ? `${text.slice(0, MAX_REASON - 1)}…` : text);

/** Why a read failed, in the words an annotation can quote: "HTTP 503", "timeout", "parse error: …". */
export function blindReason(error: {
  kind: FetchErrorKind;
  message: string;
  status?: number | undefined;
}): string {
  switch (error.kind) {
    case 'http':
      return error.status !== undefined ? `HTTP ${error.status}` : clip(`HTTP error: ${error.message}`);
    case 'timeout':
      return 'timeout';
    case 'network':
      return clip(`network error: ${error.message}`);
    case 'parse':
      return clip(`parse error: ${error.message}`);
    case 'too-large':
      return clip(`response too large: ${error.message}`);
    case 'blocked':
      return clip(`blocked: ${error.message}`);
  }
}

const ms = (iso: string) => Date.parse(iso);

/** A span as known at `now`: null if it opened later; still open if it closed after `now`. */
export function blindSpanKnownAt(span: BlindSpan, now: number): BlindSpan | null {
  if (ms(span.since) > now) return null;
  if (span.until !== null && ms(span.until) > now) return { ...span, until: null };
  return span;
}

/**
 * The spans known at `now` that overlap [fromMs, now], oldest first. What the scorer is given, live
 * (from the store) and in replay (from the scenario).
 */
export function blindSpansKnownAt(
  spans: readonly BlindSpan[],
  now: number,
  fromMs = Number.NEGATIVE_INFINITY,
): BlindSpan[] {
  return spans
    .flatMap((span) => blindSpanKnownAt(span, now) ?? [])
    .filter((span) => span.until === null || ms(span.until) >= fromMs)
    .sort((a, b) => ms(a.since) - ms(b.since) || a.vendor.localeCompare(b.vendor));
}

/** One attempt to read a vendor's page: good, or failed for `reason`. */
export interface PageRead {
  vendor: string;
  /** ISO instant of the attempt. */
  at: string;
  ok: boolean;
  /** Why it failed (ignored for a good read). */
  reason?: string;
}

/**
 * The blind spans a sequence of reads implies, per vendor: a span opens at the first failed read
 * after a good one (or at the first read ever, if it failed) and closes at the next good read; one
 * still failing at the end stays open. Reads at the same instant keep their given order. Pure.
 */
export function spansFromReads(reads: readonly PageRead[]): BlindSpan[] {
  const ordered = reads.map((read, index) => ({ read, index }));
  ordered.sort((a, b) => ms(a.read.at) - ms(b.read.at) || a.index - b.index);
  const open = new Map<string, BlindSpan>();
  const spans: BlindSpan[] = [];
  for (const { read } of ordered) {
    const current = open.get(read.vendor);
    if (read.ok) {
      if (current) {
        current.until = read.at;
        open.delete(read.vendor);
      }
    } else if (!current) {
      const span: BlindSpan = {
        vendor: read.vendor,
        since: read.at,
        until: null,
        reason: read.reason ?? 'unreadable',
      };
      open.set(read.vendor, span);
      spans.push(span);
    }
  }
  return spans;
}
