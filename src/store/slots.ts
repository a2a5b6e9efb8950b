/**
 * Redis Cluster slots, computed as the cluster does (CRC16/XMODEM of the key, or of its `{tag}`, mod
 * 16384), and the hash tags of the ingest partitions, chosen so that they spread over the slot space.
 */

export const slotCount = 16384;

const table = (() => {
  const rows = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let crc = i << 8;
    for (let bit = 0; bit < 8; bit++)
      crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    rows[i] = crc;
  }
  return rows;
})();

/** CRC16/XMODEM (polynomial 0x1021, initial 0) of the UTF-8 bytes of `text`. */
export function crc16(text: string): number {
  let crc = 0;
  for (const byte of Buffer.from(text, 'utf8'))
    crc = ((crc << 8) & 0xffff) ^ table[((crc >> 8) ^ byte) & 0xff]!;
  return crc;
}

/** The slot Redis Cluster puts `key` in: only the text inside its first non-empty `{…}` counts. */
export function keySlot(key: string): number {
  const open = key.indexOf('{');
  if (open !== -1) {
    const close = key.indexOf('}', open + 1);
    if (close > open + 1) return crc16(key.slice(open + 1, close)) % slotCount;
  }
  return crc16(key) % slotCount;
}

/** The slot of a bare name (no tag rule applied): how an event's service and vendor pick its partition. */
export function hashTagSlot(name: string): number {
  return crc16(name) % slotCount;
}

/**
 * Hash tags of `count` ingest partitions. Partition 0 is `prefix` itself (the root tag every other key
 * shares). Partition i lands in the middle half of the i-th of `count` equal slot ranges after the
 * root's range: a cluster whose masters hold equal ranges (what `redis-cli --cluster create` makes)
 * puts `count` partitions on `count` different masters. Each tag is `prefix:p<i>`, or the first
 * `prefix:p<i>.<k>` that lands there: the same inputs always give the same tags.
 */
export function partitionTags(prefix: string, count: number): string[] {
  if (!Number.isInteger(count) || count < 1)
    throw new Error(`partitions must be a whole number ≥ 1, got ${count}`);
  const width = slotCount / count;
  const rootRange = Math.floor(keySlot(`{${prefix}}`) / width);
  const tags = [prefix];
  for (let i = 1; i < count; i++) {
    const range = (rootRange + i) % count;
    const low = range * width + width / 4;
    const high = range * width + (3 * width) / 4;
    for (let k = 0; ; k++) {
      const tag = k === 0 ? `${prefix}:p${i}` : `${prefix}:p${i}.${k}`;
      const slot = keySlot(`{${tag}}`);
      if (slot >= low && slot < high) {
        tags.push(tag);
        break;
      }
    }
  }
  return tags;
}
