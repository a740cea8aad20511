/**
 * Builds a `git fast-import` stream: many commits, each a map of path →
 * content (or null to delete), written by one git process instead of one
 * process per object — a repository of thousands of files takes a second.
 */

export interface ImportCommit {
  readonly message: string;
  /** path → new content; null deletes the file. */
  readonly files: Readonly<Record<string, string | Buffer | null>>;
  readonly author: { readonly name: string; readonly email: string };
  readonly date: Date;
  /** File mode for added/changed files; "100755" for executables. Default "100644". */
  readonly modes?: Readonly<Record<string, "100644" | "100755" | "120000">>;
}

export function buildFastImportStream(ref: string, from: string | null, commits: readonly ImportCommit[]): Buffer {
  const chunks: Buffer[] = [];
  const text = (value: string) => chunks.push(Buffer.from(value, "utf8"));
  const data = (content: Buffer) => {
    text(`data ${content.length}\n`);
    chunks.push(content);
    text("\n");
  };
  commits.forEach((commit, index) => {
    const stamp = `${Math.floor(commit.date.getTime() / 1000)} +0000`;
    const person = `${sanitize(commit.author.name)} <${sanitize(commit.author.email)}> ${stamp}`;
    text(`commit ${ref}\nauthor ${person}\ncommitter ${person}\n`);
    data(Buffer.from(commit.message, "utf8"));
    if (index === 0 && from) text(`from ${from}\n`);
    for (const [path, content] of Object.entries(commit.files)) {
      if (content === null) {
        text(`D ${quotePath(path)}\n`);
        continue;
      }
      text(`M ${commit.modes?.[path] ?? "100644"} inline ${quotePath(path)}\n`);
      data(typeof content === "string" ? Buffer.from(content, "utf8") : content);
    }
    text("\n");
  });
  text("done\n");
  return Buffer.concat(chunks);
}

/** fast-import takes C-style quoted paths, which are always safe (spaces, quotes, newlines, non-ASCII). */
function quotePath(path: string): string {
  return `"${path.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;
}

/** Identities cannot contain angle brackets or newlines. */
function sanitize(value: string): string {
  return value.replace(/[<>\n]/g, "");
}
