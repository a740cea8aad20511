/**
 * Errors a route raises to answer like GitHub: a status and GitHub's JSON error
 * body. The server fills in `documentation_url` from the OpenAPI operation.
 */

export interface GitHubErrorBody {
  readonly message: string;
  readonly errors?: readonly unknown[];
  readonly documentation_url?: string;
  readonly status?: string;
}

export class GitHubApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: GitHubErrorBody,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(`${status} ${body.message}`);
    this.name = "GitHubApiError";
  }
}

export function notFound(): GitHubApiError {
  return new GitHubApiError(404, { message: "Not Found" });
}

export function badCredentials(): GitHubApiError {
  return new GitHubApiError(401, { message: "Bad credentials" });
}

export function requiresAuthentication(): GitHubApiError {
  return new GitHubApiError(401, { message: "Requires authentication" });
}

export function jwtRejected(message: string): GitHubApiError {
  return new GitHubApiError(401, { message });
}

export function notAccessibleByIntegration(): GitHubApiError {
  return new GitHubApiError(403, { message: "Resource not accessible by integration" });
}

/** `{"message":"Unprocessable Entity","errors":["..."]}` — GitHub's form for reviews and other "simple" validations. */
export function unprocessable(errors: readonly string[]): GitHubApiError {
  return new GitHubApiError(422, { message: "Unprocessable Entity", errors: [toSentence(errors)] });
}

export interface FieldError {
  readonly resource: string;
  readonly field: string;
  readonly code: "custom" | "invalid" | "missing" | "missing_field" | "already_exists" | "unprocessable";
  readonly message?: string;
}

/** `{"message":"Validation Failed","errors":[{resource, field, code, message}]}`. */
export function validationFailed(errors: readonly FieldError[]): GitHubApiError {
  return new GitHubApiError(422, { message: "Validation Failed", errors });
}

/** 422 with a bare message, e.g. "Update is not a fast forward". */
export function unprocessableMessage(message: string): GitHubApiError {
  return new GitHubApiError(422, { message });
}

/**
 * Rails' `Array#to_sentence`, which GitHub uses to join validation messages:
 * "a", "a and b", "a, b, and c".
 */
export function toSentence(parts: readonly string[]): string {
  if (parts.length <= 1) return parts[0] ?? "";
  if (parts.length === 2) return `${parts[0]} and ${parts[1]}`;
  return `${parts.slice(0, -1).join(", ")}, and ${parts[parts.length - 1]}`;
}
