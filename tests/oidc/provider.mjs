// A real OpenID Connect provider for Tenure's single sign-on tests, built on the
// certified `oidc-provider` library: discovery, JWKS, authorization code flow with PKCE
// required, RS256 ID tokens carrying email, name and a `groups` claim, and the library's
// development login form (any password; the login must be one of the accounts).
//
//   node provider.mjs <port>
//
// Environment:
//   OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_REDIRECT_URI  the one client (Tenure)
//   OIDC_ACCOUNTS  JSON array: [{"sub", "email", "email_verified", "name", "groups"}]
//                  (a person signs in with their `sub` as the login)
//   OIDC_AUTH_METHOD  client_secret_basic (default) or client_secret_post
//
// Prints "ready <issuer>" on stdout once it listens.

import { generateKeyPairSync, randomBytes } from 'node:crypto';
import Provider from 'oidc-provider';

function required(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`${name} is not set`);
    process.exit(2);
  }
  return value;
}

const port = Number(process.argv[2] ?? process.env.OIDC_PORT);
if (!Number.isInteger(port) || port <= 0 || port > 65535) {
  console.error('usage: node provider.mjs <port>');
  process.exit(2);
}
const issuer = `http://127.0.0.1:${port}`;
const accounts = JSON.parse(required('OIDC_ACCOUNTS'));
const authMethod = process.env.OIDC_AUTH_METHOD || 'client_secret_basic';

// A fresh signing key per run, as an IdP rotates them.
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: `k-${randomBytes(6).toString('hex')}`, alg: 'RS256', use: 'sig' };

const configuration = {
  clients: [
    {
      client_id: required('OIDC_CLIENT_ID'),
      client_secret: required('OIDC_CLIENT_SECRET'),
      redirect_uris: [required('OIDC_REDIRECT_URI')],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: authMethod,
      id_token_signed_response_alg: 'RS256',
    },
  ],
  jwks: { keys: [signingKey] },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  pkce: { required: () => true },
  scopes: ['openid', 'email', 'profile', 'groups'],
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name'],
    groups: ['groups'],
  },
  // The claims the scopes ask for go into the ID token itself (as Okta and Entra do
  // for groups), not only to the userinfo endpoint.
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: true } },
  async findAccount(ctx, sub) {
    const account = accounts.find((a) => a.sub === sub);
    if (!account) return undefined;
    return {
      accountId: account.sub,
      async claims() {
        const claims = { sub: account.sub, name: account.name, groups: account.groups ?? [] };
        if (account.email !== undefined) claims.email = account.email;
        if (account.email_verified !== undefined) claims.email_verified = account.email_verified;
        return claims;
      },
    };
  },
  // A first-party client: no consent screen once signed in.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId
      || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    if (!ctx.oidc.session.accountId) return undefined;
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid email profile groups');
    grant.addOIDCClaims(['email', 'email_verified', 'name', 'groups']);
    await grant.save();
    return grant;
  },
  ttl: { AuthorizationCode: 120, IdToken: 300, AccessToken: 300, Interaction: 600, Session: 600, Grant: 600 },
};

const provider = new Provider(issuer, configuration);
provider.on('server_error', (ctx, err) => console.error('server_error', err));
const server = provider.listen(port, '127.0.0.1', () => {
  console.log(`ready ${issuer}`);
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
