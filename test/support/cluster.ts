import { randomBytes } from 'node:crypto';
import { Cluster } from 'ioredis';
import { createKeys, type Keys } from '../../src/store/keys.js';
import { clusterSeeds } from '../../src/store/redis.js';

/**
 * The local Redis Cluster's node list (env UPCAUSE_REDIS_CLUSTER, as `scripts/redis-cluster.sh start`
 * prints it). Without one, the cluster tests are skipped with a notice, except under CI=true, where a
 * missing cluster is a failure.
 */
export const clusterNodes = (process.env.UPCAUSE_REDIS_CLUSTER ?? '')
  .split(',')
  .map((node) => node.trim())
  .filter((node) => node !== '');
export const hasCluster = clusterNodes.length > 0;

if (!hasCluster) {
  if (process.env.CI === 'true') {
    throw new Error(
      'UPCAUSE_REDIS_CLUSTER is not set; CI requires a Redis Cluster (`scripts/redis-cluster.sh start` prints the list)',
    );
  }
  console.warn(
    '[upcause tests] UPCAUSE_REDIS_CLUSTER is not set: the Redis Cluster tests are skipped (start one with `scripts/redis-cluster.sh start`)',
  );
}

export interface TestCluster {
  redis: Cluster;
  prefix: string;
  keys: Keys;
  /** Deletes every key under this test's prefix (and its partitions) on every master and closes the connection. */
  cleanup(): Promise<void>;
}

/** A connection to the local cluster with a key prefix of its own, so test files never see each other's data. */
export async function createTestCluster(
  name: string,
  options: { partitions?: number } = {},
): Promise<TestCluster> {
  const prefix = `t-${name}-${randomBytes(4).toString('hex')}`;
  const redis = new Cluster(clusterSeeds(clusterNodes), { redisOptions: { maxRetriesPerRequest: null } });
  await redis.ping();
  const keys = createKeys(prefix, options);
  return {
    redis,
    prefix,
    keys,
    async cleanup() {
      // `{prefix*`: the root tag's keys and each ingest partition's (`{prefix:p1}…`).
      await deleteClusterKeys(redis, `{${prefix}*`);
      await redis.quit();
    },
  };
}

/** Keys matching `pattern` on each master (SCAN is per node on a cluster), by `host:port`. */
export async function clusterKeys(redis: Cluster, pattern: string): Promise<Map<string, string[]>> {
  const found = new Map<string, string[]>();
  for (const node of redis.nodes('master')) {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, page] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      keys.push(...page);
    } while (cursor !== '0');
    found.set(`${node.options.host}:${node.options.port}`, keys);
  }
  return found;
}

export async function deleteClusterKeys(redis: Cluster, pattern: string): Promise<void> {
  for (const node of redis.nodes('master')) {
    let cursor = '0';
    do {
      const [next, page] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      // One key at a time: keys of different slots cannot share a DEL on a cluster.
      for (const key of page) await node.del(key);
    } while (cursor !== '0');
  }
}
