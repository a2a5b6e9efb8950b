/**
 * Redis failures in our words. ioredis speaks of streams, offline queues and retries per request;
 * callers (API answers, CLI output, logs) should learn where Redis was expected and what that means
 * for their write.
 */

/** `host:port` of a redis:// URL (no credentials), for messages. */
export function redisAddress(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname || '127.0.0.1'}:${parsed.port || '6379'}`;
  } catch {
    return 'the configured address';
  }
}

export interface RedisTrouble {
  /** What happened, naming the address: "Redis at 127.0.0.1:6379 is not answering". */
  message: string;
  /**
   * Whether the command may still have run (it was sent and no answer came back): a write's outcome
   * is then unknown. False when it was never sent or Redis answered with an error.
   */
  maybeApplied: boolean;
}

/** What ioredis says when Redis cannot be reached or answered with an error. */
const ioredisWords =
  /Stream isn't writeable|enableOfflineQueue|Connection is closed|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EAI_AGAIN|MaxRetriesPerRequest|Command timed out/i;

/** Whether an error came from a Redis connection or command (so describeRedisError should word it). */
export function isRedisFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return (
    error.name === 'ReplyError' ||
    error.name === 'MaxRetriesPerRequestError' ||
    ioredisWords.test(error.message)
  );
}

const notSent = /Stream isn't writeable|enableOfflineQueue|ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH/i;

/** Where Redis is expected: a URL, or the config's `redis` (its cluster nodes when it lists them). */
export type RedisWhere = string | { url: string; cluster?: { nodes: readonly string[] } | undefined };

/** "Redis at 127.0.0.1:6379", or "Redis Cluster at 10.0.0.1:7000, 10.0.0.2:7000" (no credentials). */
export function redisPlace(where: RedisWhere): string {
  if (typeof where === 'string') return `Redis at ${redisAddress(where)}`;
  const nodes = where.cluster?.nodes ?? [];
  if (nodes.length > 0) return `Redis Cluster at ${nodes.map(redisAddress).join(', ')}`;
  return `Redis at ${redisAddress(where.url)}`;
}

/** Describes any error a Redis command or connection raised, with where Redis was expected (when known). */
export function describeRedisError(error: unknown, where?: RedisWhere): RedisTrouble {
  const at = where === undefined ? 'Redis' : redisPlace(where);
  const raw = error instanceof Error ? error.message : String(error);
  const name = error instanceof Error ? error.name : '';
  if (/ECONNREFUSED/i.test(raw))
    return { message: `${at} refused the connection (is it running?)`, maybeApplied: false };
  if (/ENOTFOUND|EAI_AGAIN/i.test(raw))
    return { message: `${at} cannot be found: the host name does not resolve`, maybeApplied: false };
  if (notSent.test(raw)) return { message: `${at} is not answering (not connected)`, maybeApplied: false };
  const within = /within (\d+) ?ms/.exec(raw);
  if (within) return { message: `${at} did not answer within ${within[1]} ms`, maybeApplied: true };
  if (/Command timed out|ETIMEDOUT|timed out/i.test(raw))
    return { message: `${at} is not answering (timed out)`, maybeApplied: true };
  if (/NOAUTH|WRONGPASS|invalid password|invalid username/i.test(raw))
    return { message: `${at} refused our credentials (check redis.url)`, maybeApplied: false };
  if (/^OOM /.test(raw))
    return { message: `${at} is out of memory and refuses writes (maxmemory)`, maybeApplied: false };
  if (/^READONLY /.test(raw))
    return { message: `${at} is a read-only replica; point redis.url at the primary`, maybeApplied: false };
  if (name === 'ReplyError') return { message: `${at} refused the command: ${raw}`, maybeApplied: false };
  if (/Connection is closed|ECONNRESET|EPIPE|MaxRetriesPerRequest/i.test(raw))
    return { message: `${at} dropped the connection`, maybeApplied: true };
  return { message: `${at} failed: ${raw}`, maybeApplied: true };
}

/**
 * Waits for a Redis reply at most `ms`: a frozen or blackholed Redis must not hold a caller. The
 * command itself is not withdrawn (Redis may still run it later); the rejection says so by its words.
 */
export async function withinDeadline<T>(reply: Promise<T>, ms: number): Promise<T> {
  reply.catch(() => {});
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([reply, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
