import { displayName } from "../users/display-name.js";
import type { Session } from "../session.js";

export function headerGreeting(session: Session): string {
  // Anonymous visitors have a session without a profile.
  return `Hello, ${displayName(session.profile)}`;
}
