import { Redis, type RedisOptions } from 'ioredis';
import { describeRedisError } from './redis-errors.js';

/**
 * How a connection is used. Workers block and must ride out outages (`maxRetriesPerRequest: null`,
 * as BullMQ requires); producers answer callers and must fail fast instead of queueing commands.
 */
export type ConnectionRole = 'worker' | 'producer';

export function redisOptions(role: ConnectionRole, name: string): RedisOptions {
  return role === 'worker'
    ? { maxRetriesPerRequest: null, enableReadyCheck: true, connectionName: name, lazyConnect: true }
    : {
        maxRetriesPerRequest: 1,
        enableOfflineQueue: false,
        connectTimeout: 2000,
        // A blackholed Redis must not hang an API request: answer 503 instead.
        commandTimeout: 2000,
        connectionName: name,
        lazyConnect: true,
      };
}

/** Opens a connection and waits until it is ready, with an error that says where Redis was expected and why it failed. */
export async function connectRedis(url: string, role: ConnectionRole, name: string): Promise<Redis> {
  const redis = new Redis(url, redisOptions(role, name));
  // Without a listener ioredis prints every reconnect failure; callers add their own logging. The
  // socket's own error (ECONNREFUSED…) says more than the "Connection is closed" connect() rejects with.
  let socketError: unknown;
  const remember = (error: unknown) => (socketError ??= error);
  redis.on('error', remember);
  redis.on('error', () => {});
  try {
    await redis.connect();
    redis.off('error', remember);
    return redis;
  } catch (cause) {
    redis.disconnect();
    // In our words (ioredis speaks of streams and offline queues), naming where Redis was expected.
    const { message } = describeRedisError(socketError ?? cause, url);
    throw new Error(`${message}; redis.url is ${redactUrl(url)}`, { cause });
  }
}

/** Hides a password in a redis:// URL for logs and messages. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}
