import type { VendorIncident } from '../model.js';
import { quote } from './evidence.js';
import { MINUTE, vendorKey, type Signal } from './signal-shared.js';

/*
 * Corroboration: another vendor's status page blames this one. When a CDN, a cloud or a DNS provider
 * fails, the vendors built on it post incidents that say so ("due to a Cloudflare outage", "caused by
 * an issue at our upstream provider AWS"). Such a post tells that the outage is real and wider than
 * the components its own page lists; it says nothing about whether it hurt us, so it only counts when
 * our own errors already point that way.
 */

/** Words that, in the same sentence as the vendor's name, make it the cause of the other's incident. */
const CAUSE =
  /\b(?:due to|caused by|because of|result(?:ing)? (?:of|from)|stemm(?:ing|ed) from|upstream|third[- ]party|(?:service|cloud|hosting|infrastructure|network|dns|cdn) provider|provider|outage|incident|disruption|degradation)\b/i;
/** A sentence that clears the vendor rather than blaming it. */
const DENIAL = /\b(?:not (?:related|caused|due|affected)|unrelated|no (?:impact|relation))\b/i;
/** Slack around the candidate incident's window within which the other's incident must fall. */
const SLACK_MS = 30 * MINUTE;

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** How a vendor is written in prose: its id or name, with `-` and `_` read as spaces. */
function namePattern(vendor: string): RegExp | null {
  const words = vendor
    .trim()
    .split(/[\s_-]+/)
    .filter(Boolean);
  // Names shorter than three letters ("ai", "io") match too much prose to be read as a vendor.
  if (words.join('').length < 3) return null;
  return new RegExp(`(?<![\\w-])${words.map(escapeRegExp).join('[\\s_-]+')}(?![\\w-])`, 'i');
}

/** The sentence of `text` that names `vendor` as a cause; null when none does. */
export function blamingSentence(text: string, vendor: string): string | null {
  const name = namePattern(vendor);
  if (!name) return null;
  for (const sentence of text.split(/(?<=[.!?])\s+|\n+/)) {
    if (name.test(sentence) && CAUSE.test(sentence) && !DENIAL.test(sentence)) return sentence.trim();
  }
  return null;
}

interface Window {
  start: number;
  /** Null while the incident is open. */
  end: number | null;
}

const windowOf = (v: Pick<VendorIncident, 'startedAt' | 'resolvedAt'>): Window => ({
  start: Date.parse(v.startedAt),
  end: v.resolvedAt ? Date.parse(v.resolvedAt) : null,
});

function overlaps(a: Window, b: Window, now: number): boolean {
  const aEnd = (a.end ?? now) + SLACK_MS;
  const bEnd = b.end ?? now;
  return a.start - SLACK_MS <= bEnd && b.start <= aEnd;
}

/**
 * Incidents of other vendors, running at the same time as `incident`, whose title or updates name
 * `vendor` as their cause: the first such, with the sentence that says so. Pure.
 */
export function corroboration(
  vendor: string,
  incident: Pick<VendorIncident, 'startedAt' | 'resolvedAt'>,
  others: readonly VendorIncident[],
  now: number,
): Signal | null {
  const key = vendorKey(vendor);
  const own = windowOf(incident);
  for (const other of others) {
    if (vendorKey(other.vendor) === key || other.kind !== 'incident') continue;
    if (!overlaps(own, windowOf(other), now)) continue;
    const texts = [other.title, ...other.updates.map((u) => u.body)];
    for (const text of texts) {
      const sentence = blamingSentence(text, vendor);
      if (sentence === null) continue;
      return {
        name: 'corroboration',
        value: 0.5,
        evidence: `${other.vendor}'s incident ${quote(other.title, 60)} blames ${vendor}: ${quote(sentence, 140)} — ${vendor}'s outage is wider than its own page lists`,
      };
    }
  }
  return null;
}
