import { CheckQueryError, checkQuerySchema, type CheckAnswer, type CheckQuery } from '../core/check/types.js';
import type { Config } from '../config.js';
import { runCheck } from '../store/check.js';
import type { ConsoleStores } from './pages.js';

/** The form's fields, as typed (for refilling the form). */
export interface CheckForm {
  vendor: string;
  region: string;
  at: string;
  service: string;
  customer: string;
}

const fields = ['vendor', 'region', 'at', 'service', 'customer'] as const;

export interface CheckPage {
  form: CheckForm;
  /** Whether the form was sent (any of its fields is in the query string). */
  submitted: boolean;
  answer: CheckAnswer | null;
  /** A field the check refused, with why. */
  fieldErrors: Partial<Record<keyof CheckForm, string>>;
  /** The check could not run at all. */
  failure: string | null;
}

/** The form's values from a query string: missing fields are empty, `vendor=any` is no vendor. */
export function readCheckForm(query: unknown): { form: CheckForm; submitted: boolean } {
  const q = (query && typeof query === 'object' ? query : {}) as Record<string, unknown>;
  const value = (name: string) => {
    const raw = q[name];
    const first = Array.isArray(raw) ? raw[0] : raw;
    return typeof first === 'string' ? first : '';
  };
  const form: CheckForm = {
    vendor: value('vendor'),
    region: value('region'),
    at: value('at'),
    service: value('service'),
    customer: value('customer'),
  };
  return { form, submitted: fields.some((f) => f in q) };
}

/** The query the form stands for: blank fields left out, `any` vendor left out. */
export function toCheckQuery(
  form: CheckForm,
): { query: CheckQuery } | { errors: Partial<Record<keyof CheckForm, string>> } {
  const raw: Record<string, string> = {};
  for (const field of fields) {
    const v = form[field].trim();
    if (v && !(field === 'vendor' && v === 'any')) raw[field] = v;
  }
  const parsed = checkQuerySchema.safeParse(raw);
  if (parsed.success) return { query: parsed.data };
  const errors: Partial<Record<keyof CheckForm, string>> = {};
  for (const issue of parsed.error.issues) {
    const field = issue.path[0];
    if (typeof field === 'string' && (fields as readonly string[]).includes(field))
      errors[field as keyof CheckForm] ??= issue.message;
  }
  return { errors };
}

/** Runs the check the form asks for (when it was sent) and says what to show. */
export async function loadCheckPage(s: ConsoleStores, query: unknown, now: Date): Promise<CheckPage> {
  const { form, submitted } = readCheckForm(query);
  const page: CheckPage = { form, submitted, answer: null, fieldErrors: {}, failure: null };
  if (!submitted) return page;
  const parsed = toCheckQuery(form);
  if ('errors' in parsed) return { ...page, fieldErrors: parsed.errors };
  try {
    page.answer = await runCheck({ redis: s.redis, keys: s.keys, config: s.config }, parsed.query, now);
  } catch (error) {
    if (error instanceof CheckQueryError) page.fieldErrors[error.field] = error.message;
    else page.failure = (error as Error).message;
  }
  return page;
}

/** The vendors and services the form offers. */
export function checkChoices(config: Config) {
  return {
    vendors: config.vendors.map((v) => ({ id: v.id, name: v.name })),
    services: config.services.map((s) => s.name),
  };
}
