/**
 * A small GraphQL reader: operations, fields with aliases and arguments,
 * variables, fragments (named and inline) and @skip/@include — enough for the
 * queries a GitHub App sends, without a schema language.
 */

export type GqlValue =
  | { readonly kind: "variable"; readonly name: string }
  | { readonly kind: "literal"; readonly value: unknown }
  | { readonly kind: "list"; readonly items: readonly GqlValue[] }
  | { readonly kind: "object"; readonly fields: Readonly<Record<string, GqlValue>> };

export interface GqlField {
  readonly kind: "field";
  readonly alias: string | null;
  readonly name: string;
  readonly args: Readonly<Record<string, GqlValue>>;
  readonly directives: readonly GqlDirective[];
  readonly selections: readonly GqlSelection[] | null;
}

export interface GqlDirective {
  readonly name: string;
  readonly args: Readonly<Record<string, GqlValue>>;
}

export type GqlSelection =
  | GqlField
  | { readonly kind: "spread"; readonly name: string; readonly directives: readonly GqlDirective[] }
  | {
      readonly kind: "inline";
      readonly typeCondition: string | null;
      readonly directives: readonly GqlDirective[];
      readonly selections: readonly GqlSelection[];
    };

export interface GqlOperation {
  readonly type: "query" | "mutation";
  readonly name: string | null;
  readonly variableDefaults: Readonly<Record<string, GqlValue>>;
  readonly selections: readonly GqlSelection[];
}

export interface GqlDocument {
  readonly operations: readonly GqlOperation[];
  readonly fragments: ReadonlyMap<string, readonly GqlSelection[]>;
}

export class GraphqlSyntaxError extends Error {
  override readonly name = "GraphqlSyntaxError";
}

type Token = { readonly type: "punct" | "name" | "number" | "string"; readonly text: string; readonly value?: unknown };

export function parseGraphql(source: string): GqlDocument {
  const reader = new Reader(tokenize(source));
  const operations: GqlOperation[] = [];
  const fragments = new Map<string, readonly GqlSelection[]>();
  while (!reader.done()) {
    if (reader.peekIs("punct", "{")) {
      operations.push({ type: "query", name: null, variableDefaults: {}, selections: reader.selectionSet() });
      continue;
    }
    const keyword = reader.expect("name").text;
    if (keyword === "fragment") {
      const name = reader.expect("name").text;
      reader.expectWord("on");
      reader.expect("name");
      reader.directives();
      fragments.set(name, reader.selectionSet());
    } else if (keyword === "query" || keyword === "mutation") {
      const name = reader.peekIs("name") ? reader.expect("name").text : null;
      const variableDefaults = reader.peekIs("punct", "(") ? reader.variableDefinitions() : {};
      reader.directives();
      operations.push({ type: keyword, name, variableDefaults, selections: reader.selectionSet() });
    } else {
      throw new GraphqlSyntaxError(`Parse error on "${keyword}"`);
    }
  }
  return { operations, fragments };
}

