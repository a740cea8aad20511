import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/**
 * GitHub's own OpenAPI description (from `@octokit/openapi`), loaded once and
 * turned into plain JSON Schema for Ajv: OpenAPI 3.0's `nullable: true` becomes
 * a `null` type, and local `#/components/...` references point at the shared
 * schema id {@link SPEC_SCHEMA_ID}, so each operation's schema compiles alone.
 */

export const SPEC_SCHEMA_ID = "github-openapi";

export type JsonSchema = Record<string, unknown>;

export interface SpecOperation {
  readonly method: string;
  readonly template: string;
  readonly operationId: string;
  readonly documentationUrl: string;
  readonly requestSchema: JsonSchema | null;
  readonly requestRequired: boolean;
  /** JSON response schemas by status code ("200", "422", ...). */
  readonly responseSchemas: ReadonlyMap<string, JsonSchema>;
}

export interface GitHubSpec {
  readonly components: JsonSchema;
  operation(method: string, template: string): SpecOperation | null;
  /** Request-body schema of a webhook (`x-webhooks` key such as "pull-request-opened"). */
  webhookSchema(name: string): JsonSchema | null;
}

let cached: GitHubSpec | null = null;

export function loadGitHubSpec(): GitHubSpec {
  cached ??= buildSpec(readSpecFile());
  return cached;
}

function readSpecFile(): JsonSchema {
  const require = createRequire(import.meta.url);
  const packageDir = dirname(require.resolve("@octokit/openapi/package.json"));
  return JSON.parse(readFileSync(join(packageDir, "generated", "api.github.com.json"), "utf8")) as JsonSchema;
}

function buildSpec(raw: JsonSchema): GitHubSpec {
  const converted = toJsonSchema(raw) as JsonSchema;
  const paths = asRecord(converted["paths"]);
  const webhooks = asRecord(converted["x-webhooks"]);
  const components = asRecord(converted["components"]);
  const operations = new Map<string, SpecOperation | null>();
  return {
    components,
    operation(method, template) {
      const key = `${method.toUpperCase()} ${template}`;
      if (!operations.has(key)) operations.set(key, readOperation(paths, components, method, template));
      return operations.get(key) ?? null;
    },
    webhookSchema(name) {
      const post = asRecord(asRecord(webhooks[name])["post"]);
      return jsonBodySchema(post["requestBody"]);
    },
  };
}

function readOperation(paths: JsonSchema, components: JsonSchema, method: string, template: string): SpecOperation | null {
  const operation = asRecord(asRecord(paths[template])[method.toLowerCase()]);
  if (Object.keys(operation).length === 0) return null;
  const responseSchemas = new Map<string, JsonSchema>();
  for (const [status, response] of Object.entries(asRecord(operation["responses"]))) {
    const schema = jsonBodySchema(resolveResponse(components, response));
    if (schema) responseSchemas.set(status, schema);
  }
  const requestBody = asRecord(operation["requestBody"]);
  return {
    method: method.toUpperCase(),
    template,
    operationId: String(operation["operationId"] ?? ""),
    documentationUrl: String(asRecord(operation["externalDocs"])["url"] ?? "https://docs.github.com/rest"),
    requestSchema: jsonBodySchema(requestBody),
    requestRequired: requestBody["required"] === true,
    responseSchemas,
  };
}

/** Responses are often `$ref`s to `#/components/responses/...`; their content holds the schema. */
function resolveResponse(components: JsonSchema, response: unknown): unknown {
  const ref = asRecord(response)["$ref"];
  if (typeof ref !== "string") return response;
  const name = ref.split("/").pop() ?? "";
  return asRecord(asRecord(components["responses"])[name]);
}

function jsonBodySchema(holder: unknown): JsonSchema | null {
  const content = asRecord(asRecord(holder)["content"]);
  const json = content["application/json"] ?? content["application/scim+json"];
  const schema = asRecord(json)["schema"];
  return schema && typeof schema === "object" ? (schema as JsonSchema) : null;
}

/** Deep copy that rewrites `nullable` and local references; examples are dropped (they are data, not schema). */
function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (node === null || typeof node !== "object") return node;
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === "example" || key === "examples") continue;
    if (key === "$ref" && typeof value === "string" && value.startsWith("#/")) {
      out[key] = `${SPEC_SCHEMA_ID}${value}`;
      continue;
    }
    out[key] = toJsonSchema(value);
  }
  if (out["nullable"] !== true) return out;
  delete out["nullable"];
  const simple = typeof out["type"] === "string" && !("allOf" in out || "anyOf" in out || "oneOf" in out || "$ref" in out);
  if (!simple) return { anyOf: [out, { type: "null" }] };
  out["type"] = [out["type"], "null"];
  if (Array.isArray(out["enum"]) && !out["enum"].includes(null)) out["enum"] = [...out["enum"], null];
  return out;
}

function asRecord(value: unknown): JsonSchema {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as JsonSchema) : {};
}
