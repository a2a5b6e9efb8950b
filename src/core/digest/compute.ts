import type { Digest } from './types.js';

/**
 * Everything the digest is computed from, as the store gathers it (src/store/digest.ts). Defined by
 * the computation; the store fills it.
 */
export interface DigestInput {
  placeholder?: never;
}

/** The digest from its input: pure, every number derived here (see types.ts for what each means). */
export function computeDigest(_input: DigestInput): Digest {
  throw new Error('computeDigest: not built yet');
}
