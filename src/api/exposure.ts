import { isIP } from 'node:net';
import type { Config } from '../config.js';
import { ConfigError } from '../core/errors.js';

/** Whether `host` only accepts connections from this machine. */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (bare === 'localhost' || bare === '::1') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  return bare.startsWith('::ffff:127.');
}

/**
 * Refuses an open API on a reachable address: with no api.tokens anyone who reaches the port may
 * write errors and read everything, so that takes `api.allowUnauthenticated: true`.
 */
export function checkApiExposure(config: Config): { open: boolean } {
  const { host, tokens, allowUnauthenticated } = config.api;
  if (tokens.length > 0 || isLoopback(host)) return { open: false };
  if (allowUnauthenticated) return { open: true };
  throw new ConfigError(
    `api.host is ${host}, which other machines can reach, and api.tokens is empty: anyone could write ` +
      'errors and read incidents. Add a token (api.tokens, or the UPCAUSE_API_TOKEN environment variable), ' +
      'bind to 127.0.0.1, or set api.allowUnauthenticated: true if a proxy in front authenticates',
  );
}

/** `http://host:port` of a bound server address, as it is bound (0.0.0.0 stays 0.0.0.0). */
export function boundUrl(address: { address: string; port: number }): string {
  const host = address.address.includes(':') ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}
