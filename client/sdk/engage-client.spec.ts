import { EngageApiError } from './engage-api-error';
import { EngageClient } from './engage-client';

interface Call {
  url: string;
  method: string;
  authorization: string | null;
  body: unknown;
}

/** A fetch that records each call and answers from a script. */
function scriptedFetch(answers: Array<{ status: number; body: unknown } | Error>): { fetch: typeof fetch; calls: Call[] } {
  const calls: Call[] = [];
  const fetcher = async (input: RequestInfo | URL, init?: RequestInit) => {
    const headers = new Headers(init?.headers);
    calls.push({
      url: String(input),
      method: init?.method ?? 'GET',
      authorization: headers.get('Authorization'),
      body: init?.body ? JSON.parse(String(init.body)) : undefined,
    });
    const answer = answers.shift() ?? { status: 200, body: { success: true } };
    if (answer instanceof Error) throw answer;
    return { ok: answer.status < 400, status: answer.status, json: async () => answer.body } as Response;
  };
  return { fetch: fetcher as typeof fetch, calls };
}

describe('EngageClient', () => {
  it('calls each route of the user with their token, as the API names them', async () => {
    const { fetch, calls } = scriptedFetch([]);
    const client = new EngageClient({ baseUrl: 'https://engage.test/', userId: 'ada lovelace', token: 'tok', fetch });
    await client.listInbox({ limit: 20, archived: true, cursor: undefined });
    await client.markRead('n1');
    await client.snooze('n1', new Date('2026-12-03T08:00:00Z'));
    await client.takeAction('n1', 'accept');
    await client.markAllRead('comment');
    await client.updatePreferences({ cells: [{ notification_type: 'marketing', channel: 'email', enabled: false }] });
    await client.remove('n1');
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      'GET https://engage.test/api/notifications/user/ada%20lovelace?limit=20&archived=true',
      'POST https://engage.test/api/notifications/read/n1',
      'POST https://engage.test/api/notifications/snooze/n1',
      'POST https://engage.test/api/notifications/actions/n1/accept',
      'POST https://engage.test/api/notifications/user/ada%20lovelace/read-all',
      'PUT https://engage.test/api/notifications/preferences/ada%20lovelace',
      'DELETE https://engage.test/api/notifications/item/n1',
    ]);
    expect(calls.every((c) => c.authorization === 'Bearer tok')).toBe(true);
    expect(calls[2].body).toEqual({ until: '2026-12-03T08:00:00.000Z' });
    expect(calls[4].body).toEqual({ notification_type: 'comment' });
  });

  it('asks getToken again after a 401 and retries once', async () => {
    const tokens = ['old', 'new'];
    const { fetch, calls } = scriptedFetch([
      { status: 401, body: { success: false, error: { code: 'unauthorized', message: 'expired' } } },
    ]);
    const client = new EngageClient({ userId: 'ada', getToken: () => tokens.shift() ?? 'none', fetch });
    await client.counts();
    expect(calls.map((c) => c.authorization)).toEqual(['Bearer old', 'Bearer new']);
  });

  it('throws the API’s error with its status, code and fields, and a network failure as status 0', async () => {
    const invalid = {
      success: false,
      error: { code: 'validation_failed', message: 'Invalid request', details: [{ field: 'until', messages: ['bad'] }] },
    };
    const { fetch } = scriptedFetch([{ status: 400, body: invalid }, new TypeError('Failed to fetch')]);
    const client = new EngageClient({ userId: 'ada', token: 'tok', fetch });
    const refused = await client.snooze('n1', new Date()).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(EngageApiError);
    expect(refused).toMatchObject({ status: 400, code: 'validation_failed', details: [{ field: 'until', messages: ['bad'] }] });
    await expect(client.counts()).rejects.toMatchObject({ status: 0, code: 'network_error' });
  });
});
