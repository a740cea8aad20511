import type { Profile } from "./users/display-name.js";

export interface Session {
  readonly id: string;
  readonly profile?: Profile;
}
