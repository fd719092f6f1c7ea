/**
 * Outcomes that the caller must handle carry a machine-readable reason (the UI maps reasons to
 * messages in one place) and a human message for logs and support staff.
 */
export type Ok<T> = { readonly ok: true; readonly value: T };
export type Err<R extends string> = { readonly ok: false; readonly reason: R; readonly message: string };
export type Result<T, R extends string> = Ok<T> | Err<R>;

export const ok = <T>(value: T): Ok<T> => ({ ok: true, value });
export const err = <R extends string>(reason: R, message: string): Err<R> => ({ ok: false, reason, message });
