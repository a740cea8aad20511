import { describe, expect, test } from "@jest/globals";
import { redact, tokenPatternRanges } from "../../../src/redact/index.js";
import { FAKE, filler, pemBody } from "../../fixtures/redact/fake-keys.js";

/**
 * Each token shape: in code it is found (exactly the secret's characters,
 * with its kind); near misses and ordinary code are left alone.
 */

function found(text: string): { kind: string; value: string }[] {
  return tokenPatternRanges(text).map((r) => ({ kind: r.kind, value: text.slice(r.start, r.end) }));
}

interface Case {
  readonly kind: string;
  /** [code, the secret in it] */
  readonly positives: readonly (readonly [string, string])[];
  readonly negatives: readonly string[];
}

const CASES: readonly Case[] = [
  {
    kind: "stripe-secret-key",
    positives: [
      [`const stripe = new Stripe("${FAKE.stripeLive}", { apiVersion });`, FAKE.stripeLive],
      [`STRIPE_KEY: '${FAKE.stripeRestricted}',`, FAKE.stripeRestricted],
    ],
    negatives: [`const pk = "pk_live_${filler(24)}";`, `"sk_live_short"`, `const mask_live_${filler(24)} = 1;`],
  },
  {
    kind: "stripe-webhook-secret",
    positives: [[`endpointSecret = "${FAKE.stripeWebhook}";`, FAKE.stripeWebhook]],
    negatives: [`const prefix = "whsec_";`, `"whsec_tooshort"`],
  },
  {
    kind: "google-api-key",
    positives: [[`<script src="https://maps.googleapis.com/maps/api/js?key=${FAKE.googleApiKey}"></script>`, FAKE.googleApiKey]],
    negatives: [`"AIza${filler(30)}"`, `const AIzaSyFoo = require("./AIza");`],
  },
  {
    kind: "google-oauth-client-secret",
    positives: [[`client_secret: "${FAKE.googleOauthSecret}"`, FAKE.googleOauthSecret]],
    negatives: [`"GOCSPX-short"`],
  },
  {
    kind: "slack-token",
    positives: [
      [`token: "${FAKE.slackBot}",`, FAKE.slackBot],
      [`appToken: '${FAKE.slackApp}'`, FAKE.slackApp],
    ],
    negatives: [`"xoxb-12"`, `const xoxb = "x";`],
  },
  {
    kind: "slack-webhook",
    positives: [[`fetch("https://hooks.slack.com/services/${FAKE.slackWebhookPath}", { method: "POST" })`, FAKE.slackWebhookPath]],
    negatives: [`"https://hooks.slack.com/services/"`, `"https://api.slack.com/apps"`],
  },
  {
    kind: "npm-access-token",
    positives: [[`//registry.npmjs.org/:_authToken=${FAKE.npm}`, FAKE.npm]],
    negatives: [`process.env.npm_config_user_agent_and_more_words_here`, `const npm_lifecycle_event = "test";`],
  },
  {
    kind: "pypi-token",
    positives: [[`password = "${FAKE.pypi}"`, FAKE.pypi]],
    negatives: [`pip install pypi-simple-client`, `"pypi-AgEI"`],
  },
  {
    kind: "gitlab-token",
    positives: [
      [`PRIVATE-TOKEN: ${FAKE.gitlabPat}`, FAKE.gitlabPat],
      [`"${FAKE.gitlabDeploy}"`, FAKE.gitlabDeploy],
      [`registration: '${FAKE.gitlabRunner}'`, FAKE.gitlabRunner],
    ],
    negatives: [`"glpat-short"`, `const glpat = 1;`, `uniform sampler2D glrt;`],
  },
  {
    kind: "twilio-api-key",
    positives: [[`apiKey: "${FAKE.twilioApiKey}"`, FAKE.twilioApiKey]],
    negatives: [`"SK${"ABCDEF0123456789".repeat(2)}"`, `"ASK${filler(32, "0123456789abcdef")}"`],
  },
  {
    kind: "twilio-credential",
    positives: [
      [`const client = twilio("${FAKE.twilioAccountSid}", "x");`, FAKE.twilioAccountSid],
      [`TWILIO_AUTH_TOKEN=${FAKE.twilioAuthToken}`, FAKE.twilioAuthToken],
    ],
    // Bare hex without the provider's name: a hash, a request id.
    negatives: [`const etag = "${FAKE.twilioAuthToken}";`, `sid: "${FAKE.twilioAccountSid}"`],
  },
  {
    kind: "sendgrid-api-key",
    positives: [[`sgMail.setApiKey("${FAKE.sendgrid}");`, FAKE.sendgrid]],
    negatives: [`"SG.short.value"`],
  },
  {
    kind: "mailgun-api-key",
    positives: [
      [`auth: { api_key: "${FAKE.mailgunLegacy}" }`, FAKE.mailgunLegacy],
      [`const mailgun = new Mailgun(formData).client({ key: "${FAKE.mailgunCurrent}" });`, FAKE.mailgunCurrent],
    ],
    negatives: [`"key-abcdefghijklmnopqrstuvwxyzabcdef"`, `const id = "${FAKE.mailgunCurrent}";`],
  },
  {
    kind: "square-token",
    positives: [
      [`accessToken: "${FAKE.squareAccess}"`, FAKE.squareAccess],
      [`SQUARE_SECRET='${FAKE.squareOauth}'`, FAKE.squareOauth],
      [`new Client({ accessToken: "${FAKE.squareCurrent}" })`, FAKE.squareCurrent],
    ],
    // The same characters inside base64 data (an embedded image or font).
    negatives: [`"data:font/woff2;base64,AAAB${FAKE.squareCurrent}AAAA"`, `"+${FAKE.squareCurrent}"`],
  },
  {
    kind: "shopify-token",
    positives: [[`X-Shopify-Access-Token: ${FAKE.shopify}`, FAKE.shopify]],
    negatives: [`"shpat_${filler(32, "ghijklmnopqrstuvwxyz")}"`],
  },
  {
    kind: "digitalocean-token",
    positives: [[`DIGITALOCEAN_TOKEN: "${FAKE.digitalocean}"`, FAKE.digitalocean]],
    negatives: [`"dop_v1_${filler(20, "0123456789abcdef")}"`],
  },
  {
    kind: "huggingface-token",
    positives: [[`login(token="${FAKE.huggingface}")`, FAKE.huggingface]],
    negatives: [`from huggingface_hub import hf_hub_download_with_progress_abc`, `"hf_${filler(34, "abcdefghijklmnopqrstuvwxyz")}"`],
  },
  {
    kind: "databricks-token",
    positives: [[`DATABRICKS_TOKEN=${FAKE.databricks}`, FAKE.databricks]],
    negatives: [`"dapi${filler(31, "0123456789abcdef")}"`, `const dapiVersion = 2;`],
  },
  {
    kind: "azure-key",
    positives: [[`"DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=${FAKE.azureStorageKey};EndpointSuffix=core.windows.net"`, FAKE.azureStorageKey]],
    negatives: [`"AccountKey=;"`, `const AccountKey = readKey();`],
  },
  {
    kind: "jwt",
    positives: [[`headers: { Authorization: "Bearer ${FAKE.jwt}" }`, FAKE.jwt]],
    negatives: [`"eyJhbGciOi.notatoken"`, `const eyJ = 1;`],
  },
  {
    kind: "discord-bot-token",
    positives: [[`client.login("${FAKE.discord}");`, FAKE.discord]],
    // Same shape, but the first part is not a user id: a dotted identifier path.
    negatives: [`x = MessageChannelPropertiesAb.length.somethingVeryLongIdentifierNameHere;`],
  },
  {
    kind: "telegram-bot-token",
    // The bot id before the colon is public; the part after it is the secret.
    positives: [[`const bot = new Telegraf("123456789:${FAKE.telegramSecret}");`, FAKE.telegramSecret]],
    negatives: [`"12:${FAKE.telegramSecret}"`, `time: "12345678:AB"`],
  },
  {
    kind: "heroku-api-key",
    positives: [
      [`HEROKU_API_KEY=${FAKE.herokuNew}`, FAKE.herokuNew],
      [`heroku: { apiKey: "${FAKE.herokuUuid}" }`, FAKE.herokuUuid],
    ],
    negatives: [`const requestId = "${FAKE.herokuUuid}";`],
  },
  {
    kind: "age-secret-key",
    positives: [[`# created: 2024-01-01\n${FAKE.age}\n`, FAKE.age]],
    negatives: [`"AGE-SECRET-KEY-1"`],
  },
  {
    kind: "url-password",
    positives: [
      [`url: "postgres://user:pass@host/db",`, "pass"],
      [`MONGO_URL = 'mongodb+srv://admin:s3cr3t-P4ss@cluster0.abc.mongodb.net/app?retryWrites=true';`, "s3cr3t-P4ss"],
      [`redis: "redis://:p4ssw0rd@cache.internal:6379/0",`, "p4ssw0rd"],
      [`"jdbc:postgresql://db/app?user=app&password=Xk29vLq7&ssl=true"`, "Xk29vLq7"],
      [`"Server=tcp:db;Database=app;User Id=sa;Password=Pa55w0rd!;"`, "Pa55w0rd!"],
    ],
    negatives: [
      `fetch("https://user@example.com/path")`,
      "const url = `postgres://${user}:${password}@${host}/db`;",
      `dsn = f"postgresql://{user}:{pw}@{host}/db"`,
      `const url = "http://" + user + ":" + pass + "@" + host;`,
      `"http://localhost:8080/path"`,
      `doThing();\npassword = readPassword();`,
      `const q = "?password=%s";`,
    ],
  },
];

