import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { text as readBody } from "node:stream/consumers";
import { loadDataset } from "../../src/eval/load-dataset.js";
import {
  DEFAULT_RATES,
  SIMULATED_MODEL,
  onLabel,
  parseVerification,
  parseWindow,
  simulateReview,
  simulateVerdict,
  type ReviewEvent,
  type SimCase,
  type SimulatedVerdict,
  type SimulationRates,
} from "./simulation.js";

/**
 * The SIMULATED model of `npm run eval:scripted` as an OpenAI-compatible
 * server on loopback (Responses API and Chat Completions), so the eval runs
 * the real `openai` SDK over HTTP, the reviewer's real validation and every
 * stage of the real pipeline. It reads the dataset's labels: what it measures
 * is the pipeline's mechanics, never a model's judgement (simulation.ts says
 * how it errs). Requests are told apart by their structured-output format:
 * window reviews (`longview_review`), verification (`longview_verification`),
 * and the survey and synthesis (`longview_survey`, `longview_synthesis`),
 * which it answers with nothing found. Anything else is a 400.
 */

export interface EvalModelOptions {
  /** The dataset directory the eval runs on: the simulation reads its labels. */
  readonly dataset: string;
  readonly seed: string;
  readonly rates?: SimulationRates;
}

/** What the simulation did over a run: for the summary printed after it. */
export interface EvalModelStats {
  readonly requests: Record<"review" | "verification" | "survey" | "synthesis" | "rejected", number>;
  /** Window-review decisions (a label shown in two windows counts twice). */
  readonly review: Record<ReviewEvent, number>;
  /** Verdicts, by whether the candidate was on a label. */
  readonly verdicts: Record<"onLabel" | "offLabel" | "unknown", Record<SimulatedVerdict["verdict"], number>>;
  /** Window requests whose PR title matched no case (answered with no findings). */
  readonly unknownWindows: number;
}

export interface EvalModel {
  /** Ends in /v1, for OPENAI_BASE_URL. */
  readonly baseUrl: string;
  readonly stats: EvalModelStats;
  close(): Promise<void>;
}

type Api = "responses" | "chat";

