import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import { describeRedisError } from './redis-errors.js';

/**
 * A connection to one Redis or to a Redis Cluster. Every command upcause sends is callable on both;
 * on a cluster, the keys of one command, script, MULTI or pipeline must share a slot (see keys.ts).
 */
export type RedisClient = Redis | Cluster;

/** Where Redis is: one server's URL, or a cluster's seed nodes (`redis.cluster.nodes`), which win when set. */
export interface RedisTarget {
  url: string;
  cluster?: { nodes: string[] } | undefined;
}

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

/**
 * The same role semantics for a cluster: per-node options (retries, timeouts, name, and the first
 * node URL's credentials and TLS, which every node discovered later needs too) go under `redisOptions`;
 * the offline queue is the cluster's own.
 */
export function clusterOptions(role: ConnectionRole, name: string, nodes: readonly string[]): ClusterOptions {
  const { enableOfflineQueue, lazyConnect, ...perNode } = redisOptions(role, name);
  return {
    lazyConnect,
    enableOfflineQueue: enableOfflineQueue ?? true,
    enableReadyCheck: true,
    redisOptions: { ...perNode, ...credentialsOf(nodes[0]) },
  };
}

/** `host:port` seeds of `redis://…` node URLs (credentials travel in `redisOptions`). */
export function clusterSeeds(nodes: readonly string[]): Array<{ host: string; port: number }> {
  return nodes.map((node) => {
    const url = new URL(node);
    return { host: url.hostname || '127.0.0.1', port: Number(url.port || 6379) };
  });
}

function credentialsOf(node: string | undefined): Partial<RedisOptions> {
  if (node === undefined) return {};
  const url = new URL(node);
  return {
    ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    ...(url.protocol === 'rediss:' ? { tls: {} } : {}),
  };
}

/** A new, not yet connected client for one Redis (a URL) or a cluster (`redis.cluster.nodes` set). */
export function createRedisClient(target: string, role: ConnectionRole, name: string): Redis;
export function createRedisClient(
  target: RedisTarget | string,
  role: ConnectionRole,
  name: string,
): RedisClient;
export function createRedisClient(
  target: RedisTarget | string,
  role: ConnectionRole,
  name: string,
): RedisClient {
  const { url, cluster } = typeof target === 'string' ? { url: target, cluster: undefined } : target;
  if (cluster && cluster.nodes.length > 0) {
    return new Cluster(clusterSeeds(cluster.nodes), clusterOptions(role, name, cluster.nodes));
  }
  return new Redis(url, redisOptions(role, name));
}

/** Another connection like `client` (BullMQ and blocking reads want one of their own). */
export function duplicateRedis(client: RedisClient): RedisClient {
  return client instanceof Cluster ? client.duplicate() : client.duplicate();
}

/** Opens a connection and waits until it is ready, with an error that says where Redis was expected and why it failed. */
export async function connectRedis(target: string, role: ConnectionRole, name: string): Promise<Redis>;
export async function connectRedis(
  target: RedisTarget | string,
  role: ConnectionRole,
  name: string,
): Promise<RedisClient>;
export async function connectRedis(
  target: RedisTarget | string,
  role: ConnectionRole,
  name: string,
): Promise<RedisClient> {
  const redis = createRedisClient(target, role, name);
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
    throw new Error(describeTarget(target, socketError ?? cause), { cause });
  }
}

/** In our words (ioredis speaks of streams, offline queues and slot caches), naming where Redis was expected. */
function describeTarget(target: RedisTarget | string, error: unknown): string {
  const url = typeof target === 'string' ? target : target.url;
  const nodes = typeof target === 'string' ? undefined : target.cluster?.nodes;
  if (nodes && nodes.length > 0) {
    const { message } = describeRedisError(error, nodes[0]);
    return `${message.replace(/^Redis at /, 'Redis Cluster node ')}; redis.cluster.nodes is ${nodes.map(redactUrl).join(', ')}`;
  }
  const { message } = describeRedisError(error, url);
  return `${message}; redis.url is ${redactUrl(url)}`;
}

/** Hides a password in a redis:// URL for logs and messages. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}
