import * as z from 'zod';
import { HttpError } from './http-error.js';

/**
 * The building blocks of the API contract's request schemas (api-requests.ts): every field says,
 * in words, what it expects, so a 400 names the field and what it takes, e.g.
 * `body needs "to": a partition key`, `"onlyMissing" must be true or false`,
 * `query parameter "limit" must be a whole number >= 1 (got "x")`.
 */

type RawIssue = z.core.$ZodRawIssue;

const nameOf = (iss: RawIssue) => (iss.path ?? []).map(String).join('.');
const shown = (input: unknown) => (typeof input === 'string' ? `"${input}"` : JSON.stringify(input));

/** The error option of a body field's schema (and of its checks). */
export function expected(what: string): { error: (iss: RawIssue) => string } {
  return { error: (iss) => (iss.input === undefined ? `body needs "${nameOf(iss)}": ${what}` : `"${nameOf(iss)}" must be ${what}`) };
}

/** The error option of a query parameter's schema (and of its checks). */
export function expectedParam(what: string): { error: (iss: RawIssue) => string } {
  return { error: (iss) => `query parameter "${nameOf(iss)}" must be ${what}${iss.input === undefined ? '' : ` (got ${shown(iss.input)})`}` };
}

/** A JSON body object that refuses fields it does not know (a misspelt optional field is an error, not ignored). */
export function bodyObject<Shape extends z.ZodRawShape>(shape: Shape) {
  const fields = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (iss) => {
      if (iss.code === 'unrecognized_keys') {
        const where = nameOf(iss);
        return `${where ? `"${where}" has` : 'body has'} unknown field${iss.keys.length === 1 ? '' : 's'} ${iss.keys.map((k) => `"${k}"`).join(', ')}; it takes ${fields}`;
      }
      return nameOf(iss) ? `"${nameOf(iss)}" must be an object` : 'the body must be a JSON object';
    },
  });
}

/** A whole-number query parameter: `fallback` when absent or empty, at most `max` (larger values are capped). */
export function wholeNumberParam<const F extends number | undefined>(options: { min: number; max?: number; fallback: F }) {
  const error = expectedParam(`a whole number >= ${options.min}`);
  const whole = z
    .string()
    .regex(/^[0-9]+$/, error)
    .transform(Number)
    .refine((n) => Number.isSafeInteger(n) && n >= options.min, error)
    .transform((n) => Math.min(n, options.max ?? Number.MAX_SAFE_INTEGER));
  return z
    .union([z.number(), z.string()])
    .optional()
    .transform((raw) => (raw === undefined || raw === '' ? undefined : String(raw)))
    .pipe(whole.optional())
    .transform((n): number | F => n ?? options.fallback);
}

/** A comma-separated query parameter (`status=FAILURE,CANCELED`), each value one of `values` (any case); undefined when absent. */
export function listParam<const V extends string>(values: readonly V[]) {
  const error = expectedParam(`among ${values.join(', ')} (comma-separated)`);
  return z
    .string()
    .optional()
    .refine((raw) => raw === undefined || raw.split(',').every((s) => s === '' || values.includes(s.toUpperCase() as V)), error)
    .transform((raw) => {
      const list = raw?.split(',').filter(Boolean).map((s) => s.toUpperCase() as V);
      return list && list.length > 0 ? list : undefined;
    });
}

/** A query parameter that may repeat (`tag=a=1&tag=b=2`): always a list. */
export function repeatedParam(what: string) {
  return z
    .union([z.string(), z.array(z.string())], expectedParam(what))
    .optional()
    .transform((raw) => (raw === undefined ? [] : Array.isArray(raw) ? raw : [raw]));
}

/** The query of a URL as the schemas read it: a repeated name gives a list. */
export function queryObject(params: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const name of new Set(params.keys())) {
    const all = params.getAll(name);
    out[name] = all.length === 1 ? all[0]! : all;
  }
  return out;
}

/**
 * Parses `input` with `schema`, or throws a 400 whose message names each wrong field (`code`:
 * INVALID_REQUEST for a body, INVALID_QUERY for a query).
 */
export function parseRequest<S extends z.ZodType>(schema: S, input: unknown, code: 'INVALID_REQUEST' | 'INVALID_QUERY'): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const messages = parsed.error.issues.slice(0, 5).map((issue) => {
    const name = issue.path.map(String).join('.');
    // Fields declared with expected()/expectedParam() name themselves; anything else gets its path.
    return name === '' || issue.message.includes(`"${name}"`) ? issue.message : `"${name}": ${issue.message}`;
  });
  const more = parsed.error.issues.length - messages.length;
  throw new HttpError(400, code, `${messages.join('; ')}${more > 0 ? ` (and ${more} more)` : ''}`);
}
