/** The part of autocannon's API the benchmarks use (the package ships no types; @types/autocannon is not installed). */
declare module "autocannon" {
  import type { EventEmitter } from "node:events";

  interface Options {
    url: string;
    connections?: number;
    /** Seconds. */
    duration?: number;
    /** Seconds. */
    timeout?: number;
    requests?: { method?: string; path?: string; headers?: Record<string, string>; body?: string }[];
  }

  /** Emits "response" (client, statusCode, bytes, milliseconds) per answer and "reqError" (error). */
  type Instance = EventEmitter;

  function autocannon(options: Options, done: (error: Error | null, result: unknown) => void): Instance;
  export default autocannon;
}
