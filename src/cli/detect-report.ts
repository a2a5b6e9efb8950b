import { stringify } from 'yaml';
import type { Detection } from '../../providers/types.js';

/** A vendor id from a status page host: `status.twilio.com` → `twilio`, `www.githubstatus.com` → `githubstatus`. */
export function suggestVendorId(pageUrl: string): string {
  const host = new URL(pageUrl).hostname.toLowerCase();
  const labels = host
    .split('.')
    .filter((l) => !['www', 'status', 'statuspage', 'com', 'io', 'net', 'org', 'co'].includes(l));
  const id = (labels[0] ?? host).replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
  return id || 'vendor';
}

/** How sure a confidence is, in words. */
export function certainty(confidence: number): string {
  if (confidence >= 0.9) return 'certain';
  if (confidence >= 0.6) return 'likely';
  return 'a guess';
}

/** The ready-to-paste `vendors:` entry for upcause.yaml. */
export function vendorEntry(detection: Detection, pageUrl: string): Record<string, unknown> {
  return {
    id: suggestVendorId(pageUrl),
    name: detection.name ?? new URL(pageUrl).hostname,
    provider: detection.provider,
    url: detection.url,
    ...(detection.options ? { options: detection.options } : {}),
  };
}

/** Human report of `upcause detect`: the best match, why, and a config entry; other matches after. */
export function formatDetections(pageUrl: string, detections: Detection[]): string {
  const [best, ...others] = detections;
  if (!best) {
    return [
      `No known status-page platform answered at ${pageUrl}.`,
      'If the page has an RSS/Atom feed, watch it with provider "rss" and options {feed: <path>};',
      'otherwise use provider "html" with CSS selectors (see the README).',
    ].join('\n');
  }
  const lines = [
    `${pageUrl} looks like ${best.provider} (${Math.round(best.confidence * 100)}% — ${certainty(best.confidence)}).`,
    ...best.evidence.map((e) => `  • ${e}`),
    '',
    'Add to upcause.yaml under `vendors:`',
    stringify([vendorEntry(best, pageUrl)])
      .trimEnd()
      .replace(/^/gm, '  '),
  ];
  if (others.length) {
    lines.push('', 'Also matched:');
    for (const other of others)
      lines.push(`  ${other.provider} (${Math.round(other.confidence * 100)}%): ${other.evidence[0] ?? ''}`);
  }
  return lines.join('\n');
}
