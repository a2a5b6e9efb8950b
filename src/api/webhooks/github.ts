import { z } from 'zod';
import { eventTimeSchema, type ChangeEvent } from '../../core/contracts.js';
import { clip, describeIssues, hmacSha256HexMatches, resolveService, type ChangeAction } from './generic.js';

// GitHub `deployment_status` webhooks (docs.github.com "Webhook events and payloads", and the
// octokit/webhooks payload examples): `{ action: "created", deployment_status: { id, state,
// environment, created_at, updated_at, … }, deployment: { id, sha, ref, task, environment, payload,
// … }, repository: { name, full_name, … } }`, signed with `X-Hub-Signature-256: sha256=<hex HMAC-SHA256
// of the raw body>`.
//
// Mapping: a `success` state becomes a change {kind: deploy, at: deployment_status.updated_at, ref:
// deployment.sha (else ref), id: `gh-deployment-<deployment.id>`} for the service named by
// `deployment.payload.service`, else the repository name (matched to a configured service by
// `resolveService`). Other states (pending, queued, in_progress, failure, error, inactive) and
// deployments to non-production environments (staging, preview, dev, test, qa, sandbox) are ignored:
// neither can have broken production.

/** The `X-Hub-Signature-256` check over the raw body bytes. */
export function verifyGitHubSignature(rawBody: Buffer, header: string | undefined, secret: string): boolean {
  const match = /^sha256=([0-9a-fA-F]+)$/.exec(header?.trim() ?? '');
  return match ? hmacSha256HexMatches(rawBody, secret, [match[1]!]) : false;
}

export const githubDeploymentStatusSchema = z.object({
  deployment_status: z.object({
    id: z.number().or(z.string()),
    state: z.string().min(1),
    environment: z.string().optional(),
    description: z.string().nullish(),
    created_at: eventTimeSchema,
    updated_at: eventTimeSchema.optional(),
  }),
  deployment: z.object({
    id: z.number().or(z.string()),
    sha: z.string().nullish(),
    ref: z.string().nullish(),
    environment: z.string().nullish(),
    // A JSON object, or (older API clients) a JSON string of one.
    payload: z.union([z.record(z.string(), z.unknown()), z.string()]).nullish(),
  }),
  repository: z.object({ name: z.string().min(1), full_name: z.string().optional() }),
});

const nonProduction =
  /(^|[^a-z])(staging|stage|preview|review|dev|development|test|testing|qa|sandbox)([^a-z]|$)/i;

function payloadService(payload: Record<string, unknown> | string | null | undefined): string | undefined {
  let value: unknown = payload;
  if (typeof payload === 'string') {
    try {
      value = JSON.parse(payload);
    } catch {
      return undefined;
    }
  }
  const service = (value as Record<string, unknown> | null | undefined)?.service;
  return typeof service === 'string' && service.trim() ? service : undefined;
}

/** Maps one GitHub webhook (its `X-GitHub-Event` name and body) to a change action. */
export function mapGitHubWebhook(
  eventName: string | undefined,
  body: unknown,
  services: ReadonlyArray<string>,
): ChangeAction {
  if (eventName !== 'deployment_status') {
    return { kind: 'ignore', reason: `GitHub event ${eventName ?? '(none)'} is not deployment_status` };
  }
  const parsed = githubDeploymentStatusSchema.safeParse(body);
  if (!parsed.success) return { kind: 'invalid', reason: describeIssues(parsed.error.issues, body, '') };
  const { deployment_status: status, deployment, repository } = parsed.data;
  if (status.state !== 'success') {
    return { kind: 'ignore', reason: `deployment state ${status.state} is not a completed deploy` };
  }
  const environment = status.environment ?? deployment.environment ?? '';
  if (nonProduction.test(environment)) {
    return { kind: 'ignore', reason: `deployment to non-production environment ${environment}` };
  }
  const service = resolveService([payloadService(deployment.payload), repository.name], services);
  if (!service) return { kind: 'invalid', reason: 'repository.name: no service to attribute the deploy to' };
  const ref = deployment.sha || deployment.ref || undefined;
  const change: ChangeEvent = {
    at: status.updated_at ?? status.created_at,
    service,
    kind: 'deploy',
    ...(ref ? { ref: clip(ref) } : {}),
    description: clip(
      `${repository.full_name ?? repository.name}${deployment.ref ? ` ${deployment.ref}` : ''} deployed${environment ? ` to ${environment}` : ''}`,
      2000,
    ),
    id: clip(`gh-deployment-${deployment.id}`),
  };
  return { kind: 'change', change };
}
