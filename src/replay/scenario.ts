import { z } from 'zod';
import { changeEventSchema, errorEventSchema, internalIncidentSchema } from '../core/contracts.js';
import { impactSchema, incidentKindSchema } from '../core/model.js';
import { vendorIdOf } from '../core/correlate/select-input.js';
import { vendorOfUnnamed } from '../core/vendor-names.js';
import { catalogHostOwner } from '../catalog-hosts.js';

// The scenario file of ../DESIGN "Scenario file": every field as the contract names it, every array
// optional. Unknown fields are ignored with a warning rather than refused, so a scenario written for
// a later version (or annotated by an evaluation suite) still replays; the public event contracts
// (errors, incidents, changes) keep their own strictness.

/** Providers whose recorded payloads replay can read (see snapshots.ts). */
export const snapshotProviders = [
  'statuspage',
  'incidentio',
  'gcp',
  'instatus',
  'slack',
  'statusio',
  'statuspal',
  'aws',
  'aws-rss',
  'azure',
  'betterstack',
  'rss',
] as const;
export type SnapshotProvider = (typeof snapshotProviders)[number];

const name = (what: string) =>
  z
    .string({ error: `expected ${what} as a string` })
    .trim()
    .min(1, `${what} must not be empty`);

/** A vendor-side instant: ISO-8601 with an offset or Z, normalized to UTC. */
const isoTime = z
  .string({
    error: (issue) =>
      issue.input === undefined
        ? 'missing (expected an ISO-8601 timestamp)'
        : 'expected an ISO-8601 timestamp',
  })
  .refine((v) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(v) && Number.isFinite(Date.parse(v)), {
    error: 'expected an ISO-8601 timestamp',
  })
  .transform((v) => new Date(v).toISOString());

const serviceSchema = z.looseObject({
  name: name('a service name'),
  regions: z.array(name('a region label')).default([]),
  dependsOn: z
    .array(
      z.looseObject({
        vendor: name('a vendor id'),
        components: z.array(name('a component name')).default([]),
      }),
    )
    .default([]),
});

const vendorSchema = z.looseObject({
  id: name('a vendor id'),
  name: z.string().optional(),
  /** Platform id; decides how structured region codes read (GCP "us", AWS "us-east-1"). */
  provider: z.string().default('statuspage'),
});

const updateSchema = z.looseObject({
  at: isoTime,
  status: z.string().default('update'),
  body: z.string().default(''),
});

const vendorIncidentSchema = z
  .looseObject({
    vendor: name('a vendor id'),
    id: name('an incident id'),
    title: z.string().default(''),
    impact: impactSchema.default('unknown'),
    kind: incidentKindSchema.default('incident'),
    status: z.string().optional(),
    startedAt: isoTime,
    /** Used only when the incident has no updates: otherwise the first update is the post. */
    postedAt: isoTime.optional(),
    resolvedAt: isoTime.nullable().default(null),
    scheduledFor: isoTime.nullable().optional(),
    scheduledUntil: isoTime.nullable().optional(),
    components: z.array(z.string()).default([]),
    /** Free text as the vendor wrote it ("Europe", "EU (Frankfurt)", "us-east-1"). */
    regions: z.array(z.string()).default([]),
    updates: z.array(updateSchema).default([]),
    url: z.string().nullable().default(null),
  })
  .superRefine((incident, ctx) => {
    if (incident.resolvedAt !== null && Date.parse(incident.resolvedAt) < Date.parse(incident.startedAt))
      ctx.addIssue({ code: 'custom', path: ['resolvedAt'], message: 'is before startedAt' });
  });

const snapshotSchema = z
  .looseObject({
    vendor: name('a vendor id'),
    at: isoTime,
    provider: z
      .string({ error: 'expected the provider id of the payload, e.g. "statuspage"' })
      .superRefine((p, ctx) => {
        if (!(snapshotProviders as readonly string[]).includes(p))
          ctx.addIssue({
            code: 'custom',
            message: `replay cannot read "${p}" payloads; it reads ${snapshotProviders.join(', ')}`,
          });
      })
      .transform((p) => p as SnapshotProvider),
    contentType: z.string().default('application/json'),
    /** The payload as served; a JSON value is accepted too and read as its JSON text. */
    body: z
      .union([z.string(), z.record(z.string(), z.unknown()), z.array(z.unknown())], {
        error: 'expected the raw payload as a string (or a JSON object)',
      })
      .optional(),
    /** The HTTP status the page answered; 400 and above means the read failed. */
    status: z
      .number({ error: 'expected an HTTP status code (a number)' })
      .int('expected an HTTP status code (an integer)')
      .min(100, 'expected an HTTP status code between 100 and 599')
      .max(599, 'expected an HTTP status code between 100 and 599')
      .optional(),
    /** Why the fetch failed ("timeout", "connection refused"); present means there was no usable answer. */
    error: name('a fetch error').optional(),
  })
  .superRefine((snapshot, ctx) => {
    // Without a body the snapshot must say the fetch failed; a 304 has no body by definition.
    const status = snapshot.status ?? 200;
    if (snapshot.body === undefined && snapshot.error === undefined && status !== 304 && status < 400)
      ctx.addIssue({
        code: 'custom',
        path: ['body'],
        message: 'missing (expected the raw payload, or an "error" or "status" saying the fetch failed)',
      });
  });

