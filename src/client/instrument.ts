import type { AxiosInstance, AxiosResponse, InternalAxiosRequestConfig } from 'axios';
import { classifyError } from '../core/contracts.js';
import type { Reporter, ReportEvent } from './reporter.js';
import { compileOverrides, vendorForHost, type VendorHostMap, type VendorOverrides } from './vendor-hosts.js';

/** How instrumentAxios / wrapFetch decide what to report; `Call` is what the client knows of a request. */
export interface InstrumentOptions<Call> {
  /** Host or `*.domain` → vendor id (or `{ vendor, region }`), consulted before the shipped table. */
  vendors?: VendorOverrides;
  /** Also report 4xx answers other than 429 (by default they are the caller's fault, not the vendor's). */
  reportClientErrors?: boolean;
  /** Also report failed calls to hosts that map to no vendor (reported without `vendor`). */
  reportUnknownHosts?: boolean;
  /**
   * Count every call to a vendor host, success or failure, with the reporter (see its `countCalls`
   * option, which also turns this off). Calls to hosts that map to no vendor are never counted.
   * Default true.
   */
  countCalls?: boolean;
  /** The customer the call was made for, if the caller can tell. */
  customer?: (call: Call) => string | undefined;
  /** Overrides the reporter's service for these events. */
  service?: string;
  /** Region for hosts that name none; else the reporter's default region. */
  region?: string;
  /** Replaces the default `METHOD /path` (e.g. to template ids out of paths). */
  endpoint?: (method: string, url: URL) => string | undefined;
  now?: () => number;
}

/** What is known about one failed call, whichever client made it. */
export interface FailedCall {
  method: string;
  url: string | URL;
  /** The HTTP status, when the vendor answered. */
  status?: number;
  /** The error code, when it did not (ECONNREFUSED, ETIMEDOUT, …). */
  code?: string;
  customer?: string;
}

/** The decision-making part of {@link InstrumentOptions}, with caller overrides already compiled. */
export type FailedCallOptions = Omit<InstrumentOptions<never>, 'vendors' | 'customer'> & {
  overrides?: VendorHostMap | undefined;
};

/** What wrapFetch passes to `customer()`. */
export interface FetchCall {
  url: URL;
  method: string;
  input: string | URL | Request;
  init: RequestInit | undefined;
}

export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** What instrumentation needs of a reporter: `report`, and `countCall` when it counts calls. */
export type InstrumentReporter = Pick<Reporter, 'report'> & Partial<Pick<Reporter, 'countCall'>>;

// Transport failures that say the far side (or the path to it) is unwell. Caller aborts, bad options
// and invalid URLs are not in here: they are ours.
const transportCodes =
  /^(?:E(?:CONN\w+|AI_AGAIN|NOTFOUND|HOSTUNREACH|HOSTDOWN|NETUNREACH|NETDOWN|PIPE|PROTO|TIMEDOUT|SOCKETTIMEDOUT)|ERR_NETWORK|ERR_SOCKET_CONNECTION_TIMEOUT|ERR_TLS_\w+|ERR_SSL_\w+|CERT_\w+|UNABLE_TO_\w+|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UND_ERR_\w+)$/;

/**
 * Client-specific codes mapped to the ones the correlator classifies: axios reports a timeout as
 * ECONNABORTED, undici as UND_ERR_*_TIMEOUT, and a peer that hangs up mid-answer as UND_ERR_SOCKET.
 */
function normalizeCode(code: string, message: string): string {
  if (code === 'ECONNABORTED' && /timeout/i.test(message)) return 'ETIMEDOUT';
  if (/^UND_ERR_(?:CONNECT|HEADERS|BODY)_TIMEOUT$/.test(code)) return 'ETIMEDOUT';
  if (code === 'UND_ERR_SOCKET' || code === 'UND_ERR_CLOSED') return 'ECONNRESET';
  return code;
}

/** True when an error code says the call failed on the way to or from the vendor. */
export function isTransportFailure(code: string): boolean {
  const errorClass = classifyError({ code });
  return errorClass === 'timeout' || errorClass === 'network' || transportCodes.test(code);
}

