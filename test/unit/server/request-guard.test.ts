import { describe, expect, it } from 'vitest';
import { checkRequest, presentedToken, tokensMatch } from '../../../electron/server/request-guard.ts';

const cfg = { port: 4321, token: 'tok_abcdefghijklmnopqrstuvwxyz012345' };
const url = (q = '') => new URL(`http://x/${q}`);

describe('request guard', () => {
  it('accepts loopback Host, same Origin and the token from header or query', () => {
    expect(checkRequest({ host: '127.0.0.1:4321', authorization: `Bearer ${cfg.token}` }, url(), cfg)).toEqual({ ok: true });
    expect(checkRequest({ host: 'localhost:4321', origin: 'http://localhost:4321' }, url(`?token=${cfg.token}`), cfg)).toEqual({ ok: true });
  });

  it('refuses other hosts and origins with 403 before looking at the token', () => {
    for (const host of ['evil.example:4321', '127.0.0.1:4322', '127.0.0.1', '0.0.0.0:4321', '[::1]:4321', undefined]) {
      expect(checkRequest({ host, authorization: `Bearer ${cfg.token}` }, url(), cfg)).toMatchObject({ ok: false, status: 403 });
    }
    for (const origin of ['http://evil.example', 'null', 'https://127.0.0.1:4321', 'http://127.0.0.1:1']) {
      expect(checkRequest({ host: '127.0.0.1:4321', origin }, url(`?token=${cfg.token}`), cfg)).toMatchObject({ ok: false, status: 403 });
    }
  });

  it('refuses a missing or wrong token with 401', () => {
    expect(checkRequest({ host: '127.0.0.1:4321' }, url(), cfg)).toMatchObject({ ok: false, status: 401 });
    expect(checkRequest({ host: '127.0.0.1:4321' }, url('?token=tok'), cfg)).toMatchObject({ ok: false, status: 401 });
    expect(checkRequest({ host: '127.0.0.1:4321', authorization: `Basic ${cfg.token}` }, url(), cfg)).toMatchObject({ ok: false, status: 401 });
  });

  it('compares tokens of any length safely', () => {
    expect(tokensMatch(null, 'a')).toBe(false);
    expect(tokensMatch('a', 'ab')).toBe(false);
    expect(tokensMatch('ab', 'ab')).toBe(true);
    expect(presentedToken({ authorization: 'Bearer  xyz ' }, url('?token=q'))).toBe('xyz');
    expect(presentedToken({}, url('?token=q'))).toBe('q');
  });
});
