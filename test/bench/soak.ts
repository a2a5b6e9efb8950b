/**
 * Soak run: does anything grow while upcause runs for a long time under steady load?
 *
 * Runs `upcause start` as a user would (API and scheduler in the parent, workers in the supervised
 * child) against a local Statuspage imitation serving N vendors whose incidents open and resolve on a
 * clock (test/bench/soak-vendors.ts), with error events XADDed into the stream at a steady rate, our
 * incidents opened and resolved and our deploys posted through the API. Retentions are short, so the
 * steady state is reached within the warm-up. Every minute it prints the processes' RSS (the median of
 * readings every 5 s, and its floor: the lowest reading of the last 5 minutes), Redis memory (the whole
 * server's, and this run's keys'), the key count, events/s produced and consumed, and the stream's
 * length, lag and pending entries. At the end it says whether, after the warm-up, each judged figure
 * stayed within ±10 % of its post-warm-up mean, and exits 1 if one did not. RSS is judged by its floor:
 * the worker's heap fills with short-lived garbage for a minute or more between major collections, so
 * a minute's RSS lands anywhere on that sawtooth, while a leak lifts the sawtooth's low points. Its own
 * key prefix, deleted afterwards. Not part of CI.
 *   npm run soak [-- --minutes 30 --rate 5000 --vendors 500 --warmup 10 --shared-redis --trace-gc]
 * `--trace-gc` starts upcause with Node's --trace-gc: every collection of both processes goes to its log.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { stringify } from 'yaml';
import { createKeys } from '../../src/store/keys.js';
import { ingestGroup } from '../../workers/ingest-worker.js';
import { deleteKeys } from '../support/redis.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..');
const args = new Map(process.argv.slice(2).map((arg, i, all) => [arg, all[i + 1]] as const));
const minutes = Number(args.get('--minutes') ?? 30);
const rate = Number(args.get('--rate') ?? 5000);
const vendorCount = Number(args.get('--vendors') ?? 500);
const warmup = Number(args.get('--warmup') ?? Math.min(10, Math.floor(minutes / 3)));
const tolerance = 0.1;
/** Other clients use this Redis too: its used_memory is printed but not judged (this run's keys' memory is). */
const sharedRedis = process.argv.includes('--shared-redis');
const traceGc = process.argv.includes('--trace-gc');
/** RSS floor: the lowest reading this far back, so it reaches past the longest gap between major collections. */
const floorWindowMs = 5 * 60_000;
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
/** Events per stream entry, and entries written per tick of 100 ms. */
const perEntry = 100;
const tickMs = 100;
const services = Array.from({ length: 10 }, (_, i) => `svc-${i}`);
const regions = ['us-east-1', 'eu-west-1', 'ap-southeast-1'];
const token = 'soak-token-0123456789abcdef';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const mib = (bytes: number) => (bytes / 1048576).toFixed(1);

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** VmRSS of a process in bytes, or null when it is gone. */
function rss(pid: number): number | null {
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) * 1024 : null;
  } catch {
    return null;
  }
}

/** CPU seconds (user + system) a process has used, or null when it is gone (clock ticks of 1/100 s). */
function cpuSeconds(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/** Child process ids of `pid` (from every thread's children list). */
function childrenOf(pid: number): number[] {
  const out = new Set<number>();
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const text = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
      for (const id of text.split(/\s+/)) if (id) out.add(Number(id));
    }
  } catch {
    // gone
  }
  return [...out];
}

function startVendors(): Promise<{ baseUrl: string; child: ChildProcess }> {
  const child = fork(path.join(here, 'soak-vendors.ts'), [String(vendorCount), '360', '120'], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve) => child.once('message', (m) => resolve({ baseUrl: String(m), child })));
}

interface Sample {
  minute: number;
  /** Median of the minute's RSS readings (every 5 s): shown, not judged (a GC sawtooth outlasts a minute). */
  parentRss: number;
  workerRss: number;
  /** Lowest RSS reading of the last `floorWindowMs`: judged, since a leak lifts the sawtooth's low points. */
  parentFloor: number;
  workerFloor: number;
  usedMemory: number;
  prefixMemory: number;
  keys: number;
  producedPerSec: number;
  consumedPerSec: number;
  streamLength: number;
  lag: number;
  pending: number;
  /** Informational: CPU share of one core over the minute, and the machine's 1-minute load average. */
  parentCpu: number;
  workerCpu: number;
  load: number;
}

