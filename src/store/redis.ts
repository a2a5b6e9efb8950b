import { Redis, type RedisOptions } from 'ioredis';

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

/** Opens a connection and waits until it is ready, with an error that says where Redis was expected. */
export async function connectRedis(url: string, role: ConnectionRole, name: string): Promise<Redis> {
  const redis = new Redis(url, redisOptions(role, name));
  // Without a listener ioredis prints every reconnect failure; callers add their own logging.
  redis.on('error', () => {});
  try {
    await redis.connect();
    return redis;
  } catch (cause) {
    redis.disconnect();
    throw new Error(`cannot reach Redis at ${redactUrl(url)}: ${(cause as Error).message}`, { cause });
  }
}

/** Hides a password in a redis:// URL for logs and messages. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}

/**
 * Every key upcause writes, under one hash-tagged prefix: `{upcause}:…`. The tag puts all keys in one
 * Redis Cluster slot, so multi-key scripts and transactions work there too.
 */
export function createKeys(prefix: string) {
  const root = `{${prefix}}`;
  return {
    root,
    /** BullMQ prefix; queues append `:<queue>:…`. */
    bull: root,
    vendorIncidents: (vendor: string) => `${root}:vendor:${vendor}:incidents`,
    vendorOpen: (vendor: string) => `${root}:vendor:${vendor}:open`,
    vendorStatus: (vendor: string) => `${root}:vendor:${vendor}:status`,
    /** Poll health hash; also holds the open blind span (`blindSince`, `blindReason`) while the page is unreadable. */
    vendorHealth: (vendor: string) => `${root}:vendor:${vendor}:health`,
    /** Closed blind spans of a vendor's page: sorted set, score = `until` (epoch ms), member = span JSON. */
    vendorBlind: (vendor: string) => `${root}:vendor:${vendor}:blind`,
    vendorLock: (vendor: string) => `${root}:vendor:${vendor}:lock`,
    vendorChanges: `${root}:vendor-changes`,
    validators: (url: string) => `${root}:http:${url}`,
    schedulerLock: `${root}:scheduler:lock`,
    /** Internal error events: any producer XADDs here (see the README for the field layout). */
    errors: `${root}:errors`,
    /** Per-minute error counts: hash of series field → count (minute = epoch ms / 60000). */
    errorBucket: (minute: number) => `${root}:eb:${minute}`,
    /** Distinct customers per minute and (service, vendor, region): a HyperLogLog. */
    errorCustomers: (minute: number, scope: string) => `${root}:ec:${minute}:${scope}`,
    /** A few example events per minute, newest first. */
    errorExemplars: (minute: number) => `${root}:ex:${minute}`,
    /** Producer event ids seen recently (dedupe window). */
    eventId: (id: string) => `${root}:eid:${id}`,
    /** Our incidents: JSON per id, plus a sorted set by start time. */
    incident: (id: string) => `${root}:inc:${id}`,
    incidentsByStart: `${root}:incidents`,
    /** Our changes (deploys, config, flags): sorted set by time, JSON members. */
    changes: `${root}:changes`,
    /** Suspected vendor issues inferred from our errors: JSON per id, plus open ones. */
    suspected: (id: string) => `${root}:suspect:${id}`,
    suspectedOpen: `${root}:suspects:open`,
    suspectedAll: `${root}:suspects`,
  };
}
export type Keys = ReturnType<typeof createKeys>;