describe("token shapes", () => {
  describe.each(CASES)("$kind", ({ kind, positives, negatives }) => {
    test.each(positives.map(([code, secret]) => ({ code, secret })))("finds $secret", ({ code, secret }) => {
      expect(found(code)).toContainEqual({ kind, value: secret });
      expect(redact(code, tokenPatternRanges(code))).toBe(code.replace(secret, `[REDACTED:${kind}]`));
    });
    test.each(negatives)("leaves %s alone", (code) => {
      expect(found(code).filter((f) => f.kind === kind)).toEqual([]);
    });
  });
});

describe("private-key blocks", () => {
  const body = pemBody(3);

  test("the base64 body is replaced line by line; BEGIN/END lines, indentation and line count stay", () => {
    const yaml = [
      "tls:",
      "  key: |",
      "    -----BEGIN RSA PRIVATE KEY-----",
      ...body.map((l) => `    ${l}`),
      "    -----END RSA PRIVATE KEY-----",
      "  port: 443",
    ].join("\n");
    expect(redact(yaml, tokenPatternRanges(yaml))).toBe(
      [
        "tls:",
        "  key: |",
        "    -----BEGIN RSA PRIVATE KEY-----",
        ...body.map(() => "    [REDACTED:private-key]"),
        "    -----END RSA PRIVATE KEY-----",
        "  port: 443",
      ].join("\n"),
    );
  });

  test("a key in a JSON string keeps its \\n escapes; one written as concatenated strings keeps its quotes and +", () => {
    const json = `{"private_key": "-----BEGIN PRIVATE KEY-----\\n${body.join("\\n")}\\n-----END PRIVATE KEY-----\\n", "client_email": "a@b.iam"}`;
    const redactedJson = redact(json, tokenPatternRanges(json));
    expect(JSON.parse(redactedJson)).toEqual({
      private_key: `-----BEGIN PRIVATE KEY-----\n${body.map(() => "[REDACTED:private-key]").join("\n")}\n-----END PRIVATE KEY-----\n`,
      client_email: "a@b.iam",
    });
    const js = `const key =\n  "-----BEGIN EC PRIVATE KEY-----\\n" +\n${body.map((l) => `  "${l}\\n" +`).join("\n")}\n  "-----END EC PRIVATE KEY-----";`;
    expect(redact(js, tokenPatternRanges(js))).toBe(
      js.replace(new RegExp(body.map((l) => l.replace(/[+/]/g, "\\$&")).join("|"), "g"), "[REDACTED:private-key]"),
    );
  });

  test("a BEGIN line quoted in code is not a key: nothing after it is touched", () => {
    const code = `if (privateKey === "-----BEGIN RSA PRIVATE KEY-----") {\n  throw new Error("only the first line '-----BEGIN RSA PRIVATE KEY-----' was given");\n}\nconst end = "-----END RSA PRIVATE KEY-----";`;
    expect(tokenPatternRanges(code)).toEqual([]);
  });

  test("a PGP private key block is found", () => {
    const armor = ["-----BEGIN PGP PRIVATE KEY BLOCK-----", "Version: GnuPG v2", "", ...body, "=abcd", "-----END PGP PRIVATE KEY BLOCK-----"].join("\n");
    const out = redact(armor, tokenPatternRanges(armor));
    for (const line of body) expect(out).not.toContain(line);
    expect(out.split("\n")).toHaveLength(armor.split("\n").length);
  });
});

describe("cost", () => {
  test("a megabyte of hostile near-misses is scanned in well under a second", () => {
    const hostile = [
      "a://".repeat(20_000),
      `x://${"u".repeat(90)}:${"p:".repeat(90)}`.repeat(200),
      "-----BEGIN RSA PRIVATE KEY-----\n".repeat(3_000),
      ";password=".repeat(20_000),
      `twilio ${"0".repeat(31)} `.repeat(5_000),
      "EAAA".repeat(50_000),
    ].join("\n");
    const started = performance.now();
    tokenPatternRanges(hostile);
    expect(performance.now() - started).toBeLessThan(1_500);
  });
});
