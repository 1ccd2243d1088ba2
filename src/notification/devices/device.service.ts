import { Inject, Injectable } from '@nestjs/common';
import { OutboundPolicy } from '../../common/outbound/outbound-policy';
import { validationFailed } from '../../common/validation/validation.pipe';
import { Clock } from '../../common/clock';
import { IdGenerator } from '../../common/id-generator';
import { TransactionRunner } from '../../database/engine/transaction-runner';
import { RegisterDeviceDto } from '../dto/device.dto';
import { DeviceToken } from '../entities/device-token.entity';
import { NOTIFICATION_TRANSACTIONS } from '../notification.tokens';
import { DeviceTokenRepository } from '../repositories/device-token.repository';

@Injectable()
export class DeviceService {
  constructor(
    private readonly devices: DeviceTokenRepository,
    @Inject(NOTIFICATION_TRANSACTIONS) private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly outbound: OutboundPolicy,
  ) {}

  /**
   * Registers a push token. A token is one device: registering it again refreshes it, and a
   * token that moved to another user (a shared or re-sold device) now belongs to that user
   * and is active again.
   */
  register(dto: RegisterDeviceDto): Promise<DeviceToken> {
    if (dto.platform === 'web') this.checkWebPushEndpoint(dto.token);
    return this.transactions.run(async (tx) => {
      const now = this.clock.now();
      const existing = await this.devices.findByToken(tx, dto.token);
      if (existing) {
        Object.assign(existing, {
          userId: dto.user_id,
          platform: dto.platform,
          deviceInfo: dto.device_info ?? existing.deviceInfo,
          lastUsed: now,
          isActive: true,
        });
        await this.devices.update(tx, existing);
        return existing;
      }
      const device = Object.assign(new DeviceToken(), {
        id: this.ids.next(),
        userId: dto.user_id,
        token: dto.token,
        platform: dto.platform,
        deviceInfo: dto.device_info ?? null,
        createdAt: now,
        lastUsed: now,
        isActive: true,
      });
      await this.devices.insert(tx, device);
      return device;
    });
  }

  /**
   * A web token is a push subscription whose endpoint Engage will call: it must be one the
   * outbound policy allows (checked again at each delivery), or the user could aim Engage inside.
   */
  private checkWebPushEndpoint(token: string): void {
    let endpoint: unknown;
    try {
      endpoint = (JSON.parse(token) as { endpoint?: unknown }).endpoint;
    } catch {
      endpoint = undefined;
    }
    if (typeof endpoint !== 'string') {
      throw validationFailed([{ field: 'token', messages: ['token must be a push subscription JSON with an endpoint for platform web'] }]);
    }
    const errors = this.outbound.fieldErrors("token's endpoint", endpoint);
    if (errors.length > 0) throw validationFailed(errors.map((error) => ({ ...error, field: 'token' })));
  }

  listActive(userId: string): Promise<DeviceToken[]> {
    return this.devices.findActiveByUser(this.transactions.reads, userId);
  }
}
