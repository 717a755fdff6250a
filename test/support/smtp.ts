/**
 * A real SMTP server (the `smtp-server` package) on 127.0.0.1 for the notifier's tests: it takes
 * every message, optionally requires a login, and keeps what it received (the raw message, its
 * envelope and the decoded subject and text).
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  /** the login used, if any */
  user: string | null;
  raw: string;
  subject: string;
  /** the text body, quoted-printable decoded */
  text: string;
  headers: Record<string, string>;
}

export interface TestSmtp {
  port: number;
  mails: ReceivedMail[];
  /** every AUTH attempt (user and password as sent), to check what the notifier sent */
  logins: Array<{ user: string; password: string }>;
  /** answer the next DATA with this SMTP error instead of taking the message */
  refuseNext(code: number, message: string): void;
  close(): Promise<void>;
}

/** RFC 2047 encoded words (`=?UTF-8?Q?…?=`, as nodemailer writes a subject with quotes or non-ASCII) decoded. */
function decodeWords(value: string): string {
  return value.replace(/\?=\s+=\?/g, '?==?').replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_m, _charset: string, enc: string, text: string) =>
    enc.toUpperCase() === 'B' ? Buffer.from(text, 'base64').toString('utf8') : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_h, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8'));
}

function parseMail(raw: string): Pick<ReceivedMail, 'subject' | 'text' | 'headers'> {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const headers: Record<string, string> = {};
  for (const line of head.split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
  }
  let text = raw.slice(split + 4);
  if (/quoted-printable/i.test(headers['content-transfer-encoding'] ?? '')) {
    text = Buffer.from(text.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8');
  } else if (/base64/i.test(headers['content-transfer-encoding'] ?? '')) {
    text = Buffer.from(text, 'base64').toString('utf8');
  }
  return { subject: decodeWords(headers.subject ?? ''), text: text.replace(/\r\n/g, '\n'), headers };
}

/**
 * @example
 * const smtp = await startTestSmtp({ login: { user: 'bridge', password: 'smtp-pass-123' } });
 * // … channel { smtp: { host: '127.0.0.1', port: smtp.port, secure: false } }
 * expect(smtp.mails).toHaveLength(1);
 */
export async function startTestSmtp(o: { login?: { user: string; password: string } } = {}): Promise<TestSmtp> {
  const mails: ReceivedMail[] = [];
  const logins: TestSmtp['logins'] = [];
  let refusal: { code: number; message: string } | null = null;
  const server = new SMTPServer({
    secure: false,
    disabledCommands: o.login ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    authOptional: !o.login,
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, cb) {
      logins.push({ user: auth.username ?? '', password: auth.password ?? '' });
      if (o.login && auth.username === o.login.user && auth.password === o.login.password) return cb(null, { user: auth.username });
      return cb(Object.assign(new Error('Authentication credentials invalid'), { responseCode: 535 }));
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (refusal) {
          const r = refusal;
          refusal = null;
          return cb(Object.assign(new Error(r.message), { responseCode: r.code }));
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        mails.push({ from, to: session.envelope.rcptTo.map((r) => r.address), user: typeof session.user === 'string' ? session.user : null, raw, ...parseMail(raw) });
        cb();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = ((server as unknown as { server: { address(): AddressInfo } }).server.address()).port;
  return {
    port,
    mails,
    logins,
    refuseNext(code, message) {
      refusal = { code, message };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
