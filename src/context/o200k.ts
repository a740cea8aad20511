import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

/**
 * The o200k_base byte-pair encoding, exact (tiktoken's merge rule), in about
 * 7 MiB: the 200k tokens' bytes sit in one buffer, found through an
 * open-addressing table of ranks. gpt-tokenizer, whose vocabulary file this
 * reads, keeps the same vocabulary as Maps of 200k strings and byte arrays,
 * about 66 MiB in every thread that counts; a review counts in two (the
 * planner's compute thread and the model's session). The vocabulary loads on
 * the first count (~0.1 s), so a process that never counts never holds it
 * ([decision 0010](../../docs/decisions/0010-own-o200k-encoder.md)).
 *
 * Pieces come from o200k's own split pattern (gpt-tokenizer's, so both split
 * alike). Special-token text is encoded as the plain text it is, which is how
 * Longview counts it (see `tokens.ts`). `test/unit/context/o200k.test.ts` holds
 * the counts and encodings to gpt-tokenizer's on source code, prose, scripts
 * from many languages and random text.
 */

interface Vocabulary {
  /** Every token's bytes, back to back, in rank order. */
  readonly bytes: Uint8Array;
  /** Token `r` is `bytes[starts[r] .. starts[r + 1])`. */
  readonly starts: Uint32Array;
  /** Open addressing on the bytes' hash: a rank, or -1 for an empty slot. */
  readonly slots: Int32Array;
  readonly split: RegExp;
}

const NONE = -1;

let vocabulary: Vocabulary | null = null;

function load(): Vocabulary {
  const require = createRequire(import.meta.url);
  const { O200K_TOKEN_SPLIT_REGEX } = require("gpt-tokenizer/encodingParams/constants") as { O200K_TOKEN_SPLIT_REGEX: RegExp };
  const { bytes, starts } = parseTiktoken(readFileSync(require.resolve("gpt-tokenizer/data/o200k_base.tiktoken")));
  const count = starts.length - 1;
  let size = 1;
  while (size < count * 2) size *= 2;
  const slots = new Int32Array(size).fill(NONE);
  for (let rank = 0; rank < count; rank++) {
    let slot = hash(bytes, starts[rank]!, starts[rank + 1]!) & (size - 1);
    while (slots[slot] !== NONE) slot = (slot + 1) & (size - 1);
    slots[slot] = rank;
  }
  return { bytes, starts, slots, split: new RegExp(O200K_TOKEN_SPLIT_REGEX.source, "gu") };
}

