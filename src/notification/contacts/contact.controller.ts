import { EngageController } from '../../auth/engage-controller.decorator';
import { Body, HttpStatus, Param, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { UserScoped } from '../../auth/auth.decorators';
import { ApiErrorResponses } from '../../common/http/api-error-responses.decorator';
import { UserIdParamDto } from '../../common/http/user-id-param.dto';
import { ContactResponseDto, toContactDto, UpsertContactDto } from '../dto/contact.dto';
import { ContactService } from './contact.service';

@ApiTags('contacts')
@EngageController('api/users')
export class ContactController {
  constructor(private readonly contacts: ContactService) {}

  /** Sets where the user is reached by email, SMS, Slack and webhook. */
  @Put(':user_id/contact')
  @UserScoped({ param: 'user_id' })
  @ApiOperation({ summary: 'Set a user’s contact details' })
  @ApiOkResponse({ type: ContactResponseDto })
  @ApiErrorResponses(HttpStatus.BAD_REQUEST)
  async upsert(@Param() params: UserIdParamDto, @Body() dto: UpsertContactDto): Promise<ContactResponseDto> {
    return { success: true, contact: toContactDto(await this.contacts.upsert(params.user_id, dto)) };
  }
}
