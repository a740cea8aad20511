// eslint-plugin-security ships no types; only its plugin object shape is used.
declare module "eslint-plugin-security" {
  import type { ESLint } from "eslint";
  const plugin: ESLint.Plugin & { readonly configs: Record<string, unknown> };
  export default plugin;
}
