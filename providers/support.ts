import { z } from 'zod';
import { FetchError } from '../src/core/errors.js';
import { toInstant } from '../src/core/model.js';

// Real pages and imitators omit fields and send null arrays, so schemas built from these require
// little; a field that is present must still have the right type.
export const text = z.string().nullish();
export const time = z
  .string()
  .refine((v) => toInstant(v) !== null, 'expected an ISO-8601 timestamp')
  .nullish();
export const list = <T extends z.ZodType>(item: T) => z.array(item).nullish();

/** `components[3].status: expected string, received number` (+ how many other problems there were). */
export function describeIssue(error: z.ZodError): string {
  const [issue, ...rest] = error.issues;
  if (!issue) return 'does not match the expected shape';
  const path = issue.path.reduce<string>(
    (acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)),
    '',
  );
  const more = rest.length > 0 ? ` (and ${rest.length} more)` : '';
  return `${path || 'body'}: ${issue.message.replace(/^Invalid input: /, '')}${more}`;
}

/** Decodes a JSON body and validates it; anything else (HTML error pages, drift) is a `parse` FetchError naming `what`. */
export function parseJson<T extends z.ZodType>(body: string, schema: T, what: string): z.output<T> {
  const trimmed = body.replace(/^\uFEFF/, '').trim();
  if (trimmed === '') throw new FetchError('parse', `${what}: empty body`);
  if (trimmed.startsWith('<'))
    throw new FetchError('parse', `${what}: got HTML/XML instead of JSON (an error or login page?)`);
  let data: unknown;
  try {
    data = JSON.parse(trimmed);
  } catch (cause) {
    throw new FetchError(
      'parse',
      `${what}: not valid JSON (${cause instanceof Error ? cause.message : String(cause)})`,
      { cause },
    );
  }
  const result = schema.safeParse(data);
  if (!result.success)
    throw new FetchError('parse', `${what}: ${describeIssue(result.error)}`, { cause: result.error });
  return result.data;
}

const ms = (instant: string): number => Date.parse(instant);

/** The earliest of some instants, ignoring nulls. */
export const earliest = (values: (string | null)[]): string | null =>
  values.reduce<string | null>(
    (best, v) => (v !== null && (best === null || ms(v) < ms(best)) ? v : best),
    null,
  );

/** The latest of some instants, ignoring nulls. */
export const latest = (values: (string | null)[]): string | null =>
  values.reduce<string | null>(
    (best, v) => (v !== null && (best === null || ms(v) > ms(best)) ? v : best),
    null,
  );

/** Parsers do not know where the text came from; the poll adds the URL so the log names the endpoint. */
export function withUrl<T>(url: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof FetchError && error.url === undefined) {
      throw new FetchError(error.kind, error.message, { url, cause: error.cause });
    }
    throw error;
  }
}
