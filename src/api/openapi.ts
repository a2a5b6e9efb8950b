import { createRequire } from 'node:module';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { z } from 'zod';
import { checkQuerySchema, vendorVerdicts, type CheckAnswer } from '../core/check/types.js';
import { changeEventSchema, errorEventSchema, internalIncidentSchema } from '../core/contracts.js';
import { blindSpanSchema } from '../core/correlate/blind-spans.js';
import { suspectSchema } from '../core/detect/suspect.js';
import { instantSchema, vendorIncidentSchema, vendorStatusSchema } from '../core/model.js';
import { annotationVersionSchema } from '../store/annotations.js';
import type { SuspectList, VendorDetail } from '../store/vendor-detail.js';
import { pollHealthSchema } from '../store/vendors.js';
import { changeQuerySchema } from './changes-route.js';
import type { ApiServer } from './errors-route.js';
import { incidentPatchSchema, incidentQuerySchema } from './incidents-route.js';
import { digestSchema } from '../core/digest/types.js';
import { digestRunSchema } from '../store/digest-runs.js';
import { digestQuerySchema, digestRunsQuerySchema } from './digest-route.js';
import { suspectQuerySchema, vendorDetailQuerySchema } from './vendor-routes.js';
import { genericIncidentWebhookSchema } from './webhooks/generic.js';
import { githubDeploymentStatusSchema } from './webhooks/github.js';
import { opsgenieWebhookSchema } from './webhooks/opsgenie.js';
import { pagerdutyWebhookSchema } from './webhooks/pagerduty.js';

/*
 * The OpenAPI document, built from the zod schemas the routes validate with. The route modules stay
 * as they are; this catalog describes each of them once (method, path, scope, query, body,
 * answers), and a test fails when a /v1, webhook or health route exists that the catalog lacks.
 */

/** Who may call a route: a token scope, a webhook's own secret, or anyone. */
export type RouteAccess = 'read' | 'ingest' | 'signature' | 'open';

export interface RouteDoc {
  method: 'get' | 'post' | 'patch';
  /** Fastify's form: `/v1/incidents/:id`. */
  path: string;
  operationId: string;
  tag: 'errors' | 'incidents' | 'changes' | 'webhooks' | 'vendors' | 'support' | 'health';
  summary: string;
  description?: string;
  access: RouteAccess;
  query?: z.ZodType;
  /** Descriptions of query parameters, by name. */
  queryNotes?: Record<string, string>;
  /** Optional request headers the route reads, with what they do. */
  headers?: Record<string, string>;
  body?: { schema: z.ZodType; description?: string; ndjson?: boolean; form?: boolean };
  /** Success answers by status; the error answers of the route's access are added. */
  answers: Record<number, { description: string; schema?: z.ZodType }>;
}

const errorAnswer = z.object({ error: z.string().describe('What was wrong, naming the field') });
const rejection = z.object({ index: z.number().int(), reason: z.string() });
const storedIncident = internalIncidentSchema.extend({
  startedAt: instantSchema,
  resolvedAt: instantSchema.nullable(),
  title: z.string(),
  regions: z.array(z.string()),
  customers: z.array(z.string()),
});
const incidentChange = z.enum(['opened', 'updated', 'resolved', 'reopened']);
const storedChange = changeEventSchema.extend({ at: instantSchema });
const webhookAnswer = z.union([
  z.object({ incident: z.string(), change: incidentChange }),
  z.object({ change: z.string(), added: z.boolean() }),
  z.object({ ignored: z.string().describe('Why nothing was written') }),
]);
/** What the incident webhooks answer. */
const incidentWebhookAnswers = {
  202: { description: 'Applied or ignored', schema: webhookAnswer },
  422: { description: 'The payload cannot be mapped to an incident', schema: errorAnswer },
};
const vendorSummary = z.object({
  id: z.string(),
  name: z.string(),
  url: z.string(),
  status: vendorStatusSchema,
  health: pollHealthSchema,
  openIncidents: z.array(vendorIncidentSchema),
});
const { incidentId: _incidentId, ...versionFields } = annotationVersionSchema.shape;
const annotationAnswer = z.object({
  id: z.string().describe("Our incident's id"),
  ...versionFields,
  versions: z
    .array(
      z.object({
        version: z.number().int(),
        verdict: annotationVersionSchema.shape.verdict,
        top: z.string().nullable(),
        confidence: z.number().nullable(),
        annotatedAt: instantSchema,
        createdAt: instantSchema,
      }),
    )
    .optional()
    .describe('With history=true: every version, oldest first'),
});
const annotationQuery = z.strictObject({ history: z.enum(['true', 'false', '1', '0']).optional() });

