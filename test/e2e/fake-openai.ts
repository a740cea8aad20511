import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { text as readBody } from "node:stream/consumers";
import { candidateIds, confirmAll, formatOf, VERIFICATION_FORMAT, type ScriptedVerdict } from "../helpers/verifier.js";

/**
 * A scripted OpenAI-compatible Responses endpoint on loopback, for end-to-end
 * runs where the real Longview process talks HTTP to "the model".
 */

export interface ScriptedModelOutput {
  findings: Array<{
    path: string;
    line: number;
    start_line: number | null;
    side: "LEFT" | "RIGHT";
    /** The cited line(s) exactly as the window shows them, without the line-number prefix. */
    quote: string;
    severity: "P0" | "P1" | "P2" | "P3";
    category: "bug" | "security" | "performance" | "other";
    title: string;
    body: string;
    suggestion: string | null;
    confidence: number;
  }>;
  notes: Array<{ kind: "api-change" | "invariant" | "suspicion"; path: string | null; text: string }>;
}

export interface FakeOpenAI {
  readonly baseUrl: string;
  /** Window review request bodies received, parsed. */
  readonly requests: unknown[];
  /** Survey and synthesis request bodies (answered with nothing found, outside the script). */
  readonly passRequests: unknown[];
  /** Verification request bodies (answered by `options.verify`, by default confirming every candidate at 0.9). */
  readonly verifyRequests: unknown[];
  close(): Promise<void>;
}

/** What a misbehaving model API does instead of answering (fault-injection scripts). */
export type ModelFault =
  | { readonly fault: "status"; readonly status: number; readonly message: string; readonly headers?: Readonly<Record<string, string>> }
  /** Answers after `ms` (a client with a shorter timeout gives up first). */
  | { readonly fault: "slow"; readonly ms: number; readonly output: ScriptedModelOutput }
  | { readonly fault: "incomplete"; readonly text: string }
  | { readonly fault: "refusal"; readonly refusal: string }
  /** Any text as the answer (invalid JSON, a wrong shape). */
  | { readonly fault: "text"; readonly text: string };

export type Script = (request: { body: unknown; index: number }) => Promise<ScriptedModelOutput | ModelFault> | ScriptedModelOutput | ModelFault;

/** The verifier's answer to one batch: the candidates' ids and titles as sent, and the request text. */
export type VerifyScript = (request: { ids: readonly string[]; text: string; index: number }) => { verdicts: ScriptedVerdict[] } | ModelFault;

export async function startFakeOpenAI(script: Script, options: { verify?: VerifyScript } = {}): Promise<FakeOpenAI> {
  const requests: unknown[] = [];
  const passRequests: unknown[] = [];
  const verifyRequests: unknown[] = [];
  const server: Server = createServer((req, res) => {
    void (async () => {
      if (req.method !== "POST" || !req.url?.endsWith("/responses")) {
        res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: "not found" } }));
        return;
      }
      const body = JSON.parse(await readBody(req)) as unknown;
      const pass = passAnswer(body);
      if (pass !== null) {
        passRequests.push(body);
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(responseFor(JSON.stringify(pass))));
        return;
      }
      let output: ScriptedModelOutput | { verdicts: ScriptedVerdict[] } | ModelFault;
      if (formatOf(body) === VERIFICATION_FORMAT) {
        const text = JSON.stringify(body);
        const index = verifyRequests.push(body) - 1;
        output = options.verify ? options.verify({ ids: candidateIds(text), text, index }) : confirmAll(text);
      } else {
        const index = requests.push(body) - 1;
        output = await script({ body, index });
      }
      if (!("fault" in output)) {
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(responseFor(JSON.stringify(output))));
        return;
      }
      switch (output.fault) {
        case "status":
          res
            .writeHead(output.status, { "content-type": "application/json", ...output.headers })
            .end(JSON.stringify({ error: { message: output.message, type: "fake", code: null } }));
          return;
        case "slow":
          await new Promise((resolve) => setTimeout(resolve, output.ms));
          if (!res.destroyed) res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(responseFor(JSON.stringify(output.output))));
          return;
        case "incomplete":
          res
            .writeHead(200, { "content-type": "application/json" })
            .end(JSON.stringify({ ...responseFor(output.text), status: "incomplete", incomplete_details: { reason: "max_output_tokens" } }));
          return;
        case "refusal": {
          const refusal = responseFor("");
          refusal.output[0]!.content = [{ type: "refusal", refusal: output.refusal } as never];
          res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(refusal));
          return;
        }
        case "text":
          res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(responseFor(output.text)));
          return;
      }
    })().catch((error: unknown) => {
      res.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: String(error) } }));
    });
  });
  // Node drops an idle keep-alive socket after 5 s; a client reusing it at that moment gets a reset (see scripted-openai.ts).
  server.keepAliveTimeout = 120_000;
  server.headersTimeout = 125_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    passRequests,
    verifyRequests,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * The passes around the windows (survey, synthesis) are told apart by their structured-output
 * format and answered with nothing found, so window scripts and request counts stay about windows.
 */
function passAnswer(body: unknown): object | null {
  const name = (body as { text?: { format?: { name?: unknown } } }).text?.format?.name;
  if (name === "longview_survey") return { files: [], api_changes: [], risks: [] };
  if (name === "longview_synthesis") return { findings: [] };
  return null;
}

function responseFor(text: string) {
  return {
    id: "resp_e2e",
    object: "response",
    created_at: 1_763_000_000,
    status: "completed",
    error: null,
    incomplete_details: null,
    model: "gpt-5.1-codex-max",
    output: [{ id: "msg_1", type: "message", status: "completed", role: "assistant", content: [{ type: "output_text", text, annotations: [] }] }],
    usage: {
      input_tokens: 1000,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: 200,
      output_tokens_details: { reasoning_tokens: 50 },
      total_tokens: 1200,
    },
  };
}
