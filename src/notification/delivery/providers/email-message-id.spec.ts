import { emailMessageId } from './smtp-email.provider';

describe(emailMessageId.name, () => {
  const id = '01930c1e-5a4b-7c2d-9e8f-0123456789ab';

  it("takes the domain of the sender's address, with or without a display name", () => {
    expect(emailMessageId(id, 'Engage <engage@mail.example.com>')).toBe(`<${id}.email@mail.example.com>`);
    expect(emailMessageId(id, 'engage@example.org')).toBe(`<${id}.email@example.org>`);
    expect(emailMessageId(id, '"Ops @ Engage" <ops@example.net>')).toBe(`<${id}.email@example.net>`);
  });

  it('is the same for the same notification whenever it is made, and differs between notifications', () => {
    expect(emailMessageId(id, 'engage@example.com')).toBe(emailMessageId(id, 'engage@example.com'));
    expect(emailMessageId(id, 'engage@example.com')).not.toBe(emailMessageId(id.replace(/b$/, 'c'), 'engage@example.com'));
  });

  it('falls back to localhost, as nodemailer does, when the sender has no domain', () => {
    expect(emailMessageId(id, 'engage')).toBe(`<${id}.email@localhost>`);
  });
});
