import type { Detection, DetectContext, GetOptions, Provider } from '../../providers/types.js';
import { FetchError } from '../core/errors.js';
import type { FetchResponse, HttpClient } from './client.js';

/** Builds what providers probe a page with: every GET through the HTTP edge, the page itself fetched once. */
export function createDetectContext(http: HttpClient, pageUrl: string): DetectContext {
  const page = new URL(pageUrl);
  if (page.protocol !== 'http:' && page.protocol !== 'https:') {
    throw new FetchError('blocked', `${pageUrl}: only http(s) status pages can be detected`);
  }
  const normalized = `${page.origin}${page.pathname.replace(/\/+$/, '')}`;
  const get = (base: string, path: string, options?: GetOptions): Promise<FetchResponse> =>
    http.get({ baseUrl: base, path, ...(options?.accept ? { accept: options.accept } : {}) });
  let home: Promise<FetchResponse | null> | null = null;
  return {
    pageUrl: normalized,
    get: (path, options) => get(page.origin, path, options),
    getUrl(url, options) {
      const target = new URL(url);
      return get(target.origin, `${target.pathname}${target.search}` || '/', options);
    },
    home() {
      home ??= get(page.origin, `${page.pathname}${page.search}` || '/', {
        accept: 'text/html,*/*;q=0.8',
      }).catch(() => null);
      return home;
    },
  };
}

/**
 * Asks every provider, in registry order, whether the page is theirs; returns all answers, most
 * confident first. A provider that throws is treated as "not mine": detection never fails on one probe.
 */
export async function detectPlatform(
  ctx: DetectContext,
  providers: Iterable<Provider>,
): Promise<Detection[]> {
  const found: Detection[] = [];
  for (const provider of providers) {
    if (!provider.detect) continue;
    try {
      const detection = await provider.detect(ctx);
      if (detection) found.push(detection);
    } catch {
      // a probe that fails says nothing about the platform
    }
  }
  return found.sort((a, b) => b.confidence - a.confidence);
}
