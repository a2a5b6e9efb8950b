/**
 * The one convention for errors retrying cannot fix: the error carries `permanent: true`. Workers fail
 * such a job at once (BullMQ's UnrecoverableError); anything else is retried by the job's policy.
 */
export function isPermanent(error: unknown): boolean {
  return error instanceof Error && (error as { permanent?: unknown }).permanent === true;
}

/** Why a vendor fetch failed; steers retries and the vendor's health. */
export type FetchErrorKind = 'http' | 'network' | 'timeout' | 'parse' | 'too-large' | 'blocked';

/** The one error type the HTTP edge and providers throw for a vendor page that cannot be used. */
export class FetchError extends Error {
  override readonly name = 'FetchError';
  readonly kind: FetchErrorKind;
  readonly url: string | undefined;
  readonly status: number | undefined;

  constructor(
    kind: FetchErrorKind,
    message: string,
    options: { url?: string; status?: number; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.kind = kind;
    this.url = options.url;
    this.status = options.status;
  }

  /** A 4xx answer, a blocked address or a payload we cannot read will not fix itself on retry. */
  get permanent(): boolean {
    if (this.kind === 'blocked' || this.kind === 'parse') return true;
    return (
      this.kind === 'http' &&
      this.status !== undefined &&
      this.status >= 400 &&
      this.status < 500 &&
      this.status !== 408 &&
      this.status !== 429
    );
  }
}

/** A configuration file or value that does not match the schema. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}
