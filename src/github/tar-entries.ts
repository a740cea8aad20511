/**
 * A bounded reader of the tar archives GitHub serves for a commit
 * (`git archive` output: ustar entries, a pax global header carrying the
 * commit, pax or GNU long names), enough to take regular files out of it and
 * nothing more. Everything in an archive is the pull request's: names are
 * checked by the caller, sizes are bounded here, and a malformed header ends
 * the archive with an error rather than a guess.
 */

const BLOCK = 512;

export class TarFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TarFormatError";
  }
}

export interface TarFile {
  /** The path inside the archive, as written (GitHub's archives put everything under one top directory). */
  readonly path: string;
  readonly content: Buffer;
}

export interface TarReadOptions {
  /** Whether to keep a regular file of `size` bytes at `path` (others are skipped without being held). */
  readonly wanted: (path: string, size: number) => boolean;
  /** A pax or GNU long-name record larger than this is refused (a name is never this long). */
  readonly maxMetaBytes?: number;
}

/** Regular files of an uncompressed tar stream, in archive order. */
export async function* tarFiles(chunks: AsyncIterable<Buffer>, options: TarReadOptions): AsyncGenerator<TarFile> {
  const maxMeta = options.maxMetaBytes ?? 64 * 1024;
  const input = new ByteQueue(chunks);
  let longName: string | null = null;
  for (;;) {
    const header = await input.take(BLOCK);
    if (header === null) return;
    if (header.every((b) => b === 0)) return; // end-of-archive marker
    if (!checksumMatches(header)) throw new TarFormatError("tar header checksum mismatch");
    const size = readSize(header);
    const padded = Math.ceil(size / BLOCK) * BLOCK;
    const type = String.fromCharCode(header[156] ?? 0);
    if (type === "x" || type === "L") {
      if (size > maxMeta) throw new TarFormatError(`tar ${type === "x" ? "pax" : "long-name"} record of ${size} bytes`);
      const record = await input.takeExact(padded);
      const text = record.subarray(0, size);
      longName = type === "x" ? (paxPath(text) ?? longName) : text.toString("utf8").replace(/\0+$/, "");
      continue;
    }
    if (type === "g") {
      // The global header only carries the commit id.
      await input.skip(padded);
      continue;
    }
    const path = longName ?? ustarName(header);
    longName = null;
    if ((type === "0" || type === "\0") && options.wanted(path, size)) {
      const body = await input.takeExact(padded);
      yield { path, content: body.subarray(0, size) };
    } else {
      await input.skip(padded);
    }
  }
}

function ustarName(header: Buffer): string {
  const name = cString(header, 0, 100);
  const isUstar = header.subarray(257, 262).toString("latin1") === "ustar";
  const prefix = isUstar ? cString(header, 345, 155) : "";
  return prefix ? `${prefix}/${name}` : name;
}

function cString(buffer: Buffer, start: number, length: number): string {
  const field = buffer.subarray(start, start + length);
  const end = field.indexOf(0);
  return field.subarray(0, end === -1 ? field.length : end).toString("utf8");
}

function readSize(header: Buffer): number {
  const field = header.subarray(124, 136);
  // GNU base-256 for sizes past 8 GiB: never wanted, but it must not be read as octal.
  if (((field[0] ?? 0) & 0x80) !== 0) throw new TarFormatError("tar entry larger than 8 GiB");
  const text = field
    .toString("latin1")
    .replace(/[\0 ]+$/, "")
    .trim();
  if (!/^[0-7]*$/.test(text)) throw new TarFormatError("tar entry size is not octal");
  return text === "" ? 0 : Number.parseInt(text, 8);
}

function checksumMatches(header: Buffer): boolean {
  const stored = Number.parseInt(
    header
      .subarray(148, 156)
      .toString("latin1")
      .replace(/[\0 ]+$/, "")
      .trim(),
    8,
  );
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : (header[i] ?? 0);
  return sum === stored;
}

/** The `path` of a pax extended header ("<length> path=<value>\n" records), if it has one. */
function paxPath(record: Buffer): string | null {
  let offset = 0;
  let path: string | null = null;
  while (offset < record.length) {
    const space = record.indexOf(0x20, offset);
    if (space === -1) break;
    const length = Number.parseInt(record.subarray(offset, space).toString("latin1"), 10);
    if (!Number.isInteger(length) || length <= space - offset || offset + length > record.length) throw new TarFormatError("malformed pax record");
    const entry = record.subarray(space + 1, offset + length - 1).toString("utf8");
    const eq = entry.indexOf("=");
    if (eq !== -1 && entry.slice(0, eq) === "path") path = entry.slice(eq + 1);
    offset += length;
  }
  return path;
}

/** Reads fixed-size pieces from a stream of chunks without concatenating the whole stream. */
class ByteQueue {
  private readonly iterator: AsyncIterator<Buffer>;
  private pending: Buffer[] = [];
  private available = 0;
  private done = false;

  constructor(chunks: AsyncIterable<Buffer>) {
    this.iterator = chunks[Symbol.asyncIterator]();
  }

  /** `n` bytes, or null when the stream ended before any; a partial block is an error. */
  async take(n: number): Promise<Buffer | null> {
    await this.fill(n);
    if (this.available === 0) return null;
    if (this.available < n) throw new TarFormatError("tar archive ends inside a block");
    return this.consume(n);
  }

  async takeExact(n: number): Promise<Buffer> {
    if (n === 0) return Buffer.alloc(0);
    const bytes = await this.take(n);
    if (bytes === null) throw new TarFormatError("tar archive ends inside an entry");
    return bytes;
  }

  async skip(n: number): Promise<void> {
    let left = n;
    while (left > 0) {
      if (this.available === 0) await this.fill(1);
      if (this.available === 0) throw new TarFormatError("tar archive ends inside an entry");
      const step = Math.min(left, this.available);
      this.consume(step);
      left -= step;
    }
  }

  private async fill(n: number): Promise<void> {
    while (this.available < n && !this.done) {
      const next = await this.iterator.next();
      if (next.done) {
        this.done = true;
        break;
      }
      if (next.value.length === 0) continue;
      this.pending.push(next.value);
      this.available += next.value.length;
    }
  }

  private consume(n: number): Buffer {
    const first = this.pending[0];
    if (first && first.length >= n) {
      const out = first.subarray(0, n);
      if (first.length === n) this.pending.shift();
      else this.pending[0] = first.subarray(n);
      this.available -= n;
      return out;
    }
    const out = Buffer.allocUnsafe(n);
    let filled = 0;
    while (filled < n) {
      const chunk = this.pending[0];
      if (!chunk) throw new TarFormatError("tar archive ends inside an entry");
      const step = Math.min(chunk.length, n - filled);
      chunk.copy(out, filled, 0, step);
      filled += step;
      if (step === chunk.length) this.pending.shift();
      else this.pending[0] = chunk.subarray(step);
    }
    this.available -= n;
    return out;
  }
}
