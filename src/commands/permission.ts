import { ACCESS_LEVELS, type AccessLevel } from "../github/permission.js";

/** Who may run a command: the user's permission on the repository (github/permission.ts) against what the command requires. Pure. */

export type { AccessLevel } from "../github/permission.js";
export type RequiredAccess = "write" | "read" | "anyone";

export function meetsRequirement(level: AccessLevel, required: RequiredAccess): boolean {
  if (required === "anyone") return true;
  return ACCESS_LEVELS.indexOf(level) >= ACCESS_LEVELS.indexOf(required);
}
