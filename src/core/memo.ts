/**
 * A bounded memo of a pure function of a string: what a poll computes again and again for text that
 * did not change since the last poll (update bodies, region mentions, timestamps). The least recently
 * used entries go first once the entries or the characters of their keys pass the limits; a key longer
 * than `maxKeyChars` is never kept. Module-level memos live per thread, so each parse thread has its own.
 */
export function memoByText<T>(compute: (key: string) => T, limits: TextCacheLimits<T>): (key: string) => T {
  const cache = createTextCache<T>(limits);
  return (key) => {
    const hit = cache.get(key);
    if (hit !== undefined) return hit;
    const value = compute(key);
    cache.set(key, value);
    return value;
  };
}

export interface TextCacheLimits<T> {
  maxEntries: number;
  /** Characters of the keys, plus what `weigh` says of the values when it is given. */
  maxChars: number;
  maxKeyChars: number;
  /** A value's size in characters (e.g. of the text it was read from), counted against `maxChars`. */
  weigh?: (value: T) => number;
}

/**
 * The least-recently-used store under memoByText, for values that are not a function of their key
 * alone: setting a key again replaces its value.
 */
export function createTextCache<T>(limits: TextCacheLimits<T>): {
  get(key: string): T | undefined;
  set(key: string, value: T): void;
} {
  const entries = new Map<string, T>();
  const weigh = limits.weigh ?? (() => 0);
  const size = (key: string, value: T) => key.length + weigh(value);
  let chars = 0;
  const remove = (key: string, value: T) => {
    entries.delete(key);
    chars -= size(key, value);
  };
  return {
    get(key) {
      const hit = entries.get(key);
      if (hit !== undefined) {
        // Moved to the end: the Map's order is the order of last use.
        entries.delete(key);
        entries.set(key, hit);
      }
      return hit;
    },
    set(key, value) {
      const old = entries.get(key);
      if (old !== undefined) remove(key, old);
      if (key.length > limits.maxKeyChars || size(key, value) > limits.maxChars) return;
      entries.set(key, value);
      chars += size(key, value);
      while (entries.size > limits.maxEntries || chars > limits.maxChars) {
        const [oldest, value] = entries.entries().next().value as [string, T];
        remove(oldest, value);
      }
    },
  };
}

/**
 * Whether two decoded JSON values are the same: same types, array items, and object keys in the same
 * order with the same values. Past `maxDepth` levels it answers false (not the same, read again).
 */
export function sameJson(a: unknown, b: unknown, maxDepth = 32): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || maxDepth === 0)
    return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i], maxDepth - 1)) return false;
    return true;
  }
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  for (let i = 0; i < keysA.length; i++) {
    const key = keysA[i]!;
    if (key !== keysB[i]) return false;
    if (!sameJson((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], maxDepth - 1))
      return false;
  }
  return true;
}