async function main() {
  const prefix = `soak-${process.pid}`;
  const keys = createKeys(prefix);
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const dir = mkdtempSync(path.join(tmpdir(), 'upcause-soak-'));
  const vendors = await startVendors();
  const port = await freePort();
  const configPath = path.join(dir, 'upcause.yaml');
  const vendorIds = Array.from({ length: vendorCount }, (_, i) => `v${i}`);
  writeFileSync(
    configPath,
    stringify({
      redis: { url: redisUrl, prefix },
      api: { host: '127.0.0.1', port, tokens: [{ name: 'soak', token, scopes: ['ingest', 'read'] }] },
      vendors: vendorIds.map((id) => ({
        id,
        name: `Vendor ${id}`,
        provider: 'statuspage',
        url: `${vendors.baseUrl}/${id}`,
      })),
      services: services.map((name, s) => ({
        name,
        regions,
        dependsOn: vendorIds
          .filter((_, v) => v % services.length === s)
          .slice(0, 10)
          .map((vendor) => ({ vendor })),
      })),
      poll: { allowPrivateNetworks: true },
      ingest: { retention: '3m', dedupeWindow: '1m' },
      retention: {
        incidents: '3m',
        annotations: '3m',
        changes: '3m',
        suspects: '3m',
        vendorIncidents: '3m',
        streams: '3m',
        digestRuns: '3m',
        alerts: '3m',
        trimEvery: '10s',
      },
      log: { level: 'warn' },
    }),
  );
  const logPath = path.join(dir, 'upcause.log');
  const log = openSync(logPath, 'a');
  const upcause = spawn(
    process.execPath,
    [
      ...(traceGc ? ['--trace-gc'] : []),
      '--import',
      'tsx',
      path.join(repoRoot, 'src/cli/main.ts'),
      'start',
      '--config',
      configPath,
    ],
    { cwd: repoRoot, stdio: ['ignore', log, log] },
  );
  const exited = new Promise<number | null>((resolve) => upcause.once('exit', (code) => resolve(code)));
  const api = `http://127.0.0.1:${port}`;
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };

  let stopped = false;
  const cleanup = async () => {
    stopped = true;
    if (upcause.exitCode === null) upcause.kill('SIGTERM');
    await Promise.race([exited, sleep(20_000)]);
    if (upcause.exitCode === null) upcause.kill('SIGKILL');
    vendors.child.kill();
    await deleteKeys(redis, `${keys.root}*`);
    redis.disconnect();
  };

  try {
    for (let tries = 0; ; tries++) {
      const ready = await fetch(`${api}/readyz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ready) break;
      if (tries > 120 || upcause.exitCode !== null)
        throw new Error(
          `upcause did not become ready; see ${logPath}:\n${readFileSync(logPath, 'utf8').slice(-3000)}`,
        );
      await sleep(1000);
    }
    const parentPid = upcause.pid!;
    console.log(
      `soak: ${minutes} min (warm-up ${warmup}), ${fmt(rate)} events/s, ${vendorCount} vendors, prefix ${prefix}, ` +
        `upcause pid ${parentPid}, log ${logPath}`,
    );

    // Error events: `rate` per second in entries of `perEntry`, stamped now, some with customers.
    let produced = 0;
    let carry = 0;
    let serial = 0;
    let tickedAt = Date.now();
    const producer = setInterval(() => {
      if (stopped) return;
      // By the clock, not by ticks: a late tick writes what the missed time owed.
      const nowMs = Date.now();
      carry += (rate * (nowMs - tickedAt)) / 1000;
      tickedAt = nowMs;
      const pipeline = redis.pipeline();
      const now = Date.now();
      while (carry >= perEntry) {
        carry -= perEntry;
        const events = [];
        for (let i = 0; i < perEntry; i++, serial++) {
          const service = services[serial % services.length]!;
          events.push({
            at: now,
            service,
            vendor: vendorIds[(serial * 7) % 40],
            region: regions[serial % regions.length],
            status: serial % 5 === 0 ? 503 : 500,
            ...(serial % 4 === 0 ? { customer: `cust-${serial % 3000}` } : {}),
            ...(serial % 10 === 0 ? { id: `e${serial}` } : {}),
          });
        }
        pipeline.xadd(keys.errors, 'MAXLEN', '~', 200_000, '*', 'events', JSON.stringify(events));
        produced += perEntry;
      }
      void pipeline.exec().catch((error: unknown) => console.error('produce failed', error));
    }, tickMs);

    // Our incidents (one opened every 15 s, resolved 2 min later) and deploys (one every 5 s), via the API.
    let apiFailures = 0;
    const post = async (route: string, body: unknown) => {
      const answer = await fetch(`${api}${route}`, {
        method: 'POST',
        headers,
        body: JSON.stringify(body),
      }).catch(() => null);
      if (!answer || answer.status >= 300) apiFailures++;
      await answer?.arrayBuffer();
    };
    let incidentNo = 0;
    const open: Array<{ id: string; service: string; startedAt: string; opened: number }> = [];
    const incidents = setInterval(() => {
      if (stopped) return;
      const now = Date.now();
      const incident = {
        id: `soak-${incidentNo}`,
        service: services[incidentNo % services.length]!,
        startedAt: new Date(now).toISOString(),
        opened: now,
      };
      incidentNo++;
      open.push(incident);
      void post('/v1/incidents', {
        id: incident.id,
        service: incident.service,
        title: 'Elevated 5xx',
        startedAt: incident.startedAt,
        regions: [regions[incidentNo % regions.length]],
      });
      while (open.length > 0 && now - open[0]!.opened >= 120_000) {
        const done = open.shift()!;
        void post('/v1/incidents', {
          id: done.id,
          service: done.service,
          title: 'Elevated 5xx',
          startedAt: done.startedAt,
          resolvedAt: new Date(now).toISOString(),
        });
      }
    }, 15_000);
    let deployNo = 0;
    const deploys = setInterval(() => {
      if (stopped) return;
      const n = deployNo++;
      void post('/v1/changes', {
        at: new Date().toISOString(),
        service: services[n % services.length],
        kind: 'deploy',
        ref: `r${n}`,
        id: `deploy-${n}`,
      });
    }, 5000);

    const groupInfo = async () => {
      // Before the worker created its group (and the stream), there is nothing to read yet.
      const groups = ((await redis.xinfo('GROUPS', keys.errors).catch(() => [])) as unknown[][]) ?? [];
      const group = groups.find((g) => g[g.indexOf('name') + 1] === ingestGroup) ?? [];
      const field = (name: string) => Number(group[group.indexOf(name) + 1] ?? 0);
      return { read: field('entries-read'), lag: field('lag'), pending: field('pending') };
    };
    const prefixFootprint = async () => {
      let cursor = '0';
      let count = 0;
      let bytes = 0;
      do {
        const [next, found] = await redis.scan(cursor, 'MATCH', `${keys.root}*`, 'COUNT', 1000);
        cursor = next;
        count += found.length;
        if (found.length > 0) {
          const pipeline = redis.pipeline();
          for (const key of found) pipeline.memory('USAGE', key);
          for (const [, used] of (await pipeline.exec()) ?? []) bytes += Number(used ?? 0);
        }
      } while (cursor !== '0');
      return { count, bytes };
    };

    const samples: Sample[] = [];
    const pids = { parent: parentPid, worker: 0 };
    const workerPids = new Set<number>();
    console.log(
      'min  parent RSS  (floor)  worker RSS  (floor)  Redis used  our keys MiB  keys    produced/s  consumed/s  stream len  lag  pending  CPU parent/worker  load',
    );
    let lastProduced = produced;
    let lastRead = (await groupInfo()).read;
    let lastAt = Date.now();
    const lastCpu = new Map<number, number>();
    const cpuShare = (pid: number, seconds: number) => {
      const used = pid ? cpuSeconds(pid) : null;
      if (used === null) return 0;
      const before = lastCpu.get(pid);
      lastCpu.set(pid, used);
      return before === undefined ? 0 : (used - before) / seconds;
    };
    for (const pid of [parentPid, ...childrenOf(parentPid)]) cpuShare(pid, 1);
    // RSS every 5 s: each minute's median, and the lowest reading of the last floorWindowMs.
    type Reading = { at: number; bytes: number };
    const rssReadings = { parent: [] as Reading[], worker: [] as Reading[] };
    const readRss = () => {
      const at = Date.now();
      const parent = rss(parentPid);
      const child = childrenOf(parentPid)
        .map(rss)
        .find((v) => v !== null);
      if (parent !== null) rssReadings.parent.push({ at, bytes: parent });
      if (child !== null && child !== undefined) rssReadings.worker.push({ at, bytes: child });
    };
    const rssSampler = setInterval(readRss, 5000);
    const medianOf = (values: number[]) => {
      const sorted = [...values].sort((a, b) => a - b);
      const mid = sorted.length >> 1;
      if (sorted.length === 0) return 0;
      return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
    };
    /** This minute's median and the floor of the window; drops readings older than the window. */
    const rssFigures = (readings: Reading[], since: number, now: number) => {
      while (readings.length > 0 && readings[0]!.at < now - floorWindowMs) readings.shift();
      const minute = readings.filter((r) => r.at > since).map((r) => r.bytes);
      const floor = readings.length > 0 ? Math.min(...readings.map((r) => r.bytes)) : 0;
      return { median: medianOf(minute), floor };
    };
    for (let minute = 1; minute <= minutes; minute++) {
      await sleep(lastAt + 60_000 - Date.now());
      if (upcause.exitCode !== null)
        throw new Error(`upcause exited with ${upcause.exitCode}; see ${logPath}`);
      const at = Date.now();
      const seconds = (at - lastAt) / 1000;
      const info = await groupInfo();
      const worker = childrenOf(parentPid).find((pid) => rss(pid) !== null) ?? 0;
      if (worker) workerPids.add(worker);
      pids.worker = worker;
      const footprint = await prefixFootprint();
      const parentRss = rssFigures(rssReadings.parent, lastAt, at);
      const workerRss = rssFigures(rssReadings.worker, lastAt, at);
      const sample: Sample = {
        minute,
        parentRss: parentRss.median,
        workerRss: workerRss.median,
        parentFloor: parentRss.floor,
        workerFloor: workerRss.floor,
        usedMemory: Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1] ?? 0),
        prefixMemory: footprint.bytes,
        keys: footprint.count,
        producedPerSec: (produced - lastProduced) / seconds,
        consumedPerSec: ((info.read - lastRead) * perEntry) / seconds,
        streamLength: await redis.xlen(keys.errors),
        lag: info.lag,
        pending: info.pending,
        parentCpu: cpuShare(parentPid, seconds),
        workerCpu: cpuShare(worker, seconds),
        load: loadavg()[0] ?? 0,
      };
      lastProduced = produced;
      lastRead = info.read;
      lastAt = at;
      samples.push(sample);
      console.log(
        [
          String(minute).padStart(3),
          `${mib(sample.parentRss)} MiB`.padStart(10),
          `${mib(sample.parentFloor)}`.padStart(7),
          `${mib(sample.workerRss)} MiB`.padStart(10),
          `${mib(sample.workerFloor)}`.padStart(7),
          `${mib(sample.usedMemory)} MiB`.padStart(10),
          `${mib(sample.prefixMemory)}`.padStart(12),
          fmt(sample.keys).padStart(6),
          fmt(sample.producedPerSec).padStart(10),
          fmt(sample.consumedPerSec).padStart(10),
          fmt(sample.streamLength).padStart(10),
          fmt(sample.lag).padStart(4),
          fmt(sample.pending).padStart(7),
          `${(sample.parentCpu * 100).toFixed(0)} % / ${(sample.workerCpu * 100).toFixed(0)} %`.padStart(17),
          sample.load.toFixed(1).padStart(4),
        ].join('  '),
      );
    }
    clearInterval(producer);
    clearInterval(rssSampler);
    clearInterval(incidents);
    clearInterval(deploys);

    // Verdict: each figure after the warm-up within ±10 % of its post-warm-up mean.
    const steady = samples.filter((s) => s.minute > warmup);
    const figures: Array<[string, keyof Sample, (n: number) => string]> = [
      ['parent RSS floor (lowest of 5 min)', 'parentFloor', (n) => `${mib(n)} MiB`],
      ['worker RSS floor (lowest of 5 min)', 'workerFloor', (n) => `${mib(n)} MiB`],
      ['parent RSS (median of the minute)', 'parentRss', (n) => `${mib(n)} MiB`],
      ['worker RSS (median of the minute)', 'workerRss', (n) => `${mib(n)} MiB`],
      ['Redis used_memory (the whole server)', 'usedMemory', (n) => `${mib(n)} MiB`],
      ["this run's keys' memory", 'prefixMemory', (n) => `${mib(n)} MiB`],
      ['key count', 'keys', fmt],
      ['events/s produced', 'producedPerSec', fmt],
      ['events/s consumed', 'consumedPerSec', fmt],
      ['stream length', 'streamLength', fmt],
    ];
    let flat = true;
    if (sharedRedis)
      console.log('\n(--shared-redis: used_memory includes other clients, so it is not judged)');
    const loads = steady.map((s) => s.load);
    console.log(
      `\nload average (1 min) after the warm-up: ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)} ` +
        `on ${availableParallelism()} cores`,
    );
    console.log(
      `\nafter the ${warmup}-minute warm-up (${steady.length} samples), each figure vs its mean (±${tolerance * 100} %):`,
    );
    for (const [label, field, show] of figures) {
      const values = steady.map((s) => s[field]);
      const mean = values.reduce((a, v) => a + v, 0) / Math.max(values.length, 1);
      const worst = Math.max(...values.map((v) => Math.abs(v - mean) / (mean || 1)));
      const first = values[0] ?? 0;
      const last = values[values.length - 1] ?? 0;
      const ok = values.length > 0 && worst <= tolerance;
      // A minute's RSS lands anywhere on the GC sawtooth: printed, while its floor is judged.
      const judged =
        !(sharedRedis && field === 'usedMemory') && field !== 'parentRss' && field !== 'workerRss';
      if (!ok && judged) flat = false;
      console.log(
        `  ${!judged ? 'info' : ok ? 'ok  ' : 'FAIL'} ${label.padEnd(42)} mean ${show(mean).padStart(11)}  min ${show(Math.min(...values)).padStart(11)}  ` +
          `max ${show(Math.max(...values)).padStart(11)}  worst ${(worst * 100).toFixed(1).padStart(5)} %  first→last ${show(first)} → ${show(last)}`,
      );
    }
    // Lag and pending hover near zero, so a percentage says nothing: they must stay under 10 s of load.
    const bound = (rate * 10) / perEntry;
    const backlog = Math.max(...steady.map((s) => Math.max(s.lag, s.pending)));
    const keptUp = backlog <= bound;
    if (!keptUp) flat = false;
    console.log(
      `  ${keptUp ? 'ok  ' : 'FAIL'} ${'stream lag / pending entries'.padEnd(42)} max ${fmt(backlog)} (bound: ${fmt(bound)} entries = 10 s of load)`,
    );
    const restarts = workerPids.size - 1;
    if (restarts > 0) flat = false;
    const logText = readFileSync(logPath, 'utf8');
    const errorLines = logText.split('\n').filter((l) => /"level":(50|60)/.test(l)).length;
    console.log(
      `  worker child restarts: ${restarts}; API writes failed: ${apiFailures}; error lines logged: ${errorLines}; ` +
        `incidents opened ${incidentNo}, deploys ${deployNo}`,
    );
    console.log(
      flat ? '\nsteady: every figure stayed flat after the warm-up' : '\nNOT steady: see FAIL above',
    );
    await cleanup();
    rmSync(dir, { recursive: true, force: true });
    process.exitCode = flat ? 0 : 1;
  } catch (error) {
    await cleanup();
    throw error;
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
