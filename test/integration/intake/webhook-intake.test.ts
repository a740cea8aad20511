import { createHmac } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "@jest/globals";
import { sign } from "@octokit/webhooks-methods";
import nock from "nock";
import { pino } from "pino";
import { InvalidPayloadError } from "../../../src/github/webhook-payload.js";
import { ByteBudget } from "../../../src/intake/byte-budget.js";
import { webhookIntake, type WebhookDelivery } from "../../../src/intake/webhook-intake.js";
import { FORGED_SIGNATURE, piecesOf, sendRaw, webhookHeaders, type RawAnswer } from "../../helpers/webhook-http.js";

/**
 * Longview's webhook intake on a plain node:http server, over real HTTP,
 * with small limits: what is refused before the body is read, while it is
 * read, after the signature and after the handlers — and that nothing
 * unverified reaches the handlers.
 */

const SECRET = "intake-secret";
const LIMITS = { maxBytes: 64 * 1024, readTimeoutMs: 800, idleTimeoutMs: 300 };
const budget = new ByteBudget(2 * LIMITS.maxBytes);
const received: WebhookDelivery[] = [];
let receive: (delivery: WebhookDelivery) => Promise<void> = async () => undefined;
let server: Server;
let port: number;

beforeAll(async () => {
  // nock's interception holds a request body until the request ends: a stalled or dripping sender would never be seen.
  nock.restore();
  const intake = webhookIntake({
    path: "/api/github/webhooks",
    secret: SECRET,
    limits: LIMITS,
    budget,
    log: pino({ level: "silent" }),
    receive: async (delivery) => {
      received.push(delivery);
      await receive(delivery);
    },
  });
  server = createServer((req, res) => {
    void intake(req, res).then((handled) => {
      if (!handled) res.writeHead(404).end("next handler");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
});

beforeEach(() => {
  received.length = 0;
  receive = async () => undefined;
});

async function signed(body: string, extra: { event?: string; id?: string } = {}): Promise<RawAnswer> {
  const headers = await webhookHeaders({ ...extra, sign: { secret: SECRET, body }, contentLength: Buffer.byteLength(body) });
  return sendRaw({ port, headers, pieces: [{ data: body }] });
}

const error = (answer: RawAnswer) => (JSON.parse(answer.body) as { error: string }).error;

describe("before the body is read", () => {
  test("a Content-Length over the cap is answered 413 at once, without reading the body", async () => {
    const headers = await webhookHeaders({ sign: FORGED_SIGNATURE, contentLength: 10 * 1024 * 1024 });
    // Headers only: the answer must not wait for a body.
    const answer = await sendRaw({ port, headers, end: false });
    expect(answer.status).toBe(413);
    expect(error(answer)).toBe("body too large (over 65536 bytes)");
    expect(received).toEqual([]);
  });

  test("a missing or malformed signature is answered 401 without reading the body", async () => {
    for (const sign of [null, "sha1=0123456789abcdef0123456789abcdef01234567", "sha256=not-hex", ""]) {
      const answer = await sendRaw({ port, headers: await webhookHeaders({ sign, contentLength: 1024 }), end: false });
      expect([answer.status, error(answer)]).toEqual([401, "missing or malformed X-Hub-Signature-256"]);
    }
    expect(received).toEqual([]);
  });

  test("wrong method, content type or GitHub headers are refused; other paths go to the next handler", async () => {
    expect((await sendRaw({ port, method: "GET", headers: {} })).status).toBe(405);
    expect(
      (
        await sendRaw({
          port,
          headers: { ...(await webhookHeaders({ sign: FORGED_SIGNATURE })), "content-type": "application/x-www-form-urlencoded" },
          end: true,
        })
      ).status,
    ).toBe(415);
    const noEvent = await webhookHeaders({ sign: FORGED_SIGNATURE });
    delete noEvent["x-github-event"];
    expect((await sendRaw({ port, headers: noEvent })).status).toBe(400);
    expect((await sendRaw({ port, headers: await webhookHeaders({ sign: FORGED_SIGNATURE, id: "x".repeat(129) }) })).status).toBe(400);
    expect(await sendRaw({ port, path: "/healthz", method: "GET", headers: {} })).toMatchObject({ status: 404, body: "next handler" });
    expect(received).toEqual([]);
  });
});

describe("while the body is read", () => {
  test("a chunked body is counted as it arrives and cut at the cap: 413, nothing received, nothing held", async () => {
    const headers = await webhookHeaders({ sign: FORGED_SIGNATURE });
    // One byte over the cap, then the sender waits: the answer cannot be a consequence of the body ending.
    const answer = await sendRaw({ port, headers, pieces: piecesOf(LIMITS.maxBytes + 1, 4096), end: false });
    expect(answer.status).toBe(413);
    expect(received).toEqual([]);
    expect(budget.held).toBe(0);
  });

  test("a body that stalls is answered 408 after the idle timeout; one that drips, at the read deadline — never 202", async () => {
    const stalled = await sendRaw({
      port,
      headers: await webhookHeaders({ sign: FORGED_SIGNATURE, contentLength: 10_000 }),
      pieces: [{ data: "{" }],
      end: false,
    });
    expect([stalled.status, error(stalled)]).toEqual([408, "body stalled"]);
    expect(stalled.ms).toBeGreaterThanOrEqual(LIMITS.idleTimeoutMs - 20);
    expect(stalled.ms).toBeLessThan(LIMITS.readTimeoutMs);

    const dripping = await sendRaw({
      port,
      headers: await webhookHeaders({ sign: FORGED_SIGNATURE, contentLength: 10_000 }),
      pieces: piecesOf(10_000, 10, 100),
      end: false,
    });
    expect([dripping.status, error(dripping)]).toEqual([408, "body not received in time"]);
    expect(dripping.ms).toBeGreaterThanOrEqual(LIMITS.readTimeoutMs - 20);
    expect(dripping.ms).toBeLessThan(LIMITS.readTimeoutMs + 500);
    expect(received).toEqual([]);
    expect(budget.held).toBe(0);
  });

  test("a Content-Length larger than the body sent is a stalled body (408), not a wait until the sender gives up", async () => {
    const body = JSON.stringify({ action: "opened" });
    const headers = await webhookHeaders({ sign: { secret: SECRET, body }, contentLength: Buffer.byteLength(body) + 100 });
    const answer = await sendRaw({ port, headers, pieces: [{ data: body }], end: false });
    expect(answer.status).toBe(408);
    expect(received).toEqual([]);
  });

  test("the bodies being read share one memory budget: past it, 503; the budget is whole again afterwards", async () => {
    const held = async () =>
      sendRaw({ port, headers: await webhookHeaders({ sign: FORGED_SIGNATURE }), pieces: piecesOf(LIMITS.maxBytes - 1024, 4096), end: false });
    const first = held();
    const second = held();
    await new Promise((r) => setTimeout(r, 150));
    expect(budget.held).toBeGreaterThan(LIMITS.maxBytes);
    const third = await sendRaw({ port, headers: await webhookHeaders({ sign: FORGED_SIGNATURE }), pieces: piecesOf(16 * 1024, 4096), end: false });
    expect([third.status, error(third)]).toEqual([503, "too many webhook bodies in flight; try again"]);
    expect((await first).status).toBe(408);
    expect((await second).status).toBe(408);
    expect(budget.held).toBe(0);
    expect(received).toEqual([]);
  });
});

describe("after the body is read", () => {
  test("the signature is checked before the body is parsed: a forged body that is not JSON is 401, not 400", async () => {
    for (const body of ["{not json", JSON.stringify({ action: "opened" })]) {
      const answer = await sendRaw({
        port,
        headers: await webhookHeaders({ sign: FORGED_SIGNATURE, contentLength: Buffer.byteLength(body) }),
        pieces: [{ data: body }],
      });
      expect([answer.status, error(answer)]).toEqual([401, "signature does not match"]);
    }
    // Signed for another body.
    const tampered = await sendRaw({ port, headers: await webhookHeaders({ sign: await sign(SECRET, "{}"), contentLength: 2 }), pieces: [{ data: "[]" }] });
    expect(tampered.status).toBe(401);
    expect(received).toEqual([]);
  });

  test("a signed body that is not a JSON object is 400: invalid JSON, invalid UTF-8, null, an array, a number", async () => {
    const answers = [];
    for (const body of ["{not json", "null", "[]", "5", '"text"']) answers.push([body, (await signed(body)).status, error(await signed(body))]);
    const invalidUtf8 = Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]);
    const headers = await webhookHeaders({
      sign: `sha256=${createHmac("sha256", SECRET).update(invalidUtf8).digest("hex")}`,
      contentLength: invalidUtf8.length,
    });
    const utf8 = await sendRaw({ port, headers, pieces: [{ data: invalidUtf8 }] });
    expect(answers).toEqual([
      ["{not json", 400, "body is not JSON"],
      ["null", 400, "payload must be a JSON object"],
      ["[]", 400, "payload must be a JSON object"],
      ["5", 400, "payload must be a JSON object"],
      ['"text"', 400, "payload must be a JSON object"],
    ]);
    expect([utf8.status, error(utf8)]).toEqual([400, "body is not JSON"]);
    expect(received).toEqual([]);
  });

  test("a verified delivery reaches the handlers with its id, event and payload, and is answered 200", async () => {
    const answer = await signed(JSON.stringify({ action: "opened", number: 1 }), { event: "pull_request", id: "delivery-ok-1" });
    expect(answer).toMatchObject({ status: 200, body: "ok\n" });
    expect(received).toEqual([{ id: "delivery-ok-1", name: "pull_request", payload: { action: "opened", number: 1 } }]);
  });

  test("a payload of the wrong shape is 400 with the handler's one-line reason; a genuine failure is 500 without details", async () => {
    receive = async () => {
      throw new AggregateError([new InvalidPayloadError("pull_request.opened", "pull_request.number: Invalid input: expected number, received string")], "x");
    };
    const invalid = await signed(JSON.stringify({ action: "opened" }));
    expect([invalid.status, error(invalid)]).toEqual([
      400,
      "pull_request.opened payload: pull_request.number: Invalid input: expected number, received string",
    ]);

    receive = async () => {
      throw new AggregateError([new Error("connect ECONNREFUSED 127.0.0.1:6379")], "x");
    };
    const failed = await signed(JSON.stringify({ action: "opened" }), { id: "delivery-fails-1" });
    expect([failed.status, error(failed)]).toEqual([500, "delivery delivery-fails-1 could not be handled; see the server log"]);

    // A wrong shape beside a genuine failure: the failure decides (GitHub must record it as failed).
    receive = async () => {
      throw new AggregateError([new InvalidPayloadError("pull_request.opened", "x: y"), new Error("queue down")], "x");
    };
    expect((await signed(JSON.stringify({ action: "opened" }))).status).toBe(500);
  });
});
