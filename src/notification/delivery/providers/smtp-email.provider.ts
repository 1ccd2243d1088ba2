import nodemailer, { Transporter } from 'nodemailer';
import addressparser from 'nodemailer/lib/addressparser';
import type { ChannelProvider, OutboundMessage, ProviderResult } from '../channel-provider';
import { DeliveryError } from '../delivery-error';
import { escapeHtml, recipientEmail } from '../recipients';

interface SmtpError extends Error {
  responseCode?: number;
  code?: string;
}

/**
 * The Message-ID of a notification's email, `<notification-id.email@sender-domain>`: the same on
 * every retry, on every relay of a failover and after a crash, so a relay, mailbox or client that
 * deduplicates by Message-ID shows one message where delivery (at least once) sent it twice, and
 * bounces and replies can be traced to the notification. The domain is the sender address's, as
 * RFC 5322 advises ("localhost" if the sender has none, as nodemailer does).
 */
export function emailMessageId(notificationId: string, from: string): string {
  const address = addressparser(from, { flatten: true })[0]?.address ?? '';
  const domain = address.includes('@') ? address.slice(address.lastIndexOf('@') + 1) : '';
  return `<${notificationId}.email@${domain || 'localhost'}>`;
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
    const messageId = emailMessageId(notification.id, this.from);
    try {
      const info = await this.transport.sendMail({
        messageId,
        from: this.from,
        to,
        subject: notification.title,
        text: notification.message,
        html: notification.htmlMessage ?? `<p>${escapeHtml(notification.message).replace(/\n/g, '<br>')}</p>`,
      });
      return { outcome: 'sent', providerMessageId: info.messageId ?? messageId };
    } catch (error) {
      const smtp = error as SmtpError;
      // 5xx SMTP replies are permanent (no such mailbox, rejected); 4xx and connection trouble pass.
      const permanent = typeof smtp.responseCode === 'number' && smtp.responseCode >= 500;
      throw new DeliveryError(`${this.name}: ${smtp.message}`, !permanent, smtp.responseCode ?? null, null, [], messageId);
    }
  }

  close(): void {
    this.transport.close();
  }
}
