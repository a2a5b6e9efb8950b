import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { catalog } from '../providers/catalog.js';
import { providers } from '../providers/registry.js';
import { parseDuration, parseSize } from './core/time/duration.js';
import { ConfigError } from './core/errors.js';
import { resolveReferences } from './config-refs.js';
import { sinkEventSchema } from './core/alerts/types.js';
import { webhookSecretKey } from './delivery/sinks/webhook-secret.js';
import { digestFormatSchema } from './core/digest/types.js';
import { isIanaZone } from './core/time/time-zones.js';
import cron from 'node-cron';

const duration = (min: number) =>
  z.union([z.number(), z.string()]).transform((value, ctx) => {
    const ms = parseDuration(value);
    if (ms === null) {
      ctx.addIssue({
        code: 'custom',
        message: `expected a duration like "60s", "5m" or a number of seconds, got ${JSON.stringify(value)}`,
      });
      return z.NEVER;
    }
    if (ms < min) {
      ctx.addIssue({
        code: 'custom',
        message: `expected at least ${min / 1000}s, got ${JSON.stringify(value)}`,
      });
      return z.NEVER;
    }
    return ms;
  });

const size = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const bytes = parseSize(value);
  if (bytes === null || bytes < 1024) {
    ctx.addIssue({
      code: 'custom',
      message: `expected a size of at least 1KiB like "2MiB" or a number of bytes, got ${JSON.stringify(value)}`,
    });
    return z.NEVER;
  }
  return bytes;
});

const idSchema = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'expected lowercase letters, digits and dashes');

const vendorEntrySchema = z.union([
  idSchema,
  z.strictObject({
    id: idSchema,
    name: z.string().min(1).optional(),
    provider: z.string().min(1).optional(),
    url: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }).optional(),
    /** Only these components (globs, case-insensitive) are shown and matched. */
    components: z.array(z.string().min(1)).optional(),
    /** Provider settings (page id, feed path, selectors), checked by the provider. */
    options: z.record(z.string(), z.unknown()).optional(),
  }),
]);

const serviceSchema = z.strictObject({
  name: z.string().min(1),
  regions: z.array(z.string().min(1)).default([]),
  dependsOn: z
    .array(z.strictObject({ vendor: idSchema, components: z.array(z.string().min(1)).default([]) }))
    .default([]),
});

const tokenSchema = z.strictObject({
  name: z.string().min(1),
  token: z.string().min(16, 'expected a token of at least 16 characters'),
  scopes: z.array(z.enum(['ingest', 'read', 'metrics', 'admin'])).min(1),
});

const httpUrl = z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' });

/** A sink delivers only annotations at least this far towards "upstream", plus retractions (src/delivery/enqueue.ts). */
const minVerdictSchema = z.enum(['upstream', 'unclear', 'internal']).optional();

/** What a sink receives; annotations only unless it opts in to alerts or the digest. */
const eventsSchema = z
  .array(sinkEventSchema, { error: 'expected a list of events' })
  .min(1, 'expected at least one event')
  .default(['annotation']);
/** PagerDuty and Opsgenie take notes on incidents we took in from them: annotations only. */
const noteEventsSchema = z
  .array(z.literal('annotation', { error: 'this sink takes annotations only (notes on incidents)' }))
  .min(1)
  .default(['annotation']);

/** One webhook secret, or a non-empty list of them; each must be a Standard Webhooks secret. */
const webhookSecretsSchema = z
  .union([z.string(), z.array(z.string())], {
    error: 'expected a secret (whsec_…) or a list of secrets',
  })
  .superRefine((value, ctx) => {
    const list = typeof value === 'string' ? [value] : value;
    if (list.length === 0) ctx.addIssue({ code: 'custom', message: 'expected at least one secret' });
    list.forEach((secret, index) => {
      const parsed = webhookSecretKey(secret);
      if (!parsed.ok)
        ctx.addIssue({
          code: 'custom',
          path: typeof value === 'string' ? [] : [index],
          message: parsed.reason,
        });
    });
  });

