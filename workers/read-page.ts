import type { WatchedVendor } from '../src/config.js';
import { filterComponents } from '../src/core/components/component-filter.js';
import { FetchError, type FetchErrorKind } from '../src/core/errors.js';
import { withRegions } from '../src/core/regions/incident-regions.js';
import type { FetchResponse } from '../src/http/client.js';
import type { GetOptions, PollContext, PollResult, Provider } from '../providers/types.js';

/**
 * Reads one vendor's page through its provider, fetching through `get`, and normalizes what it found
 * (the vendor's component filter, regions). Whatever goes wrong is a FetchError of that vendor: a
 * provider's own bug or a stack overflow on a hostile page is a page we cannot read.
 */
export async function readVendorPage(
  vendor: WatchedVendor,
  provider: Provider,
  now: Date,
  get: PollContext['get'],
): Promise<PollResult> {
  try {
    const result = await provider.poll({ vendor, now, get });
    return withRegions({ ...result, ...filterComponents(result, vendor.components) }, vendor.provider);
  } catch (cause) {
    throw asFetchError(cause, vendor.id);
  }
}

/** `cause` as the vendor's FetchError: itself when it is one, else a `parse` error naming the vendor. */
export function asFetchError(cause: unknown, vendor: string): FetchError {
  if (cause instanceof FetchError) return cause;
  const message = cause instanceof Error ? cause.message : String(cause);
  return new FetchError('parse', `vendor ${vendor}: ${message}`, { cause });
}

/** A FetchError as it crosses between threads, where only plain data survives. */
export interface WireError {
  kind: FetchErrorKind;
  message: string;
  url?: string;
  status?: number;
}

export function toWire(error: FetchError): WireError {
  return {
    kind: error.kind,
    message: error.message,
    ...(error.url !== undefined ? { url: error.url } : {}),
    ...(error.status !== undefined ? { status: error.status } : {}),
  };
}

export function fromWire(error: WireError): FetchError {
  return new FetchError(error.kind, error.message, { url: error.url, status: error.status });
}

/** One GET a provider asked for; `key` tells apart the same path asked with other options. */
export interface PageRequest {
  key: string;
  path: string;
  options?: GetOptions;
}

export function requestKey(path: string, options: GetOptions | undefined): string {
  return JSON.stringify([path, options?.accept ?? null, options?.conditional ?? true]);
}

/** What the main thread fetched for a request: the response, or the FetchError it ended in. */
export type PageAnswer = { key: string; response: FetchResponse } | { key: string; error: WireError };

/**
 * What one parse in the pool came to: the poll's result, the GETs it still needs (it is run again
 * with their answers), or the vendor's error.
 */
export type ParseReply = { done: PollResult } | { need: PageRequest[] } | { error: WireError };
