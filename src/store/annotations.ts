import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { candidateSchema, type Annotation, type Candidate } from '../core/correlate/types.js';
import { instantSchema } from '../core/model.js';
import type { Keys } from './keys.js';
import type { RedisClient } from './redis.js';

/*
 * Versioned annotations of our incidents. An evaluation that changes the verdict or the top candidate
 * (vendor + vendor incident or suspected issue) is a new version and is delivered; one that only moves
 * confidence or evidence rewrites the latest version in place and is not. Layout, under the root:
 *   `<root>:ann:<incidentId>`  hash: `latest` → N, `evaluatedAt` → epoch ms of the newest evaluation,
 *                              `v:<N>` → version JSON, `d:<N>` → set once version N was handed to delivery
 *   `<root>:anns`              sorted set: incident id by the time its latest version was created
 */

/** One stored version of an incident's annotation. */
export const annotationVersionSchema = z.object({
  incidentId: z.string().min(1),
  version: z.number().int().min(1),
  verdict: z.enum(['upstream', 'unclear', 'internal']),
  /** When this verdict was first reached (carried over when only the top candidate changed). */
  annotatedAt: instantSchema,
  /** When this version was created. */
  createdAt: instantSchema,
  /** The newest evaluation that confirmed it. */
  evaluatedAt: instantSchema,
  /** "vendor/incident-or-suspect id" of the top candidate; null when there is none. */
  top: z.string().nullable(),
  candidates: z.array(candidateSchema),
  notes: z.array(z.string()).default([]),
});
export type AnnotationVersion = z.infer<typeof annotationVersionSchema>;

/** What recording an evaluation did. `deliver`: hand this version to delivery (it never was). */
export type RecordOutcome =
  | { kind: 'created'; version: AnnotationVersion; deliver: true }
  | { kind: 'updated' | 'unchanged'; version: AnnotationVersion; deliver: boolean }
  /** An evaluation at an earlier time than the stored one (a slow worker): ignored. */
  | { kind: 'stale'; version: AnnotationVersion; deliver: false };

/** The top candidate as the versioning compares it: vendor plus its incident or suspect, else the vendor. */
export function candidateKey(candidate: Candidate | undefined): string | null {
  if (!candidate) return null;
  const ref = candidate.vendorIncidentId ?? candidate.suspectedIssueId;
  return ref ? `${candidate.vendor}/${ref}` : candidate.vendor;
}

/** The annotation a version stands for (the replay contract's item). */
export function toAnnotation(v: AnnotationVersion): Annotation {
  return {
    id: v.incidentId,
    verdict: v.verdict,
    annotatedAt: v.annotatedAt,
    candidates: v.candidates,
    ...(v.notes.length > 0 ? { notes: v.notes } : {}),
  };
}

/** Thrown when the versions of one incident keep changing under a writer. */
export class AnnotationConflictError extends Error {
  override readonly name = 'AnnotationConflictError';
}

// Compare-and-set on (latest, evaluatedAt): a writer that read an older state retries with the new one.
const casScript = `
local latest = redis.call('HGET', KEYS[1], 'latest') or '0'
local evaluated = redis.call('HGET', KEYS[1], 'evaluatedAt') or ''
if latest ~= ARGV[1] or evaluated ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], 'v:' .. ARGV[3], ARGV[4], 'latest', ARGV[3], 'evaluatedAt', ARGV[5])
if ARGV[6] ~= '' then redis.call('ZADD', KEYS[2], ARGV[6], ARGV[7]) end
return 1`;

const maxAttempts = 20;
const resultSchema = z.object({
  id: z.string().min(1, 'annotation id (the incident id) must not be empty'),
  verdict: annotationVersionSchema.shape.verdict,
  candidates: z.array(candidateSchema),
  notes: z.array(z.string()).optional(),
});