// Secrets (webhook secret, Slack URL, tokens, API keys) live here and are never logged: sinks are
// logged by name only.
const sinkSchema = z.discriminatedUnion(
  'type',
  [
    z.strictObject({
      type: z.literal('webhook'),
      name: idSchema,
      url: httpUrl,
      /**
       * Standard Webhooks signing secret: `whsec_` and the base64 of the key bytes (or the bare base64),
       * or a list of them while rotating (every delivery is signed with each).
       */
      secret: webhookSecretsSchema,
      minVerdict: minVerdictSchema,
      events: eventsSchema,
    }),
    z.strictObject({
      type: z.literal('slack'),
      name: idSchema,
      /** The incoming-webhook URL (it is itself the credential). */
      url: httpUrl,
      minVerdict: minVerdictSchema,
      events: eventsSchema,
    }),
    z.strictObject({
      type: z.literal('pagerduty'),
      name: idSchema,
      /** REST API token (not an Events API routing key). */
      token: z.string().min(1, 'expected a PagerDuty REST API token'),
      /** Email of a PagerDuty user, sent as the `From` header that PagerDuty requires on writes. */
      from: z.email({ error: 'expected the email of a PagerDuty user' }),
      apiUrl: httpUrl.default('https://api.pagerduty.com'),
      minVerdict: minVerdictSchema,
      events: noteEventsSchema,
    }),
    z.strictObject({
      type: z.literal('opsgenie'),
      name: idSchema,
      apiKey: z.string().min(1, 'expected an Opsgenie API key'),
      /** https://api.eu.opsgenie.com for EU accounts. */
      apiUrl: httpUrl.default('https://api.opsgenie.com'),
      minVerdict: minVerdictSchema,
      events: noteEventsSchema,
    }),
  ],
  { error: 'expected type to be one of webhook, slack, pagerduty, opsgenie' },
);

const sinksSchema = z
  .array(sinkSchema)
  .default([])
  .superRefine((sinks, ctx) => {
    // The name is part of each delivery key and of the sink's disable state in Redis.
    const seen = new Set<string>();
    sinks.forEach((sink, index) => {
      if (seen.has(sink.name)) {
        ctx.addIssue({
          code: 'custom',
          path: [index, 'name'],
          message: `"${sink.name}" is used by another sink`,
        });
      }
      seen.add(sink.name);
    });
  });

