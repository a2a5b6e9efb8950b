/**
 * What Redis itself does on this machine, from `redis-benchmark` (installed with redis-server): the
 * ceiling the ingest and store figures are read against. Null when redis-benchmark is not installed.
 */
import { spawnSync } from 'node:child_process';

export interface RedisReference {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

/** `redis-benchmark <options> <command…>` against `redisUrl`, read from its CSV line. */
export function redisBenchmark(
  redisUrl: string,
  options: { requests: number; pipeline?: number; clients?: number },
  command: string[],
): RedisReference | null {
  const { hostname, port } = new URL(redisUrl);
  const run = spawnSync(
    'redis-benchmark',
    [
      '-h',
      hostname,
      '-p',
      port || '6379',
      '-n',
      String(options.requests),
      '-P',
      String(options.pipeline ?? 1),
      '-c',
      String(options.clients ?? 50),
      '--csv',
      ...command,
    ],
    { encoding: 'utf8' },
  );
  if (run.error || run.status !== 0) return null;
  const line = run.stdout.trim().split('\n').at(-1) ?? '';
  const cells = line.split(',').map((cell) => Number(cell.replace(/"/g, '')));
  // "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms",…
  const [, rps, , , p50, , p99] = cells;
  if (!Number.isFinite(rps)) return null;
  return { requestsPerSecond: rps!, p50Ms: p50!, p99Ms: p99! };
}
