import { catalog } from '../providers/catalog.js';
import { vendorForHost } from './client/vendor-hosts.js';
import type { HostOwner } from './core/vendor-names.js';

/**
 * A host's vendor as the catalog knows it (`api.github.com` → GitHub, with its status pages), so an error
 * that names only the host it called is read as the watched vendor with the same id or status page.
 */
export const catalogHostOwner: HostOwner = (host) => {
  const target = vendorForHost(host);
  if (!target) return undefined;
  const entry = catalog.get(target.vendor);
  return {
    id: target.vendor,
    name: entry?.name ?? target.vendor,
    pages: entry ? [entry.page, entry.url] : [],
  };
};
