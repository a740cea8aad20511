import { describe, expect, test } from "@jest/globals";
import { ConfigError, hasModel, loadEnv } from "../../../src/config/env.js";
import { BUILT_IN_PROFILES, PROFILE_NAMES, pickProfile, resolveModelProfile, type ProfileSettings } from "../../../src/config/model-profile.js";

const unset: ProfileSettings = {
  profile: "auto",
  baseUrl: undefined,
  model: "gpt-5.1-codex-max",
  api: undefined,
  output: undefined,
  tools: undefined,
  reasoning: undefined,
  contextTokens: undefined,
  outputTokens: undefined,
};

describe("pickProfile (LONGVIEW_MODEL_PROFILE=auto)", () => {
  test("Ollama's port picks ollama; otherwise OpenAI's profile by model family", () => {
    expect(pickProfile("http://localhost:11434/v1", "llama3.1")).toBe("ollama");
    expect(pickProfile("http://gpu-box:11434/v1", "gpt-5")).toBe("ollama");
    expect(pickProfile(undefined, "gpt-5.1-codex-max")).toBe("openai-reasoning");
    expect(pickProfile(undefined, "openai/o4-mini")).toBe("openai-reasoning");
    expect(pickProfile(undefined, "gpt-4.1")).toBe("openai-chat");
    // A proxy in front of OpenAI keeps OpenAI's behaviour.
    expect(pickProfile("https://llm.internal.example/v1", "gpt-5")).toBe("openai-reasoning");
    expect(pickProfile("http://localhost:8000/v1", "qwen3-coder")).toBe("openai-chat");
  });
});

describe("resolveModelProfile", () => {
  test("each built-in profile as documented (docs/model.md)", () => {
    const table = Object.fromEntries(
      PROFILE_NAMES.map((name) => {
        const p = resolveModelProfile({ ...unset, profile: name, baseUrl: name === "custom" ? "http://llm:4000/v1" : undefined });
        if (typeof p === "string") throw new Error(p);
        return [name, [p.api, p.output, p.tools, p.reasoning, p.contextTokens, p.outputTokens, p.outputCapField, p.keyRequired]];
      }),
    );
    expect(table).toEqual({
      "openai-reasoning": ["responses", "strict", true, "auto", 272_000, 32_000, "max_completion_tokens", true],
      "openai-chat": ["chat", "strict", true, "auto", 128_000, 16_000, "max_completion_tokens", true],
      ollama: ["chat", "json", false, "off", 32_768, 4_096, "max_tokens", false],
      vllm: ["chat", "strict", false, "off", 32_768, 4_096, "max_tokens", false],
      llamacpp: ["chat", "strict", false, "off", 32_768, 4_096, "max_tokens", false],
      custom: ["chat", "text", false, "off", 32_768, 4_096, "max_tokens", false],
    });
  });

  test("local profiles know their server's default address; OPENAI_BASE_URL wins", () => {
    expect(resolveModelProfile({ ...unset, profile: "ollama" })).toMatchObject({ baseUrl: "http://localhost:11434/v1" });
    expect(resolveModelProfile({ ...unset, profile: "vllm" })).toMatchObject({ baseUrl: "http://localhost:8000/v1" });
    expect(resolveModelProfile({ ...unset, profile: "llamacpp" })).toMatchObject({ baseUrl: "http://localhost:8080/v1" });
    expect(resolveModelProfile({ ...unset, profile: "vllm", baseUrl: "http://gpu:9000/v1" })).toMatchObject({ baseUrl: "http://gpu:9000/v1" });
    expect(resolveModelProfile({ ...unset, profile: "custom" })).toMatch(/set OPENAI_BASE_URL/);
  });

  test("every field can be overridden", () => {
    const p = resolveModelProfile({ ...unset, profile: "ollama", output: "strict", tools: true, reasoning: "on", contextTokens: 65_536, outputTokens: 8_000 });
    expect(p).toMatchObject({ name: "ollama", output: "strict", tools: true, reasoning: "on", contextTokens: 65_536, outputTokens: 8_000 });
    expect(resolveModelProfile({ ...unset, profile: "openai-reasoning", api: "chat" })).toMatchObject({ api: "chat", output: "strict" });
  });

  test("the output room defaults to a quarter of a small context at most", () => {
    expect(resolveModelProfile({ ...unset, profile: "ollama", contextTokens: 8_192 })).toMatchObject({ outputTokens: 2_048 });
    expect(resolveModelProfile({ ...unset, profile: "openai-reasoning" })).toMatchObject({ outputTokens: BUILT_IN_PROFILES["openai-reasoning"].outputTokens });
  });

  test("settings that cannot work are reported", () => {
    expect(resolveModelProfile({ ...unset, api: "responses", output: "json" })).toMatch(/needs the Chat API/);
    expect(resolveModelProfile({ ...unset, profile: "ollama", contextTokens: 8_000, outputTokens: 8_000 })).toMatch(/leaves no room/);
  });
});

