import { describe, expect, test } from "@jest/globals";
import { pino } from "pino";
import { loadEnv } from "../../../src/config/env.js";
import { createFixModel } from "../../../src/fix/fix-model.js";
import { createModelClient, ModelApiError, type ModelClient, type ModelClientOptions, type TokenUsage, type UsageSink } from "../../../src/model/index.js";
import { createReviewer } from "../../../src/reviewer/index.js";
import { OutputSchema } from "../../../src/reviewer/output-schema.js";
import { Semaphore } from "../../../src/util/semaphore.js";
import { responsesReply } from "../../helpers/openai.js";
import { makeWindow } from "../../unit/reviewer/window-fixture.js";

/**
 * The one model client every caller shares: the real openai SDK against a
 * scripted fetch. Metering and the cap on calls in flight happen once, in
 * the client, for the reviewer and the fix model alike.
 */

const log = pino({ level: "silent" });

const REVIEW_ANSWER = JSON.stringify({ findings: [], notes: [] });
const FIX_ANSWER = JSON.stringify({ summary: "Parameterized the query.", edits: [] });
const FIX_TARGET = { id: "fix", label: "pull request #7", task: "fix" };

interface Report {
  readonly model: string;
  readonly usage: TokenUsage;
  readonly calls: number;
}

class RecordedUsage implements UsageSink {
  readonly reports: Report[] = [];
  modelUsage(model: string, usage: TokenUsage, calls: number): void {
    this.reports.push({ model, usage, calls });
  }
}

interface SentRequest {
  readonly url: string;
  /** The structured-output format's name: which caller sent it. */
  readonly format: string;
}

/** A scripted OpenAI-compatible server behind `fetch`: answers after `delayMs`, counts requests in flight. */
function fakeServer(answer: (request: SentRequest, index: number) => Response, delayMs = 0) {
  const state = { inFlight: 0, peak: 0, requests: [] as SentRequest[] };
  const fetchImpl: typeof fetch = async (input, init) => {
    const body = JSON.parse(String(init?.body)) as { text?: { format?: { name?: string } } };
    const request = { url: String(input), format: body.text?.format?.name ?? "" };
    const index = state.requests.push(request) - 1;
    state.peak = Math.max(state.peak, ++state.inFlight);
    try {
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      return answer(request, index);
    } finally {
      state.inFlight--;
    }
  };
  return { state, fetch: fetchImpl };
}

function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
}

/** A valid answer for whichever caller asked, with distinct token counts per caller. */
function validAnswer(request: SentRequest): Response {
  return request.format === "longview_fix"
    ? json(responsesReply(FIX_ANSWER, { usage: { input: 50, output: 5, reasoning: 1 } }))
    : json(responsesReply(REVIEW_ANSWER, { usage: { input: 1200, output: 300, reasoning: 120 } }));
}

function client(options: Omit<ModelClientOptions, "log">, vars: Record<string, string> = {}): ModelClient {
  const env = loadEnv({
    OPENAI_API_KEY: "sk-test",
    LONGVIEW_MODEL: "gpt-test",
    LONGVIEW_MODEL_PROFILE: "openai-reasoning",
    LONGVIEW_OPENAI_MAX_RETRIES: "0",
    ...vars,
  });
  const created = createModelClient(env, { ...options, log });
  if (created === null) throw new Error("expected a model client");
  return created;
}

describe("createModelClient", () => {
  test("returns null without an API key (analyzers-only mode)", () => {
    expect(createModelClient(loadEnv({}), { log })).toBeNull();
  });

  test("uses the fetch it is given", async () => {
    const server = fakeServer(validAnswer);
    const review = await createReviewer(client({ fetch: server.fetch }), log).review(makeWindow(), []);
    expect(review.findings).toEqual([]);
    expect(server.state.requests.map((r) => r.url)).toEqual(["https://api.openai.com/v1/responses"]);
  });
});

describe("metering", () => {
  test("reports each call's tokens and HTTP attempts once, with the model name, for the reviewer and the fix model", async () => {
    const usage = new RecordedUsage();
    // The review's first answer is unusable, so the reviewer sends one repair request: two calls, two reports.
    const server = fakeServer((request, index) => (index === 0 ? json(responsesReply("{ not json")) : validAnswer(request)));
    const model = client({ usage, fetch: server.fetch });

    const review = await createReviewer(model, log).review(makeWindow(), []);
    const fix = createFixModel(model).session(FIX_TARGET, log);
    await fix.send({ instructions: "Fix it.", messages: [{ role: "user", content: "the finding" }] }, 1);

    expect(review.calls).toBe(2);
    expect(usage.reports).toEqual([
      { model: "gpt-test", usage: { inputTokens: 1200, outputTokens: 300, reasoningTokens: 120 }, calls: 1 },
      { model: "gpt-test", usage: { inputTokens: 1200, outputTokens: 300, reasoningTokens: 120 }, calls: 1 },
      { model: "gpt-test", usage: { inputTokens: 50, outputTokens: 5, reasoningTokens: 1 }, calls: 1 },
    ]);
  });

  test("a failed call is reported with its attempts (the SDK's retries included), under the model it was sent to", async () => {
    const usage = new RecordedUsage();
    const server = fakeServer(() => json({ error: { message: "overloaded" } }, 503, { "retry-after-ms": "1" }));
    const model = client({ usage, fetch: server.fetch }, { LONGVIEW_OPENAI_MAX_RETRIES: "1" });
    const judge = model.structured(OutputSchema, "longview_review", { model: "judge-model" });

    const error = await judge
      .session({ id: "judge:c1", label: "case c1", task: "judge" }, log)
      .send({ instructions: "Judge.", messages: [] }, 1)
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ModelApiError);
    expect(usage.reports).toEqual([{ model: "judge-model", usage: { inputTokens: 0, outputTokens: 0, reasoningTokens: 0 }, calls: 2 }]);
  });
});

describe("the cap on model calls in flight", () => {
  test("holds across the reviewer and the fix model sharing one client", async () => {
    const server = fakeServer(validAnswer, 20);
    const model = client({ slots: new Semaphore(2), fetch: server.fetch });
    const reviewer = createReviewer(model, log);
    const fixModel = createFixModel(model);

    await Promise.all([
      ...Array.from({ length: 4 }, (_, i) => reviewer.review(makeWindow({ id: `w${i}` }), [])),
      ...Array.from({ length: 4 }, () => fixModel.session(FIX_TARGET, log).send({ instructions: "Fix it.", messages: [] }, 1)),
    ]);

    expect(server.state.requests).toHaveLength(8);
    expect(new Set(server.state.requests.map((r) => r.format))).toEqual(new Set(["longview_review", "longview_fix"]));
    expect(server.state.peak).toBe(2);
  });

  test("a task waiting for a slot gives up when it is aborted, without sending", async () => {
    const server = fakeServer(validAnswer, 30);
    const model = client({ slots: new Semaphore(1), fetch: server.fetch });
    const running = createFixModel(model).session(FIX_TARGET, log).send({ instructions: "Fix it.", messages: [] }, 1);
    const controller = new AbortController();
    const waiting = createReviewer(model, log).review(makeWindow(), [], controller.signal);

    controller.abort(new Error("superseded"));

    await expect(waiting).rejects.toThrow("superseded");
    await running;
    expect(server.state.requests.map((r) => r.format)).toEqual(["longview_fix"]);
  });
});
