import { ApiExtraModels, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';

// File name ends in .dto.ts so the Swagger CLI plugin documents these classes.

/** One bad field of a rejected request. */
export class ErrorDetailDto {
  /** @example "user_id" */
  field: string;

  /** @example ["user_id must be a string"] */
  messages: string[];
}

@ApiExtraModels(ErrorDetailDto)
export class ErrorBodyDto {
  /** Machine-readable reason. @example "validation_failed" */
  code: string;

  /** @example "Invalid request: user_id must be a string" */
  message: string;

  /** Each bad field for a 400 `validation_failed`; for other codes, an object of facts about the error. */
  @ApiPropertyOptional({
    oneOf: [
      { type: 'array', items: { $ref: getSchemaPath(ErrorDetailDto) } },
      { type: 'object', additionalProperties: true },
    ],
  })
  details?: ErrorDetailDto[] | Record<string, unknown>;

  /** The X-Request-Id of the failed request. @example "6f1d2c3b-9a8e-4f7d-8c6b-5a4e3d2c1b0a" */
  request_id?: string;
}

/** The shape of every error response. */
export class ErrorResponseDto {
  /** @example false */
  success: boolean;

  error: ErrorBodyDto;
}
