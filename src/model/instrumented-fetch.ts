/**
 * The fetch handed to the OpenAI SDK for one window: counts HTTP attempts (the
 * SDK's own retries included) and keeps abort errors recognizable.
 */
export function instrumentedFetch(base: typeof fetch, onAttempt: () => void): typeof fetch {
  return async (input, init) => {
    onAttempt();
    try {
      return await base(input, init);
    } catch (error) {
      throw sameRealmAbortError(error);
    }
  };
}

/**
 * A fetch from another JavaScript realm (VM contexts such as jest's, some
 * polyfills) rejects with a DOMException that is not `instanceof Error` here.
 * The SDK then stringifies it and loses its name, so a timeout is reported as
 * a plain connection error. Re-create it as a local Error named AbortError.
 */
function sameRealmAbortError(error: unknown): unknown {
  if (error instanceof Error || typeof error !== "object" || error === null) return error;
  const { name, message } = error as { name?: unknown; message?: unknown };
  if (name !== "AbortError" && name !== "TimeoutError") return error;
  const local = new Error(typeof message === "string" ? message : "The operation was aborted", { cause: error });
  local.name = "AbortError";
  return local;
}