/** The whole configuration file; every key has a default so an absent file still starts. */
export const configFileSchema = z.strictObject({
  redis: z
    .strictObject({
      url: z
        .string()
        .regex(/^rediss?:\/\//, 'expected a redis:// or rediss:// URL')
        .default('redis://127.0.0.1:6379'),
      /**
       * A Redis Cluster instead of one server: seed node URLs (any reachable masters; the rest are
       * discovered). When set, `url` is not used; the first node's credentials and TLS apply to all.
       */
      cluster: z
        .strictObject({
          nodes: z
            .array(
              z.string().regex(/^rediss?:\/\/[^/]+\/?$/, 'expected a redis://host:port URL (no database)'),
            )
            .min(1, 'expected at least one node URL'),
        })
        .optional(),
      /** Wrapped in a hash tag so every key lands in one Redis Cluster slot. */
      prefix: z
        .string()
        .regex(/^[A-Za-z0-9_-]+$/, 'expected letters, digits, "_" or "-"')
        .default('upcause'),
    })
    .prefault({}),
  vendors: z.array(vendorEntrySchema).default([]),
  services: z.array(serviceSchema).default([]),
  poll: z
    .strictObject({
      interval: duration(1000).default(60_000),
      timeout: duration(100).default(10_000),
      maxBodySize: size.default(2 * 1024 * 1024),
      /** Polls running at once in one worker process. */
      concurrency: z.number().int().min(1).max(256).default(16),
      /** Allow status pages on loopback or private addresses (self-hosted pages, tests). */
      allowPrivateNetworks: z.boolean().default(false),
      /** Thread time one poll's parsing may take before it is stopped and the vendor's poll fails. */
      parseTimeout: duration(10).default(5_000),
      /** Worker threads that parse vendor pages in one worker process. */
      parseThreads: z.number().int().min(1).max(64).default(2),
      /** Polls in a row that must show an incident resolved or reopened before the change is stored. */
      confirmPolls: z.number().int().min(1).max(10).default(2),
    })
    .prefault({}),
  api: z
    .strictObject({
      host: z.string().min(1).default('127.0.0.1'),
      port: z.coerce.number().int().min(0).max(65535).default(8080),
      tokens: z.array(tokenSchema).default([]),
      /**
       * Serve /v1 with no tokens on an address other than loopback. Off by default: such an API lets
       * anyone who reaches the port write errors and read everything.
       */
      allowUnauthenticated: z.boolean().default(false),
      /** Largest request body; bigger ones get 413. */
      maxBodySize: size.default(10 * 1024 * 1024),
      /** Requests per token (or per address without tokens) per minute; more get 429 with Retry-After. */
      rateLimit: z.number().int().min(1).default(6000),
      /** The web console served at `/`. */
      console: z
        .strictObject({
          /**
           * Signs the console's session cookie (at least 32 characters). Without it a random secret is
           * drawn at start, so sessions end when the process restarts.
           */
          sessionSecret: z.string().min(32, 'expected at least 32 characters').optional(),
          /** How long a console login lasts. */
          sessionTtl: duration(60_000).default(12 * 3_600_000),
          /**
           * A header set by a trusted reverse proxy that has already authenticated the user (e.g.
           * `x-forwarded-user`); when present on a request, the console trusts it as a read login.
           */
          trustedUserHeader: z
            .string()
            .regex(/^[a-z0-9-]+$/i, 'expected a header name')
            .optional(),
          /** Base URL at which people reach the console, for links in deliveries and digests. */
          publicUrl: z.url().optional(),
        })
        .prefault({}),
    })
    .prefault({}),
  ingest: z
    .strictObject({
      /** How long per-minute error buckets are kept. */
      retention: duration(60_000).default(30 * 86_400_000),
      /**
       * Approximate cap on the error stream, in ENTRIES (XADD MAXLEN ~); an entry may hold one event or a
       * batch of up to 500, so this bounds what a stalled consumer lets pile up.
       */
      streamMaxLen: z.number().int().min(1000).default(200_000),
      /** Entries read per XREADGROUP call. */
      batchSize: z.number().int().min(1).max(10_000).default(500),
      /** A producer's event `id` seen again within this window is counted once. */
      dedupeWindow: duration(1000).default(3_600_000),
      /** Entries left pending this long by a consumer that died are claimed by another. */
      claimAfter: duration(1000).default(30_000),
      /**
       * Deliveries of one stream entry that may fail to apply (its handling throws, or its consumer
       * dies on it) before it is moved to the dead-letter stream (`upcause dead-letters`).
       */
      maxTries: z.number().int().min(1).max(100).default(5),
      /** Approximate cap on the dead-letter stream, in entries (XADD MAXLEN ~). */
      deadLetterMaxLen: z.number().int().min(100).default(10_000),
      /**
       * Stream consumers (one name per worker process) idle this long with nothing pending are
       * deleted from their group: what a dead one held was claimed first, after claimAfter.
       */
      pruneConsumersAfter: duration(1000).default(3_600_000),
      /**
       * Failures kept per customer for the support check: at most this many distinct customers are
       * recorded per minute (the rest are counted as overflow), each kept for `retention`.
       */
      customersPerMinute: z.number().int().min(0).max(100_000).default(2000),
      /**
       * Error streams the ingest path is split into, each under its own Redis Cluster hash tag (see the
       * README's key table). 1 keeps every key in one slot; on a cluster, one per master spreads the
       * load. It may be raised on a running install, not lowered.
       */
      partitions: z.coerce.number().int().min(1).max(64).default(1),
    })
    .prefault({}),
  webhooks: z
    .strictObject({
      /** PagerDuty v3 webhook signing secret (X-PagerDuty-Signature). */
      pagerdutySecret: z.string().min(8).optional(),
      /** GitHub webhook secret (X-Hub-Signature-256). */
      githubSecret: z.string().min(8).optional(),
      /** Opsgenie does not sign; a shared token expected in the `token` query parameter or bearer header. */
      opsgenieToken: z.string().min(8).optional(),
    })
    .prefault({}),
  /** Where annotations, alerts and digests are delivered (src/delivery/). */
  sinks: sinksSchema,
  /** The daily vendor-risk digest (src/core/digest/, workers/digest-scheduler.ts). */
  digest: z
    .strictObject({
      /** Run on schedule in the scheduler role; `upcause digest` and GET /v1/digest work either way. */
      enabled: z.boolean().default(true),
      /** A cron expression (5 fields, or 6 with seconds first), read in `timeZone`. */
      schedule: z
        .string()
        .refine((expr) => cron.validate(expr), { error: 'expected a cron expression like "0 8 * * *"' })
        .default('0 8 * * *'),
      /** IANA time zone of the schedule and of the digest's day boundaries. */
      timeZone: z
        .string()
        .refine((zone) => isIanaZone(zone), { error: 'expected an IANA time zone like "Europe/Paris"' })
        .default('UTC'),
      /** Days each digest covers, ending the day before the run. */
      days: z.number().int().min(1).max(31).default(1),
      /** Also write each scheduled digest into this directory, one file per format. */
      directory: z.string().min(1).optional(),
      /** The formats written to `directory`. */
      formats: z.array(digestFormatSchema).min(1).default(['md', 'html', 'json']),
      /** A run missed while no scheduler was up is made up for when one starts within this long. */
      catchUp: duration(60_000).default(24 * 3_600_000),
    })
    .prefault({}),
  /** Alerts to sinks that opt in with `events` (src/core/alerts/). */
  alerts: z
    .strictObject({
      /** A vendor page unreadable this long raises `vendor-unreadable`. */
      unreadableAfter: duration(60_000).default(10 * 60_000),
      /**
       * Damping: a recovery is sent once the condition has stayed clear this long, so a page flipping
       * red and green yields one alert and one recovery.
       */
      settleAfter: duration(60_000).default(15 * 60_000),
    })
    .prefault({}),
  /** The Prometheus endpoint `/metrics` (src/metrics/). */
  metrics: z
    .strictObject({
      /** How often each process writes its counters to Redis for the API processes' `/metrics` to merge. */
      publishInterval: duration(1000).default(10_000),
    })
    .prefault({}),
  /**
   * How long history is kept in Redis; a trimming job in the worker role deletes what is older, in
   * batches, every `trimEvery`. Never trimmed: open incidents, open vendor incidents, open suspects,
   * what an open incident's annotation refers to, and an annotation version not yet handed to delivery.
   */
  retention: z
    .strictObject({
      /** Resolved incidents, counted from their resolution, with their annotations. */
      incidents: duration(60_000).default(90 * 86_400_000),
      /** Annotations of resolved (or deleted) incidents, counted from their latest version. */
      annotations: duration(60_000).default(90 * 86_400_000),
      /** Our changes (deploys, config, flags), counted from their time. */
      changes: duration(60_000).default(90 * 86_400_000),
      /** Closed suspected vendor issues, counted from their close. */
      suspects: duration(60_000).default(90 * 86_400_000),
      /** Resolved vendor incidents, counted from their resolution. */
      vendorIncidents: duration(60_000).default(180 * 86_400_000),
      /** Stream entries (change notices; error events every consumer group has acknowledged), by entry age. */
      streams: duration(60_000).default(7 * 86_400_000),
      /** Scheduled digest run records. */
      digestRuns: duration(60_000).default(365 * 86_400_000),
      /** Alerts in the alert log (each new alert also drops those over 30 days old). */
      alerts: duration(60_000).default(30 * 86_400_000),
      /** How often the trimming job runs. */
      trimEvery: duration(10_000).default(5 * 60_000),
      /** Keys (or stream entries, ×10) looked at per batch; a run does a bounded number of batches. */
      batchSize: z.number().int().min(10).max(10_000).default(500),
    })
    .prefault({}),
  log: z
    .strictObject({
      level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    })
    .prefault({}),
});

/** A vendor to poll, resolved against the catalog. */
export interface WatchedVendor {
  id: string;
  name: string;
  provider: string;
  url: string;
  options?: Record<string, unknown>;
  components: string[];
}

export type FileConfig = z.infer<typeof configFileSchema>;
/** One configured sink, as resolved: API base URLs without a trailing slash. */
export type SinkConfig = FileConfig['sinks'][number];

export interface Config extends Omit<
  FileConfig,
  'vendors' | 'poll' | 'api' | 'ingest' | 'sinks' | 'digest' | 'alerts' | 'metrics' | 'retention'
> {
  sinks: SinkConfig[];
  digest: Omit<FileConfig['digest'], 'catchUp'> & { catchUpMs: number };
  alerts: { unreadableAfterMs: number; settleAfterMs: number };
  metrics: { publishIntervalMs: number };
  retention: {
    incidentsMs: number;
    annotationsMs: number;
    changesMs: number;
    suspectsMs: number;
    vendorIncidentsMs: number;
    streamsMs: number;
    digestRunsMs: number;
    alertsMs: number;
    trimEveryMs: number;
    batchSize: number;
  };
  api: Omit<FileConfig['api'], 'maxBodySize'> & { maxBodyBytes: number };
  ingest: {
    retentionMs: number;
    streamMaxLen: number;
    batchSize: number;
    dedupeWindowMs: number;
    claimAfterMs: number;
    customersPerMinute: number;
    maxTries: number;
    deadLetterMaxLen: number;
    pruneConsumersAfterMs: number;
    partitions: number;
  };
  vendors: WatchedVendor[];
  poll: {
    intervalMs: number;
    timeoutMs: number;
    maxBodyBytes: number;
    concurrency: number;
    allowPrivateNetworks: boolean;
    parseTimeoutMs: number;
    parseThreads: number;
    confirmPolls: number;
  };
  /** Where the config came from, for the start-up log. */
  source: string;
}

/** Vendors watched when no config file exists, so a fresh install shows something real. */
export const builtInDefault = { vendors: ['github', 'cloudflare', 'twilio'] };

const envOverrides: Array<{ env: string; path: [string, string] }> = [
  { env: 'REDIS_URL', path: ['redis', 'url'] },
  { env: 'UPCAUSE_REDIS_PREFIX', path: ['redis', 'prefix'] },
  { env: 'PORT', path: ['api', 'port'] },
  { env: 'UPCAUSE_API_HOST', path: ['api', 'host'] },
  { env: 'UPCAUSE_POLL_INTERVAL', path: ['poll', 'interval'] },
  { env: 'UPCAUSE_LOG_LEVEL', path: ['log', 'level'] },
  { env: 'UPCAUSE_INGEST_PARTITIONS', path: ['ingest', 'partitions'] },
];

/** Redis Cluster seed nodes, comma-separated (`redis://127.0.0.1:7000,redis://127.0.0.1:7001`). */
const clusterEnvVar = 'UPCAUSE_REDIS_CLUSTER_NODES';

/** Adds an admin API token named `env` (a container's token without writing it into the file). */
const tokenEnvVar = 'UPCAUSE_API_TOKEN';

/** Environment variables the config honours, for docs and `--help`. */
export const configEnvVars = [
  ...envOverrides.map((o) => `${o.env} → ${o.path.join('.')}`),
  `${clusterEnvVar} → redis.cluster.nodes (comma-separated)`,
  `${tokenEnvVar} → api.tokens (+ { name: env, scopes: [admin] })`,
];

function formatPath(segments: ReadonlyArray<PropertyKey>): string {
  return segments
    .map((s, i) => (typeof s === 'number' ? `[${s}]` : `${i === 0 ? '' : '.'}${String(s)}`))
    .join('');
}

/** Parses a config object (the YAML document) with env overrides applied; throws ConfigError naming the key. */
export function parseConfig(raw: unknown, env: Record<string, string | undefined>, source: string): Config {
  if (raw !== null && raw !== undefined && (typeof raw !== 'object' || Array.isArray(raw))) {
    throw new ConfigError(`${source}: expected a mapping of settings at the top level`);
  }
  const doc: Record<string, unknown> = { ...(raw as Record<string, unknown> | null | undefined) };
  const fromEnv = new Map<string, string>();
  for (const {
    env: name,
    path: [section, key],
  } of envOverrides) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    const current = doc[section];
    doc[section] = { ...(typeof current === 'object' && current !== null ? current : {}), [key]: value };
    fromEnv.set(`${section}.${key}`, name);
  }
  const clusterNodes = env[clusterEnvVar];
  if (clusterNodes !== undefined && clusterNodes.trim() !== '') {
    const redis = (typeof doc.redis === 'object' && doc.redis !== null ? doc.redis : {}) as Record<
      string,
      unknown
    >;
    const nodes = clusterNodes
      .split(',')
      .map((node) => node.trim())
      .filter((node) => node !== '');
    doc.redis = { ...redis, cluster: { nodes } };
    fromEnv.set('redis.cluster.nodes', clusterEnvVar);
    nodes.forEach((_, i) => fromEnv.set(`redis.cluster.nodes[${i}]`, clusterEnvVar));
  }
  const envToken = env[tokenEnvVar];
  if (envToken !== undefined && envToken !== '') {
    const api = (typeof doc.api === 'object' && doc.api !== null ? doc.api : {}) as Record<string, unknown>;
    const tokens = Array.isArray(api.tokens) ? api.tokens : [];
    doc.api = { ...api, tokens: [...tokens, { name: 'env', token: envToken, scopes: ['admin'] }] };
    fromEnv.set(`api.tokens[${tokens.length}].token`, tokenEnvVar);
  }
  // `${ENV}` and `file:` references in secrets, tokens and URLs, before the schema judges them.
  const unresolved: string[] = [];
  const resolved = resolveReferences(doc, env, unresolved);
  if (unresolved.length > 0)
    throw new ConfigError(`invalid configuration in ${source}:\n${unresolved.join('\n')}`);
  const parsed = configFileSchema.safeParse(resolved);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const key = formatPath(issue.path);
      const envName = fromEnv.get(key);
      return `  ${key || '(top level)'}${envName ? ` (from ${envName})` : ''}: ${issue.message}`;
    });
    throw new ConfigError(`invalid configuration in ${source}:\n${lines.join('\n')}`);
  }
  return resolve(parsed.data, source);
}

