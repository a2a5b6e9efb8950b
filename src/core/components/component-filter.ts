import { matchComponents } from './components.js';
import type { VendorIncident, VendorStatus } from '../model.js';

/**
 * Narrows a poll to the components a vendor entry asked for. Incidents that name no component are kept:
 * not knowing what an incident touches is not evidence that it misses us.
 */
export function filterComponents(
  result: { status: VendorStatus | null; incidents: VendorIncident[] },
  globs: readonly string[],
): { status: VendorStatus | null; incidents: VendorIncident[] } {
  if (globs.length === 0) return result;
  // The same matching as a service's dependsOn: globs, and word matching on normalized names.
  const keep = (name: string, group?: string | null) =>
    matchComponents([{ name, group: group ?? null }], globs).length > 0;
  return {
    status: result.status && {
      ...result.status,
      components: result.status.components.filter((c) => keep(c.name, c.group)),
    },
    incidents: result.incidents.filter((i) => i.components.length === 0 || i.components.some((c) => keep(c))),
  };
}
