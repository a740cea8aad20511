export const config = {
  port: Number(process.env.PORT ?? 3000),
  databaseUrl: process.env.DATABASE_URL ?? "postgres://localhost:5432/longboard_dev",
  session: {
    jwtSecret: process.env.JWT_SECRET || "longboard-dev-secret",
    tokenTtl: process.env.TOKEN_TTL ?? "12h",
    cookieName: "lb_session",
    secureCookies: process.env.NODE_ENV === "production",
  },
} as const;
