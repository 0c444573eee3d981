import { isTokenFresh, tokenFromResponse } from './oauth-token';

describe('OAuth token cache rules', () => {
  it.each([
    ['hour token: refresh a minute early', { access_token: 't', expires_in: 3600 }, 3_540_000],
    ['short token: refresh half-way', { access_token: 't', expires_in: 60 }, 30_000],
    ['no expires_in: assume 5 minutes', { access_token: 't' }, 240_000],
  ])('%s', (_name, body, refreshAt) => {
    const token = tokenFromResponse(body, 0);
    expect(token?.refreshAtMs).toBe(refreshAt);
    expect(isTokenFresh(token, refreshAt - 1)).toBe(true);
    expect(isTokenFresh(token, refreshAt)).toBe(false);
  });

  it.each([[null], [{}], [{ access_token: '' }], [{ access_token: 5 }], ['token']])('rejects %j', (body) => {
    expect(tokenFromResponse(body, 0)).toBeUndefined();
  });

  it('no token is never fresh', () => {
    expect(isTokenFresh(undefined, 0)).toBe(false);
  });
});