const BASE64 = new Int8Array(128).fill(-1);
for (const [i, c] of [..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"].entries()) BASE64[c.charCodeAt(0)] = i;
const SPACE = 0x20;
const NEWLINE = 0x0a;
const EQUALS = 0x3d;

/**
 * A `.tiktoken` file ("<base64 of the token's bytes> <rank>" per line, ranks 0, 1, 2, …) decoded straight from
 * its bytes into arrays of their final size: no string per line and no scratch copy, so loading leaves
 * almost no garbage behind.
 */
export function parseTiktoken(file: Uint8Array): { bytes: Uint8Array; starts: Uint32Array } {
  // First pass: how many tokens and bytes, so the arrays are allocated once at their size.
  let size = 0;
  const tokens = forEachLine(file, (from, space) => {
    let digits = 0;
    for (let at = from; at < space; at++) if (file[at] !== EQUALS) digits++;
    size += Math.floor((digits * 6) / 8);
  });
  const bytes = new Uint8Array(size);
  const starts = new Uint32Array(tokens + 1);
  let end = 0;
  forEachLine(file, (from, space, to, index) => {
    starts[index] = end;
    let bits = 0;
    let held = 0;
    for (let at = from; at < space; at++) {
      const c = file[at]!;
      if (c === EQUALS) continue;
      const value = c < 128 ? BASE64[c]! : -1;
      if (value < 0) throw new Error(`o200k_base: not base64 at byte ${at}`);
      bits = (bits << 6) | value;
      held += 6;
      if (held >= 8) {
        held -= 8;
        bytes[end++] = (bits >> held) & 0xff;
      }
    }
    let rank = 0;
    for (let at = space + 1; at < to; at++) rank = rank * 10 + (file[at]! - 0x30);
    if (rank !== index) throw new Error(`o200k_base: rank ${rank} where ${index} was expected`);
  });
  starts[tokens] = end;
  return { bytes, starts };
}

/** Calls `line` with each non-empty line's start, its first space (or end) and its end; returns how many. */
function forEachLine(file: Uint8Array, line: (from: number, space: number, to: number, index: number) => void): number {
  let index = 0;
  for (let at = 0; at < file.length; at++) {
    if (file[at] === NEWLINE) continue;
    const from = at;
    while (at < file.length && file[at] !== SPACE && file[at] !== NEWLINE) at++;
    const space = at;
    while (at < file.length && file[at] !== NEWLINE) at++;
    line(from, space, at, index++);
  }
  return index;
}

function vocab(): Vocabulary {
  vocabulary ??= load();
  return vocabulary;
}

/** FNV-1a over `data[from, to)`. */
function hash(data: Uint8Array, from: number, to: number): number {
  let h = 0x811c9dc5;
  for (let i = from; i < to; i++) h = Math.imul(h ^ data[i]!, 0x01000193);
  return h >>> 0;
}

/** The rank of the bytes `data[from, to)`, or NONE when they are not one token. */
function rankOf(v: Vocabulary, data: Uint8Array, from: number, to: number): number {
  const mask = v.slots.length - 1;
  const length = to - from;
  for (let slot = hash(data, from, to) & mask; ; slot = (slot + 1) & mask) {
    const rank = v.slots[slot]!;
    if (rank === NONE) return NONE;
    const start = v.starts[rank]!;
    if (v.starts[rank + 1]! - start !== length) continue;
    let same = true;
    for (let i = 0; i < length; i++) {
      if (v.bytes[start + i] !== data[from + i]) {
        same = false;
        break;
      }
    }
    if (same) return rank;
  }
}

const encoder = new TextEncoder();
/** Reused for every piece up to this size; a longer one (a minified line) gets a buffer of its own, not kept. */
const SCRATCH_BYTES = 16 * 1024;
const scratch = new Uint8Array(SCRATCH_BYTES);

/** A buffer that holds the piece's UTF-8 bytes (a lone surrogate becomes U+FFFD, as TextEncoder writes it). */
function bufferFor(piece: string): Uint8Array {
  // UTF-8 takes at most 3 bytes per UTF-16 unit.
  return piece.length * 3 <= SCRATCH_BYTES ? scratch : new Uint8Array(piece.length * 3);
}

/**
 * tiktoken's `_byte_pair_merge`: merge the adjacent pair with the lowest rank (the leftmost of equals) until no
 * pair is a token; returns the parts' boundaries. tiktoken scans for that pair after every merge, which is
 * quadratic: a 100 kB piece (a minified line, a run of one letter) takes seconds. Here the pairs wait in a heap
 * ordered by rank, then position, and a pair made stale by a neighbour's merge is skipped when it comes up:
 * the same merges in O(n log n), and as fast as the scan on ordinary pieces.
 */
function merge(v: Vocabulary, data: Uint8Array, length: number): number[] {
  // Part i starts at byte i until merged away; `length` is the end. A pair's key is rank * (length + 1) + start.
  const next = new Int32Array(length + 1);
  const prev = new Int32Array(length + 1);
  const alive = new Uint8Array(length + 1).fill(1);
  const pair = new Int32Array(length + 1).fill(NONE);
  for (let i = 0; i <= length; i++) {
    next[i] = i + 1;
    prev[i] = i - 1;
  }
  const heap = new MinHeap();
  const span = length + 1;
  const rankPair = (i: number): void => {
    const right = next[i]!;
    pair[i] = right < length ? rankOf(v, data, i, next[right]!) : NONE;
    if (pair[i] !== NONE) heap.push(pair[i]! * span + i);
  };
  for (let i = 0; i < length; i++) rankPair(i);
  for (let key = heap.pop(); key !== undefined; key = heap.pop()) {
    const at = key % span;
    if (!alive[at] || pair[at] !== (key - at) / span) continue;
    const gone = next[at]!;
    alive[gone] = 0;
    next[at] = next[gone]!;
    prev[next[gone]!] = at;
    rankPair(at);
    if (prev[at]! >= 0) rankPair(prev[at]!);
  }
  const bounds: number[] = [];
  for (let i = 0; i < length; i = next[i]!) bounds.push(i);
  bounds.push(length);
  return bounds;
}

/** A binary min-heap of numbers (exact integers below 2^53 here). */
class MinHeap {
  private readonly items: number[] = [];

  push(value: number): void {
    const items = this.items;
    let i = items.push(value) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (items[parent]! <= value) break;
      items[i] = items[parent]!;
      i = parent;
    }
    items[i] = value;
  }

  pop(): number | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length === 0 || last === undefined) return top;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= items.length) break;
      const child = left + 1 < items.length && items[left + 1]! < items[left]! ? left + 1 : left;
      if (items[child]! >= last) break;
      items[i] = items[child]!;
      i = child;
    }
    items[i] = last;
    return top;
  }
}

function encodePiece(v: Vocabulary, piece: string, out: number[] | null): number {
  const data = bufferFor(piece);
  const length = encoder.encodeInto(piece, data).written;
  const whole = rankOf(v, data, 0, length);
  if (whole !== NONE) {
    out?.push(whole);
    return 1;
  }
  const bounds = merge(v, data, length);
  if (out) for (let i = 0; i + 1 < bounds.length; i++) out.push(rankOf(v, data, bounds[i]!, bounds[i + 1]!));
  return bounds.length - 1;
}

export function countO200k(text: string): number {
  const v = vocab();
  let n = 0;
  for (const [piece] of text.matchAll(v.split)) n += encodePiece(v, piece, null);
  return n;
}

export function encodeO200k(text: string): number[] {
  const v = vocab();
  const out: number[] = [];
  for (const [piece] of text.matchAll(v.split)) encodePiece(v, piece, out);
  return out;
}

/** The text of `tokens`; bytes that are not whole UTF-8 characters (a cut inside one) decode to U+FFFD. */
export function decodeO200k(tokens: readonly number[]): string {
  const v = vocab();
  let length = 0;
  for (const token of tokens) {
    if (!Number.isInteger(token) || token < 0 || token + 1 >= v.starts.length) throw new RangeError(`not an o200k token: ${token}`);
    length += v.starts[token + 1]! - v.starts[token]!;
  }
  const out = new Uint8Array(length);
  let at = 0;
  for (const token of tokens) {
    out.set(v.bytes.subarray(v.starts[token]!, v.starts[token + 1]!), at);
    at += v.starts[token + 1]! - v.starts[token]!;
  }
  // ignoreBOM keeps a leading U+FEFF: it is text the tokens carry, not a mark about the encoding.
  return new TextDecoder("utf-8", { ignoreBOM: true }).decode(out);
}

/** Loads the vocabulary now rather than at the first count. */
export function loadO200k(): void {
  vocab();
}
