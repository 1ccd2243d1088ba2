import { ConsoleLogger, ConsoleLoggerOptions, LogLevel } from '@nestjs/common';
import { BufferedStdout } from './buffered-stdout';

const LEVEL_ORDER: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

/** The levels at and above a threshold; `info` is accepted as another name for Nest's `log`. */
export function logLevelsFrom(threshold: string): LogLevel[] {
  const normalized = (threshold === 'info' ? 'log' : threshold) as LogLevel;
  const index = LEVEL_ORDER.indexOf(normalized);
  return LEVEL_ORDER.slice(0, index < 0 ? LEVEL_ORDER.indexOf('log') + 1 : index + 1);
}

/**
 * Nest's JSON logger with buffered stdout. Fields passed as an object (`{ request_id }`) become
 * fields of the line (flattenParams): that is how request-scoped lines name their request.
 */
export class AppLogger extends ConsoleLogger {
  /** One buffer for every logger of the process, so their lines stay in order. */
  private static readonly stdout = new BufferedStdout();

  constructor(options: { level: string; format: 'json' | 'text' }) {
    const loggerOptions: ConsoleLoggerOptions = {
      json: options.format === 'json',
      logLevels: logLevelsFrom(options.level),
      flattenParams: true,
      prefix: 'Engage',
    };
    super(loggerOptions);
  }

  /** JSON lines to stdout go out once per event loop turn; anything for stderr goes at once, after them. */
  protected override printAsJson(message: unknown, options: Parameters<ConsoleLogger['printAsJson']>[1]): void {
    if (options.writeStreamType === 'stderr' || this.options.colors || this.options.forceConsole) {
      AppLogger.stdout.flush();
      super.printAsJson(message, options);
      return;
    }
    AppLogger.stdout.write(`${this.stringifyJsonLogObject(this.getJsonLogObject(message, options))}\n`);
  }
}
