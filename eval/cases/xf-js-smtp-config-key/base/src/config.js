export function loadConfig(env) {
  return {
    port: Number(env.PORT ?? 3000),
    smtp_host: env.SMTP_HOST ?? "localhost",
    smtp_port: Number(env.SMTP_PORT ?? 25),
  };
}
