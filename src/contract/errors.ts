import type { z } from 'zod';
import { INVALID_TEXT } from '../domain/text.js';

/** Extra machine-readable fields of an error answer (e.g. `retryAfterSeconds`). */
export type ErrorDetails = Readonly<Record<string, string | number | boolean>>;

/**
 * An error with an HTTP status and a machine-readable reason, answered as `{error, message}` plus
 * its details, if any.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
    readonly details: ErrorDetails = {},
  ) {
    super(message);
  }
}

export function describeZodError(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(body)'}: ${issue.message}`)
    .join('; ');
}

/**
 * A refinement may name its own machine-readable reason (`params: {reason}`): `invalid-text` for
 * control characters in a name (src/domain/schemas.ts textSchema) is more useful than the generic
 * one. Only reasons known here are taken, so the answer's reason stays in the closed set.
 */
function refinementReason(error: z.ZodError): typeof INVALID_TEXT | undefined {
  for (const issue of error.issues) {
    if (issue.code !== 'custom') continue;
    const reason = (issue.params as { reason?: unknown } | undefined)?.reason;
    if (reason === INVALID_TEXT) return reason;
  }
  return undefined;
}

/** Parse untrusted input with a schema or throw a 400 with the reason given. */
export function parseOr400<T>(
  schema: z.ZodType<T>,
  value: unknown,
  reason: 'invalid-body' | 'invalid-query' | 'invalid-path' = 'invalid-body',
): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    throw new ApiError(400, refinementReason(parsed.error) ?? reason, describeZodError(parsed.error));
  return parsed.data;
}

interface FastifyLikeError {
  code?: string;
  statusCode?: number;
  message: string;
}

/**
 * Map any error thrown while handling a request to a status and `{error, message}` body: our own
 * ApiErrors as they are, the framework's body-parsing errors to clear reasons, the rest to 500
 * without internals.
 */
export function toErrorResponse(error: unknown): {
  status: number;
  body: { error: string; message: string } & ErrorDetails;
} {
  if (error instanceof ApiError)
    return { status: error.status, body: { ...error.details, error: error.reason, message: error.message } };
  const e = error as FastifyLikeError;
  switch (e.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, body: { error: 'payload-too-large', message: 'the request body is too large' } };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, body: { error: 'unsupported-media-type', message: 'send application/json' } };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return {
        status: 400,
        body: { error: 'malformed-json', message: 'the body is empty; send a JSON object' },
      };
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return {
        status: 400,
        body: { error: 'malformed-json', message: `the body is not valid JSON: ${e.message}` },
      };
    default:
      break;
  }
  if (error instanceof SyntaxError || (e.statusCode === 400 && /JSON/i.test(e.message))) {
    return {
      status: 400,
      body: { error: 'malformed-json', message: `the body is not valid JSON: ${e.message}` },
    };
  }
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return { status: e.statusCode, body: { error: 'bad-request', message: e.message } };
  }
  return { status: 500, body: { error: 'internal-error', message: 'internal error; see the server log' } };
}
