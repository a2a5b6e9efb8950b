import type { ApiServer, RouteDeps } from '../api/errors-route.js';
import type { VendorStore } from '../store/vendors.js';

/** The web console served at `/`. */
export function registerConsole(_app: ApiServer, _deps: RouteDeps & { store: VendorStore }): void {
  // Filled in by the console work.
}
