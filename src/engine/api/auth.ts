import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { SESSION_COOKIE } from '../../shared/api/contract.js';
import { appError, type AppError } from '../../shared/result.js';

/** A fresh secret for each launch of the engine: whoever holds it may drive the recorder. */
export const newToken = (): string => randomBytes(32).toString('base64url');

const sameSecret = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

function cookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

/**
 * Who may talk to the engine: a request to our own address (Host, against
 * DNS rebinding), from our own page or no page at all (Origin, against other
 * sites in the same browser), carrying the launch's token in the
 * Authorization header or the session cookie the UI got at sign-in.
 */
export class Gate {
  constructor(readonly token: string, private readonly port: () => number) {}

  get origins(): string[] {
    const p = this.port();
    return [`http://127.0.0.1:${p}`, `http://localhost:${p}`];
  }

  /** Host and Origin only: what even the public page (the UI's files) needs. */
  checkPlace(req: IncomingMessage): AppError | undefined {
    const p = this.port();
    const host = req.headers.host ?? '';
    if (host !== `127.0.0.1:${p}` && host !== `localhost:${p}`) {
      return appError('api-bad-host', `Refused: the engine answers only at 127.0.0.1:${p}, not "${host}".`,
        `Отказано: движок отвечает только по адресу 127.0.0.1:${p}.`, `Бас тартылды: қозғалтқыш тек 127.0.0.1:${p} мекенжайында жауап береді.`);
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !this.origins.includes(origin)) {
      return appError('api-bad-origin', `Refused: a page from ${origin} may not use the recorder. Open the UI from the address "abk serve" printed.`,
        `Отказано: страница с ${origin} не может управлять записью. Откройте интерфейс по адресу, который вывел «abk serve».`,
        `Бас тартылды: ${origin} бетінен жазбаны басқаруға болмайды. Интерфейсті «abk serve» шығарған мекенжай бойынша ашыңыз.`);
    }
    return undefined;
  }

  /** Place and token. */
  check(req: IncomingMessage): AppError | undefined {
    const place = this.checkPlace(req);
    if (place) return place;
    const header = req.headers.authorization;
    const given = header?.startsWith('Bearer ') ? header.slice(7) : cookie(req, SESSION_COOKIE);
    if (given === undefined || !sameSecret(given, this.token)) {
      return appError('api-no-token', 'Refused: the request carries no valid token of this engine launch. Open the UI from the address "abk serve" printed (it holds the token).',
        'Отказано: в запросе нет действующего ключа этого запуска. Откройте интерфейс по адресу, который вывел «abk serve».',
        'Бас тартылды: сұраныста осы іске қосудың жарамды кілті жоқ. Интерфейсті «abk serve» шығарған мекенжай бойынша ашыңыз.');
    }
    return undefined;
  }

  /** The cookie that lets the browser's media elements and socket in: HttpOnly, this site only, gone with the browser. */
  sessionCookie(): string {
    return `${SESSION_COOKIE}=${this.token}; HttpOnly; SameSite=Strict; Path=/`;
  }
}

/** `scrypt$<salt>$<hash>` of the IT staff's settings password. */
export function hashPassword(password: string, salt = randomBytes(16)): string {
  return `scrypt$${salt.toString('hex')}$${scryptSync(password, salt, 32).toString('hex')}`;
}

export function passwordMatches(password: string, stored: string | undefined): boolean {
  const m = stored ? /^scrypt\$([0-9a-f]+)\$([0-9a-f]+)$/.exec(stored) : null;
  if (!m) return false;
  const want = Buffer.from(m[2]!, 'hex');
  const got = scryptSync(password, Buffer.from(m[1]!, 'hex'), want.length);
  return timingSafeEqual(want, got);
}
