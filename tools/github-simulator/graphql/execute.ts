import type { GqlDirective, GqlDocument, GqlSelection, GqlValue } from "./parse.js";

/**
 * Runs a parsed GraphQL operation against plain resolver objects. Unknown
 * fields are validation errors (no data, as GitHub answers); resolver errors
 * null their field and are listed with their path and type.
 */

export type Resolver = (args: Readonly<Record<string, unknown>>) => unknown;

export interface GqlObject {
  readonly typename: string;
  readonly fields: Readonly<Record<string, Resolver>>;
}

export class GqlFieldError extends Error {
  constructor(
    message: string,
    readonly type: string,
  ) {
    super(message);
    this.name = "GqlFieldError";
  }
}

export interface GqlError {
  readonly message: string;
  readonly type?: string;
  readonly path?: readonly (string | number)[];
  readonly extensions?: Readonly<Record<string, unknown>>;
}

export interface GqlResponse {
  readonly data?: Record<string, unknown> | null;
  readonly errors?: readonly GqlError[];
}

export function isGqlObject(value: unknown): value is GqlObject {
  return value !== null && typeof value === "object" && "typename" in value && "fields" in value;
}

export async function executeGraphql(
  document: GqlDocument,
  roots: { readonly query: GqlObject; readonly mutation: GqlObject },
  variables: Readonly<Record<string, unknown>>,
  operationName: string | null,
): Promise<GqlResponse> {
  const operation = operationName ? document.operations.find((o) => o.name === operationName) : document.operations[0];
  if (!operation) return { errors: [{ message: operationName ? `Unknown operation named "${operationName}".` : "No operation given." }] };
  const context: Context = {
    document,
    variables: { ...evaluateAll(operation.variableDefaults, {}), ...variables },
    errors: [],
    invalid: false,
  };
  const root = operation.type === "mutation" ? roots.mutation : roots.query;
  const data = await selectObject(context, root, operation.selections, [operation.type]);
  if (context.invalid) return { errors: context.errors };
  return context.errors.length > 0 ? { data, errors: context.errors } : { data };
}

interface Context {
  readonly document: GqlDocument;
  readonly variables: Readonly<Record<string, unknown>>;
  readonly errors: GqlError[];
  invalid: boolean;
}

async function selectObject(
  context: Context,
  object: GqlObject,
  selections: readonly GqlSelection[],
  path: (string | number)[],
): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const selection of selections) {
    if (skipped(context, selection.directives)) continue;
    if (selection.kind === "spread") {
      const fragment = context.document.fragments.get(selection.name);
      if (!fragment) {
        context.invalid = true;
        context.errors.push({ message: `Fragment ${selection.name} was used, but not defined` });
        continue;
      }
      Object.assign(out, await selectObject(context, object, fragment, path));
      continue;
    }
    if (selection.kind === "inline") {
      if (selection.typeCondition === null || selection.typeCondition === object.typename)
        Object.assign(out, await selectObject(context, object, selection.selections, path));
      continue;
    }
    const key = selection.alias ?? selection.name;
    if (selection.name === "__typename") {
      out[key] = object.typename;
      continue;
    }
    const resolver = object.fields[selection.name];
    if (!resolver) {
      context.invalid = true;
      context.errors.push({
        message: `Field '${selection.name}' doesn't exist on type '${object.typename}'`,
        path: [...path, selection.name],
        extensions: { code: "undefinedField", typeName: object.typename, fieldName: selection.name },
      });
      continue;
    }
    try {
      const value = await resolver(evaluateAll(selection.args, context.variables));
      out[key] = await complete(context, value, selection.selections, [...path, key]);
    } catch (error) {
      if (!(error instanceof GqlFieldError)) throw error;
      out[key] = null;
      context.errors.push({ type: error.type, path: [...path.slice(1), key], message: error.message });
    }
  }
  return out;
}

async function complete(context: Context, value: unknown, selections: readonly GqlSelection[] | null, path: (string | number)[]): Promise<unknown> {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return Promise.all(value.map((item, i) => complete(context, item, selections, [...path, i])));
  if (isGqlObject(value)) {
    if (!selections) {
      context.invalid = true;
      context.errors.push({
        message: `Field must have selections (field '${String(path[path.length - 1])}' returns ${value.typename} but has no selections.)`,
      });
      return null;
    }
    return selectObject(context, value, selections, path);
  }
  return value;
}

function skipped(context: Context, directives: readonly GqlDirective[]): boolean {
  for (const directive of directives) {
    const condition = directive.args["if"] ? evaluate(directive.args["if"], context.variables) : undefined;
    if (directive.name === "skip" && condition === true) return true;
    if (directive.name === "include" && condition === false) return true;
  }
  return false;
}

function evaluateAll(values: Readonly<Record<string, GqlValue>>, variables: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(values)) out[name] = evaluate(value, variables);
  return out;
}

function evaluate(value: GqlValue, variables: Readonly<Record<string, unknown>>): unknown {
  switch (value.kind) {
    case "variable":
      return variables[value.name];
    case "literal":
      return value.value;
    case "list":
      return value.items.map((item) => evaluate(item, variables));
    case "object":
      return evaluateAll(value.fields, variables);
  }
}
