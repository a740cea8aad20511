import type { Nodes, Root } from "mdast";
import { fromMarkdown } from "mdast-util-from-markdown";
import { gfmFromMarkdown } from "mdast-util-gfm";
import { gfm } from "micromark-extension-gfm";

/**
 * What GitHub would make of a Markdown text, read with a real CommonMark +
 * GFM parser (micromark, the CommonMark/GFM reference-compliant parser, with
 * its GFM extensions: tables, autolink literals, footnotes, strikethrough,
 * task lists), so tests judge Longview's output by how it renders, not by
 * how it looks.
 */
export interface Rendered {
  /** Raw HTML nodes (inline and block), as written. */
  readonly html: readonly string[];
  /** Links, with their destination and visible text. */
  readonly links: readonly { readonly url: string; readonly text: string }[];
  /** Images, reference links and definitions, footnotes: node types that should never appear. */
  readonly forbidden: readonly string[];
  /** Text outside code and links, as GitHub's mention filter sees it: one entry per text node. */
  readonly prose: readonly string[];
  /** All visible text in document order: prose, code, and raw HTML shown as written. */
  readonly visible: string;
}

export function render(markdown: string): Rendered {
  const tree: Root = fromMarkdown(markdown, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
  const html: string[] = [];
  const links: { url: string; text: string }[] = [];
  const forbidden: string[] = [];
  const prose: string[] = [];
  const visible: string[] = [];
  const walk = (node: Nodes, inLink: boolean): void => {
    switch (node.type) {
      case "html":
        html.push(node.value);
        visible.push(node.value);
        return;
      case "text":
        if (!inLink) prose.push(node.value);
        visible.push(node.value);
        return;
      case "inlineCode":
      case "code":
        visible.push(node.value);
        return;
      case "link":
        links.push({ url: node.url, text: textOf(node) });
        break;
      case "list":
        // An ordered list shows its numbers.
        node.children.forEach((item, i) => {
          if (node.ordered) visible.push(String((node.start ?? 1) + i));
          walk(item, inLink);
        });
        return;
      case "image":
      case "imageReference":
        forbidden.push(node.type);
        visible.push(node.alt ?? "");
        return;
      case "linkReference":
      case "definition":
      case "footnoteReference":
      case "footnoteDefinition":
        forbidden.push(node.type);
        break;
      default:
        break;
    }
    if ("children" in node) for (const child of node.children) walk(child, inLink || node.type === "link");
  };
  walk(tree, false);
  return { html, links, forbidden, prose, visible: visible.join(" ") };
}

function textOf(node: Nodes): string {
  if ("value" in node) return node.value;
  if ("children" in node) return node.children.map(textOf).join("");
  return "";
}

/**
 * What in a posted text renders as anything but text, code and Longview's
 * own HTML: raw HTML, images, reference links and definitions, footnotes,
 * links whose text is not their destination, live mentions, and readable
 * markers Longview did not write. Empty when nothing does.
 */
export function strayRendering(markdown: string, isOwnHtml: (html: string) => boolean): string[] {
  const rendered = render(markdown);
  const markers = [...markdown.matchAll(MARKER_START)].map((m) => markdown.slice(m.index, markdown.indexOf("-->", m.index) + 3));
  return [
    ...rendered.html.filter((h) => !isOwnHtml(h)).map((h) => `html: ${h}`),
    ...rendered.forbidden.map((type) => `node: ${type}`),
    ...rendered.links.filter((l) => !isBareAutolink(l)).map((l) => `link: [${l.text}](${l.url})`),
    ...rendered.prose.filter((t) => MENTION.test(t)).map((t) => `mention: ${t}`),
    ...markers.filter((m) => !isOwnHtml(m)).map((m) => `marker: ${m}`),
  ];
}

/** The HTML Longview writes itself: `<sub>`, the folded skipped-files table, and its markers for this head (never a test's forged `ffff…` fingerprint). */
export function longviewHtml(headSha: string): (html: string) => boolean {
  return (html) =>
    /^<\/?sub>$|^<\/details>$|^<details><summary>Skipped \(\d+\)<\/summary>$/.test(html) ||
    html === `<!-- longview:review head=${headSha} -->` ||
    (/^<!-- longview:finding fp=[0-9a-f]{16} anchor=(?:[0-9a-f]{12}|-) sev=P[0-3] cat=[a-z]+ -->$/.test(html) && !html.includes("fp=ffffffffffffffff")) ||
    // The whole finding (version 2): base64url cannot hold `--`, `>` or a line break, so it cannot close the comment early.
    (/^<!-- longview:finding v2 data=[A-Za-z0-9_-]+ -->$/.test(html) && !recordFingerprint(html).startsWith("ffffffffffffffff"));
}

/** A link GitHub makes of a bare URL or e-mail address: what it shows is where it goes. */
export function isBareAutolink(link: { readonly url: string; readonly text: string }): boolean {
  return link.url === link.text || link.url === `http://${link.text}` || link.url === `mailto:${link.text}`;
}

/** `@name` or `@org/team` as GitHub's mention filter finds it in a text node: not preceded by a letter or digit. */
export const MENTION = /(?:^|[^A-Za-z0-9])@[A-Za-z0-9]/;

/** Anything that would be read back as one of Longview's hidden markers. */
export const MARKER_START = /<!--\s*longview/gi;

/**
 * The words (letters and digits) of a text, zero-width spaces removed: what
 * "nothing was dropped" compares.
 */
export function words(text: string): string[] {
  return text.replace(/\u200B/g, "").match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** The words a source text is expected to show: not the info string of a fenced block (`` ```js ``) nor the letters of an entity (`&lt;`). */
export function visibleWordsOf(source: string): string[] {
  // Lines as CommonMark splits them (U+2028 and U+2029 are not line breaks there).
  const withoutInfo = source
    .split(/\r\n|\r|\n/)
    .map((line) => line.replace(/^((?:[ \t>]|[-+*][ \t]|\d{1,9}[.)][ \t])*(?:`{3,}|~{3,}))[^]*$/, "$1"))
    .join("\n");
  // A character reference shows as the character it names, not as its letters.
  return words(withoutInfo.replace(/&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});/g, " "));
}

/**
 * True when the words of `expected` appear in `actual`'s words in order (other
 * words may come between). Compared as letters and digits run together, since
 * rendering can split a word across nodes (`a<b>` shown as text, a bare URL
 * right after a letter).
 */
export function inOrder(expected: readonly string[], actual: readonly string[]): boolean {
  const text = actual.join("");
  let at = 0;
  for (const word of expected) {
    const found = text.indexOf(word, at);
    if (found === -1) return false;
    at = found + word.length;
  }
  return true;
}

function recordFingerprint(marker: string): string {
  const data = /data=([A-Za-z0-9_-]+)/.exec(marker)?.[1] ?? "";
  try {
    const record = JSON.parse(Buffer.from(data, "base64url").toString("utf8")) as { fp?: unknown };
    return typeof record.fp === "string" ? record.fp : "";
  } catch {
    return "";
  }
}
