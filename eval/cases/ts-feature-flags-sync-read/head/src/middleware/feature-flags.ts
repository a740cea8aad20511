import { readFileSync } from "node:fs";
import type { NextFunction, Request, Response } from "express";

export type Flags = Readonly<Record<string, boolean>>;

declare module "express-serve-static-core" {
  interface Request {
    flags: Flags;
  }
}

const FLAGS_PATH = process.env.FLAGS_PATH ?? "config/flags.json";

export function featureFlags(req: Request, _res: Response, next: NextFunction): void {
  try {
    req.flags = JSON.parse(readFileSync(FLAGS_PATH, "utf8")) as Flags;
  } catch (error) {
    req.log.warn({ err: error, path: FLAGS_PATH }, "cannot read feature flags; all flags are off");
    req.flags = {};
  }
  next();
}
