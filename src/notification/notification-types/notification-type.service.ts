import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { Clock } from '../../common/clock';
import { validationFailed } from '../../common/validation/validation.pipe';
import type { Db } from '../../database/engine/tx';
import { TransactionRunner } from '../../database/engine/transaction-runner';
import { PutNotificationTypeDto } from '../dto/notification-type.dto';
import { NotificationType } from '../entities/notification-type.entity';
import { NOTIFICATION_TRANSACTIONS } from '../notification.tokens';
import type { TypeSettings } from '../preferences/preference-resolution';
import { NotificationTypeRepository } from '../repositories/notification-type.repository';

/** The notification type registry: each type's default, whether users may turn it off, and its label. */
@Injectable()
export class NotificationTypeService {
  constructor(
    private readonly types: NotificationTypeRepository,
    @Inject(NOTIFICATION_TRANSACTIONS) private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
  ) {}

  /** Registers the type or replaces its entry (fields left out take their defaults); created_at survives. */
  put(notificationType: string, dto: PutNotificationTypeDto): Promise<NotificationType> {
    const required = dto.required ?? false;
    if (required) {
      // A required type goes out at once, past every rule: nothing may hold or drop it.
      const contradictions = [
        dto.default_enabled === false && { field: 'default_enabled', messages: ['default_enabled cannot be false for a required type'] },
        dto.digest !== undefined &&
          dto.digest !== 'instant' && {
            field: 'digest',
            messages: ['digest must be instant for a required type (it always goes out at once)'],
          },
        dto.throttle_per_hour !== undefined && {
          field: 'throttle_per_hour',
          messages: ['throttle_per_hour cannot be set for a required type (it always goes out)'],
        },
      ].filter((problem) => problem !== false);
      if (contradictions.length > 0) throw validationFailed(contradictions);
    }
    return this.transactions.run(async (tx) => {
      const now = this.clock.now();
      const existing = await this.types.findByType(tx, notificationType);
      const type = Object.assign(new NotificationType(), {
        notificationType,
        defaultEnabled: dto.default_enabled ?? true,
        required,
        label: dto.label ?? null,
        description: dto.description ?? null,
        category: dto.category ?? null,
        digest: dto.digest ?? 'instant',
        throttlePerHour: dto.throttle_per_hour ?? null,
        throttleExcess: dto.throttle_excess ?? 'digest',
        createdAt: existing?.createdAt ?? now,
        updatedAt: now,
      });
      await (existing ? this.types.update(tx, type) : this.types.insert(tx, type));
      return type;
    });
  }

  list(): Promise<NotificationType[]> {
    return this.types.listAll(this.transactions.reads);
  }

  async get(notificationType: string): Promise<NotificationType> {
    const type = await this.types.findByType(this.transactions.reads, notificationType);
    if (!type) throw this.notFound(notificationType);
    return type;
  }

  /** Removes the entry; users' stored preferences for the type stay and apply as before it was registered. */
  remove(notificationType: string): Promise<void> {
    return this.transactions.run(async (tx) => {
      if (!(await this.types.deleteByType(tx, notificationType))) throw this.notFound(notificationType);
    });
  }

  /** What the registry says of one type, or null when it is not registered. */
  async settingsOf(db: Db, notificationType: string): Promise<TypeSettings | null> {
    return this.types.findByType(db, notificationType);
  }

  /** The registered ones among `notificationTypes`, by type. */
  async findMany(db: Db, notificationTypes: string[]): Promise<Map<string, NotificationType>> {
    if (notificationTypes.length === 0) return new Map();
    const found = await this.types.findByTypes(db, notificationTypes);
    return new Map(found.map((type) => [type.notificationType, type]));
  }

  private notFound(notificationType: string): NotFoundException {
    return new NotFoundException({ code: 'notification_type_not_found', message: `No notification type named ${notificationType}` });
  }
}
