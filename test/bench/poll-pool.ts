/**
 * CPU per changed page read through the parse pool, as `upcause start` reads pages: the provider runs
 * on a pool thread and again for each page it asks for (summary.json, incidents.json, the
 * maintenances), its result crossing back to this thread. The recorded GitHub payloads, one incident
 * changing each time as in test/bench/poll-cpu.ts; the store is left out. CPU of the whole process
 * (both threads) with process.cpuUsage; JSON.parse of the same bodies is the reference.
 *   npx tsx test/bench/poll-pool.ts [--pages 150]
 */
import { parseConfig } from '../../src/config.js';
import { FetchError } from '../../src/core/errors.js';
import type { FetchResponse } from '../../src/http/client.js';
import { createParsePool } from '../../workers/parse-pool.js';
import { statuspagePayloads } from '../support/payloads.js';

const args = new Map(process.argv.slice(2).map((arg, i, all) => [arg, all[i + 1]] as const));
const pages = Number(args.get('--pages') ?? 150);

const cpuMs = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};

const payloads = await statuspagePayloads();
const config = parseConfig(
  {
    redis: { url: 'redis://127.0.0.1:6379', prefix: 'bench-poll-pool' },
    vendors: [{ id: 'github', name: 'GitHub', provider: 'statuspage', url: 'http://127.0.0.1:9' }],
  },
  {},
  'bench',
);
const vendor = config.vendors[0]!;

/** The incidents body with incident `n % count` updated: a new update on top, updated_at moved on. */
function changedPage(n: number): string {
  const data = JSON.parse(payloads.incidents) as { incidents: Array<Record<string, unknown>> };
  const incident = data.incidents[n % data.incidents.length]!;
  const at = new Date(Date.parse('2026-08-01T00:00:00Z') + n * 60_000).toISOString();
  incident.updated_at = at;
  incident.incident_updates = [
    { id: `bench-${n}`, status: 'update', body: `We are still looking into it (${n}).`, created_at: at },
    ...((incident.incident_updates as unknown[]) ?? []),
  ];
  return JSON.stringify(data);
}

const ok = (body: string, url: string): FetchResponse => ({
  status: 200,
  body,
  url,
  contentType: 'application/json',
  validators: {},
  latencyMs: 1,
  bytes: body.length,
});

const pool = createParsePool({ threads: 1, timeoutMs: 10_000 });
let readMs = 0;
let jsonParseMs = 0;
try {
  for (let n = 0; n < pages + 20; n++) {
    const measured = n >= 20; // the first pages warm the thread's JIT and its memos
    const body = changedPage(n);
    let since = process.cpuUsage();
    JSON.parse(payloads.summary);
    JSON.parse(body);
    if (measured) jsonParseMs += cpuMs(since);
    since = process.cpuUsage();
    await pool.read(vendor, new Date(Date.parse('2026-08-01T00:00:00Z') + n * 60_000), async (path) => {
      if (path === '/api/v2/summary.json') return ok(payloads.summary, path);
      if (path === '/api/v2/incidents.json') return ok(body, path);
      throw new FetchError('http', `${path}: HTTP 404`, { url: path, status: 404 });
    });
    if (measured) readMs += cpuMs(since);
  }
} finally {
  await pool.close();
}
console.log(
  `${pages} changed pages through the parse pool (${payloads.source}): read ${(readMs / pages).toFixed(2)} ms ` +
    `CPU per page (both threads); JSON.parse of the same bodies ${(jsonParseMs / pages).toFixed(2)} ms`,
);
