import { existsSync, mkdtempSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { describe, expect, test } from 'vitest';
import { ensureLocalRedis, findOnPath, isListening } from '../src/embedded-redis.js';
import { createLogger } from '../src/logger.js';

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const logger = createLogger('silent');
const hasRedisServer = findOnPath('redis-server', process.env.PATH) !== null;

describe('embedded Redis for a fresh machine', () => {
  test('returns null when a Redis already answers', async () => {
    const result = await ensureLocalRedis({
      url: 'redis://127.0.0.1:6379',
      explicitUrl: false,
      dataDir: mkdtempSync(path.join(tmpdir(), 'upcause-redis-')),
      pathEnv: process.env.PATH,
      logger,
    });
    expect(result).toBeNull();
  });

  test.skipIf(!hasRedisServer)(
    'starts the installed redis-server on loopback with data under the data dir',
    async () => {
      const port = await freePort();
      const dataDir = path.join(mkdtempSync(path.join(tmpdir(), 'upcause-redis-')), '.data');
      const embedded = await ensureLocalRedis({
        url: `redis://127.0.0.1:${port}`,
        explicitUrl: false,
        dataDir,
        pathEnv: process.env.PATH,
        logger,
      });
      expect(embedded?.url).toBe(`redis://127.0.0.1:${port}`);
      const client = new Redis(embedded!.url);
      try {
        await client.set('k', 'v');
        expect(await client.get('k')).toBe('v');
        expect(await client.config('GET', 'bind')).toEqual(['bind', '127.0.0.1']);
      } finally {
        client.disconnect();
        await embedded!.stop();
      }
      expect(existsSync(dataDir)).toBe(true);
      expect(await isListening('127.0.0.1', port)).toBe(false);
    },
  );

  test('without a redis-server binary it explains the two ways to get Redis', async () => {
    const port = await freePort();
    const attempt = ensureLocalRedis({
      url: `redis://127.0.0.1:${port}`,
      explicitUrl: false,
      dataDir: tmpdir(),
      pathEnv: '',
      logger,
    });
    await expect(attempt).rejects.toThrow(/docker compose up -d redis[\s\S]*OS packages/);
  });

  test('an explicit REDIS_URL that does not answer is an error, not a reason to start one', async () => {
    const port = await freePort();
    const attempt = ensureLocalRedis({
      url: `redis://127.0.0.1:${port}`,
      explicitUrl: true,
      dataDir: tmpdir(),
      pathEnv: process.env.PATH,
      logger,
    });
    await expect(attempt).rejects.toThrow(/nothing answers at 127\.0\.0\.1:\d+/);
  });
});
