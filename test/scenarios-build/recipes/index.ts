import type { Recipe } from '../builder.js';
import { ours } from './ours.js';
import { vendorBlind } from './vendor-blind.js';
import { vendorDatacenter } from './vendor-datacenter.js';
import { vendorDeploy } from './vendor-deploy.js';
import { vendorLate } from './vendor-late.js';
import { vendorSilent } from './vendor-silent.js';
import { vendorTagged } from './vendor-tagged.js';
import { vendorUntagged } from './vendor-untagged.js';

/** Every generated scenario: the vendor's fault first, then ours. */
export const recipes: Recipe[] = [
  ...vendorTagged,
  ...vendorUntagged,
  ...vendorLate,
  ...vendorSilent,
  ...vendorDatacenter,
  ...vendorBlind,
  ...vendorDeploy,
  ...ours,
];