const verdict = z.enum(vendorVerdicts);
const vendorCheck = z.object({
  vendor: z.string(),
  name: z.string(),
  verdict,
  summary: z.string(),
  score: z.number(),
  incidents: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      impact: z.string(),
      status: z.string(),
      startedAt: z.string(),
      resolvedAt: z.string().nullable(),
      url: z.string().optional(),
      regions: z.array(z.string()),
    }),
  ),
  suspect: z
    .object({
      id: z.string(),
      region: z.string(),
      since: z.string(),
      closedAt: z.string().nullable(),
      ackLagMinutes: z.number().nullable(),
    })
    .nullable(),
  ourErrors: z.object({
    ratePerMin: z.number(),
    baselinePerMin: z.number(),
    callsPerMin: z.number().nullable(),
    failureRatio: z.number().nullable(),
    services: z.array(z.string()),
    customers: z.number(),
  }),
  customer: z
    .object({
      id: z.string(),
      failures: z.number(),
      firstAt: z.string().nullable(),
      lastAt: z.string().nullable(),
    })
    .nullable(),
  freshness: z.object({
    lastReadAt: z.string().nullable(),
    ageMinutes: z.number().nullable(),
    stale: z.boolean(),
    blindReason: z.string().nullable(),
  }),
  evidence: z.array(z.string()),
});
/** Typed against the contract, so the document cannot drift from what the check answers. */
const checkAnswer: z.ZodType<CheckAnswer> = z.object({
  verdict,
  summary: z.string().describe('One plain sentence an agent can paste to a customer'),
  query: z.object({
    at: z.string(),
    vendor: z.string().nullable(),
    region: z.string().nullable(),
    regions: z.array(z.string()),
    service: z.string().nullable(),
    customer: z.string().nullable(),
  }),
  vendors: z.array(vendorCheck).describe('Ranked, most likely culprit first'),
  evidence: z.array(z.string()),
  ourErrors: z.object({ ratePerMin: z.number(), baselinePerMin: z.number(), services: z.array(z.string()) }),
  freshness: z.object({ oldestReadAt: z.string().nullable(), staleVendors: z.array(z.string()) }),
});
const suspectView = suspectSchema.extend({
  open: z.boolean(),
  durationMinutes: z.number(),
  unacknowledgedMinutes: z.number().nullable(),
});
const ackLag = z.object({
  acknowledged: z.number().int(),
  unacknowledged: z.number().int(),
  medianMinutes: z.number().nullable(),
  worstMinutes: z.number().nullable(),
});
const suspectList: z.ZodType<SuspectList> = z.object({ suspects: z.array(suspectView), ackLag });
const vendorDetail: z.ZodType<VendorDetail> = z.object({
  id: z.string(),
  name: z.string(),
  provider: z.string(),
  url: z.string(),
  components: z.array(z.string()),
  status: vendorStatusSchema,
  poll: pollHealthSchema.extend({
    blind: z.boolean(),
    blindReason: z.string().nullable(),
    blindSpans: z.array(blindSpanSchema),
  }),
  period: z.object({ from: z.string(), to: z.string() }),
  openIncidents: z.array(vendorIncidentSchema),
  incidents: z.array(vendorIncidentSchema),
  incidentsInPeriod: z.number().int(),
  suspects: z.array(suspectView),
  ackLag,
  errorRate: z.object({
    from: z.string(),
    to: z.string(),
    step: z.enum(['hour', 'minute']),
    points: z.array(z.object({ at: z.string(), errors: z.number(), calls: z.number().nullable() })),
    totalErrors: z.number(),
    clientErrors: z.number(),
    totalCalls: z.number().nullable(),
    errorRatio: z.number().nullable(),
    services: z.array(z.object({ service: z.string(), errors: z.number() })),
  }),
});

const timeNote = 'ISO-8601 or epoch milliseconds';

