import type { FetchResponse } from '../src/http.js';
import type { VendorIncident, VendorStatus } from '../src/model.js';

/** A vendor page to poll: a catalog entry or a custom entry from the config. */
export interface VendorSource {
  id: string;
  name: string;
  /** Provider id from the registry, e.g. `statuspage`. */
  provider: string;
  /** Base URL of the status page, e.g. `https://status.twilio.com`. */
  url: string;
}

/** What a provider gets for one poll. */
export interface PollContext {
  vendor: VendorSource;
  now: Date;
  /**
   * GET a path relative to the vendor's base URL through the HTTP edge. Conditional when the
   * page was seen before: an unchanged page answers `status: 304` with an empty body.
   */
  get(path: string, options?: { accept?: string }): Promise<FetchResponse>;
}

/** What one poll of a vendor produced. */
export interface PollResult {
  /** The page had not changed since the last poll (304); nothing else is set. */
  notModified: boolean;
  status: VendorStatus | null;
  /** Incidents and maintenances seen in this poll; absent ones are not deleted. */
  incidents: VendorIncident[];
}

/** A status-page platform: how to read one vendor's page. */
export interface Provider {
  id: string;
  name: string;
  poll(ctx: PollContext): Promise<PollResult>;
}
