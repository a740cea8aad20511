import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

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
  /** Request bodies received, parsed. */
  readonly requests: unknown[];
  close(): Promise<void>;
}

export type Script = (request: { body: unknown; index: number }) => Promise<ScriptedModelOutput> | ScriptedModelOutput;

export async function startFakeOpenAI(script: Script): Promise<FakeOpenAI> {
  const requests: unknown[] = [];
  const server: Server = createServer((req, res) => {
    void (async () => {
      if (req.method !== "POST" || !req.url?.endsWith("/responses")) {
        res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: "not found" } }));
        return;
      }
      const body = JSON.parse(await readBody(req)) as unknown;
      const index = requests.push(body) - 1;
      const output = await script({ body, index });
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(responseFor(JSON.stringify(output))));
    })().catch((error: unknown) => {
      res.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: String(error) } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
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
    usage: { input_tokens: 1000, input_tokens_details: { cached_tokens: 0 }, output_tokens: 200, output_tokens_details: { reasoning_tokens: 50 }, total_tokens: 1200 },
  };
}
