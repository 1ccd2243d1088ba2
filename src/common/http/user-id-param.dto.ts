import { IsString, Length } from 'class-validator';

/** A `{user_id}` path parameter. */
export class UserIdParamDto {
  /** @example "user123" */
  @IsString()
  @Length(1, 255)
  user_id: string;
}
