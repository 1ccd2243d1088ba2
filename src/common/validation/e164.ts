/** An E.164 phone number (+ and up to 15 digits), the only form SMS providers take. */
export const E164 = /^\+[1-9]\d{6,14}$/;
