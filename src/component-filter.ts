import type { VendorIncident, VendorStatus } from './model.js';

function globToRegExp(glob: string): RegExp {
  const escaped = glob
    .trim()
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`, 'i');
}

/** True when `name` matches one of the globs (`*`, `?`; case-insensitive), or when there are none. */
export function matchesAny(name: string, globs: readonly string[]): boolean {
  return globs.length === 0 || globs.some((glob) => globToRegExp(glob).test(name.trim()));
}

/**
 * Narrows a poll to the components a vendor entry asked for. Incidents that name no component are kept:
 * not knowing what an incident touches is not evidence that it misses us.
 */
export function filterComponents(
  result: { status: VendorStatus | null; incidents: VendorIncident[] },
  globs: readonly string[],
): { status: VendorStatus | null; incidents: VendorIncident[] } {
  if (globs.length === 0) return result;
  const keep = (name: string, group?: string | null) =>
    matchesAny(name, globs) ||
    (group ? matchesAny(group, globs) || matchesAny(`${group} / ${name}`, globs) : false);
  return {
    status: result.status && {
      ...result.status,
      components: result.status.components.filter((c) => keep(c.name, c.group)),
    },
    incidents: result.incidents.filter((i) => i.components.length === 0 || i.components.some((c) => keep(c))),
  };
}
