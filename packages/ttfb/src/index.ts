export type { MeasureFailureReason } from "./errors.ts";
export { MeasureError, UsageError } from "./errors.ts";
export { MarkerScanner } from "./markers.ts";
export type { ChunkArrival, Measurement, MeasureOptions } from "./measure.ts";
export { measure } from "./measure.ts";
export type { CompareOptions, Comparison, MeasureRunsOptions, PairOrder, Summary } from "./runs.ts";
export { compare, measureRuns, summarize } from "./runs.ts";
