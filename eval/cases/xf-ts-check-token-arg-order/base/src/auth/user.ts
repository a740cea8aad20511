export interface User {
  readonly id: string;
  readonly active: boolean;
  readonly tokens: readonly string[];
}
