import { BadRequestException, Inject, Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock';
import { TransactionRunner } from '../../database/transaction-runner';
import { UpsertContactDto } from '../dto/contact.dto';
import { UserContact } from '../entities/user-contact.entity';
import { NOTIFICATION_TRANSACTIONS } from '../notification.tokens';
import { UserContactRepository } from '../repositories/user-contact.repository';

@Injectable()
export class ContactService {
  constructor(
    private readonly contacts: UserContactRepository,
    @Inject(NOTIFICATION_TRANSACTIONS) private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
  ) {}

  /** Replaces the user's contact record (PUT semantics: omitted fields are cleared). */
  upsert(userId: string, dto: UpsertContactDto): Promise<UserContact> {
    if (dto.timezone !== undefined && !isTimeZone(dto.timezone)) {
      throw new BadRequestException({
        code: 'validation_failed',
        message: 'Invalid request: timezone must be an IANA time zone such as Europe/London',
        details: [{ field: 'timezone', messages: ['timezone must be an IANA time zone such as Europe/London'] }],
      });
    }
    const contact = Object.assign(new UserContact(), {
      userId,
      email: dto.email ?? null,
      phone: dto.phone ?? null,
      slackWebhookUrl: dto.slack_webhook_url ?? null,
      webhookUrl: dto.webhook_url ?? null,
      locale: dto.locale ?? null,
      timezone: dto.timezone ?? null,
      updatedAt: this.clock.now(),
    });
    return this.transactions.run(async (manager) => {
      await this.contacts.store(contact, manager);
      return contact;
    });
  }
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
