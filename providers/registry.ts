import { statuspageProvider } from './statuspage.js';
import type { Provider } from './types.js';

/** Every platform we can read, in detection order; generic fallbacks go last. */
export function createRegistry(providers: Provider[]): ReadonlyMap<string, Provider> {
  const registry = new Map<string, Provider>();
  for (const provider of providers) {
    if (registry.has(provider.id))
      throw new Error(`provider registry: duplicate provider id "${provider.id}"`);
    registry.set(provider.id, provider);
  }
  return registry;
}

export const providers = createRegistry([statuspageProvider]);
