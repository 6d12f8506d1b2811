// Generated from packages/domain by `pnpm gen:functions-domain`; do not edit.
// Edit the original in packages/domain/src and regenerate.
// A mapped key whose JSONPath matched nothing: a step's missing_inputs (input_map) and
// unmatched_outputs (its or the workflow's output_map). Its own module, free of the JSONPath
// engine's npm imports, so the executor protocol (which Node's tsc checks through the tests)
// can name it without resolving `npm:` specifiers.
export type MissingInput = { key: string; path: string };
