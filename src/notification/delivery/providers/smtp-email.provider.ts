import nodemailer, { Transporter } from 'nodemailer';
import addressparser from 'nodemailer/lib/addressparser';
import type { ChannelProvider, OutboundMessage, ProviderResult, RecipientSources } from '../channel-provider';
import { DeliveryError } from '../delivery-error';
import { contactHint, escapeHtml, recipientEmail } from '../recipients';

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

/**
 * Email through one SMTP relay (nodemailer); several relays in SMTP_URL fail over in order. The
 * subject and the text body are plain text, with an HTML body beside them.
 */
export class SmtpEmailProvider implements ChannelProvider<string> {
  readonly channel = 'email';
  readonly format = 'text';
  readonly htmlBody = true;
  readonly recipientHint = contactHint('email address', 'email');
  readonly name: string;
  readonly setupHint: string | null;
  private readonly transport: Transporter | null;
  private readonly from: string;

  /** `relay` null: email is not set up, and sends on it are refused with the setup hint. */
  constructor(relay: { url: string; from: string } | null) {
    this.transport = relay ? nodemailer.createTransport(relay.url) : null;
    this.from = relay?.from ?? '';
    this.name = relay ? `smtp:${new URL(relay.url).host}` : 'smtp';
    this.setupHint = relay ? null : 'set SMTP_URL and EMAIL_FROM';
  }

  async recipient({ data, contact }: RecipientSources): Promise<string | null> {
    return recipientEmail(data, await contact());
  }

  async send({ notification, recipient: to }: OutboundMessage<string>): Promise<ProviderResult> {
    if (!this.transport) throw new DeliveryError(`No provider is configured for email: ${this.setupHint}`, false);
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
    this.transport?.close();
  }
}
