/**
 * Validation errors that name the field, as the Kubernetes API server and Knative's
 * webhook report them. A validator returns a list; an empty list means valid.
 */

export interface FieldError {
  /** Dotted field path, e.g. `spec.template.spec.timeoutSeconds` or `spec.traffic[1].tag`. */
  path: string;
  /** What is wrong, e.g. `expected 0 <= 900 <= 600`. */
  message: string;
}

/** Kubernetes-style `Invalid value` text: `spec.replicas: Invalid value: -1: must be greater than or equal to 0`. */
export function invalidValue(path: string, value: unknown, why: string): FieldError {
  return { path, message: `Invalid value: ${JSON.stringify(value)}: ${why}` };
}

/** Kubernetes-style `Required value`. */
export function requiredValue(path: string): FieldError {
  return { path, message: 'Required value' };
}

/** Joins errors as `path: message; path: message`. */
export function formatFieldErrors(errors: readonly FieldError[]): string {
  return errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)).join('; ');
}

/**
 * How Knative's validating webhook denies a request, as the API server relays it:
 * `admission webhook "validation.webhook.serving.knative.dev" denied the request: validation failed: expected 0 <= 5000 <= 1000: spec.template.spec.containerConcurrency`.
 */
export function formatWebhookDenial(errors: readonly FieldError[]): string {
  return `admission webhook "validation.webhook.serving.knative.dev" denied the request: validation failed: ${errors.map((e) => (e.path ? `${e.message}: ${e.path}` : e.message)).join('\n')}`;
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** Kubernetes' RFC 1123 label check with its own message, or undefined when valid. */
export function checkDns1123Label(value: string): string | undefined {
  if (value.length > 63) return 'must be no more than 63 characters';
  if (!DNS1123_LABEL.test(value))
    return "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
  return undefined;
}

/** Kubernetes' RFC 1123 subdomain check (object names), or undefined when valid. */
export function checkDns1123Subdomain(value: string): string | undefined {
  if (value.length > 253) return 'must be no more than 253 characters';
  if (!DNS1123_SUBDOMAIN.test(value))
    return "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
  return undefined;
}

/** Kubernetes' RFC 1035 label check (Service names, Knative tags and revision names), or undefined when valid. */
export function checkDns1035Label(value: string): string | undefined {
  if (value.length > 63) return 'must be no more than 63 characters';
  if (!DNS1035_LABEL.test(value))
    return "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
  return undefined;
}
