// A bare-metal reference for POST /api/activity/track: node:http + better-sqlite3 doing the same
// durable work as Engage (parse JSON, check the fields by hand, insert one row with a prepared
// statement in its own transaction, same journal and synchronous settings) and nothing else.
// Run: node bench/baseline.mjs <sqlite-file> <port>
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';

const [file, portText] = process.argv.slice(2);
const db = new Database(file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.exec(`CREATE TABLE IF NOT EXISTS user_activities (
  id varchar(36) PRIMARY KEY NOT NULL, user_id varchar(255) NOT NULL, activity_type varchar(100) NOT NULL,
  timestamp datetime NOT NULL, session_id varchar(36), metadata json, ip_address varchar(45),
  user_agent varchar(1024), referrer varchar(2048), page_url varchar(2048))`);
db.exec('CREATE INDEX IF NOT EXISTS idx_user_activities_user_time ON user_activities (user_id, timestamp)');
const insert = db.prepare(
  'INSERT INTO user_activities (id, user_id, activity_type, timestamp, session_id, metadata, ip_address, user_agent, referrer, page_url) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
);
const insertOne = db.transaction((row) => insert.run(row));

const isText = (value, max) => typeof value === 'string' && value.length >= 1 && value.length <= max;
const optionalText = (value, max) => value === undefined || (typeof value === 'string' && value.length <= max);

function send(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== '/api/activity/track') return send(res, 404, { success: false });
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    let body;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return send(res, 400, { success: false, error: { code: 'malformed_json' } });
    }
    const metadataOk =
      body.metadata === undefined || (typeof body.metadata === 'object' && body.metadata !== null && !Array.isArray(body.metadata));
    if (
      !isText(body.user_id, 255) ||
      !isText(body.activity_type, 100) ||
      !optionalText(body.page_url, 2048) ||
      !optionalText(body.referrer, 2048) ||
      !metadataOk
    ) {
      return send(res, 400, { success: false, error: { code: 'validation_failed' } });
    }
    const id = randomUUID();
    insertOne([
      id,
      body.user_id,
      body.activity_type,
      new Date().toISOString().replace('T', ' ').replace('Z', ''),
      null,
      body.metadata === undefined ? null : JSON.stringify(body.metadata),
      req.socket.remoteAddress ?? null,
      req.headers['user-agent'] ?? null,
      body.referrer ?? null,
      body.page_url ?? null,
    ]);
    send(res, 201, { success: true, activity_id: id });
  });
}).listen(Number(portText), '127.0.0.1', () => process.stdout.write('ready\n'));
