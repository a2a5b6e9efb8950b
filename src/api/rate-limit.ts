import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { Keys } from '../store/keys.js';
import { authenticatedToken, findToken } from './auth.js';
import type { RedisClient } from '../store/redis.js';

/** What one counted request learned about its window. */
export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window resets (for Retry-After). */
  resetSeconds: number;
}

export interface RateLimiterOptions {
  redis: RedisClient;
  keys: Keys;
  /** Requests per window per key. */
  limit: number;
  windowMs?: number;
  logger: Logger;
  /** Longest wait for Redis before letting the request through. */
  deadlineMs?: number;
  now?: () => number;
}

/** The counter key of `who` in the window `now` falls in, and when that window ends. */
export function rateLimitWindow(
  keys: Keys,
  who: string,
  now: number,
  windowMs: number,
): { key: string; endsAt: number } {
  const index = Math.floor(now / windowMs);
  return { key: keys.rateLimit(index, who), endsAt: (index + 1) * windowMs };
}

/**
 * A fixed-window counter per key in Redis (`INCR` + `PEXPIRE`, one round trip), shared by every API
 * process. It fails open: when Redis errors or is slow, the request passes and a warning is logged
 * (at most every 10 s), because ingest itself will answer 503 if Redis is really gone.
 */
export function createRateLimiter(options: RateLimiterOptions) {
  const { redis, keys, limit, logger } = options;
  const windowMs = options.windowMs ?? 60_000;
  const deadlineMs = options.deadlineMs ?? 500;
  const now = options.now ?? Date.now;
  let lastWarning = 0;

  const open = (at: number, endsAt: number): RateLimitDecision => ({
    allowed: true,
    limit,
    remaining: limit,
    resetSeconds: Math.max(1, Math.ceil((endsAt - at) / 1000)),
  });

  async function hit(who: string): Promise<RateLimitDecision> {
    const at = now();
    const { key, endsAt } = rateLimitWindow(keys, who, at, windowMs);
    let timer: NodeJS.Timeout | undefined;
    try {
      const counted = redis
        .multi()
        .incr(key)
        .pexpire(key, endsAt - at + 1000)
        .exec();
      // When the deadline wins, the late answer (or error) must not surface as an unhandled rejection.
      counted.catch(() => {});
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`Redis did not answer within ${deadlineMs} ms`)),
          deadlineMs,
        );
      });
      const results = await Promise.race([counted, timeout]);
      const [incrError, count] = results?.[0] ?? [new Error('transaction aborted'), null];
      if (incrError) throw incrError;
      const used = Number(count);
      return {
        allowed: used <= limit,
        limit,
        remaining: Math.max(0, limit - used),
        resetSeconds: Math.max(1, Math.ceil((endsAt - at) / 1000)),
      };
    } catch (error) {
      if (at - lastWarning > 10_000) {
        lastWarning = at;
        logger.warn({ err: error }, 'rate limiter cannot reach Redis; letting requests through');
      }
      return open(at, endsAt);
    } finally {
      clearTimeout(timer);
    }
  }

  return { hit, limit, windowMs };
}
export type RateLimiter = ReturnType<typeof createRateLimiter>;

/**
 * Who a request counts against: the token's name (so rotating a token keeps its quota), or the client
 * address when the API runs without tokens.
 */
export function rateLimitSubject(config: Config, request: FastifyRequest): string {
  const token = authenticatedToken(request) ?? findToken(config, request.headers.authorization);
  return token ? `token:${token.name}` : `ip:${request.ip}`;
}

/** An onRequest hook (after `requireScope`) answering 429 with Retry-After past the limit. */
export function rateLimitHook(config: Config, limiter: RateLimiter) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const subject = rateLimitSubject(config, request);
    const decision = await limiter.hit(subject);
    reply.header('x-ratelimit-limit', decision.limit);
    reply.header('x-ratelimit-remaining', decision.remaining);
    reply.header('x-ratelimit-reset', decision.resetSeconds);
    if (!decision.allowed) {
      const per = limiter.windowMs === 60_000 ? 'minute' : `${limiter.windowMs / 1000} s`;
      const who = subject.startsWith('token:') ? `token "${subject.slice(6)}"` : `address ${request.ip}`;
      return reply
        .code(429)
        .header('retry-after', decision.resetSeconds)
        .send({
          error: `rate limit of ${decision.limit} requests per ${per} exceeded for ${who} (api.rateLimit); retry in ${decision.resetSeconds} s`,
        });
    }
  };
}
