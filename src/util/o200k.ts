import { createRequire } from "node:module";
import type * as O200k from "gpt-tokenizer/encoding/o200k_base";

/**
 * The o200k_base tokenizer, required on its first use rather than at
 * start-up: its rank table is about 75 MiB resident, which a process holding
 * no job does not need. Counting is synchronous, hence `require` (the package
 * ships CommonJS beside its ES modules). Every caller goes through here, so
 * the table is loaded once per thread.
 */

const require = createRequire(import.meta.url);
let loaded: typeof O200k | null = null;

export function o200k(): typeof O200k {
  loaded ??= require("gpt-tokenizer/encoding/o200k_base") as typeof O200k;
  return loaded;
}
