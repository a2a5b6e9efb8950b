import { createApi } from '../../src/api/server.js';
import { parseConfig, type Config } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { connectRedis } from '../../src/store/redis.js';
import { createVendorStore } from '../../src/store/vendors.js';
import { redisUrl, type TestRedis } from './redis.js';

export const ingestToken = 'ingest-token-0123456789abcdef';
export const readToken = 'read-token-0123456789abcdefgh';

/**
 * The config of an API with a producer token (ingest) and a dashboard token (read) on `t`'s prefix;
 * `extra` adds top-level sections such as `services` or `webhooks`.
 */
export function apiConfig(t: TestRedis, extra: Record<string, unknown> = {}): Config {
  return parseConfig(
    {
      redis: { url: redisUrl, prefix: t.prefix },
      vendors: [],
      api: {
        port: 0,
        tokens: [
          { name: 'producer', token: ingestToken, scopes: ['ingest'] },
          { name: 'dashboard', token: readToken, scopes: ['read'] },
        ],
      },
      ...extra,
    },
    {},
    'test',
  );
}

export interface TestApi {
  /** e.g. `http://127.0.0.1:43121` */
  url: string;
  /** Closes the server, then its Redis connection. */
  close(): Promise<void>;
}

/** The real API on 127.0.0.1, port 0, over a producer connection of its own named `connectionName`. */
export async function startTestApi(t: TestRedis, config: Config, connectionName: string): Promise<TestApi> {
  const producer = await connectRedis(redisUrl, 'producer', connectionName);
  const app = createApi({
    config,
    store: createVendorStore(producer, t.keys),
    redis: producer,
    logger: createLogger('silent'),
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    url,
    async close() {
      await app.close();
      producer.disconnect();
    },
  };
}

/** A request with a bearer token; a body, when given, is sent as JSON. */
export function sendJson(url: string, method: string, token: string, body?: unknown): Promise<Response> {
  return fetch(url, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}
