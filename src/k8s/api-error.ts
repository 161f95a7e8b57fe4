/**
 * The errors the fake API server's verbs return: a reason and the HTTP status Kubernetes
 * gives with it (404 NotFound, 409 Conflict, 422 Invalid…), with the field errors of a denial.
 * Fidelity: k8s.io/apimachinery pkg/api/errors (StatusError); controllers branch on the reason.
 */
import type { FieldError } from '../apis/field-error.js';

export type ApiErrorReason = 'NotFound' | 'AlreadyExists' | 'Conflict' | 'Invalid' | 'BadRequest' | 'InternalError';

const STATUS_CODES: Record<ApiErrorReason, number> = { NotFound: 404, AlreadyExists: 409, Conflict: 409, Invalid: 422, BadRequest: 400, InternalError: 500 };

/** An error returned by an API verb, with the HTTP status and reason Kubernetes would give. */
export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly reason: ApiErrorReason,
    message: string,
    readonly causes: readonly FieldError[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = STATUS_CODES[reason];
  }
}

export function isApiError(err: unknown, reason?: ApiErrorReason): err is ApiError {
  return err instanceof ApiError && (reason === undefined || err.reason === reason);
}
