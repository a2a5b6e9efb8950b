import { matchComponents } from '../components/components.js';
import { ourRegions } from '../correlate/signal-scope.js';
import type { ServiceSpec } from '../correlate/types.js';
import { isAbandoned, type VendorIncident } from '../model.js';
import { regionOverlap } from '../regions/overlap.js';

/*
 * Whether a vendor incident touches something we use, for `vendor-incident` alerts. A service hears
 * about it when it depends on the vendor, when the incident names one of the components it uses (or
 * names none), and when the incident's regions overlap the service's (or either names none). Not
 * knowing what an incident touches is not evidence that it misses us: silence on components or
 * regions counts as relevant, as in the component filter and the scorer.
 */

export interface Relevance {
  relevant: boolean;
  /** Our services it touches; empty when no services are configured (every vendor counts then). */
  services: string[];
}

/** Whether `incident` (kind and open state aside) touches one of `services` (pure). */
export function incidentRelevance(
  incident: Pick<VendorIncident, 'vendor' | 'components' | 'regions'>,
  services: readonly ServiceSpec[],
): Relevance {
  if (services.length === 0) return { relevant: true, services: [] };
  const touched = services.filter((service) => serviceTouched(incident, service)).map((s) => s.name);
  return { relevant: touched.length > 0, services: touched };
}

function serviceTouched(
  incident: Pick<VendorIncident, 'vendor' | 'components' | 'regions'>,
  service: ServiceSpec,
): boolean {
  const deps = service.dependsOn.filter((d) => d.vendor === incident.vendor);
  if (deps.length === 0) return false;
  const componentsMatch = deps.some(
    (dep) =>
      dep.components.length === 0 ||
      incident.components.length === 0 ||
      matchComponents(incident.components, dep.components).length > 0,
  );
  if (!componentsMatch) return false;
  // Region labels as the team writes them ("eu-west-1", "eu"), canonicalized as the scorer does.
  const ours = ourRegions(service.regions).map((r) => r.id);
  if (ours.length === 0 || incident.regions.length === 0) return true;
  return regionOverlap(incident.regions, ours).relation !== 'disjoint';
}

/** Whether an incident can raise a `vendor-incident` alert at all: open, not abandoned, not a maintenance. */
export function isAlertable(
  incident: Pick<
    VendorIncident,
    'kind' | 'startedAt' | 'updatedAt' | 'resolvedAt' | 'scheduledFor' | 'scheduledUntil'
  >,
  now: number,
): boolean {
  return incident.kind === 'incident' && incident.resolvedAt === null && !isAbandoned(incident, now);
}
