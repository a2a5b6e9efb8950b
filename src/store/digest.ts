import type { Redis } from 'ioredis';
import type { Config } from '../config.js';
import { riskFormulaText, type Digest, type DigestPeriod } from '../core/digest/types.js';
import type { Keys } from './keys.js';

/** What gathering a digest reads: Redis, its keys and the config (vendors, services, console URL). */
export interface DigestDeps {
  redis: Redis;
  keys: Keys;
  config: Pick<Config, 'vendors' | 'services' | 'api' | 'ingest'>;
}

/**
 * Gathers the period's data (and the 30 days before it) from Redis and computes the digest. The only
 * entry point the CLI, the API and the scheduler use.
 */
export async function buildDigest(deps: DigestDeps, period: DigestPeriod, now: Date): Promise<Digest> {
  // Placeholder until the gatherer lands: every vendor quiet.
  return {
    type: 'digest',
    period,
    generatedAt: now.toISOString(),
    vendors: [],
    quiet: deps.config.vendors.map((v) => ({ id: v.id, name: v.name })),
    totals: {
      vendors: deps.config.vendors.length,
      incidents: 0,
      explained: 0,
      errorMinutes: 0,
      attributableErrorMinutes: 0,
      unposted: 0,
      unreadableMinutes: 0,
    },
    riskFormula: riskFormulaText,
    notes: [],
    consoleUrl: deps.config.api.console.publicUrl ?? null,
  };
}
