/*
 * The facts a candidate is scored on. Each signal is a value in -1 … +1 (towards the vendor when
 * positive, away from it when negative, 0 when it says nothing) with the sentence a person reads,
 * and optionally a hard veto. How much each one weighs is decided in score.ts, not here.
 *
 * This file is the public face of the signal-*.ts files: import signals from here.
 */

export { RULES, VENDOR_POINTING, vendorKey, type Signal, type SignalName } from './signal-shared.js';
export {
  callsHealthy,
  callsMeasuredHealthy,
  clientDominated,
  errorWindow,
  indexErrors,
  levelOf,
  selfLimited,
  untaggedLevelOf,
  vendorErrorStats,
  type ErrorIndex,
  type ErrorWindow,
  type Level,
  type VendorErrorStats,
} from './signal-error-stats.js';
export {
  callsText,
  calmPeerSignal,
  errorsSignal,
  ownErrorsSignal,
  peersSignal,
  ratioElevated,
  softenedBaseline,
  suspectErrorsSignal,
  untaggedSignal,
} from './signal-errors.js';
export { commonModeOf, commonModeSignal, type CommonMode } from './signal-common-mode.js';
export {
  statedWindow,
  suspectTimeSignal,
  timeSignal,
  type OurTimes,
  type StatedWindow,
  type VendorTimes,
} from './signal-time.js';
export {
  componentSignal,
  impactSignal,
  ourRegions,
  regionScope,
  regionSignal,
  type OurRegion,
  type RegionContext,
  type RegionScope,
  type RegionSignal,
} from './signal-scope.js';
export { changeSentence, internalSignal, recentChanges } from './signal-internal.js';