/** A call that failed on the way to or from the vendor (not a caller's abort or bad options). */
const failedOnTheWire = (error: unknown) => isTransportFailure(errorCodeOf(error) ?? '');

/** The most telling code on an error, looking through `cause` chains and AggregateErrors. */
export function errorCodeOf(error: unknown): string | undefined {
  const found: string[] = [];
  const visit = (value: unknown, depth: number) => {
    if (depth > 5 || typeof value !== 'object' || value === null) return;
    const { code, message, name, errors, cause } = value as Record<string, unknown>;
    const text = typeof message === 'string' ? message : '';
    if (name === 'TimeoutError') found.push('ETIMEDOUT');
    if (typeof code === 'string') found.push(normalizeCode(code, text));
    if (Array.isArray(errors) && errors.length > 0) visit(errors[0], depth + 1);
    visit(cause, depth + 1);
  };
  visit(error, 0);
  return found.find(isTransportFailure) ?? found[0];
}

interface Compiled<Call> {
  options: InstrumentOptions<Call>;
  overrides: VendorHostMap | undefined;
}

function compile<Call>(options: InstrumentOptions<Call>): Compiled<Call> {
  return { options, overrides: options.vendors ? compileOverrides(options.vendors) : undefined };
}

/**
 * The event to report for a failed call, or null when it is not reportable: a 4xx other than 429
 * (unless `reportClientErrors`), a success, a caller abort, or a host that maps to no vendor.
 */
export function eventForFailedCall(call: FailedCall, options: FailedCallOptions = {}): ReportEvent | null {
  const { status } = call;
  let code: string;
  if (status !== undefined) {
    const reportable =
      status >= 500 || status === 429 || (status >= 400 && options.reportClientErrors === true);
    if (!reportable) return null;
    code = `HTTP_${status}`;
  } else {
    if (!call.code || !isTransportFailure(call.code)) return null;
    code = call.code;
  }
  const url = toUrl(call.url);
  if (!url) return null;
  const target = vendorForHost(url.hostname, options.overrides);
  if (!target && !options.reportUnknownHosts) return null;
  const method = (call.method || 'GET').toUpperCase();
  // The path only: query strings and fragments often carry tokens and signatures.
  const endpoint = options.endpoint?.(method, url) ?? `${method} ${url.pathname}`;
  const region = target?.region ?? options.region;
  return {
    at: (options.now ?? Date.now)(),
    code,
    ...(status !== undefined ? { status } : {}),
    ...(target ? { vendor: target.vendor } : {}),
    ...(region ? { region } : {}),
    ...(endpoint ? { endpoint: endpoint.slice(0, 512) } : {}),
    ...(call.customer ? { customer: call.customer.slice(0, 512) } : {}),
    ...(options.service ? { service: options.service } : {}),
  };
}

/**
 * Counts one finished call when its host maps to a vendor. Only calls the vendor saw succeed or fail
 * count (an answer, or a failure on the way); a caller's own abort is neither.
 */
function countCall<Call>(
  reporter: InstrumentReporter,
  compiled: Compiled<Call>,
  urlOfCall: () => string | URL | null,
) {
  try {
    const { options } = compiled;
    if (options.countCalls === false || !reporter.countCall) return;
    const url = urlOfCall();
    const parsed = url === null ? undefined : toUrl(url);
    if (!parsed) return;
    const target = vendorForHost(parsed.hostname, compiled.overrides);
    if (!target) return;
    const region = target.region ?? options.region;
    reporter.countCall({
      vendor: target.vendor,
      ...(region ? { region } : {}),
      ...(options.service ? { service: options.service } : {}),
      at: (options.now ?? Date.now)(),
    });
  } catch {
    // Counting must never change what the app sees.
  }
}

function reportCall<Call>(
  reporter: InstrumentReporter,
  compiled: Compiled<Call>,
  describe: () => { call: FailedCall; context: () => Call } | null,
) {
  // Instrumentation must never change what the app sees, so nothing here may throw.
  try {
    const described = describe();
    if (!described) return;
    const { options } = compiled;
    let customer: string | undefined;
    if (options.customer) {
      try {
        const value = options.customer(described.context());
        customer = typeof value === 'string' && value.length > 0 ? value : undefined;
      } catch {
        customer = undefined;
      }
    }
    const event = eventForFailedCall(customer ? { ...described.call, customer } : described.call, {
      ...options,
      overrides: compiled.overrides,
    });
    if (event) reporter.report(event);
  } catch {
    // A reporter or option bug is not the app's problem.
  }
}

