import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import nock from "nock";
import { JsonReportContract } from "../../unit/cli/json-contract.js";
import { PLANTED, REPAIR, plantedModel } from "../../helpers/planted-cross-file.js";
import { scriptedOpenAI, type OpenAIScript } from "../../helpers/scripted-openai.js";
import { SCRIPTED_SERVERS, scriptedServer, type ScriptedServerProfile } from "../../helpers/scripted-servers.js";
import { createGitFixture, type GitFixture } from "./git-fixture.js";
import { runCli } from "./run-cli.js";

/**
 * A full review through the CLI against each model profile's scripted
 * server (scripted-servers.ts): the planted cross-file break (an unchanged
 * caller of a changed signature) must be reported whatever the server
 * supports. With tools the model reads the caller; without them it has the
 * window's deterministic impact section, which quotes the caller's line.
 * Every request must be one the server accepts: a rejected one (a `tools`
 * field, a reasoning parameter, a format or an API it lacks) would fail a
 * window and the finding would be missing.
 */

let repo: GitFixture;
let base: string;
let head: string;

beforeAll(async () => {
  // nock's fetch interceptor (test/setup-after-env.ts) cannot pass the SDK's requests through to a real
  // server ("Request.clone: unusable"); this suite talks to its own loopback servers only.
  nock.restore();
  repo = await createGitFixture();
  for (const [path, text] of Object.entries(PLANTED.base)) await repo.write(path, text);
  base = await repo.commit("auth");
  for (const [path, text] of Object.entries(PLANTED.head)) await repo.write(path, text);
  head = await repo.commit("checkToken takes options");
}, 30_000);

afterAll(async () => {
  await repo?.cleanup();
});

async function reviewAgainst(server: ScriptedServerProfile, script: OpenAIScript, env: Record<string, string> = {}) {
  const scripted = scriptedOpenAI(script, server.server);
  const endpoint = await scripted.listen();
  try {
    const run = await runCli(["review", "--base", base, "--head", head, "--repo", repo.dir, "--format", "json"], {
      env: {
        PATH: process.env.PATH,
        ...(server.keyed ? { OPENAI_API_KEY: "sk-test" } : {}),
        OPENAI_BASE_URL: endpoint.baseUrl,
        LONGVIEW_MODEL_PROFILE: server.profile,
        LONGVIEW_MODEL: server.model,
        LONGVIEW_OPENAI_MAX_RETRIES: "0",
        ...env,
      },
    });
    return { run, requests: scripted.requests, report: run.stdout === "" ? null : JsonReportContract.parse(JSON.parse(run.stdout)) };
  } finally {
    await endpoint.close();
  }
}

const plantedFinding = expect.objectContaining({ path: PLANTED.changedPath, line: PLANTED.changedLine, severity: "P1", category: "security", source: "agent" });

describe.each(SCRIPTED_SERVERS.map((s) => [s.profile, s] as const))("a review against a scripted %s server", (_name, server) => {
  test("runs end to end, every request one the server accepts, and finds the planted break", async () => {
    const { run, requests, report } = await reviewAgainst(server, plantedModel());
    expect(run.stderr).toBe("");
    expect(report?.notices.filter((n) => n.includes("could not"))).toEqual([]);
    expect(report?.findings).toContainEqual(plantedFinding);
    expect(run.code).toBe(1);
    expect(requests.length).toBeGreaterThanOrEqual(3);

    const profile = server.profile;
    const local = !server.keyed;
    // The API: Responses for OpenAI's reasoning models, Chat everywhere else (the local servers have no /responses here).
    expect(new Set(requests.map((r) => r.api))).toEqual(new Set([profile === "openai-reasoning" ? "responses" : "chat"]));
    // Tools: declared only where the server calls them; without, the caller came from the impact section.
    const withTools = requests.filter((r) => r.tools.length > 0);
    if (local) expect(withTools).toEqual([]);
    else expect(requests.flatMap((r) => r.toolResults).some((t) => t.name === "read_file" && t.output.includes(PLANTED.callerText))).toBe(true);
    // Reasoning: only to a reasoning model.
    expect(requests.some((r) => r.reasoningEffort !== null)).toBe(profile === "openai-reasoning");
    // The output mode: a strict schema, JSON mode, or plain text with the schema in the instructions.
    const formats = new Set(requests.map((r) => r.responseFormat));
    const expected = {
      "openai-reasoning": "json_schema",
      "openai-chat": "json_schema",
      ollama: "json_object",
      vllm: "json_schema",
      llamacpp: "json_schema",
      custom: "none",
    };
    expect(formats).toEqual(new Set([expected[profile]]));
    if (expected[profile] !== "json_schema") expect(requests.every((r) => r.instructions.includes(`The object is named "`))).toBe(true);
    // The output cap: Ollama documents only max_tokens; OpenAI's reasoning models reject it.
    if (profile !== "openai-reasoning")
      expect(new Set(requests.map((r) => r.outputCapField))).toEqual(new Set([local ? "max_tokens" : "max_completion_tokens"]));
    // Without a key, local servers get none of OPENAI_API_KEY's value (there is none) and the review still runs.
    if (local) expect(report?.model).toBe(server.model);
  }, 60_000);
});

