import fc from 'fast-check';
import { UserTokenService } from '../src/auth/user-token.service';
import type { TransactionRunner } from '../src/database/engine/transaction-runner';
import { NOTIFICATION_TRANSACTIONS } from '../src/notification/notification.tokens';
import { InboxCounterRepository } from '../src/notification/repositories/inbox-counter.repository';
import { createTestApp, TestApp } from './support/test-app';

const TOKEN_SECRET = 'user-token-secret-for-inbox-tests-0123456789';

interface Counts {
  total: number;
  unread: number;
  unseen: number;
}

describe('Inbox: counts, actions, filters (e2e)', () => {
  let t: TestApp;

  beforeEach(async () => {
    t = await createTestApp({ env: { USER_TOKEN_SECRET: TOKEN_SECRET } });
  });

  afterEach(async () => {
    await t.close();
  });

  const send = async (body: Record<string, unknown> = {}, user = 'ada'): Promise<string> => {
    const res = await t.http
      .post('/api/notifications/send')
      .send({ user_id: user, title: 'Hello', message: 'Hi there', notification_type: 'comment', channel: 'in_app', ...body })
      .expect(201);
    return res.body.notification_id as string;
  };
  const counts = async (user = 'ada'): Promise<Counts> =>
    (await t.http.get(`/api/notifications/user/${user}/counts`).expect(200)).body.counts;
  const recount = (user = 'ada'): Promise<Counts> =>
    t.app.get(InboxCounterRepository).recount(t.app.get<TransactionRunner>(NOTIFICATION_TRANSACTIONS).reads, user);
  const titles = async (query = '', user = 'ada'): Promise<string[]> =>
    (await t.http.get(`/api/notifications/user/${user}${query}`).expect(200)).body.notifications.map((n: { title: string }) => n.title);
  const act = async (verb: string, id: string, body?: object) =>
    (await t.http.post(`/api/notifications/${verb}/${id}`).send(body).expect(200)).body;

  it('keeps total, unread and unseen through every action, equal to a count of the rows', async () => {
    const [a, b, c] = [await send({ title: 'A' }), await send({ title: 'B' }), await send({ title: 'C' })];
    await send({ title: 'other user' }, 'bob');
    expect(await counts()).toEqual({ total: 3, unread: 3, unseen: 3 });

    const seen = await t.http.post('/api/notifications/user/ada/seen-all').send({}).expect(200);
    expect(seen.body).toEqual({ success: true, updated: 3, counts: { total: 3, unread: 3, unseen: 0 } });

    const read = await act('read', a);
    expect(read.counts).toEqual({ total: 3, unread: 2, unseen: 0 });
    expect(read.notification).toMatchObject({ id: a, status: 'read', read_at: '2026-11-26T09:00:00.000Z' });
    expect((await act('unread', a)).counts).toEqual({ total: 3, unread: 3, unseen: 0 });
    expect((await act('unread', a)).notification).toMatchObject({ status: 'sent', read_at: null });

    const archived = await act('archive', b);
    expect(archived.counts).toEqual({ total: 2, unread: 2, unseen: 0 });
    expect(archived.notification.archived_at).toBe('2026-11-26T09:00:00.000Z');
    expect(await titles()).toEqual(['C', 'A']);
    expect(await titles('?archived=true')).toEqual(['B']);
    expect((await act('unarchive', b)).counts).toEqual({ total: 3, unread: 3, unseen: 0 });

    await act('read', c);
    const archiveRead = await t.http.post('/api/notifications/user/ada/archive-read').send({}).expect(200);
    expect(archiveRead.body).toEqual({ success: true, updated: 1, counts: { total: 2, unread: 2, unseen: 0 } });

    const deleted = await t.http.delete(`/api/notifications/item/${a}`).expect(200);
    expect(deleted.body).toEqual({ success: true, counts: { total: 1, unread: 1, unseen: 0 } });
    await t.http.post(`/api/notifications/read/${a}`).expect(404);

    expect(await counts()).toEqual(await recount());
    expect(await counts('bob')).toEqual({ total: 1, unread: 1, unseen: 1 });
  });

  it('marks all read, or all of one type, and seen with it', async () => {
    await send({ notification_type: 'comment' });
    await send({ notification_type: 'mention' });
    await send({ notification_type: 'mention' });
    const mentions = await t.http.post('/api/notifications/user/ada/read-all').send({ notification_type: 'mention' }).expect(200);
    expect(mentions.body).toEqual({ success: true, updated: 2, counts: { total: 3, unread: 1, unseen: 1 } });
    expect(await titles('?unread_only=true')).toHaveLength(1);
    const all = await t.http.post('/api/notifications/user/ada/read-all').send({}).expect(200);
    expect(all.body.counts).toEqual({ total: 3, unread: 0, unseen: 0 });
    expect(await counts()).toEqual(await recount());
  });

  it('snoozes out of the inbox until a time, then brings it back unread and on top', async () => {
    const early = await send({ title: 'Early' });
    t.clock.advance(60_000);
    await send({ title: 'Later' });
    await act('read', early);
    const snoozed = await act('snooze', early, { until: '2026-11-26T12:00:00Z' });
    expect(snoozed.notification.snoozed_until).toBe('2026-11-26T12:00:00.000Z');
    expect(snoozed.counts).toEqual({ total: 1, unread: 1, unseen: 1 });
    expect(await titles()).toEqual(['Later']);
    expect(await titles('?snoozed=true')).toEqual(['Early']);

    t.clock.set('2026-11-26T12:00:00Z');
    expect(await titles()).toEqual(['Early', 'Later']);
    const [back] = (await t.http.get('/api/notifications/user/ada').expect(200)).body.notifications;
    expect(back).toMatchObject({ title: 'Early', read_at: null, seen_at: null, snoozed_until: null, status: 'sent' });
    expect(await counts()).toEqual({ total: 2, unread: 2, unseen: 2 });
    expect(await counts()).toEqual(await recount());
  });

  it('refuses a snooze into the past, and of a notification not in the inbox yet', async () => {
    const id = await send();
    const past = await t.http.post(`/api/notifications/snooze/${id}`).send({ until: '2026-11-26T08:00:00Z' }).expect(400);
    expect(past.body.error.details).toEqual([{ field: 'until', messages: ['until must be in the future'] }]);
    const missing = await t.http.post(`/api/notifications/snooze/${id}`).send({}).expect(400);
    expect(missing.body.error.details.map((d: { field: string }) => d.field)).toEqual(['until']);
    const later = await send({ scheduled_at: '2026-11-27T09:00:00Z' });
    await t.http.post(`/api/notifications/snooze/${later}`).send({ until: '2026-11-26T12:00:00Z' }).expect(400);
    expect(await counts()).toEqual({ total: 1, unread: 1, unseen: 1 });
  });

  it('counts a scheduled notification from its time on, without waiting for the scheduler', async () => {
    await send({ title: 'Now' });
    await send({ title: 'Tomorrow', scheduled_at: '2026-11-27T09:00:00Z' });
    expect(await counts()).toEqual({ total: 1, unread: 1, unseen: 1 });
    t.clock.set('2026-11-27T09:00:00Z');
    expect(await counts()).toEqual({ total: 2, unread: 2, unseen: 2 });
    expect(await titles()).toEqual(['Tomorrow', 'Now']);
  });

  it('carries up to two actions, and records the one taken', async () => {
    const id = await send({
      actions: [
        { action_id: 'accept', label: 'Accept', url: 'https://example.com/invites/42' },
        { action_id: 'decline', label: 'Decline' },
      ],
    });
    const taken = await t.http.post(`/api/notifications/actions/${id}/accept`).expect(200);
    expect(taken.body.notification.actions).toEqual([
      { action_id: 'accept', label: 'Accept', url: 'https://example.com/invites/42', completed: true },
      { action_id: 'decline', label: 'Decline', url: null, completed: false },
    ]);
    expect(taken.body.notification.action_taken).toEqual({ action_id: 'accept', at: '2026-11-26T09:00:00.000Z' });
    expect(taken.body.counts).toEqual({ total: 1, unread: 0, unseen: 0 });
    const unknown = await t.http.post(`/api/notifications/actions/${id}/maybe`).expect(404);
    expect(unknown.body.error.code).toBe('action_not_found');
  });

  it.each([
    ['three actions', { actions: [1, 2, 3].map((i) => ({ action_id: `a${i}`, label: 'L' })) }, 'actions'],
    ['an action without a label', { actions: [{ action_id: 'a' }] }, 'actions[0].label'],
    ['a javascript: url', { actions: [{ action_id: 'a', label: 'L', url: 'javascript:alert(1)' }] }, 'actions[0].url'],
    [
      'two actions with one id',
      {
        actions: [
          { action_id: 'a', label: 'L' },
          { action_id: 'a', label: 'M' },
        ],
      },
      'actions',
    ],
    ['a bad action id', { actions: [{ action_id: 'a b', label: 'L' }] }, 'actions[0].action_id'],
  ])('refuses %s with 400 naming the field, storing nothing', async (_name, body, field) => {
    const res = await t.http
      .post('/api/notifications/send')
      .send({ user_id: 'ada', title: 'T', message: 'M', notification_type: 'x', channel: 'in_app', ...body })
      .expect(400);
    expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
    expect(await counts()).toEqual({ total: 0, unread: 0, unseen: 0 });
  });

  it('filters by type, category, status and channel', async () => {
    await t.http
      .post('/api/notifications/templates')
      .send({
        name: 'friend-request',
        title_template: 'Friend request',
        message_template: 'From {{name}}',
        channels: ['in_app'],
        category: 'social',
      })
      .expect(201);
    await t.http
      .post('/api/notifications/send')
      .send({ user_id: 'ada', template: 'friend-request', data: { name: 'Bob' } })
      .expect(201);
    const read = await send({ title: 'Mention', notification_type: 'mention' });
    await act('read', read);
    await send({ title: 'Comment' });
    // A type registered with a category gives it to notifications sent without a template.
    await t.http.put('/api/notifications/types/invite').send({ category: 'social' }).expect(200);
    await send({ title: 'Invite', notification_type: 'invite' });
    expect(await titles('?category=social')).toEqual(['Invite', 'Friend request']);
    expect(await titles('?notification_type=mention')).toEqual(['Mention']);
    expect(await titles('?status=read')).toEqual(['Mention']);
    expect(await titles('?channel=in_app&status=sent')).toEqual(['Invite', 'Comment', 'Friend request']);
    const bad = await t.http.get('/api/notifications/user/ada?status=lost&archived=perhaps').expect(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['archived', 'status']);
  });

  it("lets a user's token act only on its own notifications", async () => {
    const mine = await send({}, 'ada');
    const theirs = await send({}, 'bob');
    const token = (await t.app.get(UserTokenService).mint('ada')).token;
    const as = { Authorization: `Bearer ${token}` };
    await t.anon.post(`/api/notifications/archive/${mine}`).set(as).expect(200);
    for (const verb of ['read', 'unread', 'seen', 'archive', 'unarchive', 'unsnooze']) {
      await t.anon.post(`/api/notifications/${verb}/${theirs}`).set(as).expect(404);
    }
    await t.anon.delete(`/api/notifications/item/${theirs}`).set(as).expect(404);
    await t.anon.get('/api/notifications/user/bob/counts').set(as).expect(403);
    await t.anon.post('/api/notifications/user/bob/read-all').set(as).send({}).expect(403);
    await t.anon.get('/api/notifications/user/ada/counts').set(as).expect(200);
    await t.anon.get('/api/notifications/user/ada/counts').expect(401);
    expect(await counts('bob')).toEqual({ total: 1, unread: 1, unseen: 1 });
  });

  it('pages with a keyset cursor that stays stable while new notifications arrive', async () => {
    for (let i = 0; i < 7; i += 1) {
      await send({ title: `n${i}` });
      t.clock.advance(1000);
    }
    const first = await t.http.get('/api/notifications/user/ada?limit=3').expect(200);
    await send({ title: 'new 1' });
    await send({ title: 'new 2' });
    const second = await t.http.get(`/api/notifications/user/ada?limit=3&cursor=${encodeURIComponent(first.body.next_cursor)}`).expect(200);
    const third = await t.http.get(`/api/notifications/user/ada?limit=3&cursor=${encodeURIComponent(second.body.next_cursor)}`).expect(200);
    const seen = [...first.body.notifications, ...second.body.notifications, ...third.body.notifications].map(
      (n: { title: string }) => n.title,
    );
    expect(seen).toEqual(['n6', 'n5', 'n4', 'n3', 'n2', 'n1', 'n0']);
    expect(third.body.next_cursor).toBeNull();
  });

  it('keeps the counters equal to a count of the rows whatever the actions, in any order (randomised)', async () => {
    const verbs = [
      'read',
      'unread',
      'seen',
      'archive',
      'unarchive',
      'snooze',
      'unsnooze',
      'delete',
      'read-all',
      'seen-all',
      'archive-read',
      'send',
      'later',
      'tick',
    ] as const;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.constantFrom(...verbs), fc.nat(5)), { minLength: 5, maxLength: 25 }), async (steps) => {
        const user = `fuzz-${Math.random().toString(36).slice(2)}`;
        const ids: string[] = [await send({}, user), await send({}, user)];
        for (const [verb, pick] of steps) {
          const id = ids[pick % ids.length];
          if (verb === 'send') ids.push(await send({}, user));
          else if (verb === 'later')
            ids.push(await send({ scheduled_at: new Date(t.clock.now().getTime() + 30 * 60_000).toISOString() }, user));
          else if (verb === 'tick') t.clock.advance(20 * 60_000);
          else if (verb === 'delete') await t.http.delete(`/api/notifications/item/${id}`);
          else if (verb === 'snooze')
            await t.http
              .post(`/api/notifications/snooze/${id}`)
              .send({ until: new Date(t.clock.now().getTime() + 15 * 60_000).toISOString() });
          else if (verb === 'read-all' || verb === 'seen-all' || verb === 'archive-read')
            await t.http.post(`/api/notifications/user/${user}/${verb}`).send({});
          else await t.http.post(`/api/notifications/${verb}/${id}`);
          const stored = await t.app.get(InboxCounterRepository).find(t.app.get<TransactionRunner>(NOTIFICATION_TRANSACTIONS).reads, user);
          expect(stored).toEqual(await recount(user));
        }
        expect(await counts(user)).toEqual(await recount(user));
      }),
      { numRuns: 15, seed: 16 },
    );
  });
});
