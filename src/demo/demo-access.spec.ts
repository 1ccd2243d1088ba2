import { isDirectLocal } from './demo-access';

describe('isDirectLocal', () => {
  const request = (remoteAddress: string, headers: Record<string, string> = {}) => ({ socket: { remoteAddress }, headers }) as never;

  it.each([
    ['127.0.0.1', {}, true],
    ['::1', {}, true],
    ['::ffff:127.0.0.1', {}, true],
    ['127.0.0.1', { 'x-forwarded-for': '203.0.113.9' }, false],
    ['127.0.0.1', { forwarded: 'for=203.0.113.9' }, false],
    ['127.0.0.1', { 'x-real-ip': '203.0.113.9' }, false],
    ['10.0.0.7', {}, false],
    ['203.0.113.9', {}, false],
    ['::ffff:10.0.0.7', {}, false],
  ])('%s with %j is %s', (address, headers, expected) => {
    expect(isDirectLocal(request(address, headers))).toBe(expected);
  });
});
