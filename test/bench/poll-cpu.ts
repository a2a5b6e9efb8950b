/**
 * CPU per changed page: the recorded GitHub Statuspage payloads (summary.json and a 50-incident
 * incidents.json) read and stored over and over, one incident changing each time as a live page does.
 * Each stage is timed with process.cpuUsage over many pages: the provider's parse, the component filter
 * and regions, and applyPoll against the local Redis. JSON.parse of the same two bodies is the reference.
 *   npx tsx test/bench/poll-cpu.ts [--pages 200]
 */
import { Redis } from 'ioredis';
import { providers } from '../../providers/registry.js';
import { parseConfig } from '../../src/config.js';
import { createKeys } from '../../src/store/keys.js';
import { createVendorStore } from '../../src/store/vendors.js';
import { readVendorPage } from '../../workers/read-page.js';
import type { FetchResponse } from '../../src/http/client.js';
import { statuspagePayloads } from '../support/payloads.js';
import { deleteKeys } from '../support/redis.js';
import { FetchError } from '../../src/core/errors.js';

const cpuMs = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};

/**
 * The incidents body with incident `n % count` updated: a new update on top, updated_at moved on. With
 * `everyIncident`, every title and update body is new as well, as on the first read of a page.
 */
function changedPage(incidents: string, n: number, everyIncident: boolean): string {
  const data = JSON.parse(incidents) as { incidents: Array<Record<string, unknown>> };
  const list = data.incidents;
  if (everyIncident)
    for (const item of list) {
      item.name = `${String(item.name)} (${n})`;
      for (const update of (item.incident_updates as Array<Record<string, unknown>>) ?? [])
        update.body = `${String(update.body)} (${n})`;
    }
  const incident = list[n % list.length]!;
  const at = new Date(Date.parse('2026-08-01T00:00:00Z') + n * 60_000).toISOString();
  incident.updated_at = at;
  incident.incident_updates = [
    {
      id: `bench-${n}`,
      status: 'update',
      body: `We are still looking into it (${n}).`,
      created_at: at,
      display_at: at,
    },
    ...((incident.incident_updates as unknown[]) ?? []),
  ];
  return JSON.stringify(data);
}

export interface PollCpuResult {
  pages: number;
  payloadKiB: number;
  incidents: number;
  jsonParseMs: number;
  readMs: number;
  storeMs: number;
  totalMs: number;
}

export async function measurePollCpu(
  options: { pages?: number; everyIncident?: boolean; redisUrl?: string } = {},
): Promise<PollCpuResult> {
  const pages = options.pages ?? 200;
  const redisUrl = options.redisUrl ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const payloads = await statuspagePayloads();
  const prefix = `bench-poll-cpu-${process.pid}`;
  const keys = createKeys(prefix);
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const store = createVendorStore(redis, keys);
  const config = parseConfig(
    {
      redis: { url: redisUrl, prefix },
      vendors: [{ id: 'github', name: 'GitHub', provider: 'statuspage', url: 'http://127.0.0.1:9' }],
    },
    {},
    'bench',
  );
  const vendor = config.vendors[0]!;
  const provider = providers.get('statuspage')!;
  const ok = (body: string, url: string): FetchResponse => ({
    status: 200,
    body,
    url,
    contentType: 'application/json',
    validators: {},
    latencyMs: 1,
    bytes: body.length,
  });
  let jsonParseMs = 0;
  let readMs = 0;
  let storeMs = 0;
  try {
    for (let n = 0; n < pages + 20; n++) {
      const measured = n >= 20; // the first pages warm the JIT and fill the store
      // Each body is made outside the measured spans.
      const incidentsBody = changedPage(payloads.incidents, n, options.everyIncident === true);
      let since = process.cpuUsage();
      JSON.parse(payloads.summary);
      JSON.parse(incidentsBody);
      if (measured) jsonParseMs += cpuMs(since);
      const now = new Date(Date.parse('2026-08-01T00:00:00Z') + n * 60_000);
      since = process.cpuUsage();
      const result = await readVendorPage(vendor, provider, now, async (path) => {
        if (path === '/api/v2/summary.json') return ok(payloads.summary, path);
        if (path === '/api/v2/incidents.json') return ok(incidentsBody, path);
        throw new FetchError('http', `${path}: HTTP 404`, { url: path, status: 404 });
      });
      if (measured) readMs += cpuMs(since);
      since = process.cpuUsage();
      await store.applyPoll(vendor.id, result, { now, latencyMs: 1 });
      if (measured) storeMs += cpuMs(since);
    }
  } finally {
    await deleteKeys(redis, `${keys.root}*`);
    redis.disconnect();
  }
  const incidents = (JSON.parse(payloads.incidents) as { incidents: unknown[] }).incidents.length;
  return {
    pages,
    payloadKiB: (payloads.summary.length + payloads.incidents.length) / 1024,
    incidents,
    jsonParseMs: jsonParseMs / pages,
    readMs: readMs / pages,
    storeMs: storeMs / pages,
    totalMs: (readMs + storeMs) / pages,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = new Map(process.argv.slice(2).map((arg, i, all) => [arg, all[i + 1]] as const));
  const pages = Number(args.get('--pages') ?? 200);
  for (const everyIncident of [false, true]) {
    const r = await measurePollCpu({ pages: everyIncident ? Math.ceil(pages / 4) : pages, everyIncident });
    console.log(
      `${r.pages} changed pages (${r.payloadKiB.toFixed(0)} KiB, ${r.incidents} incidents, ` +
        `${everyIncident ? 'every incident changed' : 'one incident changed'}): read ${r.readMs.toFixed(2)} ms, ` +
        `store ${r.storeMs.toFixed(2)} ms, total ${r.totalMs.toFixed(2)} ms CPU per page; JSON.parse ${r.jsonParseMs.toFixed(2)} ms`,
    );
  }
}
