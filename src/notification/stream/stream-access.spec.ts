import { BadRequestException, ForbiddenException } from '@nestjs/common';
import type { Principal } from '../../auth/principal';
import { resumeAfter, streamUserOf } from './stream-access';

const admin: Principal = { kind: 'api_key', scope: 'admin', keyId: 'k1' };
const ada: Principal = { kind: 'user', userId: 'ada' };

describe('stream access', () => {
  it('opens a user credential’s own stream only, and the one an API key names', () => {
    expect(streamUserOf(ada, undefined)).toBe('ada');
    expect(streamUserOf(ada, 'ada')).toBe('ada');
    expect(() => streamUserOf(ada, 'bob')).toThrow(ForbiddenException);
    expect(streamUserOf(admin, 'bob')).toBe('bob');
    expect(() => streamUserOf(admin, undefined)).toThrow(BadRequestException);
  });

  it.each<[string | undefined, number | undefined, number | undefined]>([
    [undefined, undefined, undefined],
    [undefined, 7, 7],
    ['12', undefined, 12],
    ['12', 7, 12], // an EventSource's header is fresher than the URL it reconnects to
    [' 12 ', undefined, 12],
    ['', 7, 7],
    ['0', undefined, 0],
  ])('resumes after Last-Event-ID %p and ?last_event_id=%p: %p', (header, query, expected) => {
    expect(resumeAfter(header, query)).toBe(expected);
  });

  it.each(['abc', '-1', '1.5', '1e3', '9'.repeat(16)])('refuses Last-Event-ID %p, naming it', (header) => {
    expect(() => resumeAfter(header, undefined)).toThrow(BadRequestException);
  });
});
