// A real OpenID Provider for the tests: panva's certified oidc-provider on loopback,
// with its development login and consent pages (any login name, any password).
import Provider from 'oidc-provider';

export const CLIENT_ID = 'samordna';
export const CLIENT_SECRET = 'samordna-test-secret-not-for-production';

/** Starts the provider on `port`; the client may return only to `redirectUri`. */
export async function startProvider(port, redirectUri) {
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients: [{
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      redirect_uris: [redirectUri],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    }],
    pkce: { required: () => true },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    async findAccount(ctx, id) {
      return {
        accountId: id,
        async claims() {
          const email = id.includes('@') ? id : `${id}@region.example`;
          return { sub: `sub-${id}`, email, email_verified: true, name: `Anställd ${id.split('@')[0]}` };
        },
      };
    },
    features: { devInteractions: { enabled: true } },
    // Like Entra ID: the ID token carries the e-mail and name claims itself.
    conformIdTokenClaims: false,
    // The provider's own cookies over plain http on loopback.
    cookies: { keys: ['samordna-oidc-test-key'] },
  });
  provider.proxy = false;
  const server = await new Promise((ok) => {
    const s = provider.listen(port, '127.0.0.1', () => ok(s));
  });
  return {
    issuer,
    async stop() {
      await new Promise((r) => server.close(r));
    },
  };
}
