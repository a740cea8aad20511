import { AST, RegExpParser, visitRegExpAST } from "@eslint-community/regexpp";

/**
 * Finds nested unbounded quantifiers that let a backtracking engine split the
 * same input in exponentially many ways: `(a+)+`, `(.*)*`, `(\w+\s?)*`.
 *
 * The classic star-height test (what `safe-regex` does) also flags safe shapes
 * such as `(\d+\.)*` or `(\s*,\s*\w+)*`, where the inner quantifier must stop
 * at a character it cannot consume. We flag an unbounded quantifier inside an
 * unbounded repetition only when it can consume a character that could also
 * start what follows it (the rest of the iteration or the next iteration):
 * only then can one run of input be divided in more than one way, and the
 * number of divisions grows exponentially with the repetitions. The engine
 * only explores those divisions when something after the repetition fails
 * (`^(a+)+$`, `(a+)+b`); with nothing after it (`/(a+)+/`, a tokenizer's
 * `(?:[^\s"']+|"[^"]*")+`) the first greedy attempt already succeeds.
 */
export interface BacktrackingRisk {
  /** The source text of the outer quantified group. */
  readonly fragment: string;
}

const parser = new RegExpParser({ ecmaVersion: 2025 });

/** Code points standing for the whole alphabet when intersecting character sets. */
const SAMPLES: readonly string[] = [
  ...Array.from({ length: 128 }, (_, i) => String.fromCharCode(i)),
  "\u00a0",
  "\u00e9",
  "\u03b1",
  "\u0416",
  "\u2028",
  "\u3000",
  "\u4e2d",
  "\u{1f600}",
];

type CharSet = readonly boolean[];

const ALL: CharSet = SAMPLES.map(() => true);
const NONE: CharSet = SAMPLES.map(() => false);

export function findCatastrophicBacktracking(pattern: string, flags = ""): BacktrackingRisk | null {
  let ast: AST.Pattern;
  const unicode = flags.includes("u");
  const unicodeSets = flags.includes("v");
  try {
    ast = parser.parsePattern(pattern, 0, pattern.length, { unicode, unicodeSets });
  } catch {
    // An invalid pattern throws when constructed; that is another rule's problem.
    return null;
  }
  const sets = new CharSetCache(flags);
  let risk: BacktrackingRisk | null = null;
  visitRegExpAST(ast, {
    onQuantifierEnter(quantifier) {
      if (risk !== null || quantifier.max !== Infinity) return;
      if (isAmbiguousRepetition(quantifier, sets) && continuationCanFail(quantifier)) risk = { fragment: quantifier.raw };
    },
  });
  return risk;
}

function isAmbiguousRepetition(outer: AST.Quantifier, sets: CharSetCache): boolean {
  const body = outer.element;
  if (body.type !== "Group" && body.type !== "CapturingGroup") return false;
  const nextIteration = elementFirstChars(body, sets);
  return body.alternatives.some((alternative) => findOverlappingQuantifier(alternative.elements, nextIteration, sets));
}

/**
 * True when an unbounded quantifier in the sequence can consume a character
 * that could also start whatever follows it (`follow` is what may come after
 * the sequence inside the outer repetition, including the next iteration).
 */
function findOverlappingQuantifier(elements: readonly AST.Element[], follow: CharSet, sets: CharSetCache): boolean {
  for (let i = 0; i < elements.length; i++) {
    const element = elements[i]!;
    const rest = elements.slice(i + 1);
    const after = union([firstChars(rest, sets), rest.every(isNullable) ? follow : NONE]);
    if (element.type === "Quantifier") {
      if (element.max === Infinity && intersects(allChars(element.element, sets), after)) return true;
      const inner = element.element;
      if (inner.type === "Group" || inner.type === "CapturingGroup") {
        const innerFollow = element.max > 1 ? union([after, elementFirstChars(inner, sets)]) : after;
        if (inner.alternatives.some((alternative) => findOverlappingQuantifier(alternative.elements, innerFollow, sets))) return true;
      }
    } else if (element.type === "Group" || element.type === "CapturingGroup") {
      if (element.alternatives.some((alternative) => findOverlappingQuantifier(alternative.elements, after, sets))) return true;
    }
  }
  return false;
}

