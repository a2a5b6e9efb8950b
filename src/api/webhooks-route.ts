import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ChangeStore } from '../store/changes.js';
import type { IncidentStore } from '../store/incidents.js';
import { actionTimeProblems } from './incident-times.js';
import { mapGenericWebhook, planIncident, type IncidentAction } from './webhooks/generic.js';
import { mapGitHubWebhook, verifyGitHubSignature } from './webhooks/github.js';
import { mapOpsgenieWebhook } from './webhooks/opsgenie.js';
import { mapPagerDutyWebhook, verifyPagerDutySignature } from './webhooks/pagerduty.js';
import {
  bearerToken,
  installApiErrorHandler,
  redactingLogSerializers,
  requireScope,
  secretEquals,
} from './auth.js';
import type { ApiServer, RouteDeps } from './errors-route.js';
import { createRateLimiter, rateLimitHook } from './rate-limit.js';

/** Webhook bodies are small; a bigger one is not from a sender we know. */
const webhookBodyLimit = 1024 * 1024;

export interface WebhookRouteDeps extends RouteDeps {
  incidents: IncidentStore;
  changes: ChangeStore;
  now?: () => number;
}

/** The body as the sender's bytes: signatures are over these, never over re-serialized JSON. */
function rawBody(request: FastifyRequest): Buffer {
  return Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
}

/** JSON, or GitHub's form encoding (`payload=<json>`), from the raw bytes. */
function parseBody(
  request: FastifyRequest,
  raw: Buffer,
): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    const contentType = String(request.headers['content-type'] ?? '');
    const text = contentType.startsWith('application/x-www-form-urlencoded')
      ? (new URLSearchParams(raw.toString('utf8')).get('payload') ?? '')
      : raw.toString('utf8');
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, error: `body is not valid JSON: ${(error as Error).message.slice(0, 200)}` };
  }
}

function notConfigured(reply: FastifyReply, setting: string) {
  // Never accept unsigned deliveries silently: without the secret we cannot tell who sent them.
  return reply.code(503).send({ error: `webhook not configured: set ${setting}` });
}

/**
 * Inbound webhooks: `POST /v1/webhooks/pagerduty` (X-PagerDuty-Signature), `/v1/webhooks/opsgenie`
 * (shared token as bearer or `?token=`), `/v1/webhooks/github` (X-Hub-Signature-256, deployment_status)
 * and `/v1/webhooks/generic` (bearer token with the ingest scope). Signatures are checked over the raw
 * body in constant time; 401 when wrong, 503 when the secret is not configured. Answers 202 with
 * `{incident, change}`, `{change, added}` or `{ignored: reason}`; 422 when the payload cannot be mapped.
 */
