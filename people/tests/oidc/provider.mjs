// A real OpenID Connect provider on loopback for Totem's single sign-on tests.
//
//   PORT=9000 REDIRECT_URI=http://localhost:8000/sso/callback/ node provider.mjs
//
// It prints "ready <issuer>" when it listens. Sign in on its (development) login page with one
// of the accounts below as the login and any password; consent is granted at once, as an
// organisation's own identity provider does for its own applications.
import Provider from 'oidc-provider';

const port = Number(process.env.PORT || 9000);
const issuer = `http://127.0.0.1:${port}`;
const redirectUris = (process.env.REDIRECT_URI || '').split(',').filter(Boolean);

// Accounts: the login name is the account id. `email_verified` false is a provider that has
// not proved the person owns the address: Totem must refuse it.
const ACCOUNTS = {
  'ada@trust.nhs.uk': { name: 'Ada Lovelace', email_verified: true },
  'grace@trust.nhs.uk': { name: 'Grace Hopper', email_verified: false },
  'mary@college.ac.uk': { name: 'Mary Somerville', email_verified: true },
};

const client = (clientId) => ({
  client_id: clientId,
  client_secret: 'test-secret-for-loopback-provider-only',
  redirect_uris: redirectUris,
  grant_types: ['authorization_code'],
  response_types: ['code'],
  token_endpoint_auth_method: 'client_secret_post',
});

const provider = new Provider(issuer, {
  // totem-short-lived gets ID tokens that expire a second after they are made, and its token
  // responses are held back two seconds (below): the token has expired when Totem reads it.
  clients: [client('totem'), client('totem-short-lived')],
  pkce: { required: () => true },
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  // ID tokens carry the claims themselves, as Entra ID's do (no userinfo call needed).
  conformIdTokenClaims: false,
  ttl: {
    IdToken: (ctx, token, c) => (c.clientId === 'totem-short-lived' ? 1 : 3600),
  },
  async findAccount(ctx, id) {
    const account = ACCOUNTS[id.toLowerCase()];
    if (!account) return undefined;
    return {
      accountId: id.toLowerCase(),
      async claims() {
        return { sub: id.toLowerCase(), email: id.toLowerCase(), ...account };
      },
    };
  },
  // First-party application: grant what it asks for without a consent screen.
  async loadExistingGrant(ctx) {
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid email profile');
    grant.addOIDCClaims(['email', 'email_verified', 'name']);
    await grant.save();
    return grant;
  },
  cookies: { keys: ['loopback-test-provider-cookie-key'] },
});

provider.use(async (ctx, next) => {
  await next();
  if (ctx.path === '/token' && ctx.oidc?.client?.clientId === 'totem-short-lived') {
    await new Promise((resolve) => { setTimeout(resolve, 2000); });
  }
});

provider.listen(port, '127.0.0.1', () => {
  console.log(`ready ${issuer}`);
});