/** Our incidents' annotations in Redis, one version per verdict or top-candidate change. */
export function createAnnotationStore(redis: RedisClient, keys: Keys) {
  function decode(raw: string | null | undefined): AnnotationVersion | null {
    if (!raw) return null;
    try {
      const parsed = annotationVersionSchema.safeParse(JSON.parse(raw));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }

  async function get(incidentId: string, version: number): Promise<AnnotationVersion | null> {
    return decode(await redis.hget(keys.annotation(incidentId), `v:${version}`));
  }

  async function latest(incidentId: string): Promise<AnnotationVersion | null> {
    const n = await redis.hget(keys.annotation(incidentId), 'latest');
    return n === null ? null : get(incidentId, Number(n));
  }

  /**
   * Records one evaluation of `result.id` made at `at`: a new version when the verdict or top candidate
   * differs from the latest (annotatedAt = `at`, or the previous one's when the verdict is the same);
   * else the latest version's candidates and notes are rewritten in place.
   */
  async function record(result: Omit<Annotation, 'annotatedAt'>, at: Date): Promise<RecordOutcome> {
    const parsed = resultSchema.safeParse(result);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new TypeError(
        `annotation ${issue?.path.join('.') || '(result)'}: ${issue?.message ?? 'invalid'}`,
        {
          cause: parsed.error,
        },
      );
    }
    const { id, verdict, candidates } = parsed.data;
    const notes = parsed.data.notes ?? [];
    const key = keys.annotation(id);
    const atMs = at.getTime();
    const atIso = at.toISOString();
    const top = candidateKey(candidates[0]);
    for (let attempt = 0; attempt < maxAttempts; attempt++) {
      // After a lost race, a short random pause keeps writers of one incident from lock-stepping.
      if (attempt > 0) await sleep(Math.random() * Math.min(50, 5 * attempt));
      const [latestRaw, evaluatedRaw] = await redis.hmget(key, 'latest', 'evaluatedAt');
      const n = latestRaw === null ? 0 : Number(latestRaw);
      const [previousRaw, deliveredRaw] = n > 0 ? await redis.hmget(key, `v:${n}`, `d:${n}`) : [null, null];
      const previous = decode(previousRaw);
      if (previous && evaluatedRaw !== null && atMs < Number(evaluatedRaw))
        return { kind: 'stale', version: previous, deliver: false };

      const material = !previous || previous.verdict !== verdict || previous.top !== top;
      const next: AnnotationVersion =
        previous && !material
          ? { ...previous, evaluatedAt: atIso, candidates, notes }
          : {
              incidentId: id,
              version: n + 1,
              verdict,
              annotatedAt: previous && previous.verdict === verdict ? previous.annotatedAt : atIso,
              createdAt: atIso,
              evaluatedAt: atIso,
              top,
              candidates,
              notes,
            };
      const written = await redis.eval(
        casScript,
        2,
        key,
        keys.annotations,
        String(n),
        evaluatedRaw ?? '',
        String(next.version),
        JSON.stringify(next),
        String(atMs),
        material ? String(atMs) : '',
        id,
      );
      if (written !== 1) continue;
      if (!previous || material) return { kind: 'created', version: next, deliver: true };
      const same =
        JSON.stringify([previous.candidates, previous.notes]) ===
        JSON.stringify([next.candidates, next.notes]);
      return { kind: same ? 'unchanged' : 'updated', version: next, deliver: deliveredRaw === null };
    }
    throw new AnnotationConflictError(`annotation of ${id} changed under ${maxAttempts} consecutive writes`);
  }

  return {
    record,
    get,
    latest,

    /** Marks a version as handed to delivery, so later evaluations do not hand it over again. */
    async markDelivered(incidentId: string, version: number): Promise<void> {
      await redis.hset(keys.annotation(incidentId), `d:${version}`, new Date().toISOString());
    },

    /** Every version of an incident's annotation, oldest first. */
    async versions(incidentId: string): Promise<AnnotationVersion[]> {
      const hash = await redis.hgetall(keys.annotation(incidentId));
      return Object.entries(hash)
        .filter(([field]) => field.startsWith('v:'))
        .flatMap(([, raw]) => decode(raw) ?? [])
        .sort((a, b) => a.version - b.version);
    },

    /** Latest versions, the most recently changed first (optionally changed at or after `since`). */
    async list(query: { since?: Date; limit?: number } = {}): Promise<AnnotationVersion[]> {
      const min = query.since ? String(query.since.getTime()) : '-inf';
      const ids = await redis.zrevrangebyscore(keys.annotations, '+inf', min, 'LIMIT', 0, query.limit ?? 100);
      if (ids.length === 0) return [];
      const pipeline = redis.pipeline();
      for (const id of ids) pipeline.hget(keys.annotation(id), 'latest');
      const latestOf = ((await pipeline.exec()) ?? []).map(([, n]) => (typeof n === 'string' ? n : null));
      const reads = redis.pipeline();
      ids.forEach((id, i) => reads.hget(keys.annotation(id), `v:${latestOf[i] ?? 0}`));
      return ((await reads.exec()) ?? []).flatMap(
        ([, raw]) => decode(typeof raw === 'string' ? raw : null) ?? [],
      );
    },
  };
}
export type AnnotationStore = ReturnType<typeof createAnnotationStore>;