function resolve(file: FileConfig, source: string): Config {
  const problems: string[] = [];
  const vendors: WatchedVendor[] = [];
  file.vendors.forEach((entry, index) => {
    const spec = typeof entry === 'string' ? { id: entry } : entry;
    const known = catalog.get(spec.id);
    const name = spec.name ?? known?.name;
    const provider = spec.provider ?? known?.provider;
    const url = spec.url ?? known?.url;
    if (!name || !provider || !url) {
      problems.push(
        `  vendors[${index}]: "${spec.id}" is not in the catalog; give name, provider and url (see \`upcause catalog\`)`,
      );
      return;
    }
    if (vendors.some((v) => v.id === spec.id))
      problems.push(`  vendors[${index}]: "${spec.id}" is listed twice`);
    const platform = providers.get(provider);
    if (!platform) {
      problems.push(
        `  vendors[${index}].provider: "${provider}" is not one of ${[...providers.keys()].join(', ')}`,
      );
      return;
    }
    // Catalog options are defaults; an entry's own options replace them whole.
    const rawOptions = spec.options ?? known?.options;
    let options: Record<string, unknown> | undefined;
    if (platform.optionsSchema) {
      const parsed = platform.optionsSchema.safeParse(rawOptions ?? {});
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const where = issue?.path.length ? `.${issue.path.join('.')}` : '';
        problems.push(
          `  vendors[${index}].options${where}: ${issue?.message ?? 'invalid'} (provider ${provider})`,
        );
        return;
      }
      options = parsed.data;
    }
    vendors.push({
      id: spec.id,
      name,
      provider,
      url: url.replace(/\/+$/, ''),
      ...(options ? { options } : {}),
      components: spec.components ?? [],
    });
  });
  file.services.forEach((service, s) => {
    service.dependsOn.forEach((dep, d) => {
      if (!vendors.some((v) => v.id === dep.vendor)) {
        problems.push(
          `  services[${s}].dependsOn[${d}].vendor: "${dep.vendor}" is not one of the watched vendors`,
        );
      }
    });
  });
  if (problems.length > 0)
    throw new ConfigError(`invalid configuration in ${source}:\n${problems.join('\n')}`);
  const { maxBodySize, interval, timeout, parseTimeout, ...poll } = file.poll;
  const { retention, dedupeWindow, claimAfter, pruneConsumersAfter, ...ingest } = file.ingest;
  const { maxBodySize: apiMaxBodySize, ...api } = file.api;
  const { catchUp, ...digest } = file.digest;
  return deepFreeze({
    ...file,
    sinks: file.sinks.map((sink) =>
      'apiUrl' in sink ? { ...sink, apiUrl: sink.apiUrl.replace(/\/+$/, '') } : sink,
    ),
    vendors,
    poll: {
      ...poll,
      intervalMs: interval,
      timeoutMs: timeout,
      maxBodyBytes: maxBodySize,
      parseTimeoutMs: parseTimeout,
    },
    api: { ...api, maxBodyBytes: apiMaxBodySize },
    digest: { ...digest, catchUpMs: catchUp },
    alerts: { unreadableAfterMs: file.alerts.unreadableAfter, settleAfterMs: file.alerts.settleAfter },
    metrics: { publishIntervalMs: file.metrics.publishInterval },
    retention: {
      incidentsMs: file.retention.incidents,
      annotationsMs: file.retention.annotations,
      changesMs: file.retention.changes,
      suspectsMs: file.retention.suspects,
      vendorIncidentsMs: file.retention.vendorIncidents,
      streamsMs: file.retention.streams,
      digestRunsMs: file.retention.digestRuns,
      alertsMs: file.retention.alerts,
      trimEveryMs: file.retention.trimEvery,
      batchSize: file.retention.batchSize,
    },
    ingest: {
      ...ingest,
      retentionMs: retention,
      dedupeWindowMs: dedupeWindow,
      claimAfterMs: claimAfter,
      pruneConsumersAfterMs: pruneConsumersAfter,
    },
    source,
  });
}

/**
 * Loads the config: `--config`, else UPCAUSE_CONFIG, else ./upcause.yaml. An explicitly named file must
 * exist; the default path may be absent, and then the built-in default is used.
 */
export function loadConfig(options: {
  path?: string;
  env: Record<string, string | undefined>;
  cwd?: string;
}): Config {
  const explicit = options.path || options.env.UPCAUSE_CONFIG || undefined;
  const file = path.resolve(options.cwd ?? '.', explicit ?? 'upcause.yaml');
  if (!existsSync(file)) {
    if (explicit) throw new ConfigError(`config file not found: ${file}`);
    return parseConfig(builtInDefault, options.env, 'built-in default (no upcause.yaml)');
  }
  // A container bind mount of a file that did not exist on the host creates an empty directory.
  if (statSync(file).isDirectory()) {
    throw new ConfigError(
      `config path ${file} is a directory, not a file (a bind mount of a missing file creates one); point it at a YAML file`,
    );
  }
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(`${file}: not valid YAML: ${(error as Error).message}`);
  }
  return parseConfig(raw ?? {}, options.env, file);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}
