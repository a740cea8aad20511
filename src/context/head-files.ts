import type { ChangeSet } from "../domain/change-set.js";
import { splitLines, type HeadFile } from "./surrounding-code.js";
import type { Outliner } from "./syntax/outliner.js";
import type { Outline } from "./syntax/outline.js";

/** Head contents of one plan, split into lines and outlined on first use. */
export class HeadFiles {
  private readonly files = new Map<string, HeadFile>();

  constructor(
    private readonly changeSet: ChangeSet,
    private readonly outliner: Outliner,
  ) {}

  get(path: string): HeadFile | null {
    const known = this.files.get(path);
    if (known) return known;
    const text = this.changeSet.headContents.get(path);
    if (text === undefined) return null;
    const head = lazyHead(path, text, this.outliner);
    this.files.set(path, head);
    return head;
  }
}

function lazyHead(path: string, text: string, outliner: Outliner): HeadFile {
  let lines: string[] | null = null;
  let outline: Outline | null = null;
  const head: HeadFile = {
    path,
    text,
    get lines() {
      lines ??= splitLines(text);
      return lines;
    },
    outline() {
      outline ??= outliner.outline(path, text, head.lines);
      return outline;
    },
    quickOutline() {
      return outline ?? outliner.quick(path, head.lines);
    },
  };
  return head;
}