describe("JSON mode and plain text: the answer is checked against the schema and repaired", () => {
  test("ollama: an answer that leaves out a field gets one repair request, and the review completes", async () => {
    const { run, requests, report } = await reviewAgainst(scriptedServer("ollama"), plantedModel({ slipOnce: true }));
    expect(run.stderr).toContain("model answer unusable; sending one repair request");
    const repairs = requests.filter((r) => r.userTexts.some((t) => t.includes(REPAIR)));
    expect(repairs).toHaveLength(1);
    expect(repairs[0]!.userTexts.join("\n")).toMatch(/notes/);
    expect(report?.findings).toContainEqual(plantedFinding);
  }, 60_000);

  test("ollama with LONGVIEW_MODEL_OUTPUT=text: no response_format; fenced, chatty answers with <think> blocks are read", async () => {
    const server = scriptedServer("ollama");
    const chatty = scriptedServer("custom").server.dress;
    const { run, requests, report } = await reviewAgainst({ ...server, server: { ...server.server, ...(chatty ? { dress: chatty } : {}) } }, plantedModel(), {
      LONGVIEW_MODEL_OUTPUT: "text",
    });
    expect(run.stderr).toBe("");
    expect(new Set(requests.map((r) => r.responseFormat))).toEqual(new Set(["none"]));
    expect(requests.filter((r) => r.userTexts.some((t) => t.includes(REPAIR)))).toEqual([]);
    expect(report?.findings).toContainEqual(plantedFinding);
  }, 60_000);

  test("vllm with LONGVIEW_MODEL_TOOLS=on against a server started with a tool parser: the model reads the caller", async () => {
    const server = scriptedServer("vllm");
    const { rejectTools: _dropped, ...withParser } = server.server;
    const { run, requests, report } = await reviewAgainst({ ...server, server: withParser }, plantedModel(), { LONGVIEW_MODEL_TOOLS: "on" });
    expect(run.stderr).toBe("");
    expect(requests.flatMap((r) => r.toolResults).some((t) => t.name === "read_file" && t.output.includes(PLANTED.callerText))).toBe(true);
    expect(report?.findings).toContainEqual(plantedFinding);
  }, 60_000);

  test.each([
    // vLLM started without a tool parser, told tools are on.
    ["vllm", { LONGVIEW_MODEL_TOOLS: "on" }, "--enable-auto-tool-choice"],
    // llama.cpp's server has no Responses API here.
    ["llamacpp", { LONGVIEW_OPENAI_API: "responses" }, "404"],
    // A model without thinking, sent a reasoning parameter.
    ["ollama", { LONGVIEW_MODEL_REASONING: "on" }, "does not support thinking"],
  ] as const)(
    "%s told it supports more than it does (%j): the windows fail with the server's own message, not the process",
    async (profile, env, says) => {
      const { run, report } = await reviewAgainst(scriptedServer(profile), plantedModel(), env);
      expect(report?.notices.join("\n")).toContain(says);
      expect(report?.findings).not.toContainEqual(plantedFinding);
      expect(run.code).not.toBe(2);
    },
    60_000,
  );
});
