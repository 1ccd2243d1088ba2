import { applyDecorators, HttpStatus } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ErrorResponseDto } from './error-response.dto';

const DESCRIPTIONS: Partial<Record<HttpStatus, string>> = {
  [HttpStatus.BAD_REQUEST]: 'Invalid input; details name each bad field',
  [HttpStatus.NOT_FOUND]: 'Not found',
  [HttpStatus.CONFLICT]: 'Conflicts with an existing resource',
  [HttpStatus.PAYLOAD_TOO_LARGE]: 'Request body too large',
  [HttpStatus.UNAUTHORIZED]: 'No credential, or one that is unknown, expired or revoked',
  [HttpStatus.FORBIDDEN]: 'The credential may not do this',
  [HttpStatus.UNPROCESSABLE_ENTITY]: 'Understood but cannot be done as asked; the message says why',
  [HttpStatus.TOO_MANY_REQUESTS]: 'Rate limit reached; try again after Retry-After',
};

/** Documents the error responses a route can give, all in the one error shape. */
export function ApiErrorResponses(...statuses: HttpStatus[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...statuses.map((status) => ApiResponse({ status, description: DESCRIPTIONS[status] ?? 'Error', type: ErrorResponseDto })),
  );
}