/** States of a vendor's page as a scenario may state them directly (see `vendorHealth`). */
export const pageStates = ['ok', 'unreachable', 'parse_error', 'timeout', 'blocked'] as const;

/** A stated read of a vendor's page: not `ok` opens a blind span at `at`, `ok` closes it. */
const vendorHealthSchema = z.looseObject({
  vendor: name('a vendor id'),
  at: isoTime,
  state: z.enum(pageStates, { error: `expected one of ${pageStates.join(', ')}` }),
  reason: z.string().optional(),
});

const verdictSchema = z.enum(['upstream', 'unclear', 'internal']);

export const scenarioSchema = z
  .looseObject({
    name: z.string().default('scenario'),
    description: z.string().optional(),
    /** Evaluation: the kind of case the scenario tests ("vendor-untagged", "ours-egress-all-vendors"). */
    class: z.string().optional(),
    services: z.array(serviceSchema).default([]),
    vendors: z.array(vendorSchema).default([]),
    vendorIncidents: z.array(vendorIncidentSchema).default([]),
    vendorSnapshots: z.array(snapshotSchema).default([]),
    /** Reads of vendor pages stated directly: when we could and could not read them. */
    vendorHealth: z.array(vendorHealthSchema).default([]),
    errors: z.array(errorEventSchema).default([]),
    changes: z.array(changeEventSchema).default([]),
    incidents: z.array(internalIncidentSchema).default([]),
    /** Evaluation: the verdict each of our incidents should get. */
    expect: z.record(z.string(), verdictSchema).optional(),
    /** Evaluation: the vendor issues our errors should reveal (region as a label, optional). */
    suspectedExpected: z
      .array(z.strictObject({ vendor: name('a vendor id'), region: z.string().optional() }))
      .optional(),
  })
  .superRefine((s, ctx) => {
    const unique = <T>(items: T[], key: (item: T) => string, path: string, what: string) => {
      const seen = new Set<string>();
      items.forEach((item, index) => {
        const k = key(item);
        if (seen.has(k))
          ctx.addIssue({ code: 'custom', path: [path, index], message: `duplicate ${what} ${k}` });
        seen.add(k);
      });
    };
    unique(s.incidents, (i) => i.id, 'incidents', 'incident id');
    unique(s.services, (v) => v.name, 'services', 'service');
    unique(s.vendors, (v) => v.id, 'vendors', 'vendor id');
    unique(s.vendorIncidents, (v) => `${v.vendor}/${v.id}`, 'vendorIncidents', 'vendor incident');
    for (const id of Object.keys(s.expect ?? {}))
      if (!s.incidents.some((i) => i.id === id))
        ctx.addIssue({
          code: 'custom',
          path: ['expect', id],
          message: 'no incident in "incidents" has this id',
        });
  });

export type Scenario = z.output<typeof scenarioSchema>;
export type ScenarioInput = z.input<typeof scenarioSchema>;
export type ScenarioVendorIncident = Scenario['vendorIncidents'][number];
export type ScenarioSnapshot = Scenario['vendorSnapshots'][number];
export type ScenarioVendorHealth = Scenario['vendorHealth'][number];

/** A scenario that cannot be replayed; `problems` name the path of each (`vendorIncidents[0].updates[2].at: …`). */
export class ScenarioError extends Error {
  override readonly name = 'ScenarioError';
  readonly problems: string[];

  constructor(problems: string[], options: { cause?: unknown } = {}) {
    super(`invalid scenario:\n  ${problems.join('\n  ')}`, options);
    this.problems = problems;
  }
}

/** `vendorIncidents[0].updates[2].at` */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)),
    '',
  );
}

