import { ParsedMail, simpleParser } from 'mailparser';
import { once } from 'node:events';
import { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** A real SMTP server on 127.0.0.1 that keeps every message it accepts, parsed. */
export class SmtpPeer {
  readonly messages: ParsedMail[] = [];
  /** Messages answered with a scripted refusal after their DATA was read. */
  readonly refused: ParsedMail[] = [];
  private readonly script: number[] = [];
  private server: SMTPServer;
  port = 0;

  /** Refuses the next messages, one per code given (e.g. 451, a temporary local error), then accepts. */
  refuse(...responseCodes: number[]): void {
    this.script.push(...responseCodes);
  }

  async start(): Promise<this> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData: (stream, _session, callback) => {
        simpleParser(stream)
          .then((mail) => {
            const refusal = this.script.shift();
            if (refusal === undefined) {
              this.messages.push(mail);
              return callback();
            }
            this.refused.push(mail);
            callback(Object.assign(new Error('Requested action aborted: try again later'), { responseCode: refusal }));
          })
          .catch((error: Error) => callback(error));
      },
    });
    this.server.listen(0, '127.0.0.1');
    await once(this.server.server, 'listening');
    this.port = (this.server.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
