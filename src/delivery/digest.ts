import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { JobsOptions, Queue } from 'bullmq';
import type { SinkConfig } from '../config.js';
import { renderDigest } from '../core/digest/render.js';
import { digestSchema, type Digest, type DigestFormat } from '../core/digest/types.js';
import type { Logger } from '../logger.js';
import type { DigestFile } from '../store/digest-runs.js';
import { addDeliveryJobs, deliveryKeyOf, type SinkDelivery } from './enqueue.js';

export interface DigestDeliveryDeps {
  /** The `deliver` queue. */
  queue: Queue;
  sinks: ReadonlyArray<Pick<SinkConfig, 'name' | 'events'>>;
  /** The run's logger (it names the period). */
  logger?: Logger;
  /** Overrides of the catalog's job options (tests shorten the backoff). */
  jobOptions?: Partial<JobsOptions>;
}

/** One sink a digest was handed to. */
export type DigestDelivery = SinkDelivery;

/** Whether a sink opted in to the digest. */
export function wantsDigest(sink: Pick<SinkConfig, 'events'>): boolean {
  return (sink.events as readonly string[]).includes('digest');
}

/**
 * Hands a digest to every sink whose `events` include `digest`: one deliver job per sink, job id =
 * the delivery key of (period, sink). Handing the same period over again adds nothing while the jobs
 * exist, and the delivery worker's done records stop a resend after they are gone.
 */
export async function enqueueDigest(deps: DigestDeliveryDeps, digest: Digest): Promise<DigestDelivery[]> {
  const payload = digestSchema.parse(digest);
  const deliveries = deps.sinks
    .filter(wantsDigest)
    .map((sink) => ({ sink: sink.name, key: deliveryKeyOf(payload, sink.name) }));
  await addDeliveryJobs(deps.queue, payload, deliveries, deps.jobOptions);
  deps.logger?.info({ sinks: deliveries.map((d) => d.sink) }, 'digest handed to delivery');
  return deliveries;
}

const extensions: Record<DigestFormat, string> = {
  md: 'md',
  html: 'html',
  json: 'json',
  slack: 'slack.json',
};

/** The file of one format of a period's digest: `upcause-digest-<period>.<ext>`. */
export function digestFileName(periodId: string, format: DigestFormat): string {
  return `upcause-digest-${periodId}.${extensions[format]}`;
}

/**
 * Writes the digest into `directory` once per format, creating the directory. Each file is written
 * to a temporary name and renamed, so a reader never sees half a digest. A failure is returned (and
 * logged on the run's logger, which names the period), never thrown: the sinks still get the digest.
 */
export async function writeDigestFiles(
  directory: string,
  digest: Digest,
  formats: readonly DigestFormat[],
  logger?: Logger,
): Promise<DigestFile[]> {
  const files: DigestFile[] = [];
  for (const format of formats) {
    const path = join(directory, digestFileName(digest.period.id, format));
    const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await mkdir(directory, { recursive: true });
      await writeFile(temp, renderDigest(digest, format).body);
      await rename(temp, path);
      files.push({ format, path, error: null });
    } catch (error) {
      await rm(temp, { force: true }).catch(() => undefined);
      const reason = (error as Error).message;
      logger?.error({ format, path, err: reason }, 'digest file not written');
      files.push({ format, path, error: reason });
    }
  }
  return files;
}
