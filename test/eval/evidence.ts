import { z } from 'zod';

// Facts the evaluation reads from a scenario file itself, never from the scorer: when each vendor
// first made an incident known (a vendor incident's first post, or a readable status-page snapshot
// listing one), and when a vendor's page could not be read (a snapshot with an `error`, a `status` of
// 400 or more or a body that is not JSON, until the next readable snapshot; or `vendorHealth` in any
// state but "ok", until "ok"), as test/scenarios/README.md "Blind vendor pages" defines them.

const snapshotSchema = z.looseObject({
  vendor: z.string(),
  at: z.string(),
  contentType: z.string().default('application/json'),
  body: z.unknown(),
  status: z.number().optional(),
  error: z.string().optional(),
});
const incidentSchema = z.looseObject({
  vendor: z.string(),
  startedAt: z.string(),
  postedAt: z.string().optional(),
  updates: z.array(z.looseObject({ at: z.string() })).default([]),
});
const healthSchema = z.looseObject({ vendor: z.string(), at: z.string(), state: z.string() });
const rawSchema = z.looseObject({
  vendorIncidents: z.array(incidentSchema).default([]),
  vendorSnapshots: z.array(snapshotSchema).default([]),
  vendorHealth: z.array(healthSchema).default([]),
});

/** A stretch during which the scenario says a vendor's page could not be read; `until` null: to the end. */
export interface BlindSpan {
  vendor: string;
  from: number;
  until: number | null;
}

export interface ScenarioEvidence {
  /** Per vendor, the earliest instant an incident of it was known (epoch ms). */
  firstKnown: Map<string, number>;
  blind: BlindSpan[];
}

/** A body the replay can read: declared JSON, or one that looks like JSON, and that parses. */
function readableBody(contentType: string, body: unknown): unknown {
  if (typeof body !== 'string') return body;
  if (!/json/i.test(contentType) && !/^\s*[[{]/.test(body)) return undefined;
  try {
    return JSON.parse(body.replace(/^\uFEFF/, '')) as unknown;
  } catch {
    return undefined;
  }
}

/** Whether a readable payload lists at least one incident or maintenance. */
function listsIncident(payload: unknown): boolean {
  if (typeof payload !== 'object' || payload === null) return false;
  const data = payload as Record<string, unknown>;
  const nonEmpty = (v: unknown) => Array.isArray(v) && v.length > 0;
  return (
    nonEmpty(data.incidents) ||
    nonEmpty(data.scheduled_maintenances) ||
    (typeof data.incident === 'object' && data.incident !== null)
  );
}

const earliest = (map: Map<string, number>, vendor: string, t: number) => {
  if (!Number.isFinite(t)) return;
  map.set(vendor, Math.min(map.get(vendor) ?? Infinity, t));
};

/** Reads the evidence from a scenario's decoded JSON (fields it cannot read are ignored). */
export function evidenceOf(raw: unknown): ScenarioEvidence {
  const parsed = rawSchema.safeParse(raw);
  const firstKnown = new Map<string, number>();
  const blind: BlindSpan[] = [];
  if (!parsed.success) return { firstKnown, blind };
  const { vendorIncidents, vendorSnapshots, vendorHealth } = parsed.data;
  for (const v of vendorIncidents) {
    const first = v.updates.length > 0 ? Math.min(...v.updates.map((u) => Date.parse(u.at))) : NaN;
    earliest(firstKnown, v.vendor, Number.isFinite(first) ? first : Date.parse(v.postedAt ?? v.startedAt));
  }
  const snapshots = [...vendorSnapshots].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const open = new Map<string, number>();
  for (const s of snapshots) {
    const failed = s.error !== undefined || (s.status !== undefined && s.status >= 400);
    const payload = failed ? undefined : readableBody(s.contentType, s.body);
    const at = Date.parse(s.at);
    if (payload === undefined) {
      if (!open.has(s.vendor)) open.set(s.vendor, at);
      continue;
    }
    if (listsIncident(payload)) earliest(firstKnown, s.vendor, at);
    const since = open.get(s.vendor);
    if (since !== undefined) {
      blind.push({ vendor: s.vendor, from: since, until: at });
      open.delete(s.vendor);
    }
  }
  for (const [vendor, from] of open) blind.push({ vendor, from, until: null });
  const down = new Map<string, number>();
  for (const h of [...vendorHealth].sort((a, b) => Date.parse(a.at) - Date.parse(b.at))) {
    const at = Date.parse(h.at);
    if (h.state !== 'ok') {
      if (!down.has(h.vendor)) down.set(h.vendor, at);
    } else if (down.has(h.vendor)) {
      blind.push({ vendor: h.vendor, from: down.get(h.vendor)!, until: at });
      down.delete(h.vendor);
    }
  }
  for (const [vendor, from] of down) blind.push({ vendor, from, until: null });
  return { firstKnown, blind };
}

/** Whether [from, until) overlaps any blind span (null: open-ended). */
export function overlapsBlind(spans: readonly BlindSpan[], from: number, until: number): boolean {
  return spans.some((s) => from < (s.until ?? Infinity) && until > s.from);
}