export function registerWebhookRoutes(app: ApiServer, deps: WebhookRouteDeps): void {
  const { config, redis, keys, logger, incidents, changes } = deps;
  const now = deps.now ?? Date.now;
  const services = config.services.map((s) => s.name);
  const limiter = createRateLimiter({ redis, keys, limit: config.api.rateLimit, logger });
  const log = logger.child({ component: 'webhooks' });
  const bodyLimit = Math.min(config.api.maxBodyBytes, webhookBodyLimit);

  async function applyIncident(source: string, action: IncidentAction, reply: FastifyReply) {
    if (action.kind === 'invalid') return reply.code(422).send({ error: action.reason });
    if (action.kind === 'ignore') return reply.code(202).send({ ignored: action.reason });
    // Times the server's clock says cannot be: refused, not stored (a start in 2034 would stay open forever).
    const problems = actionTimeProblems(action, now());
    if (problems.length > 0) {
      log.info({ source, problems }, 'webhook refused: impossible incident times');
      return reply.code(400).send({ error: problems.join('; ') });
    }
    const id = action.kind === 'open' ? action.incident.id : action.id;
    let ignored: string | null = null;
    const written = await incidents.update(id, (before) => {
      const plan = planIncident(before, action);
      if ('ignore' in plan) {
        ignored = plan.ignore;
        return null;
      }
      return plan.write;
    });
    if (ignored !== null || !written) {
      log.info({ source, incident: id, ignored }, 'webhook ignored');
      return reply.code(202).send({ ignored: ignored ?? `incident ${id} unchanged` });
    }
    log.info({ source, incident: id, change: written.change }, 'incident updated from webhook');
    return reply.code(202).send({ incident: id, change: written.change });
  }

  app.register(
    async (scope) => {
      installApiErrorHandler(scope, { bodyLimit, accepts: 'application/json' });
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

      scope.post('/v1/webhooks/pagerduty', { bodyLimit }, async (request, reply) => {
        const secret = config.webhooks.pagerdutySecret;
        if (!secret) return notConfigured(reply, 'webhooks.pagerdutySecret');
        const raw = rawBody(request);
        const header = request.headers['x-pagerduty-signature'];
        if (!verifyPagerDutySignature(raw, typeof header === 'string' ? header : undefined, secret)) {
          return reply.code(401).send({ error: 'missing or invalid X-PagerDuty-Signature' });
        }
        const body = parseBody(request, raw);
        if (!body.ok) return reply.code(400).send({ error: body.error });
        return applyIncident('pagerduty', mapPagerDutyWebhook(body.value, services), reply);
      });

      scope.post<{ Querystring: { token?: string } }>(
        '/v1/webhooks/opsgenie',
        { bodyLimit },
        async (request, reply) => {
          const expected = config.webhooks.opsgenieToken;
          if (!expected) return notConfigured(reply, 'webhooks.opsgenieToken');
          const presented = bearerToken(request.headers.authorization) ?? request.query.token;
          if (typeof presented !== 'string' || !secretEquals(presented, expected)) {
            return reply.code(401).send({
              error: 'missing or wrong Opsgenie token (send Authorization: Bearer <token> or ?token=)',
            });
          }
          const body = parseBody(request, rawBody(request));
          if (!body.ok) return reply.code(400).send({ error: body.error });
          return applyIncident('opsgenie', mapOpsgenieWebhook(body.value, services, now()), reply);
        },
      );

      scope.post('/v1/webhooks/github', { bodyLimit }, async (request, reply) => {
        const secret = config.webhooks.githubSecret;
        if (!secret) return notConfigured(reply, 'webhooks.githubSecret');
        const raw = rawBody(request);
        const header = request.headers['x-hub-signature-256'];
        if (!verifyGitHubSignature(raw, typeof header === 'string' ? header : undefined, secret)) {
          return reply.code(401).send({ error: 'missing or invalid X-Hub-Signature-256' });
        }
        const event = request.headers['x-github-event'];
        const eventName = typeof event === 'string' ? event : undefined;
        if (eventName === 'ping') return reply.code(200).send({ pong: true });
        const body = parseBody(request, raw);
        if (!body.ok) return reply.code(400).send({ error: body.error });
        const action = mapGitHubWebhook(eventName, body.value, services);
        if (action.kind === 'invalid') return reply.code(422).send({ error: action.reason });
        if (action.kind === 'ignore') return reply.code(202).send({ ignored: action.reason });
        const [added] = await changes.add([action.change]);
        log.info({ source: 'github', change: action.change.id, added }, 'deploy recorded from webhook');
        return reply.code(202).send({ change: action.change.id, added: added === true });
      });

      scope.post(
        '/v1/webhooks/generic',
        { bodyLimit, onRequest: [requireScope(config, 'ingest'), rateLimitHook(config, limiter)] },
        async (request, reply) => {
          const body = parseBody(request, rawBody(request));
          if (!body.ok) return reply.code(400).send({ error: body.error });
          return applyIncident('generic', mapGenericWebhook(body.value), reply);
        },
      );
    },
    { logSerializers: redactingLogSerializers },
  );
}
