import { isEmail } from 'class-validator';

/**
 * One plain address (local@domain), the only thing a recipient may be: isEmail alone accepts a
 * quoted local part ("a@x.com,b"@y.com) that an SMTP library writes out as two recipients.
 * Quotes, separators, angle brackets, whitespace and backslashes are refused.
 */
export function isSingleMailbox(value: string): boolean {
  return value.length <= 320 && !/[",;<>\s\\()]/.test(value) && isEmail(value);
}
