import { useEffect, useState } from "preact/hooks";
import { ApiError } from "../../../clients/api.ts";
import { refusalText } from "./refusals.ts";

export interface Loaded<T> {
  readonly data: T | null;
  /** A refusal or failure in words. */
  readonly failure: string | null;
  reload(): void;
}

/** Loads once per `key` (and on reload()); a refusal becomes words, never a code. */
export function useLoad<T>(load: () => Promise<T>, key: string): Loaded<T> {
  const [data, setData] = useState<T | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let alive = true;
    setFailure(null);
    load().then(
      (value) => alive && setData(value),
      (error: unknown) => alive && setFailure(refusalText(error instanceof ApiError ? error.code : undefined)),
    );
    return () => void (alive = false);
  }, [key, attempt]);
  return { data, failure, reload: () => setAttempt((n) => n + 1) };
}
