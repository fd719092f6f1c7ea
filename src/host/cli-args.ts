import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { z } from 'zod';

/** A command-line mistake: printed as `caja <command>: <reason>: <message>`, exit code 2. */
export class UsageError extends Error {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** Parse flags strictly (unknown flags are errors), then check their values with a schema. */
export function parseFlags<T>(argv: readonly string[], options: Options, schema: z.ZodType<T>): T {
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new UsageError('invalid-flag', error instanceof Error ? error.message : String(error));
  }
  const parsed = schema.safeParse(values);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const flag = issue?.path[0];
    throw new UsageError(
      'invalid-flag-value',
      `${flag === undefined ? '' : `--${String(flag)}: `}${issue?.message ?? 'invalid value'}`,
    );
  }
  return parsed.data;
}
