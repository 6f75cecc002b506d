// A real OpenID Connect provider on loopback for kommentarsvakt's console
// tests, built on the certified `oidc-provider` package.
//
//   node provider.mjs --redirect-uri http://127.0.0.1:PORT/logga-in/retur
//                     [--client-id ID] [--client-secret SECRET]
//
// It listens on 127.0.0.1 on a free port, registers one confidential client
// (client_secret_basic, PKCE required, authorization code only) with the
// given redirect URI, and prints `ISSUER <url>` on stdout when it is ready.
// It stops when its standard input closes or on SIGTERM, so a test that
// dies does not leave it behind.
//
// The login form (`/interaction/:uid`) asks for a login and a password,
// checked against the test users below, as a city's identity provider
// would; consent is given without asking, as Entra ID does for a console
// the tenant's admin has consented to. ID tokens carry `email`,
// `preferred_username`, `name` and a `groups` claim of Entra-style object
// ids, signed RS256 with a key made at start.

import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';

import Provider from 'oidc-provider';

/** Entra-style group object ids the tests map to roles in the config. */
export const GROUPS = {
  registry: '6a1f0c52-3b1e-4c8a-9d51-0c2b7e9a1001',
  moderatorsKonto1: '6a1f0c52-3b1e-4c8a-9d51-0c2b7e9a1002',
  unrelated: '6a1f0c52-3b1e-4c8a-9d51-0c2b7e9a1003',
};

/** The test users: login → claims. Every password is `losen-<login>`. */
const USERS = {
  moderator0: {
    email: 'moderator0@test.stockholm.se',
    name: 'Mona Moderator',
    groups: [GROUPS.unrelated],
  },
  registrator: {
    email: 'registrator@test.stockholm.se',
    name: 'Rune Registrator',
    groups: [],
  },
  gruppregistrator: {
    email: 'gruppregistrator@test.stockholm.se',
    name: 'Greta Gruppregistrator',
    groups: [GROUPS.registry],
  },
  gruppmoderator: {
    email: 'gruppmoderator@test.stockholm.se',
    name: 'Gustav Gruppmoderator',
    groups: [GROUPS.moderatorsKonto1, GROUPS.unrelated],
  },
  utomstaende: {
    email: 'utomstaende@test.stockholm.se',
    name: 'Ulla Utomstående',
    groups: [GROUPS.unrelated],
  },
};

const { values: args } = parseArgs({
  options: {
    'redirect-uri': { type: 'string', multiple: true },
    'client-id': { type: 'string', default: 'kommentarsvakt-konsol' },
    'client-secret': { type: 'string', default: 'test-hemlighet-for-konsolen' },
  },
});
if (!args['redirect-uri'] || args['redirect-uri'].length === 0) {
  process.stderr.write('usage: node provider.mjs --redirect-uri URI [--client-id ID] [--client-secret S]\n');
  process.exit(2);
}

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function signingKey() {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), kid: 'test-rs256', alg: 'RS256', use: 'sig' };
}

function configuration() {
  return {
    clients: [{
      client_id: args['client-id'],
      client_secret: args['client-secret'],
      redirect_uris: args['redirect-uri'],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    }],
    jwks: { keys: [signingKey()] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    // Scope claims go into the ID token itself, as Entra ID puts them there.
    conformIdTokenClaims: false,
    claims: {
      openid: ['sub', 'groups'],
      email: ['email', 'email_verified'],
      profile: ['name', 'preferred_username'],
    },
    pkce: { required: () => true },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    async findAccount(_ctx, sub) {
      const user = USERS[sub];
      if (!user) return undefined;
      return {
        accountId: sub,
        async claims() {
          return {
            sub,
            email: user.email,
            email_verified: true,
            preferred_username: user.email,
            name: user.name,
            groups: user.groups,
          };
        },
      };
    },
  };
}

function loginPage(uid, problem) {
  return `<!DOCTYPE html>
<html lang="sv"><head><meta charset="utf-8"><title>Stadens inloggning (test)</title></head>
<body><main>
<h1>Logga in (testleverantör)</h1>
${problem ? `<p role="alert" id="problem">${escapeHtml(problem)}</p>` : ''}
<form method="post" action="/interaction/${escapeHtml(uid)}/login">
<label for="login">Användarnamn</label> <input id="login" name="login" type="text" required autofocus>
<label for="password">Lösenord</label> <input id="password" name="password" type="password" required>
<button type="submit" id="submit">Logga in</button>
</form></main></body></html>`;
}

async function readForm(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

async function consent(provider, req, res, details) {
  const { prompt, params, session, grantId } = details;
  const grant = grantId
    ? await provider.Grant.find(grantId)
    : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
  if (prompt.details.missingOIDCScope) grant.addOIDCScope(prompt.details.missingOIDCScope.join(' '));
  if (prompt.details.missingOIDCClaims) grant.addOIDCClaims(prompt.details.missingOIDCClaims);
  await provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, {
    mergeWithLastSubmission: true,
  });
}

async function interaction(provider, req, res) {
  const url = new URL(req.url, 'http://127.0.0.1');
  const match = url.pathname.match(/^\/interaction\/([^/]+)(\/login)?$/);
  if (!match) return false;
  const [, uid, login] = match;
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) {
    res.writeHead(400).end('interaction mismatch');
    return true;
  }
  if (details.prompt.name === 'consent') {
    await consent(provider, req, res, details);
    return true;
  }
  if (req.method === 'GET' && !login) {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(loginPage(uid));
    return true;
  }
  if (req.method === 'POST' && login) {
    const form = await readForm(req);
    const name = form.get('login') ?? '';
    const known = Object.hasOwn(USERS, name) && form.get('password') === `losen-${name}`;
    if (!known) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end(loginPage(uid, 'Fel användarnamn eller lösenord.'));
      return true;
    }
    await provider.interactionFinished(req, res, { login: { accountId: name } }, {
      mergeWithLastSubmission: false,
    });
    return true;
  }
  res.writeHead(405).end();
  return true;
}

// A test that stops reading our output must not crash the provider.
process.stdout.on('error', () => {});

const server = createServer();
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, configuration());
  const callback = provider.callback();
  server.on('request', (req, res) => {
    interaction(provider, req, res)
      .then((handled) => { if (!handled) callback(req, res); })
      .catch((error) => {
        process.stderr.write(`interaction failed: ${error}\n`);
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
  });
  process.stdout.write(`ISSUER ${issuer}\n`);
});

function stop() {
  server.close();
  process.exit(0);
}
process.on('SIGTERM', stop);
process.stdin.on('end', stop);
process.stdin.resume();