describe("the profile in the environment", () => {
  test("defaults: OpenAI's reasoning profile, which needs a key", () => {
    const env = loadEnv({});
    expect(env.modelProfile).toMatchObject({ name: "openai-reasoning", api: "responses", baseUrl: "https://api.openai.com/v1" });
    expect(env.LONGVIEW_CONTEXT_TOKENS).toBe(272_000);
    expect(env.LONGVIEW_OUTPUT_TOKENS).toBe(32_000);
    expect(hasModel(env)).toBe(false);
    expect(hasModel(loadEnv({ OPENAI_API_KEY: "sk-x" }))).toBe(true);
  });

  test("a local profile enables the model without a key, and sets the context the windows are planned for", () => {
    const env = loadEnv({ LONGVIEW_MODEL_PROFILE: "ollama", LONGVIEW_MODEL: "qwen2.5-coder:14b" });
    expect(hasModel(env)).toBe(true);
    expect(env.LONGVIEW_CONTEXT_TOKENS).toBe(32_768);
    expect(env.LONGVIEW_OUTPUT_TOKENS).toBe(4_096);
    // Picked from the address alone, too.
    expect(hasModel(loadEnv({ OPENAI_BASE_URL: "http://127.0.0.1:11434/v1" }))).toBe(true);
    // Any other address is taken for OpenAI (or a proxy in front of it): a key is still needed.
    expect(hasModel(loadEnv({ OPENAI_BASE_URL: "http://127.0.0.1:8000/v1" }))).toBe(false);
  });

  test("overrides from the environment; empty values count as unset", () => {
    const env = loadEnv({
      LONGVIEW_MODEL_PROFILE: "vllm",
      LONGVIEW_MODEL_TOOLS: "on",
      LONGVIEW_MODEL_OUTPUT: "json",
      LONGVIEW_MODEL_REASONING: "",
      LONGVIEW_CONTEXT_TOKENS: "131072",
      LONGVIEW_OUTPUT_TOKENS: "",
    });
    expect(env.modelProfile).toMatchObject({ name: "vllm", tools: true, output: "json", reasoning: "off", contextTokens: 131_072, outputTokens: 4_096 });
    expect(env.LONGVIEW_CONTEXT_TOKENS).toBe(131_072);
  });

  test("a bad profile setting is a configuration error naming the variable", () => {
    expect(() => loadEnv({ LONGVIEW_MODEL_PROFILE: "lmstudio" })).toThrow(ConfigError);
    expect(() => loadEnv({ LONGVIEW_MODEL_TOOLS: "yes" })).toThrow(/LONGVIEW_MODEL_TOOLS/);
    expect(() => loadEnv({ LONGVIEW_MODEL_PROFILE: "custom" })).toThrow(/LONGVIEW_MODEL_PROFILE: the custom profile has no default address/);
  });
});
