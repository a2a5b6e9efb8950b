/**
 * A bounded memo of a pure function of a string: what a poll computes again and again for text that
 * did not change since the last poll (update bodies, region mentions, timestamps). The least recently
 * used entries go first once the entries or the characters of their keys pass the limits; a key longer
 * than `maxKeyChars` is never kept. Module-level memos live per thread, so each parse thread has its own.
 */
export function memoByText<T>(
  compute: (key: string) => T,
  limits: { maxEntries: number; maxChars: number; maxKeyChars: number },
): (key: string) => T {
  const entries = new Map<string, T>();
  let chars = 0;
  return (key) => {
    const hit = entries.get(key);
    if (hit !== undefined) {
      // Moved to the end: the Map's order is the order of last use.
      entries.delete(key);
      entries.set(key, hit);
      return hit;
    }
    const value = compute(key);
    if (key.length > limits.maxKeyChars) return value;
    entries.set(key, value);
    chars += key.length;
    while (entries.size > limits.maxEntries || chars > limits.maxChars) {
      const oldest = entries.keys().next().value as string;
      entries.delete(oldest);
      chars -= oldest.length;
    }
    return value;
  };
}
