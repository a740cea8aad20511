/** File extensions ESLint lints, apart from its configs so that deciding whether to load ESLint costs nothing. */
export const JS_EXTENSIONS = new Set(["js", "jsx", "mjs", "cjs"]);
export const TS_EXTENSIONS = new Set(["ts", "tsx", "mts", "cts"]);
