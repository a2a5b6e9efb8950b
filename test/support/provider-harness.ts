import type { WatchedVendor } from '../../src/config.js';
import { createHttpClient } from '../../src/http/client.js';
import { createLogger } from '../../src/logger.js';
import { createVendorStore, type VendorView } from '../../src/store/vendors.js';
import type { VendorIncident } from '../../src/core/model.js';
import { createRegistry } from '../../providers/registry.js';
import type { Provider } from '../../providers/types.js';
import { pollVendor, type PollOutcome } from '../../workers/poll.js';
import type { TestRedis } from './redis.js';

/**
 * Polls one vendor through the real pipeline — HTTP edge, the provider, the Redis store — exactly as
 * the poll worker does, and returns what a user would then see.
 */
export async function pollThroughStore(
  provider: Provider,
  vendor: { id: string; url: string; options?: Record<string, unknown> },
  t: TestRedis,
  now = new Date(),
): Promise<{ outcome: PollOutcome; view: VendorView; incidents: VendorIncident[] }> {
  const http = createHttpClient({
    timeoutMs: 2000,
    maxBodyBytes: 2 * 1024 * 1024,
    userAgent: 'upcause-test',
    allowPrivateNetworks: true,
  });
  const store = createVendorStore(t.redis, t.keys);
  const watched: WatchedVendor = { name: vendor.id, provider: provider.id, components: [], ...vendor };
  try {
    const outcome = await pollVendor(
      watched,
      { http, providers: createRegistry([provider]), store, logger: createLogger('silent') },
      now,
    );
    return { outcome, view: await store.view(vendor.id), incidents: await store.listIncidents(vendor.id) };
  } finally {
    http.close();
  }
}
