import { EngageController } from '../../auth/engage-controller.decorator';
import { Body, HttpStatus, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { UserScoped } from '../../auth/auth.decorators';
import { ApiErrorResponses } from '../../common/http/api-error-responses.decorator';
import { RegisterDeviceDto, RegisterDeviceResponseDto } from '../dto/device.dto';
import { DeviceService } from './device.service';

@ApiTags('devices')
@EngageController('api/devices')
export class DeviceController {
  constructor(private readonly devices: DeviceService) {}

  /** Registers (or refreshes) a push token; a token moving to another user is re-assigned. */
  @Post('register')
  @UserScoped({ body: 'user_id' })
  @ApiOperation({ summary: 'Register a device token for push notifications' })
  @ApiCreatedResponse({ type: RegisterDeviceResponseDto })
  @ApiErrorResponses(HttpStatus.BAD_REQUEST)
  async register(@Body() dto: RegisterDeviceDto): Promise<RegisterDeviceResponseDto> {
    const device = await this.devices.register(dto);
    return { success: true, device_token_id: device.id };
  }
}
