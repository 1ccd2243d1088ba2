import { useState } from 'react';
import { createRoot } from 'react-dom/client';
import { NotificationBell } from '../react/notification-bell';
import { NotificationSettings } from '../react/notification-settings';
import { engage } from '../tracker/tracker';

interface DemoSession {
  user_id: string;
  token: string;
  expires_at: string;
  track_key: string;
}

/** A session for the demo user, renewed a minute before its token ends. */
function sessions(first: DemoSession): () => Promise<string> {
  let current = first;
  return async () => {
    if (Date.parse(current.expires_at) - Date.now() < 60_000) current = await startSession();
    return current.token;
  };
}

async function startSession(): Promise<DemoSession> {
  const res = await fetch('/demo/session', { method: 'POST' });
  const body = (await res.json()) as DemoSession & { error?: { message: string } };
  if (!res.ok) throw new Error(body.error?.message ?? `HTTP ${res.status}`);
  return body;
}

const PAGES = [
  { path: '/', label: 'Overview' },
  { path: '/pricing', label: 'Pricing' },
];

function Demo({ session, getToken }: { session: DemoSession; getToken: () => Promise<string> }) {
  const [status, setStatus] = useState('');
  const [path, setPath] = useState(location.pathname);
  const send = async () => {
    setStatus('Sending…');
    const res = await fetch('/demo/notify', { method: 'POST' });
    setStatus(res.ok ? 'Sent: watch the bell.' : `The notification could not be sent (HTTP ${res.status}).`);
  };
  const go = (to: string) => {
    history.pushState({}, '', to);
    setPath(to);
  };
  return (
    <>
      <header className="demo-header">
        <h1>Engage demo</h1>
        <NotificationBell userId={session.user_id} getToken={getToken} />
      </header>
      <div className="demo-body">
        <main className="demo-main">
          <nav aria-label="Demo pages">
            {PAGES.map((page) => (
              <a
                key={page.path}
                href={page.path}
                aria-current={path === page.path ? 'page' : undefined}
                onClick={(event) => {
                  event.preventDefault();
                  go(page.path);
                }}
              >
                {page.label}
              </a>
            ))}
          </nav>
          <h2>{path === '/pricing' ? 'Pricing' : 'Overview'}</h2>
          <p>
            You are <strong>{session.user_id}</strong>. Send yourself a notification: the bell updates live, over the stream, without a
            reload. The settings beside it are this user&apos;s, saved as you change them. The tracker on this page records your page views
            (these links change the URL without a reload) and the time you spend.
          </p>
          <button type="button" className="demo-send" onClick={() => void send()}>
            Send me a test notification
          </button>
          <p role="status">{status}</p>
          <p>
            The API: <a href="/api/docs">/api/docs</a>.
          </p>
        </main>
        <aside className="demo-aside" aria-label="Settings">
          <h2>Settings</h2>
          <NotificationSettings userId={session.user_id} getToken={getToken} />
        </aside>
      </div>
    </>
  );
}

async function main(): Promise<void> {
  const root = createRoot(document.getElementById('app')!);
  let session: DemoSession;
  try {
    session = await startSession();
  } catch (error) {
    root.render(
      <main className="demo-main">
        <h1>Engage demo</h1>
        <p role="alert">{(error as Error).message}</p>
      </main>,
    );
    return;
  }
  engage.init({ key: session.track_key, userId: session.user_id, endpoint: '' });
  root.render(<Demo session={session} getToken={sessions(session)} />);
}

void main();
