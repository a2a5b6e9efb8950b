import { vendorKey } from '../correlate/signals.js';
import type { ServiceSpec } from '../correlate/types.js';

/*
 * Which of our services declare each vendor, read once per config: a check about every vendor asks
 * this for each of them, and normalizing every declared dependency per vendor was a hot loop.
 */

/** The specs declaring a vendor (by vendorKey) and the dependency entries naming it, in spec order. */
export interface Declared {
  specs: ServiceSpec[];
  dependencies: Array<{ spec: ServiceSpec; components: readonly string[] }>;
}

const NONE: Declared = { specs: [], dependencies: [] };
const indexes = new WeakMap<readonly ServiceSpec[], Map<string, Declared>>();

function indexOf(specs: readonly ServiceSpec[]): Map<string, Declared> {
  let index = indexes.get(specs);
  if (index) return index;
  index = new Map();
  for (const spec of specs) {
    for (const d of spec.dependsOn) {
      const key = vendorKey(d.vendor);
      let entry = index.get(key);
      if (!entry) index.set(key, (entry = { specs: [], dependencies: [] }));
      if (entry.specs.at(-1) !== spec) entry.specs.push(spec);
      entry.dependencies.push({ spec, components: d.components });
    }
  }
  indexes.set(specs, index);
  return index;
}

/** The services declaring `vendor` (a name or id, compared by vendorKey). */
export function declaredBy(specs: readonly ServiceSpec[], vendor: string): Declared {
  return indexOf(specs).get(vendorKey(vendor)) ?? NONE;
}