/** Every route of the API, as the document shows it. */
export const routeCatalog: readonly RouteDoc[] = [
  {
    method: 'post',
    path: '/v1/errors',
    operationId: 'ingestErrors',
    tag: 'errors',
    summary: 'Send error events of ours (one, a JSON array, or NDJSON)',
    description:
      'Each event is judged on its own: good ones are stored, bad ones listed with the field at fault. ' +
      'With `calls` and neither `code` nor `status`, an event is a pure call-volume report.',
    access: 'ingest',
    headers: {
      'Idempotency-Key':
        '1–200 printable ASCII characters, one per logical request and reused on its retries: a retry of a ' +
        'request that was stored (within ingest.dedupeWindow) answers 200 with the first answer and stores nothing.',
    },
    body: { schema: errorEventSchema, ndjson: true },
    answers: {
      200: {
        description: 'A retry with the Idempotency-Key of a request already stored: its first answer',
        schema: z.object({
          accepted: z.number().int(),
          rejected: z.array(rejection),
          rejectedCount: z.number().int(),
          replayed: z.literal(true),
        }),
      },
      202: {
        description: 'The good events are stored',
        schema: z.object({
          accepted: z.number().int(),
          rejected: z.array(rejection).describe('The first 1000 rejections'),
          rejectedCount: z.number().int(),
        }),
      },
      422: { description: 'The Idempotency-Key was used before with a different body', schema: errorAnswer },
      503: {
        description:
          'Redis did not confirm the write. `outcome` "not-stored": nothing was stored, retry later; "unknown": ' +
          'the events may still be stored when Redis answers, retry with the same Idempotency-Key',
        schema: errorAnswer.extend({ outcome: z.enum(['not-stored', 'unknown']) }),
      },
    },
  },
  {
    method: 'post',
    path: '/v1/incidents',
    operationId: 'upsertIncident',
    tag: 'incidents',
    summary: 'Create or replace one of our incidents by id',
    access: 'ingest',
    body: { schema: internalIncidentSchema },
    answers: {
      200: {
        description: 'Replaced',
        schema: z.object({ incident: storedIncident, change: incidentChange.nullable() }),
      },
      201: { description: 'Opened', schema: z.object({ incident: storedIncident, change: incidentChange }) },
    },
  },
  {
    method: 'patch',
    path: '/v1/incidents/:id',
    operationId: 'patchIncident',
    tag: 'incidents',
    summary: 'Change the title, resolution, regions or customers of one of our incidents',
    access: 'ingest',
    body: { schema: incidentPatchSchema },
    answers: {
      200: {
        description: 'Updated',
        schema: z.object({ incident: storedIncident, change: incidentChange.nullable() }),
      },
      404: { description: 'No such incident', schema: errorAnswer },
    },
  },
  {
    method: 'get',
    path: '/v1/incidents',
    operationId: 'listIncidents',
    tag: 'incidents',
    summary: 'Our incidents, newest start first',
    access: 'read',
    query: incidentQuerySchema,
    queryNotes: { from: timeNote, to: timeNote, open: 'Only incidents not resolved yet' },
    answers: {
      200: { description: 'The incidents', schema: z.object({ incidents: z.array(storedIncident) }) },
    },
  },
  {
    method: 'get',
    path: '/v1/incidents/:id',
    operationId: 'getIncident',
    tag: 'incidents',
    summary: 'One of our incidents',
    access: 'read',
    answers: {
      200: { description: 'The incident', schema: storedIncident },
      404: { description: 'No such incident', schema: errorAnswer },
    },
  },
  {
    method: 'get',
    path: '/v1/incidents/:id/annotation',
    operationId: 'getAnnotation',
    tag: 'incidents',
    summary: 'The latest annotation of one of our incidents: verdict, ranked candidates and evidence',
    access: 'read',
    query: annotationQuery,
    queryNotes: { history: "Include every version's verdict and top candidate" },
    answers: {
      200: { description: 'The annotation', schema: annotationAnswer },
      404: { description: 'Not evaluated yet', schema: errorAnswer },
    },
  },
  {
    method: 'post',
    path: '/v1/changes',
    operationId: 'ingestChanges',
    tag: 'changes',
    summary: 'Record deploys, config changes and flag flips (one or an array)',
    access: 'ingest',
    body: { schema: changeEventSchema },
    answers: {
      202: {
        description: 'Stored; duplicates (same id, else same service, kind, ref and at) counted apart',
        schema: z.object({
          added: z.number().int(),
          duplicates: z.number().int(),
          rejected: z.array(rejection),
        }),
      },
    },
  },
  {
    method: 'get',
    path: '/v1/changes',
    operationId: 'listChanges',
    tag: 'changes',
    summary: 'Our changes, newest first',
    access: 'read',
    query: changeQuerySchema,
    queryNotes: { from: timeNote, to: timeNote },
    answers: { 200: { description: 'The changes', schema: z.object({ changes: z.array(storedChange) }) } },
  },
  {
    method: 'post',
    path: '/v1/webhooks/pagerduty',
    operationId: 'pagerdutyWebhook',
    tag: 'webhooks',
    summary: 'PagerDuty v3 incident webhooks',
    description: 'Signed with `X-PagerDuty-Signature` (webhooks.pagerdutySecret).',
    access: 'signature',
    body: { schema: pagerdutyWebhookSchema },
    answers: incidentWebhookAnswers,
  },
  {
    method: 'post',
    path: '/v1/webhooks/opsgenie',
    operationId: 'opsgenieWebhook',
    tag: 'webhooks',
    summary: 'Opsgenie alert webhooks',
    description:
      'Authenticated by the shared token (webhooks.opsgenieToken) as `Authorization: Bearer` or `?token=`.',
    access: 'signature',
    query: z.object({ token: z.string().optional() }),
    queryNotes: { token: 'The shared Opsgenie token, when the sender cannot set a header' },
    body: { schema: opsgenieWebhookSchema },
    answers: incidentWebhookAnswers,
  },
  {
    method: 'post',
    path: '/v1/webhooks/github',
    operationId: 'githubWebhook',
    tag: 'webhooks',
    summary: 'GitHub deployment_status webhooks, recorded as deploys',
    description: 'Signed with `X-Hub-Signature-256` (webhooks.githubSecret); JSON or form encoding.',
    access: 'signature',
    body: { schema: githubDeploymentStatusSchema, form: true },
    answers: {
      200: { description: 'A ping', schema: z.object({ pong: z.literal(true) }) },
      202: { description: 'Recorded or ignored', schema: webhookAnswer },
      422: { description: 'The payload cannot be mapped to a deploy', schema: errorAnswer },
    },
  },
  {
    method: 'post',
    path: '/v1/webhooks/generic',
    operationId: 'genericWebhook',
    tag: 'webhooks',
    summary: 'Incidents from any tool: triggered or resolved',
    access: 'ingest',
    body: { schema: genericIncidentWebhookSchema },
    answers: incidentWebhookAnswers,
  },
  {
    method: 'get',
    path: '/v1/vendors',
    operationId: 'listVendors',
    tag: 'vendors',
    summary: "Each watched vendor's status, poll health and open incidents",
    access: 'read',
    answers: { 200: { description: 'The vendors', schema: z.object({ vendors: z.array(vendorSummary) }) } },
  },
  {
    method: 'get',
    path: '/v1/vendors/:id',
    operationId: 'getVendor',
    tag: 'vendors',
    summary: 'One vendor: status, health, incident history and our error rate on it',
    access: 'read',
    query: vendorDetailQuerySchema,
    queryNotes: {
      from: `Start of the incident history (${timeNote}; default 30 days before to)`,
      to: `End of the period (${timeNote}; default now)`,
      step: 'Our error-rate series: one point per hour or per minute',
    },
    answers: {
      200: { description: 'The vendor', schema: vendorDetail },
      404: { description: 'Not a watched vendor', schema: errorAnswer },
    },
  },
  {
    method: 'get',
    path: '/v1/check',
    operationId: 'checkVendors',
    tag: 'support',
    summary: 'Is a vendor at fault for this customer, region and time?',
    description:
      'Every parameter is optional. Without `vendor`, every vendor the service (or any of ours) depends ' +
      'on, ranked. Verdicts: ' +
      vendorVerdicts.join(', ') +
      '.',
    access: 'read',
    query: checkQuerySchema,
    queryNotes: {
      vendor: 'A watched vendor id; absent: every vendor, ranked',
      region: 'Free text read through the region taxonomy ("eu", "Frankfurt", "us-east-1")',
      at: 'ISO-8601 or a time with a zone name as agents paste it ("2024-04-04 21:00 CEST"); default now',
      service: 'One of our services; narrows the vendors to those it depends on',
      customer: "Whether that customer's requests failed on the vendor around `at`",
    },
    answers: { 200: { description: 'The answer', schema: checkAnswer } },
  },
  {
    method: 'get',
    path: '/v1/suspects',
    operationId: 'listSuspects',
    tag: 'support',
    summary: 'Open and recent suspected vendor issues, with acknowledgment lag',
    access: 'read',
    query: suspectQuerySchema,
    queryNotes: {
      open: 'Only those still open',
      from: `Suspects whose first spiking minute is at or after this (${timeNote}); default: open ones plus the last 7 days`,
      to: timeNote,
    },
    answers: { 200: { description: 'The suspected issues, newest first', schema: suspectList } },
  },
  {
    method: 'get',
    path: '/v1/digest',
    operationId: 'getDigest',
    tag: 'vendors',
    summary: 'The vendor-risk digest of a past period',
    description:
      'What each vendor cost us over the period against the periods before it. `format` picks the body: ' +
      'json (the schema below, as webhooks receive it), md (text/markdown), html (an email-safe page), ' +
      'slack (a Block Kit message as JSON).',
    access: 'read',
    query: digestQuerySchema,
    queryNotes: {
      date: "The period's last day in digest.timeZone (YYYY-MM-DD); default yesterday there",
      days: 'Days the period covers, ending with `date`; default digest.days',
      format: 'md, html, json or slack; default json',
    },
    answers: { 200: { description: 'The digest in the asked format', schema: digestSchema } },
  },
  {
    method: 'get',
    path: '/v1/digest/runs',
    operationId: 'listDigestRuns',
    tag: 'vendors',
    summary: 'Records of the scheduled digest runs, newest first',
    access: 'read',
    query: digestRunsQuerySchema,
    answers: {
      200: { description: 'The run records', schema: z.object({ runs: z.array(digestRunSchema) }) },
    },
  },
  {
    method: 'get',
    path: '/healthz',
    operationId: 'health',
    tag: 'health',
    summary: 'Liveness and Redis reachability',
    access: 'open',
    answers: {
      200: {
        description: 'Up',
        schema: z.object({ status: z.literal('ok'), redis: z.literal('ok'), vendors: z.number().int() }),
      },
      503: {
        description: 'Redis unreachable',
        schema: z.object({
          status: z.literal('degraded'),
          redis: z.literal('unreachable'),
          error: z.string(),
        }),
      },
    },
  },
  {
    method: 'get',
    path: '/readyz',
    operationId: 'ready',
    tag: 'health',
    summary: "Readiness: Redis answers and the loops of this process's roles are alive",
    description:
      'Worker role: the queue workers run and the error-stream loop completed a pass within 30 s (run in a ' +
      'supervised child process: that process is running). ' +
      'Scheduler role: the job schedulers (polls, suspects, annotations, alerts) are registered.',
    access: 'open',
    answers: {
      200: {
        description: 'Ready',
        schema: z.object({ status: z.literal('ready'), checks: z.record(z.string(), z.literal('ok')) }),
      },
      503: {
        description: 'Not ready: `notReady` names each failing check and why',
        schema: z.object({
          status: z.literal('not ready'),
          notReady: z.record(z.string(), z.string()),
          checks: z.record(z.string(), z.string()),
        }),
      },
    },
  },
];