class Reader {
  #at = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  done(): boolean {
    return this.#at >= this.tokens.length;
  }

  peekIs(type: Token["type"], text?: string): boolean {
    const token = this.tokens[this.#at];
    return token !== undefined && token.type === type && (text === undefined || token.text === text);
  }

  expect(type: Token["type"], text?: string): Token {
    const token = this.tokens[this.#at];
    if (!token || token.type !== type || (text !== undefined && token.text !== text)) {
      throw new GraphqlSyntaxError(`Parse error on ${token ? `"${token.text}"` : "end of query"} (expected ${text ?? type})`);
    }
    this.#at++;
    return token;
  }

  expectWord(word: string): void {
    this.expect("name", word);
  }

  selectionSet(): GqlSelection[] {
    this.expect("punct", "{");
    const selections: GqlSelection[] = [];
    while (!this.peekIs("punct", "}")) selections.push(this.selection());
    this.expect("punct", "}");
    return selections;
  }

  variableDefinitions(): Record<string, GqlValue> {
    const defaults: Record<string, GqlValue> = {};
    this.expect("punct", "(");
    while (!this.peekIs("punct", ")")) {
      this.expect("punct", "$");
      const name = this.expect("name").text;
      this.expect("punct", ":");
      this.skipType();
      if (this.peekIs("punct", "=")) {
        this.expect("punct", "=");
        defaults[name] = this.value();
      }
      this.directives();
    }
    this.expect("punct", ")");
    return defaults;
  }

  directives(): GqlDirective[] {
    const found: GqlDirective[] = [];
    while (this.peekIs("punct", "@")) {
      this.expect("punct", "@");
      const name = this.expect("name").text;
      found.push({ name, args: this.peekIs("punct", "(") ? this.arguments() : {} });
    }
    return found;
  }

  private selection(): GqlSelection {
    if (this.peekIs("punct", "...")) {
      this.expect("punct", "...");
      if (this.peekIs("name") && this.tokens[this.#at]?.text !== "on") {
        const name = this.expect("name").text;
        return { kind: "spread", name, directives: this.directives() };
      }
      let typeCondition: string | null = null;
      if (this.peekIs("name", "on")) {
        this.expectWord("on");
        typeCondition = this.expect("name").text;
      }
      const directives = this.directives();
      return { kind: "inline", typeCondition, directives, selections: this.selectionSet() };
    }
    let name = this.expect("name").text;
    let alias: string | null = null;
    if (this.peekIs("punct", ":")) {
      this.expect("punct", ":");
      alias = name;
      name = this.expect("name").text;
    }
    const args = this.peekIs("punct", "(") ? this.arguments() : {};
    const directives = this.directives();
    const selections = this.peekIs("punct", "{") ? this.selectionSet() : null;
    return { kind: "field", alias, name, args, directives, selections };
  }

  private arguments(): Record<string, GqlValue> {
    const args: Record<string, GqlValue> = {};
    this.expect("punct", "(");
    while (!this.peekIs("punct", ")")) {
      const name = this.expect("name").text;
      this.expect("punct", ":");
      args[name] = this.value();
    }
    this.expect("punct", ")");
    return args;
  }

  private value(): GqlValue {
    if (this.peekIs("punct", "$")) {
      this.expect("punct", "$");
      return { kind: "variable", name: this.expect("name").text };
    }
    if (this.peekIs("punct", "[")) {
      this.expect("punct", "[");
      const items: GqlValue[] = [];
      while (!this.peekIs("punct", "]")) items.push(this.value());
      this.expect("punct", "]");
      return { kind: "list", items };
    }
    if (this.peekIs("punct", "{")) {
      this.expect("punct", "{");
      const fields: Record<string, GqlValue> = {};
      while (!this.peekIs("punct", "}")) {
        const name = this.expect("name").text;
        this.expect("punct", ":");
        fields[name] = this.value();
      }
      this.expect("punct", "}");
      return { kind: "object", fields };
    }
    const token = this.tokens[this.#at];
    if (!token) throw new GraphqlSyntaxError("Parse error on end of query (expected a value)");
    this.#at++;
    if (token.type === "number" || token.type === "string") return { kind: "literal", value: token.value };
    if (token.type === "name") {
      if (token.text === "true" || token.text === "false") return { kind: "literal", value: token.text === "true" };
      if (token.text === "null") return { kind: "literal", value: null };
      return { kind: "literal", value: token.text };
    }
    throw new GraphqlSyntaxError(`Parse error on "${token.text}" (expected a value)`);
  }

  private skipType(): void {
    if (this.peekIs("punct", "[")) {
      this.expect("punct", "[");
      this.skipType();
      this.expect("punct", "]");
    } else {
      this.expect("name");
    }
    if (this.peekIs("punct", "!")) this.expect("punct", "!");
  }
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source.charAt(i);
    if (/[\s,\uFEFF]/.test(ch)) {
      i++;
    } else if (ch === "#") {
      while (i < source.length && source.charAt(i) !== "\n") i++;
    } else if (source.startsWith("...", i)) {
      tokens.push({ type: "punct", text: "..." });
      i += 3;
    } else if ("{}()[]:$!=@".includes(ch)) {
      tokens.push({ type: "punct", text: ch });
      i++;
    } else if (/[A-Za-z_]/.test(ch)) {
      const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(i));
      const text = match?.[0] ?? ch;
      tokens.push({ type: "name", text });
      i += text.length;
    } else if (/[-0-9]/.test(ch)) {
      const match = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(source.slice(i));
      if (!match) throw new GraphqlSyntaxError(`Parse error on "${ch}"`);
      tokens.push({ type: "number", text: match[0], value: Number(match[0]) });
      i += match[0].length;
    } else if (source.startsWith('"""', i)) {
      const end = source.indexOf('"""', i + 3);
      if (end === -1) throw new GraphqlSyntaxError("Unterminated block string");
      tokens.push({ type: "string", text: source.slice(i, end + 3), value: source.slice(i + 3, end) });
      i = end + 3;
    } else if (ch === '"') {
      let j = i + 1;
      while (j < source.length && source.charAt(j) !== '"') j += source.charAt(j) === "\\" ? 2 : 1;
      if (j >= source.length) throw new GraphqlSyntaxError("Unterminated string");
      const text = source.slice(i, j + 1);
      tokens.push({ type: "string", text, value: JSON.parse(text) as unknown });
      i = j + 1;
    } else {
      throw new GraphqlSyntaxError(`Parse error on "${ch}"`);
    }
  }
  return tokens;
}
