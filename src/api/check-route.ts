import type { ApiServer, RouteDeps } from './errors-route.js';
import type { VendorStore } from '../store/vendors.js';

/** `GET /v1/check`: is a vendor at fault for this customer, region and time? */
export function registerCheckRoutes(_app: ApiServer, _deps: RouteDeps & { store: VendorStore }): void {
  // Filled in by the support-check work.
}