function describe(issue: z.core.$ZodIssue): string {
  const at = formatPath(issue.path) || 'scenario';
  if (issue.code === 'unrecognized_keys')
    return `${at}: unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  const message = issue.message.replace(/^Invalid input: /, '');
  if (/received undefined$/.test(message))
    return `${at}: missing (${message.replace(/, received undefined$/, '')})`;
  return `${at}: ${message}`;
}

// Fields each loose object knows; anything else is reported as ignored.
const knownFields = {
  top: Object.keys(scenarioSchema.shape),
  service: ['name', 'regions', 'dependsOn'],
  dependsOn: ['vendor', 'components'],
  vendor: ['id', 'name', 'provider', 'url', 'options'],
  // Fields a normalized VendorIncident carries are accepted silently: users paste `upcause poll --json` output.
  vendorIncident: [
    ...['vendor', 'id', 'title', 'impact', 'kind', 'status', 'startedAt', 'postedAt', 'resolvedAt'],
    ...['scheduledFor', 'scheduledUntil', 'components', 'regions', 'updates', 'url', 'updatedAt'],
    ...['regionEvidence', 'resolvedBy'],
  ],
  update: ['id', 'at', 'status', 'body', 'html'],
  snapshot: ['vendor', 'at', 'provider', 'contentType', 'body', 'url', 'status', 'error'],
  vendorHealth: ['vendor', 'at', 'state', 'reason'],
};

function unknownFields(raw: unknown): string[] {
  const warnings: string[] = [];
  const check = (value: unknown, known: readonly string[], path: string) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return;
    for (const key of Object.keys(value))
      if (!known.includes(key)) warnings.push(`${path ? `${path}.` : ''}${key}: unknown field, ignored`);
  };
  const each = (value: unknown, fn: (item: unknown, index: number) => void) => {
    if (Array.isArray(value)) value.forEach(fn);
  };
  const field = (value: unknown, key: string): unknown =>
    typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
  check(raw, knownFields.top, '');
  each(field(raw, 'services'), (s, i) => {
    check(s, knownFields.service, `services[${i}]`);
    each(field(s, 'dependsOn'), (d, j) => check(d, knownFields.dependsOn, `services[${i}].dependsOn[${j}]`));
  });
  each(field(raw, 'vendors'), (v, i) => check(v, knownFields.vendor, `vendors[${i}]`));
  each(field(raw, 'vendorIncidents'), (v, i) => {
    check(v, knownFields.vendorIncident, `vendorIncidents[${i}]`);
    each(field(v, 'updates'), (u, j) => check(u, knownFields.update, `vendorIncidents[${i}].updates[${j}]`));
  });
  each(field(raw, 'vendorSnapshots'), (v, i) => check(v, knownFields.snapshot, `vendorSnapshots[${i}]`));
  each(field(raw, 'vendorHealth'), (v, i) => check(v, knownFields.vendorHealth, `vendorHealth[${i}]`));
  return warnings;
}

/**
 * Validates a decoded scenario file. Throws a ScenarioError naming every bad path; returns the
 * scenario with defaults filled, times in UTC, vendor updates oldest first, and warnings for fields
 * it ignored.
 */
export function parseScenario(raw: unknown): { scenario: Scenario; warnings: string[] } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new ScenarioError([
      'scenario: expected a JSON object with "incidents", "errors", "vendorIncidents", …',
    ]);
  const result = scenarioSchema.safeParse(raw);
  if (!result.success) throw new ScenarioError(result.error.issues.map(describe), { cause: result.error });
  const scenario = result.data;
  for (const incident of scenario.vendorIncidents)
    incident.updates.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  return { scenario, warnings: unknownFields(raw) };
}

/**
 * The scenario with vendors named by their id everywhere: errors and dependsOn that write a vendor's
 * display name ("Amazon S3" for `aws-s3`), in any case, are read as that vendor, as the live loader does.
 */
export function withVendorIds(scenario: Scenario): Scenario {
  if (scenario.vendors.length === 0) return scenario;
  const named = scenario.vendors.map((v) => ({
    id: v.id,
    name: v.name ?? v.id,
    ...(typeof v.url === 'string' ? { url: v.url } : {}),
  }));
  const idOf = vendorIdOf(named, catalogHostOwner);
  // As the ingest worker does: an error naming no vendor whose code or endpoint carries a vendor's host.
  const fromText = vendorOfUnnamed(named, catalogHostOwner);
  return {
    ...scenario,
    errors: scenario.errors.map((e) => {
      if (e.vendor === undefined) {
        const vendor = fromText(e);
        return vendor === null ? e : { ...e, vendor };
      }
      return idOf(e.vendor) !== e.vendor ? { ...e, vendor: idOf(e.vendor) } : e;
    }),
    services: scenario.services.map((svc) => ({
      ...svc,
      dependsOn: svc.dependsOn.map((d) => ({ ...d, vendor: idOf(d.vendor) })),
    })),
  };
}

/** Decodes scenario text (the file's content); `source` names the file in the error. */
export function parseScenarioText(
  text: string,
  source = 'scenario',
): { scenario: Scenario; warnings: string[] } {
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (cause) {
    throw new ScenarioError(
      [`${source}: not valid JSON (${cause instanceof Error ? cause.message : String(cause)})`],
      {
        cause,
      },
    );
  }
  return parseScenario(raw);
}
