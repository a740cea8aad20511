// Says once, before any suite runs, what a machine without Redis will skip (test/helpers/redis.ts).
import { connect } from "node:net";

export default async function globalSetup() {
  const url = new URL(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");
  const up = await new Promise((resolve) => {
    const socket = connect({ host: url.hostname || "127.0.0.1", port: Number(url.port || 6379) });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once("error", () => done(false));
    socket.once("connect", () => done(true));
  });
  if (!up) {
    process.stderr.write(
      `\nNo Redis answers at ${url.host}: the Redis queue suites are skipped (their names end in "[skipped: no Redis …]"). ` +
        "Start one (see .ci/run) to run them.\n\n",
    );
  }
}
