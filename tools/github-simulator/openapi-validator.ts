import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import * as ajvFormats from "ajv-formats";
import { SPEC_SCHEMA_ID, loadGitHubSpec, type GitHubSpec, type JsonSchema, type SpecOperation } from "./openapi-spec.js";

/**
 * Validates request bodies, responses and webhook payloads against GitHub's
 * OpenAPI description. Ajv compiles each schema once; the spec itself is read
 * on first use, so a simulator that never validates never pays for it.
 */

export interface SchemaProblem {
  /** JSON pointer into the validated value, "" for the value itself. */
  readonly instancePath: string;
  readonly keyword: string;
  readonly message: string;
  readonly params: Readonly<Record<string, unknown>>;
  /** The offending value, for messages. */
  readonly value: unknown;
}

export class OpenApiValidator {
  #spec: GitHubSpec | null = null;
  #ajv: Ajv | null = null;
  readonly #compiled = new Map<string, ValidateFunction>();

  operation(method: string, template: string): SpecOperation | null {
    return this.spec().operation(method, template);
  }

  /** Problems with a request body; empty when it is valid or the operation takes no JSON body. */
  validateRequest(operation: SpecOperation, body: unknown): SchemaProblem[] {
    if (!operation.requestSchema) return [];
    if (body === undefined) return operation.requestRequired ? [requiredBodyProblem()] : [];
    return this.run(`req ${operation.method} ${operation.template}`, operation.requestSchema, body);
  }

  /** Problems with a JSON response; null when the operation declares no JSON schema for this status. */
  validateResponse(operation: SpecOperation, status: number, body: unknown): SchemaProblem[] | null {
    const schema = operation.responseSchemas.get(String(status));
    if (!schema) return null;
    return this.run(`res ${status} ${operation.method} ${operation.template}`, schema, body);
  }

  /** Problems with a webhook payload, by its `x-webhooks` name ("pull-request-opened"); null when unknown. */
  validateWebhook(name: string, payload: unknown): SchemaProblem[] | null {
    const schema = this.spec().webhookSchema(name);
    if (!schema) return null;
    return this.run(`hook ${name}`, schema, payload);
  }

  private run(key: string, schema: JsonSchema, value: unknown): SchemaProblem[] {
    let validate = this.#compiled.get(key);
    if (!validate) {
      validate = this.ajv().compile(schema);
      this.#compiled.set(key, validate);
    }
    if (validate(value)) return [];
    return (validate.errors ?? []).map((error) => toProblem(error, value));
  }

  private spec(): GitHubSpec {
    this.#spec ??= loadGitHubSpec();
    return this.#spec;
  }

  private ajv(): Ajv {
    if (this.#ajv) return this.#ajv;
    // strict: false — the spec carries OpenAPI keywords (discriminator, x-github, readOnly) Ajv does not know.
    const ajv = new Ajv({ strict: false, allErrors: true, logger: false, validateSchema: false });
    addFormats(ajv);
    // GitHub's commits by apps carry `<id>+<slug>[bot]@users.noreply.<host>`, which the strict `email` format
    // rejects although GitHub sends it in `head_commit`s: accept the `[bot]` local part, check the rest as usual.
    const email = ajv.formats["email"];
    if (email instanceof RegExp) ajv.addFormat("email", (value: string) => email.test(value.replace(/\[bot\]@/, "-bot@")));
    ajv.addSchema({ $id: SPEC_SCHEMA_ID, components: this.spec().components });
    this.#ajv = ajv;
    return ajv;
  }
}

// ajv-formats is CommonJS with `exports.default`; under NodeNext the namespace's `default` is that function.
const addFormats = (ajvFormats as unknown as { default: (ajv: Ajv) => Ajv }).default;

function requiredBodyProblem(): SchemaProblem {
  return { instancePath: "", keyword: "required", message: "request body is required", params: {}, value: undefined };
}

function toProblem(error: ErrorObject, root: unknown): SchemaProblem {
  return {
    instancePath: error.instancePath,
    keyword: error.keyword,
    message: error.message ?? error.keyword,
    params: error.params as Record<string, unknown>,
    value: valueAt(root, error.instancePath),
  };
}

function valueAt(root: unknown, pointer: string): unknown {
  if (pointer === "") return root;
  let current: unknown = root;
  for (const raw of pointer.slice(1).split("/")) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** One line per problem, for violation reports: `/comments/0/side: must be equal to one of the allowed values {...}`. */
export function describeProblem(problem: SchemaProblem): string {
  const where = problem.instancePath === "" ? "(root)" : problem.instancePath;
  return `${where}: ${problem.message} ${JSON.stringify(problem.params)}`;
}

/**
 * GitHub's own wording for a request that fails its schema check
 * ("Invalid request.\n\nNo more than 50 items are allowed; 51 were supplied.").
 */
export function githubInvalidRequestMessage(problems: readonly SchemaProblem[]): string {
  const sentences = [...new Set(problems.filter((p) => p.keyword !== "anyOf" && p.keyword !== "oneOf").map(githubSentence))];
  const lines = sentences.length > 0 ? sentences : ["No subschema matched the request."];
  return `Invalid request.\n\n${lines.slice(0, 5).join("\n")}`;
}

function githubSentence(problem: SchemaProblem): string {
  const where = `For '${problem.instancePath.replace(/^\//, "") || "body"}'`;
  const value = JSON.stringify(problem.value);
  switch (problem.keyword) {
    case "required":
      return `"${String(problem.params["missingProperty"] ?? "body")}" wasn't supplied.`;
    case "maxItems":
      return `No more than ${String(problem.params["limit"])} items are allowed; ${arrayLength(problem.value)} were supplied.`;
    case "enum":
      return `${where}, ${value} is not a member of ${JSON.stringify(problem.params["allowedValues"])}.`;
    case "type":
      return `${where}, ${value} is not ${article(String(problem.params["type"]))}.`;
    case "maxLength":
      return `${where}, the value is too long (${typeof problem.value === "string" ? problem.value.length : "?"} characters; maximum ${String(problem.params["limit"])}).`;
    default:
      return `${where}, ${problem.message}.`;
  }
}

function arrayLength(value: unknown): string {
  return Array.isArray(value) ? String(value.length) : "more";
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}