export async function startEvalModel(options: EvalModelOptions): Promise<EvalModel> {
  const cases: SimCase[] = (await loadDataset(options.dataset)).map((c) => ({ id: c.id, title: c.title, expected: c.expected }));
  const byTitle = new Map<string, SimCase[]>();
  for (const c of cases) byTitle.set(c.title, [...(byTitle.get(c.title) ?? []), c]);
  const byId = new Map(cases.map((c) => [c.id, c]));
  // Which cases reported a finding of this title on this path: the verifier's request names no case.
  const reported = new Map<string, Set<string>>();
  const rates = options.rates ?? DEFAULT_RATES;
  const verdictCounts = () => ({ confirmed: 0, rejected: 0, uncertain: 0 });
  const stats = {
    requests: { review: 0, verification: 0, survey: 0, synthesis: 0, rejected: 0 },
    review: { reported: 0, missed: 0, garbled: 0, neighbour: 0, "false-positive": 0, duplicate: 0, surrounding: 0 },
    verdicts: { onLabel: verdictCounts(), offLabel: verdictCounts(), unknown: verdictCounts() },
    unknownWindows: 0,
  };

  function review(text: string): object {
    stats.requests.review++;
    const window = parseWindow(text);
    const candidates = byTitle.get(window.title ?? "") ?? [];
    const paths = new Set(window.files.map((f) => f.path));
    const c = candidates.find((x) => x.expected.some((e) => e.path !== null && paths.has(e.path))) ?? candidates[0];
    if (!c) {
      stats.unknownWindows++;
      return { findings: [], notes: [] };
    }
    const simulated = simulateReview(c, window, options.seed, rates);
    for (const event of simulated.events) stats.review[event]++;
    for (const f of simulated.findings) {
      const key = `${f.path}\u0000${f.title}`;
      reported.set(key, new Set([...(reported.get(key) ?? []), c.id]));
    }
    return { findings: simulated.findings, notes: [] };
  }

  function verify(text: string): object {
    stats.requests.verification++;
    const { candidates } = parseVerification(text);
    const verdicts = candidates.map((candidate) => {
      const ids = [...(reported.get(`${candidate.path}\u0000${candidate.title}`) ?? [])];
      const known = ids.flatMap((id) => byId.get(id) ?? []);
      const verdict = simulateVerdict(candidate, known, options.seed, rates);
      const bucket = known.length === 0 ? "unknown" : onLabel(candidate, known) ? "onLabel" : "offLabel";
      stats.verdicts[bucket][verdict.verdict]++;
      return verdict;
    });
    return { verdicts };
  }

  function answer(format: string | null, text: string): object | null {
    switch (format) {
      case "longview_review":
        return review(text);
      case "longview_verification":
        return verify(text);
      case "longview_survey":
        stats.requests.survey++;
        return { files: [], api_changes: [], risks: [] };
      case "longview_synthesis":
        stats.requests.synthesis++;
        return { findings: [] };
      default:
        stats.requests.rejected++;
        return null;
    }
  }

  const server: Server = createServer((req, res) => {
    void (async () => {
      const api: Api | null = req.url?.endsWith("/responses") ? "responses" : req.url?.endsWith("/chat/completions") ? "chat" : null;
      if (req.method !== "POST" || api === null) return send(res, 404, { error: { message: "not found", type: "invalid_request_error", code: null } });
      const body = JSON.parse(await readBody(req)) as Record<string, unknown>;
      const { format, text } = api === "responses" ? readResponses(body) : readChat(body);
      const output = answer(format, text);
      if (output === null) {
        return send(res, 400, {
          error: {
            message: `the scripted eval model simulates review, verification, survey and synthesis only, not "${format ?? "free text"}"`,
            type: "invalid_request_error",
            code: null,
          },
        });
      }
      const json = JSON.stringify(output);
      const usage = { input: Math.ceil(text.length / 4), output: Math.ceil(json.length / 4) };
      return send(res, 200, api === "responses" ? responsesBody(json, usage) : chatBody(json, usage));
    })().catch((error: unknown) => send(res, 500, { error: { message: String(error), type: "server_error", code: null } }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    stats,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function readResponses(body: Record<string, unknown>): { format: string | null; text: string } {
  const format = (body.text as { format?: { name?: string } } | undefined)?.format?.name ?? null;
  const input = Array.isArray(body.input) ? (body.input as Record<string, unknown>[]) : [];
  return {
    format,
    text: input
      .filter((item) => item.role === "user")
      .map((item) => contentText(item.content))
      .join("\n"),
  };
}

function readChat(body: Record<string, unknown>): { format: string | null; text: string } {
  const format = (body.response_format as { json_schema?: { name?: string } } | undefined)?.json_schema?.name ?? null;
  const messages = Array.isArray(body.messages) ? (body.messages as Record<string, unknown>[]) : [];
  return {
    format,
    text: messages
      .filter((m) => m.role === "user")
      .map((m) => contentText(m.content))
      .join("\n"),
  };
}

function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content))
    return content.map((part) => (typeof (part as { text?: unknown }).text === "string" ? (part as { text: string }).text : "")).join("");
  return "";
}

function responsesBody(text: string, usage: { input: number; output: number }) {
  return {
    id: "resp_scripted_eval",
    object: "response",
    created_at: Math.floor(Date.now() / 1000),
    status: "completed",
    error: null,
    incomplete_details: null,
    model: SIMULATED_MODEL,
    output: [{ id: "msg_scripted_eval", type: "message", status: "completed", role: "assistant", content: [{ type: "output_text", text, annotations: [] }] }],
    usage: {
      input_tokens: usage.input,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: usage.output,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: usage.input + usage.output,
    },
  };
}

function chatBody(text: string, usage: { input: number; output: number }) {
  return {
    id: "chatcmpl-scripted-eval",
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model: SIMULATED_MODEL,
    choices: [{ index: 0, message: { role: "assistant", content: text, refusal: null }, finish_reason: "stop", logprobs: null }],
    usage: { prompt_tokens: usage.input, completion_tokens: usage.output, total_tokens: usage.input + usage.output },
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}