interface AxiosLikeError {
  isAxiosError: true;
  code?: string;
  message: string;
  config?: InternalAxiosRequestConfig;
  response?: { status: number };
}

const isAxiosLikeError = (error: unknown): error is AxiosLikeError =>
  typeof error === 'object' && error !== null && (error as { isAxiosError?: unknown }).isAxiosError === true;

/**
 * Adds a response interceptor that reports failed calls to vendor hosts: network errors, timeouts,
 * 5xx and 429 (4xx only with `reportClientErrors`). The original error is rethrown unchanged and
 * responses pass through untouched. Returns a function that removes the interceptor.
 */
export function instrumentAxios(
  instance: AxiosInstance,
  reporter: InstrumentReporter,
  options: InstrumentOptions<InternalAxiosRequestConfig> = {},
): () => void {
  const compiled = compile(options);
  const urlOf = (config: InternalAxiosRequestConfig) => {
    try {
      return instance.getUri(config);
    } catch {
      return '';
    }
  };
  const id = instance.interceptors.response.use(
    // With a permissive validateStatus, 5xx arrive here instead of as errors.
    (response: AxiosResponse) => {
      countCall(reporter, compiled, () => urlOf(response.config));
      if (response.status >= 400) {
        reportCall(reporter, compiled, () => ({
          call: {
            method: response.config.method ?? 'get',
            url: urlOf(response.config),
            status: response.status,
          },
          context: () => response.config,
        }));
      }
      return response;
    },
    (error: unknown) => {
      countCall(reporter, compiled, () =>
        isAxiosLikeError(error) && error.config && (error.response || failedOnTheWire(error))
          ? urlOf(error.config)
          : null,
      );
      reportCall(reporter, compiled, () => {
        if (!isAxiosLikeError(error) || !error.config) return null;
        const config = error.config;
        const status = error.response?.status;
        const failure = status !== undefined ? { status } : { code: errorCodeOf(error) };
        return {
          call: { method: config.method ?? 'get', url: urlOf(config), ...failure },
          context: () => config,
        };
      });
      return Promise.reject(error);
    },
  );
  return () => instance.interceptors.response.eject(id);
}

/**
 * Wraps a fetch implementation (usually the global one) with the same reporting as instrumentAxios.
 * Responses are returned as they came; rejections are rethrown unchanged. A caller's own abort is
 * not reported; an `AbortSignal.timeout()` firing is, as ETIMEDOUT.
 */
export function wrapFetch(
  fetchImpl: FetchLike,
  reporter: InstrumentReporter,
  options: InstrumentOptions<FetchCall> = {},
): FetchLike {
  const compiled = compile(options);
  const describe =
    (
      input: string | URL | Request,
      init: RequestInit | undefined,
      failure: Pick<FailedCall, 'status' | 'code'>,
    ) =>
    () => {
      const url = toUrl(input instanceof Request ? input.url : input);
      if (!url) return null;
      const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
      return { call: { method, url, ...failure }, context: (): FetchCall => ({ url, method, input, init }) };
    };
  return async (input, init) => {
    let response: Response;
    const urlOfCall = () => (input instanceof Request ? input.url : input);
    try {
      response = await fetchImpl(input, init);
    } catch (error) {
      countCall(reporter, compiled, () => (failedOnTheWire(error) ? urlOfCall() : null));
      reportCall(reporter, compiled, () => {
        const code = errorCodeOf(error);
        return code ? describe(input, init, { code })() : null;
      });
      throw error;
    }
    countCall(reporter, compiled, urlOfCall);
    if (response.status >= 400)
      reportCall(reporter, compiled, describe(input, init, { status: response.status }));
    return response;
  };
}

function toUrl(value: string | URL): URL | undefined {
  if (value instanceof URL) return value;
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}
