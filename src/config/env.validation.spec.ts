import { parseTrustProxy } from './app.config';
import { InvalidEnvironmentError, validateEnv } from './env.validation';

describe(validateEnv.name, () => {
  it('applies the defaults to an empty environment', () => {
    expect(validateEnv({})).toMatchObject({
      PORT: 3000,
      HOST: '0.0.0.0',
      ACTIVITY_DB_PATH: 'user_activities.db',
      NOTIFICATIONS_DB_PATH: 'notifications.db',
      MIGRATIONS_RUN: true,
      LOG_LEVEL: 'log',
      TRUST_PROXY: 'false',
    });
  });

  it('converts numbers and flags, and treats empty values as unset', () => {
    expect(validateEnv({ PORT: '8080', MIGRATIONS_RUN: 'false', HOST: '' })).toMatchObject({
      PORT: 8080,
      MIGRATIONS_RUN: false,
      HOST: '0.0.0.0',
    });
  });

  it('names every bad variable', () => {
    expect(() => validateEnv({ PORT: '70000', MIGRATIONS_RUN: 'perhaps' })).toThrow(InvalidEnvironmentError);
    try {
      validateEnv({ PORT: '70000', MIGRATIONS_RUN: 'perhaps' });
    } catch (error) {
      expect((error as InvalidEnvironmentError).problems.map((p) => p.split(' ')[0])).toEqual(['PORT', 'MIGRATIONS_RUN']);
    }
  });

  it('never prints the value of a variable, which may be a secret', () => {
    const secrets = { API_KEYS: 'short-SECRET-1', USER_TOKEN_SECRET: 'SECRET-2', WEBHOOK_SIGNING_SECRET: 'SECRET-3', PORT: 'SECRET-4' };
    let message = '';
    try {
      validateEnv(secrets);
    } catch (error) {
      message = `${(error as Error).message} ${(error as InvalidEnvironmentError).problems.join(' ')}`;
    }
    for (const name of ['USER_TOKEN_SECRET', 'WEBHOOK_SIGNING_SECRET', 'PORT']) expect(message).toContain(name);
    expect(message).not.toMatch(/SECRET-\d/);
  });
});

describe(parseTrustProxy.name, () => {
  it.each([
    ['false', false],
    ['true', true],
    ['2', 2],
    ['loopback, 10.0.0.0/8', 'loopback, 10.0.0.0/8'],
  ])('parses %s', (input, expected) => {
    expect(parseTrustProxy(input)).toEqual(expected);
  });
});
