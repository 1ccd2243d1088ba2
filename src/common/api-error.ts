import { HttpStatus } from '@nestjs/common';

/** One entry of an error's details: which field was wrong and why. */
export interface ApiErrorDetail {
  field: string;
  messages: string[];
}

/** The body of every error response Engage sends. */
export interface ApiErrorBody {
  success: false;
  error: {
    code: string;
    message: string;
    details?: ApiErrorDetail[] | Record<string, unknown>;
    request_id?: string;
  };
}

const DEFAULT_CODES: Record<number, string> = {
  [HttpStatus.BAD_REQUEST]: 'bad_request',
  [HttpStatus.UNAUTHORIZED]: 'unauthorized',
  [HttpStatus.FORBIDDEN]: 'forbidden',
  [HttpStatus.NOT_FOUND]: 'not_found',
  [HttpStatus.METHOD_NOT_ALLOWED]: 'method_not_allowed',
  [HttpStatus.CONFLICT]: 'conflict',
  [HttpStatus.PAYLOAD_TOO_LARGE]: 'payload_too_large',
  [HttpStatus.UNSUPPORTED_MEDIA_TYPE]: 'unsupported_media_type',
  [HttpStatus.UNPROCESSABLE_ENTITY]: 'unprocessable_entity',
  [HttpStatus.TOO_MANY_REQUESTS]: 'rate_limited',
  [HttpStatus.INTERNAL_SERVER_ERROR]: 'internal_error',
  [HttpStatus.SERVICE_UNAVAILABLE]: 'service_unavailable',
};

export function defaultErrorCode(status: number): string {
  return DEFAULT_CODES[status] ?? (status >= 500 ? 'internal_error' : 'bad_request');
}

export function buildErrorBody(
  status: number,
  message: string,
  requestId: string | undefined,
  code: string = defaultErrorCode(status),
  details?: ApiErrorBody['error']['details'],
): ApiErrorBody {
  return {
    success: false,
    error: { code, message, ...(details !== undefined ? { details } : {}), ...(requestId ? { request_id: requestId } : {}) },
  };
}
