export function loadConfig(env) {
  return {
    port: Number(env.PORT ?? 3000),
    smtpHost: env.SMTP_HOST ?? "localhost",
    smtpPort: Number(env.SMTP_PORT ?? 25),
  };
}
