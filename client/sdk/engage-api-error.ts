/** An answer of the API that was not a success: its status, and the error's code, message and fields. */
export class EngageApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Array<{ field: string; messages: string[] }> = [],
  ) {
    super(message);
    this.name = 'EngageApiError';
  }
}
