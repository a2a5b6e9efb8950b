import type { VendorVerdict } from '../core/check/types.js';
import { safeUrl } from '../core/digest/render-shared.js';

/*
 * Wording and classes the console's templates share, so a status always comes with a word and an
 * icon as well as a colour (never colour alone).
 */

/** "3 min ago", "2 h ago", "5 d ago"; "never" without a time. */
export function ago(iso: string | null | undefined, now: number): string {
  if (!iso) return 'never';
  const ms = now - Date.parse(iso);
  if (!Number.isFinite(ms)) return 'unknown';
  if (ms < 0) return 'in the future';
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 120) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.floor(hours / 24)} d ago`;
}

/** "2024-04-04 20:47 UTC": short, unambiguous, the same for every reader. */
export function utc(iso: string | null | undefined): string {
  if (!iso) return '—';
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return iso;
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** A duration in minutes as people say it: "45 min", "3 h 10 min". */
export function minutes(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const m = Math.round(value);
  if (Math.abs(m) < 60) return `${m} min`;
  const h = Math.trunc(m / 60);
  const rest = Math.abs(m % 60);
  return rest ? `${h} h ${rest} min` : `${h} h`;
}

/** A rate with sensible precision: 0, 0.3, 4.2, 17. */
export function rate(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  if (value === 0) return '0';
  return value < 10 ? value.toFixed(1).replace(/\.0$/, '') : String(Math.round(value));
}

export function percent(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return `${Math.round(value * 100)}%`;
}

/** How a tone reads: a CSS class and a symbol shown beside the word. */
export type Tone = 'ok' | 'info' | 'warn' | 'bad' | 'unknown';
const symbols: Record<Tone, string> = { ok: '✓', info: 'ℹ', warn: '▲', bad: '✕', unknown: '?' };

export interface Badge {
  tone: Tone;
  symbol: string;
  label: string;
}

function badge(tone: Tone, label: string): Badge {
  return { tone, symbol: symbols[tone], label };
}

/** A vendor's status indicator as a badge; `unknown` stands out. */
export function indicatorBadge(indicator: string): Badge {
  switch (indicator) {
    case 'operational':
      return badge('ok', 'Operational');
    case 'maintenance':
      return badge('info', 'Maintenance');
    case 'minor':
      return badge('warn', 'Minor outage');
    case 'major':
      return badge('bad', 'Major outage');
    case 'critical':
      return badge('bad', 'Critical outage');
    default:
      return badge('unknown', 'Unknown');
  }
}

/** An incident impact as a badge. */
export function impactBadge(impact: string): Badge {
  switch (impact) {
    case 'none':
      return badge('info', 'No impact');
    case 'maintenance':
      return badge('info', 'Maintenance');
    case 'minor':
      return badge('warn', 'Minor');
    case 'major':
      return badge('bad', 'Major');
    case 'critical':
      return badge('bad', 'Critical');
    default:
      return badge('unknown', 'Impact unknown');
  }
}

/** An annotation verdict as a badge. */
export function annotationBadge(verdict: string | null | undefined): Badge {
  if (verdict === 'upstream') return badge('bad', 'Upstream (vendor)');
  if (verdict === 'internal') return badge('ok', 'Internal (ours)');
  if (verdict === 'unclear') return badge('warn', 'Unclear');
  return badge('unknown', 'Not annotated yet');
}

const checkLabels: Record<VendorVerdict, [Tone, string]> = {
  'vendor-incident': ['bad', 'Vendor incident, hitting us'],
  'vendor-suspected': ['bad', 'Vendor suspected'],
  'vendor-unknown': ['unknown', 'Unknown: stale or no data'],
  'vendor-degraded-no-impact': ['warn', 'Vendor degraded, no impact on us'],
  'vendor-clear': ['ok', 'Vendor clear'],
};

/** A support-check verdict as a badge. */
export function checkBadge(verdict: VendorVerdict): Badge {
  const [tone, label] = checkLabels[verdict] ?? ['unknown', verdict];
  return badge(tone, label);
}

/** Poll health as a badge: is the data behind a status fresh? */
export function freshnessBadge(
  state: string,
  lastSuccessAt: string | null,
  now: number,
  staleMs: number,
): Badge {
  if (!lastSuccessAt) return badge('unknown', 'Never read');
  if (state !== 'ok') return badge('unknown', 'Unreadable');
  if (now - Date.parse(lastSuccessAt) > staleMs) return badge('warn', 'Stale');
  return badge('ok', 'Fresh');
}

/** The URL when it is http(s), else null: a vendor's page could carry a `javascript:` link. */
export const httpUrl = safeUrl;

/** Helpers handed to every template as `it.fmt`. */
export const fmt = {
  ago,
  utc,
  minutes,
  rate,
  percent,
  indicatorBadge,
  impactBadge,
  annotationBadge,
  checkBadge,
  freshnessBadge,
  httpUrl,
};
export type Fmt = typeof fmt;
