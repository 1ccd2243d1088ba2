import { Inject, Injectable } from '@nestjs/common';
import type { ApiErrorDetail } from '../../common/api-error';
import { OutboundPolicy } from '../../common/outbound/outbound-policy';
import { validationFailed } from '../../common/validation/validation.pipe';
import { Clock } from '../../common/clock';
import { TransactionRunner } from '../../database/engine/transaction-runner';
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
    private readonly outbound: OutboundPolicy,
  ) {}

  /** Replaces the user's contact record (PUT semantics: omitted fields are cleared). */
  upsert(userId: string, dto: UpsertContactDto): Promise<UserContact> {
    const errors: ApiErrorDetail[] = [];
    if (dto.timezone !== undefined && !isTimeZone(dto.timezone)) {
      errors.push({ field: 'timezone', messages: ['timezone must be an IANA time zone such as Europe/London'] });
    }
    // Checked when stored and again at each delivery (the address a name resolves to can change).
    errors.push(
      ...this.outbound.fieldErrors('slack_webhook_url', dto.slack_webhook_url),
      ...this.outbound.fieldErrors('webhook_url', dto.webhook_url),
    );
    if (errors.length > 0) throw validationFailed(errors);
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
    return this.transactions.run(async (tx) => {
      await this.contacts.store(tx, contact);
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