/** Whether anything that follows the node, up to the end of the pattern, can fail to match. */
function continuationCanFail(node: AST.Quantifier): boolean {
  let current: AST.Node = node;
  for (;;) {
    const parent = current.parent as AST.Node | null;
    if (parent === null || parent.type === "Pattern") return false;
    if (parent.type === "Alternative") {
      const following = parent.elements.slice(parent.elements.indexOf(current as AST.Element) + 1);
      if (following.some((element) => !isNullable(element) || containsCheck(element))) return true;
    } else if (parent.type !== "Group" && parent.type !== "CapturingGroup" && parent.type !== "Quantifier") {
      // Inside a lookaround the continuation is the rest of the assertion and then the outside; assume it can fail.
      return true;
    }
    current = parent;
  }
}

/** Assertions and backreferences can fail even where they match empty. */
function containsCheck(element: AST.Element | AST.QuantifiableElement): boolean {
  switch (element.type) {
    case "Assertion":
    case "Backreference":
      return true;
    case "Quantifier":
      return containsCheck(element.element);
    case "Group":
    case "CapturingGroup":
      return element.alternatives.some((alternative) => alternative.elements.some(containsCheck));
    default:
      return false;
  }
}

function isNullable(element: AST.Element | AST.QuantifiableElement): boolean {
  switch (element.type) {
    case "Assertion":
    case "Backreference":
      return true;
    case "Quantifier":
      return element.min === 0 || isNullable(element.element);
    case "Group":
    case "CapturingGroup":
      return element.alternatives.some((alternative) => alternative.elements.every(isNullable));
    default:
      return false;
  }
}

function firstChars(elements: readonly AST.Element[], sets: CharSetCache): CharSet {
  const parts: CharSet[] = [];
  for (const element of elements) {
    parts.push(elementFirstChars(element, sets));
    if (!isNullable(element)) break;
  }
  return union(parts);
}

function elementFirstChars(element: AST.Element | AST.QuantifiableElement, sets: CharSetCache): CharSet {
  switch (element.type) {
    case "Assertion":
      return NONE;
    case "Backreference":
      return ALL;
    case "Quantifier":
      return elementFirstChars(element.element, sets);
    case "Group":
    case "CapturingGroup":
      return union(element.alternatives.map((alternative) => firstChars(alternative.elements, sets)));
    default:
      return sets.of(element);
  }
}

/** Every character the element can consume anywhere (lookarounds consume none). */
function allChars(element: AST.Element | AST.QuantifiableElement, sets: CharSetCache): CharSet {
  switch (element.type) {
    case "Assertion":
      return NONE;
    case "Backreference":
      return ALL;
    case "Quantifier":
      return allChars(element.element, sets);
    case "Group":
    case "CapturingGroup":
      return union(element.alternatives.flatMap((alternative) => alternative.elements.map((e) => allChars(e, sets))));
    default:
      return sets.of(element);
  }
}

/** Character nodes are evaluated by the JS engine itself on the sample alphabet, so every escape and class form is exact. */
class CharSetCache {
  private readonly flags: string;
  private readonly cache = new Map<string, CharSet>();

  constructor(flags: string) {
    this.flags = [...new Set(flags)].filter((flag) => "isuv".includes(flag)).join("");
  }

  of(node: { readonly raw: string }): CharSet {
    const cached = this.cache.get(node.raw);
    if (cached) return cached;
    let set: CharSet;
    try {
      const matcher = new RegExp(`^(?:${node.raw})$`, this.flags);
      set = SAMPLES.map((sample) => matcher.test(sample));
    } catch {
      set = ALL;
    }
    this.cache.set(node.raw, set);
    return set;
  }
}

function union(sets: readonly CharSet[]): CharSet {
  return SAMPLES.map((_, i) => sets.some((set) => set[i] === true));
}

function intersects(a: CharSet, b: CharSet): boolean {
  return a.some((value, i) => value && b[i] === true);
}
