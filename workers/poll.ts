import type { WatchedVendor } from '../src/config.js';
import { FetchError } from '../src/core/errors.js';
import type { HttpClient, Validators } from '../src/http/client.js';
import type { Logger } from '../src/logger.js';
import type { RecordedChange, VendorStore } from '../src/store/vendors.js';
import type { PollContext, PollResult, Provider } from '../providers/types.js';
import type { ParsePool } from './parse-pool.js';
import { asFetchError, readVendorPage } from './read-page.js';

export interface FetchedPoll {
  result: PollResult;
  /** Validators of every URL fetched, saved only once the whole poll has been stored. */
  validators: Map<string, Validators>;
  latencyMs: number;
  /** Of latencyMs, the time with no GET in flight: reading the page, not waiting on the network. */
  parseMs: number;
}

/**
 * Reads one vendor's page through its provider; conditional when `knownValidators` has the URL. With a
 * parse pool the provider runs on a pool thread under its deadline while the GETs are made here.
 */
export async function fetchVendor(
  vendor: WatchedVendor,
  deps: {
    http: HttpClient;
    providers: ReadonlyMap<string, Provider>;
    knownValidators?: (url: string) => Promise<Validators>;
    parsePool?: ParsePool;
  },
  now: Date,
  signal?: AbortSignal,
): Promise<FetchedPoll> {
  const provider = deps.providers.get(vendor.provider);
  if (!provider) throw new FetchError('parse', `vendor ${vendor.id}: no provider named "${vendor.provider}"`);
  const validators = new Map<string, Validators>();
  const started = performance.now();
  // Time with at least one GET in flight; concurrent GETs overlap, so it is counted once.
  let inFlight = 0;
  let waitingSince = 0;
  let waitedMs = 0;
  const get: PollContext['get'] = async (path, options) => {
    if (inFlight++ === 0) waitingSince = performance.now();
    try {
      return await getPage(path, options);
    } finally {
      if (--inFlight === 0) waitedMs += performance.now() - waitingSince;
    }
  };
  const getPage: PollContext['get'] = async (path, options) => {
    const url = `${vendor.url}${path}`;
    const known =
      deps.knownValidators && options?.conditional !== false ? await deps.knownValidators(url) : {};
    const response = await deps.http.get({
      baseUrl: vendor.url,
      path,
      validators: known,
      accept: options?.accept,
      signal,
    });
    validators.set(url, response.validators);
    return response;
  };
  const result = deps.parsePool
    ? await deps.parsePool.read(vendor, now, get)
    : await readVendorPage(vendor, provider, now, get);
  const latencyMs = performance.now() - started;
  return { result, validators, latencyMs, parseMs: Math.max(0, latencyMs - waitedMs) };
}

export type PollOutcome =
  | {
      vendor: string;
      ok: true;
      notModified: boolean;
      changes: RecordedChange[];
      latencyMs: number;
      parseMs: number;
    }
  | { vendor: string; ok: false; error: FetchError; latencyMs: number };

/** Polls a vendor and stores what it found, or records why it could not; never throws for a bad page. */
export async function pollVendor(
  vendor: WatchedVendor,
  deps: {
    http: HttpClient;
    providers: ReadonlyMap<string, Provider>;
    store: VendorStore;
    logger: Logger;
    parsePool?: ParsePool;
  },
  now: Date,
): Promise<PollOutcome> {
  const started = performance.now();
  let fetched: FetchedPoll;
  try {
    fetched = await fetchVendor(
      vendor,
      { ...deps, knownValidators: (url) => deps.store.getValidators(url) },
      now,
    );
  } catch (cause) {
    // Whatever a provider throws is about this vendor's page: record it, never crash the worker.
    const error = asFetchError(cause, vendor.id);
    const latencyMs = performance.now() - started;
    const health = await deps.store.recordFailure(vendor.id, error, { now, latencyMs });
    deps.logger.warn(
      {
        vendor: vendor.id,
        kind: error.kind,
        status: error.status,
        consecutiveFailures: health.consecutiveFailures,
      },
      `poll of ${vendor.id} failed: ${error.message}`,
    );
    return { vendor: vendor.id, ok: false, error, latencyMs };
  }
  // Redis errors past this point are ours, not the vendor's: they propagate and the job is retried.
  const meta = { now, latencyMs: fetched.latencyMs };
  if (fetched.result.notModified) {
    await deps.store.recordNotModified(vendor.id, meta);
    const { latencyMs, parseMs } = fetched;
    return { vendor: vendor.id, ok: true, notModified: true, changes: [], latencyMs, parseMs };
  }
  const changes = await deps.store.applyPoll(vendor.id, fetched.result, meta);
  // A partial read keeps no validators, so the next poll reads every endpoint again instead of a 304.
  if (!fetched.result.partial?.length) await deps.store.saveValidators(fetched.validators);
  return {
    vendor: vendor.id,
    ok: true,
    notModified: false,
    changes,
    latencyMs: fetched.latencyMs,
    parseMs: fetched.parseMs,
  };
}
