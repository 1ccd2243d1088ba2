/** What a burst of failures came to, once it ended. */
export interface EndedBurst {
  reason: string;
  failures: number;
  seconds: number;
}

/**
 * A run of the same failure, from the first until something succeeds: the basis of "log once when
 * it starts, once when it ends" wherever a failure repeats every request or every tick (a full
 * disk, a failing checkpoint), so thousands of identical lines do not bury the one that says why.
 */
export class FailureBurst {
  private current?: { reason: string; code?: string; since: Date; lastAt: Date; failures: number };

  /** Counts a failure; true when it starts a burst (the moment to log). */
  fail(reason: string, code?: string, at = new Date()): boolean {
    if (this.current) {
      this.current.failures += 1;
      this.current.lastAt = at;
      return false;
    }
    this.current = { reason, code, since: at, lastAt: at, failures: 1 };
    return true;
  }

  /** Ends the burst, if any, and says what it came to (the moment to log again). */
  succeed(now = Date.now()): EndedBurst | undefined {
    const ended = this.current;
    if (!ended) return undefined;
    this.current = undefined;
    return { reason: ended.code ?? ended.reason, failures: ended.failures, seconds: Math.round((now - ended.since.getTime()) / 1000) };
  }

  /** The burst in progress, if any. */
  get state(): Readonly<{ reason: string; code?: string; since: Date; lastAt: Date; failures: number }> | undefined {
    return this.current;
  }
}
