/**
 * upcause Node client: report the errors your service sees when it calls vendors, and how many calls
 * it makes, straight into the Redis stream or through the HTTP API; instrument axios / fetch to do it
 * for you.
 */
export {
  createReporter,
  ReporterOptionsError,
  ReporterSendError,
  type CountedCall,
  type Reporter,
  type ReporterLogger,
  type ReporterOptions,
  type ReporterStats,
  type ReporterTarget,
  type ReportEvent,
} from './reporter.js';
export {
  instrumentAxios,
  wrapFetch,
  eventForFailedCall,
  errorCodeOf,
  isTransportFailure,
  type FailedCall,
  type FailedCallOptions,
  type FetchCall,
  type FetchLike,
  type InstrumentOptions,
  type InstrumentReporter,
} from './instrument.js';
export {
  vendorForHost,
  lookupVendorHost,
  compileVendorHosts,
  compileOverrides,
  catalogHostRows,
  defaultVendorHosts,
  normalizeHost,
  vendorApiHosts,
  sharedHosts,
  type VendorHostMap,
  type VendorHostRow,
  type VendorOverrides,
  type VendorTarget,
} from './vendor-hosts.js';
