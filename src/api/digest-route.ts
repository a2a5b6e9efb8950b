import type { ApiServer, RouteDeps } from './errors-route.js';

/** `GET /v1/digest`: the vendor-risk digest of a period, in any format. */
export function registerDigestRoutes(_app: ApiServer, _deps: RouteDeps & { now?: () => number }): void {}
