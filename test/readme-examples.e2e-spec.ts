import { OpenApiContract } from './support/openapi-contract';
import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT, ServiceProcess, startService } from './support/service-process';
import { makeTempDir } from './support/temp-dir';

const END = '__readme_example_done__';

/**
 * One bash that runs the examples one after another, as a user's terminal does. (Starting a
 * process from Node costs up to a second on some machines; starting curl from bash does not.)
 */
class Terminal {
  private readonly shell: ChildProcessWithoutNullStreams;
  private output = '';
  private waiting: ((output: string) => void) | null = null;

  constructor(env: Record<string, string>) {
    this.shell = spawn('bash', ['--norc', '--noprofile'], { env });
    this.shell.stdout.on('data', (chunk: Buffer) => {
      this.output += chunk.toString();
      const end = this.output.indexOf(`${END}\n`);
      if (end !== -1 && this.waiting) {
        const done = this.waiting;
        this.waiting = null;
        const output = this.output.slice(0, end);
        this.output = this.output.slice(end + END.length + 1);
        done(output);
      }
    });
  }

  /** Runs a command line; returns what it printed. */
  run(command: string): Promise<string> {
    return new Promise((resolve) => {
      this.waiting = resolve;
      this.shell.stdin.write(`${command}\necho; echo ${END}\n`);
    });
  }

  close(): void {
    this.shell.stdin.end();
    this.shell.kill();
  }
}
const ENGAGE_KEY = 'egk_readme_admin_key_0123456789abcdef';

interface Example {
  section: string;
  /** The comment lines just above the command. */
  says: string;
  command: string;
}

