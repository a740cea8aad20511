/**
 * URLs as a GitHub Enterprise Server at `origin` prints them: the REST API
 * under /api/v3, web pages at the root.
 */
export class Urls {
  constructor(readonly origin: string) {}

  get apiBase(): string {
    return `${this.origin}/api/v3`;
  }

  api(path: string): string {
    return `${this.apiBase}${path}`;
  }

  html(path: string): string {
    return `${this.origin}${path}`;
  }
}

/** Encodes each segment of a repository path, keeping the slashes. */
export function encodePath(path: string): string {
  return path.split("/").map(encodeURIComponent).join("/");
}

/** GitHub's timestamps: ISO 8601 in UTC without milliseconds. */
export function isoTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** Global node ids in GitHub's legacy form, base64 of "<len>:<Type><id>". */
export function nodeId(type: string, id: number): string {
  const inner = `${type}${id}`;
  return Buffer.from(`${String(type.length).padStart(2, "0")}:${inner}`).toString("base64");
}