type JsonSchema = Record<string, unknown>;

/** A zod schema as JSON Schema (draft 2020-12, as OpenAPI 3.1 uses); transforms show their input side. */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

/** `/v1/incidents/:id` → `/v1/incidents/{id}`. */
export function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

function parameters(route: RouteDoc): JsonSchema[] {
  const pathParams = [...route.path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => ({
    name: m[1],
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
  const headerParams = Object.entries(route.headers ?? {}).map(([name, description]) => ({
    name,
    in: 'header',
    required: false,
    schema: { type: 'string' },
    description,
  }));
  if (!route.query) return [...pathParams, ...headerParams];
  const query = jsonSchema(route.query, 'input');
  const properties = (query.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((query.required ?? []) as string[]);
  return [
    ...pathParams,
    ...Object.entries(properties).map(([name, schema]) => ({
      name,
      in: 'query',
      required: required.has(name),
      schema,
      ...(route.queryNotes?.[name] ? { description: route.queryNotes[name] } : {}),
    })),
    ...headerParams,
  ];
}

function requestBody(route: RouteDoc): JsonSchema | undefined {
  if (!route.body) return undefined;
  const one = jsonSchema(route.body.schema, 'input');
  // Ingest routes also take an array of the same items.
  const json = route.tag === 'webhooks' ? one : { oneOf: [one, { type: 'array', items: one }] };
  return {
    required: true,
    ...(route.body.description ? { description: route.body.description } : {}),
    content: {
      'application/json': { schema: json },
      ...(route.body.ndjson
        ? { 'application/x-ndjson': { schema: { type: 'string', description: 'One event per line' } } }
        : {}),
      ...(route.body.form
        ? {
            'application/x-www-form-urlencoded': {
              schema: {
                type: 'object',
                properties: { payload: { type: 'string', description: 'The JSON body' } },
              },
            },
          }
        : {}),
    },
  };
}

function responses(route: RouteDoc): JsonSchema {
  const errors: Record<number, string> = { 400: 'A bad input; the error names the field' };
  if (route.access === 'read' || route.access === 'ingest') {
    errors[401] = 'Missing or unknown bearer token';
    errors[403] = `The token lacks the "${route.access}" scope`;
    errors[429] = 'Rate limited; see Retry-After';
  }
  if (route.access === 'signature') {
    errors[401] = 'Missing or wrong signature or token';
    errors[503] = 'The webhook secret is not configured';
  }
  if (route.body) errors[413] = 'The body is larger than allowed';
  if (route.method === 'get' && !route.query) delete errors[400];
  const all: JsonSchema = {};
  for (const [status, text] of Object.entries(errors)) {
    all[status] = {
      description: text,
      content: { 'application/json': { schema: jsonSchema(errorAnswer, 'output') } },
    };
  }
  for (const [status, answer] of Object.entries(route.answers)) {
    all[status] = {
      description: answer.description,
      ...(answer.schema
        ? { content: { 'application/json': { schema: jsonSchema(answer.schema, 'output') } } }
        : {}),
    };
  }
  return all;
}

/** The OpenAPI 3.1 document of the API. */
export function buildOpenApiDocument(version: string): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of routeCatalog) {
    const body = requestBody(route);
    const params = parameters(route);
    (paths[openApiPath(route.path)] ??= {})[route.method] = {
      operationId: route.operationId,
      tags: [route.tag],
      summary: route.summary,
      description: [
        route.description,
        route.access === 'read' || route.access === 'ingest'
          ? `Needs a token with the \`${route.access}\` scope (or \`admin\`) once api.tokens is set.`
          : undefined,
      ]
        .filter(Boolean)
        .join('\n\n'),
      ...(params.length > 0 ? { parameters: params } : {}),
      ...(body ? { requestBody: body } : {}),
      responses: responses(route),
      security: route.access === 'read' || route.access === 'ingest' ? [{ bearer: [] }] : [],
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'upcause',
      version,
      description:
        'Is it us or the vendor? Correlates vendor status pages with our own errors. ' +
        'With no api.tokens configured the API is open (it binds to loopback by default).',
    },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    paths,
  };
}

/** Our version, from package.json (two levels up from source, three from the build). */
function packageVersion(): string {
  const require = createRequire(import.meta.url);
  for (const candidate of ['../../package.json', '../../../package.json']) {
    try {
      const version = (require(candidate) as { name?: string; version?: unknown }).version;
      if (typeof version === 'string') return version;
    } catch {
      // not here
    }
  }
  return '0.0.0';
}

/**
 * Serves the document at `/docs/json` (and `/docs/yaml`) and a browsable UI at `/docs`. No token is
 * needed: the document describes the API and holds no data.
 */
export function registerDocs(app: ApiServer): void {
  const document = buildOpenApiDocument(packageVersion());
  void app.register(fastifySwagger, { mode: 'static', specification: { document: document as never } });
  void app.register(fastifySwaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list' } });
}
