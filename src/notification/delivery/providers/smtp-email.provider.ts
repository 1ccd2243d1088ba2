import nodemailer, { Transporter } from 'nodemailer';
import type { ChannelProvider, OutboundMessage, ProviderResult } from '../channel-provider';
import { DeliveryError } from '../delivery-error';
import { escapeHtml, recipientEmail } from '../recipients';

interface SmtpError extends Error {
  responseCode?: number;
  code?: string;
}

/** Email through one SMTP relay (nodemailer); several relays in SMTP_URL fail over in order. */
export class SmtpEmailProvider implements ChannelProvider {
  readonly channel = 'email' as const;
  readonly name: string;
  private readonly transport: Transporter;

  constructor(
    url: string,
    private readonly from: string,
  ) {
    this.transport = nodemailer.createTransport(url);
    this.name = `smtp:${new URL(url).host}`;
  }

  async send({ notification, contact }: OutboundMessage): Promise<ProviderResult> {
    const to = recipientEmail(notification, contact);
    if (!to) throw new DeliveryError('No email address: set data.email or the user contact email', false);
    try {
      const info = await this.transport.sendMail({
        from: this.from,
        to,
        subject: notification.title,
        text: notification.message,
        html: notification.htmlMessage ?? `<p>${escapeHtml(notification.message).replace(/\n/g, '<br>')}</p>`,
      });
      return { outcome: 'sent', providerMessageId: info.messageId ?? null };
    } catch (error) {
      const smtp = error as SmtpError;
      // 5xx SMTP replies are permanent (no such mailbox, rejected); 4xx and connection trouble pass.
      const permanent = typeof smtp.responseCode === 'number' && smtp.responseCode >= 500;
      throw new DeliveryError(`${this.name}: ${smtp.message}`, !permanent, smtp.responseCode ?? null);
    }
  }

  close(): void {
    this.transport.close();
  }
}
