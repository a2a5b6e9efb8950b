import { awsRssProvider } from './aws-rss.js';
import { awsProvider } from './aws.js';
import { azureProvider } from './azure.js';
import { betterstackProvider } from './betterstack.js';
import { cachetProvider } from './cachet.js';
import { catalog } from './catalog.js';
import { gcpProvider } from './gcp.js';
import { htmlProvider } from './html.js';
import { incidentioProvider } from './incidentio.js';
import { instatusProvider } from './instatus.js';
import { rssProvider } from './rss.js';
import { slackProvider } from './slack.js';
import { statusioProvider } from './statusio.js';
import { statuspageFeedProvider } from './statuspage-feed.js';
import { statuspageHtmlProvider } from './statuspage-html.js';
import { statuspageProvider } from './statuspage.js';
import { statuspalProvider } from './statuspal.js';
import { stripeProvider } from './stripe.js';
import type { Provider } from './types.js';

/** Every platform we can read, in detection order; generic fallbacks go last. */
export function createRegistry(list: Provider[]): ReadonlyMap<string, Provider> {
  const registry = new Map<string, Provider>();
  for (const provider of list) {
    if (registry.has(provider.id))
      throw new Error(`provider registry: duplicate provider id "${provider.id}"`);
    registry.set(provider.id, provider);
  }
  return registry;
}

export const providers = createRegistry([
  // Vendors with their own status systems, recognized by host or a unique endpoint.
  gcpProvider,
  awsProvider,
  awsRssProvider,
  azureProvider,
  slackProvider,
  stripeProvider,
  // Hosted status-page platforms; incident.io before Statuspage, whose API it imitates.
  incidentioProvider,
  statuspageProvider,
  instatusProvider,
  betterstackProvider,
  statusioProvider,
  cachetProvider,
  statuspalProvider,
  // Fallbacks: a Statuspage page without its API (its HTML, then its history feed), any feed, any
  // page with selectors.
  statuspageHtmlProvider,
  statuspageFeedProvider,
  rssProvider,
  htmlProvider,
]);

// The catalog names providers by id; one that names no registered provider must fail the boot.
for (const entry of catalog.values()) {
  if (!providers.has(entry.provider)) {
    throw new Error(`catalog: vendor "${entry.id}" names unknown provider "${entry.provider}"`);
  }
}
