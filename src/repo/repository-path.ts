/**
 * A path as git stores it: relative, "/"-separated, no empty, "." or ".."
 * segment, no NUL. Paths come from the pull request (listings, the model's
 * tool calls); anything else (an absolute path, a traversal) names no file of
 * the repository and is never looked up.
 */
export function isRepositoryPath(path: string): boolean {
  if (path === "" || path.includes("\0")) return false;
  return path.split("/").every((segment) => segment !== "" && segment !== "." && segment !== "..");
}

const UTF8 = new TextDecoder("utf-8", { fatal: true });

/** A file's text, or null when it is binary (a NUL byte) or not UTF-8. */
export function decodeText(bytes: Uint8Array): string | null {
  if (bytes.includes(0)) return null;
  try {
    return UTF8.decode(bytes);
  } catch {
    return null;
  }
}
