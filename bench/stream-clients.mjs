// A child of the benchmark (bench/lib.mjs startStreamClients): holds inbox streams open, as
// browsers do (a ticket each, then GET /api/notifications/stream?ticket=…), and times every
// notification.created event from its send (the sender puts `sent_at`, an epoch in ms with
// fractions, in the notification's data) to its arrival here. Its own process, so that the load
// generator's work does not delay the reading of events and count as latency.
import { performance } from 'node:perf_hooks';

const { baseUrl, key, users } = JSON.parse(process.argv[2]);
const now = () => performance.timeOrigin + performance.now();
const latencies = [];
const problems = [];
/** Ids of the notifications received: each must come once. */
const seen = new Set();
const aborts = [];
let opened = 0;

async function follow(user) {
  const ticketAnswer = await fetch(`${baseUrl}/api/notifications/stream/ticket`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ user_id: user }),
  });
  if (ticketAnswer.status !== 201) throw new Error(`ticket for ${user}: ${ticketAnswer.status} ${await ticketAnswer.text()}`);
  const { ticket } = await ticketAnswer.json();
  const abort = new AbortController();
  aborts.push(abort);
  const response = await fetch(`${baseUrl}/api/notifications/stream?ticket=${ticket}`, { signal: abort.signal });
  if (response.status !== 200) throw new Error(`stream of ${user}: ${response.status} ${await response.text()}`);
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let first = true;
  void (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        const arrived = now();
        text += decoder.decode(value, { stream: true });
        const blocks = text.split('\n\n');
        text = blocks.pop() ?? '';
        for (const block of blocks) {
          const lines = block.split('\n');
          const event = lines.find((line) => line.startsWith('event: '))?.slice(7);
          const data = lines.find((line) => line.startsWith('data: '))?.slice(6);
          if (first && event) {
            first = false;
            opened += 1;
            process.send?.({ type: 'opened', opened });
          }
          if (event !== 'notification.created' || data === undefined) continue;
          const notification = JSON.parse(data).notification;
          if (seen.has(notification.id)) problems.push(`notification ${notification.id} arrived twice`);
          seen.add(notification.id);
          if (typeof notification.data?.sent_at === 'number') latencies.push(arrived - notification.data.sent_at);
        }
      }
      if (!abort.signal.aborted) problems.push(`the stream of ${user} ended`);
    } catch (error) {
      if (!abort.signal.aborted) problems.push(`the stream of ${user} failed: ${error.message}`);
    }
  })();
}

const percentile = (sorted, p) =>
  sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const round = (ms) => (ms === null ? null : Math.round(ms * 10) / 10);

process.on('message', async (message) => {
  if (message.type !== 'stop') return;
  // Events still on their way when the load stopped: wait for them, a little.
  const deadline = Date.now() + message.graceMs;
  while (latencies.length < message.expected && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  aborts.forEach((abort) => abort.abort());
  const sorted = [...latencies].sort((a, b) => a - b);
  process.send(
    {
      type: 'result',
      streams: users.length,
      received: latencies.length,
      p50_ms: round(percentile(sorted, 50)),
      p95_ms: round(percentile(sorted, 95)),
      p99_ms: round(percentile(sorted, 99)),
      max_ms: round(sorted[sorted.length - 1] ?? null),
      problems: problems.slice(0, 10),
    },
    () => process.exit(0),
  );
});

// A few at a time: a browser's stream opens one by one, not in a burst of hundreds.
for (let i = 0; i < users.length; i += 20) {
  await Promise.all(users.slice(i, i + 20).map((user) => follow(user))).catch((error) => {
    process.send({ type: 'failed', error: error.message });
    process.exit(1);
  });
}
