import type { z } from 'zod';
import type { FetchResponse } from '../src/http/client.js';
import type { VendorIncident, VendorStatus } from '../src/core/model.js';

/** A vendor page to poll: a catalog entry or a custom entry from the config. */
export interface VendorSource {
  id: string;
  name: string;
  /** Provider id from the registry, e.g. `statuspage`. */
  provider: string;
  /** Base URL the provider fetches from, e.g. `https://status.twilio.com` or `https://api.status.io`. */
  url: string;
  /** Provider-specific settings (a page id, a feed path, HTML selectors), checked by the provider's `optionsSchema`. */
  options?: Record<string, unknown>;
}

/** Options for one GET through the HTTP edge. */
export interface GetOptions {
  accept?: string;
  /**
   * Default true: send the validators from the last poll, so an unchanged page answers 304. Set false
   * for a secondary endpoint whose body the poll needs in full whenever the main one changed.
   */
  conditional?: boolean;
}

/** What a provider gets for one poll. */
export interface PollContext {
  vendor: VendorSource;
  now: Date;
  /**
   * GET a path relative to the vendor's base URL through the HTTP edge. Conditional when the
   * page was seen before: an unchanged page answers `status: 304` with an empty body.
   */
  get(path: string, options?: GetOptions): Promise<FetchResponse>;
}

/** What one poll of a vendor produced. */
export interface PollResult {
  /** The page had not changed since the last poll (304); nothing else is set. */
  notModified: boolean;
  status: VendorStatus | null;
  /** Incidents and maintenances seen in this poll; absent ones are not deleted. */
  incidents: VendorIncident[];
  /**
   * True when `incidents` holds every incident the page still shows as open (a summary or a
   * current-events list): an incident we hold open that is missing from it has ended, even if the
   * vendor never said so, and the store closes it.
   */
  openSetComplete?: boolean;
  /**
   * What this poll could not read, one short line each (a secondary endpoint that failed): the rest of
   * the result stands and is stored, and the vendor's health notes the partial read.
   */
  partial?: string[];
}

/** What `upcause detect` learns from one provider about a status page. */
export interface Detection {
  provider: string;
  /** 0..1: 1 when a platform-specific endpoint answered in its exact shape; lower for hints such as HTML markers. */
  confidence: number;
  /** Base URL to poll (may differ from the page URL, e.g. an API host). */
  url: string;
  options?: Record<string, unknown>;
  /** Page title or name, when the platform says. */
  name?: string;
  /** Why we think so, one short sentence each. */
  evidence: string[];
}

/** What a provider gets to probe a status page. Every GET goes through the HTTP edge; failures throw FetchError. */
export interface DetectContext {
  /** The URL the user gave, normalized (no trailing slash). */
  pageUrl: string;
  /** GET a path relative to the page URL's origin. */
  get(path: string, options?: GetOptions): Promise<FetchResponse>;
  /** GET an absolute http(s) URL (e.g. an API host the page links to). */
  getUrl(url: string, options?: GetOptions): Promise<FetchResponse>;
  /** The page itself (HTML), fetched once and shared by all providers; null when it could not be read. */
  home(): Promise<FetchResponse | null>;
}

/** A status-page platform: how to read one vendor's page. */
export interface Provider {
  id: string;
  name: string;
  /** Validates `VendorSource.options` at config load; absent when the provider takes none. */
  optionsSchema?: z.ZodType<Record<string, unknown>>;
  poll(ctx: PollContext): Promise<PollResult>;
  /** Recognizes the platform from a page URL; null when it is not this platform. Never throws for a page that is not its own. */
  detect?(ctx: DetectContext): Promise<Detection | null>;
}