/** Every curl command in the README's bash blocks, in order, with the comment that says what it does. */
function readmeExamples(): Example[] {
  const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
  const examples: Example[] = [];
  let section = '';
  const lines = readme.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (/^#{2,3} /.test(lines[i])) section = lines[i].replace(/^#+ /, '');
    if (lines[i] !== '```bash') continue;
    let says: string[] = [];
    for (i++; i < lines.length && lines[i] !== '```'; i++) {
      let line = lines[i];
      if (line.startsWith('#')) {
        says.push(line);
        continue;
      }
      while (line.endsWith('\\')) line = `${line.slice(0, -1)} ${lines[++i].trim()}`;
      if (line.startsWith('curl ')) examples.push({ section, says: says.join('\n'), command: line.replace(/\s+#\s[^'"]*$/, '') });
      says = [];
    }
  }
  return examples;
}

// The README's examples, run verbatim with the real curl against the built service (as a new user
// runs them), and the original product's fetch examples with Node's fetch. Each must answer what
// its comment says, and the figures must show what was tracked.
describe('The README, run as a new user would (e2e)', () => {
  const dir = makeTempDir('engage-readme-');
  let service: ServiceProcess;

  beforeAll(async () => {
    service = await startService(dir.path, { API_KEYS: ENGAGE_KEY });
  }, 30_000);

  afterAll(async () => {
    await service?.stop();
    dir.remove();
  });

  const admin = async (path: string) => {
    const res = await fetch(`${service.baseUrl}${path}`, { headers: { 'X-API-Key': ENGAGE_KEY } });
    expect(res.status).toBe(200);
    return res.json() as Promise<Record<string, any>>;
  };

  it('answers every curl example as its comment says, and the tracking examples produce their figures', async () => {
    const examples = readmeExamples();
    expect(examples.length).toBeGreaterThan(30);
    const captured: Record<string, string> = {};
    const port = new URL(service.baseUrl).port;
    let trackingChecked = false;
    const terminal = new Terminal({ PATH: process.env.PATH ?? '', ENGAGE_KEY });
    const contract = new OpenApiContract();
    const contractProblems: string[] = [];
    try {
      for (const example of examples) {
        if (example.section === 'App-wide analytics (admin keys)' && !trackingChecked) {
          // Everything the tracking sections sent for user123, as their comments describe it.
          const { analytics } = await admin('/api/analytics/user/user123');
          expect(analytics).toMatchObject({ total_activities: 5, total_sessions: 2 });
          expect(analytics.most_visited_pages.map((p: { key: string }) => p.key).sort()).toEqual(['/dashboard', '/pricing'].sort());
          expect(analytics.favorite_features).toEqual(
            expect.arrayContaining([
              { key: 'click', count: 1 },
              { key: 'Order Completed', count: 1 },
            ]),
          );
          // The backend example passed its user's iPhone on in context: the only device seen.
          expect(analytics.devices).toEqual([{ key: 'mobile', count: 1 }]);
          expect((await admin('/api/analytics/user/anon%3Aanon-7f3c')).analytics.total_activities).toBe(1);
          trackingChecked = true;
        }
        let command = example.command.replaceAll('localhost:3000', `127.0.0.1:${port}`);
        for (const placeholder of command.match(/<[a-z_]+>/g) ?? []) {
          const value = captured[placeholder.slice(1, -1)];
          expect({ example: example.command, missing: value === undefined ? placeholder : null }).toEqual({
            example: example.command,
            missing: null,
          });
          command = command.replaceAll(placeholder, value);
        }
        const printed = (await terminal.run(`${command} -w '\\n%{http_code}'`)).replace(/\n$/, '');
        const status = Number(printed.slice(printed.lastIndexOf('\n') + 1));
        const body = JSON.parse(printed.slice(0, printed.lastIndexOf('\n')) || 'null') as Record<string, unknown> | null;
        const stated = /\((\d{3})\b/.exec(example.says)?.[1];
        const outcome = { example: example.command, status, body };
        // The answer is held to the OpenAPI document too, as every test app's are.
        const method = /-X\s+([A-Z]+)/.exec(command)?.[1] ?? (/\s(-d|--data\S*)\s/.test(command) ? 'POST' : 'GET');
        const path = /127\.0\.0\.1:\d+(\/[^\s'"]*)/.exec(command)?.[1] ?? '?';
        contractProblems.push(
          ...contract.check({ method, path, status, contentType: 'application/json', body: printed.slice(0, printed.lastIndexOf('\n')) }),
        );
        // The status its comment states, else any success; either way the body says success.
        const expected = stated ? Number(stated) : status >= 200 && status < 300 ? status : 'a 2xx status';
        expect(outcome).toMatchObject({ example: example.command, status: expected, body: { success: true } });
        for (const key of ['session_id', 'token', 'notification_id', 'next_cursor']) {
          if (typeof body?.[key] === 'string') captured[key] = body[key];
        }
      }
    } finally {
      // A bash left running would keep Jest from exiting.
      terminal.close();
    }
    expect(trackingChecked).toBe(true);
    expect(contractProblems).toEqual([]);
  }, 60_000);

  it("accepts the original product's fetch examples from a Node backend and counts them", async () => {
    // The original README's examples, sent with Node's fetch (User-Agent "node") and a secret key.
    const headers = { 'Content-Type': 'application/json', 'X-API-Key': ENGAGE_KEY };
    const track = await fetch(`${service.baseUrl}/api/activity/track`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        user_id: 'fetch-user',
        activity_type: 'page_view',
        page_url: '/dashboard',
        metadata: { referrer: 'https://google.com', utm_source: 'search' },
      }),
    });
    expect(track.status).toBe(201);
    const send = await fetch(`${service.baseUrl}/api/notifications/send`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        user_id: 'fetch-user',
        title: 'Welcome!',
        message: 'Thanks for joining our platform',
        notification_type: 'welcome',
        channel: 'in_app',
        priority: 'normal',
      }),
    });
    expect(send.status).toBe(201);

    const { analytics } = await admin('/api/analytics/user/fetch-user');
    expect(analytics).toMatchObject({
      total_activities: 1,
      total_sessions: 1,
      most_visited_pages: [{ key: '/dashboard', count: 1 }],
      top_referrers: [{ key: 'google.com', count: 1 }],
      devices: [],
    });
    const exported = await admin('/api/users/fetch-user/export');
    expect(exported.activities[0]).toMatchObject({ is_bot: false, user_agent: null, context: { campaign: { source: 'search' } } });
    expect(exported.notifications).toHaveLength(1);
    const overview = await admin(
      `/api/analytics/overview?from=${new Date().toISOString().slice(0, 10)}&to=${new Date().toISOString().slice(0, 10)}`,
    );
    expect(overview.totals.active_users).toBeGreaterThanOrEqual(1);
  });
});
