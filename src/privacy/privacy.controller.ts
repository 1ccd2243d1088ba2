import { EngageController } from '../auth/engage-controller.decorator';
import { Delete, Get, HttpStatus, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { UserScoped } from '../auth/auth.decorators';
import { ApiErrorResponses } from '../common/http/api-error-responses.decorator';
import { UserIdParamDto } from '../common/http/user-id-param.dto';
import { EraseResponseDto, ExportResponseDto } from './privacy.dto';
import { PrivacyService } from './privacy.service';

/** Data rights: a user's data, all of it, to take away or to erase. */
@ApiTags('privacy')
@EngageController('api/users')
export class PrivacyController {
  constructor(private readonly privacy: PrivacyService) {}

  /** Everything stored about the user, every field, times in ISO 8601 (a user token may export its own). */
  @Get(':user_id/export')
  @UserScoped({ param: 'user_id' })
  @ApiOperation({ summary: 'Export a user’s data' })
  @ApiOkResponse({ type: ExportResponseDto })
  @ApiErrorResponses(HttpStatus.BAD_REQUEST)
  async export(@Param() params: UserIdParamDto): Promise<ExportResponseDto> {
    return { success: true, user_id: params.user_id, ...(await this.privacy.export(params.user_id)) };
  }

  /** Erases the user everywhere and revokes their tokens (admin keys only); app-wide rollups keep anonymous counts. */
  @Delete(':user_id')
  @ApiOperation({ summary: 'Erase a user' })
  @ApiOkResponse({ type: EraseResponseDto })
  @ApiErrorResponses(HttpStatus.BAD_REQUEST)
  async erase(@Param() params: UserIdParamDto): Promise<EraseResponseDto> {
    return { success: true, user_id: params.user_id, deleted: await this.privacy.erase(params.user_id) };
  }
}
