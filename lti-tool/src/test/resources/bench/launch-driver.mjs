// The launch benchmark's load driver in Node.js (docs/performance.md, "Load driver"): plays the LMS as
// dev.berth.bench.JavaLaunchDriver does, with OpenSSL signing and node:http, so the load generator takes less
// of the CPU it shares with Berth. Plain Node >= 18, no npm packages.
//
//   node launch-driver.mjs [config.json]     (the configuration from stdin when no file is named)
//
// stdout, one line each: "progress <completed> <errorsSoFar>" about every second, "measure-start" and
// "measure-end" when the measured window opens and closes. At the end the result goes to config.resultFile
// as JSON and the script exits 0; a configuration it cannot run with exits 2 with the reason on stderr.

import { readFileSync, writeFileSync } from 'node:fs';
import { createPrivateKey, sign } from 'node:crypto';
import http from 'node:http';

const LTI = 'https://purl.imsglobal.org/spec/lti/claim/';
const LEARNER = 'http://purl.imsglobal.org/vocab/lis/v2/membership#Learner';
const STUDENT = 'http://purl.imsglobal.org/vocab/lis/v2/institution/person#Student';
const MAX_SAMPLES = 5;

function fail(message) {
  process.stderr.write(`launch-driver: ${message}\n`);
  process.exit(2);
}

function readConfig() {
  let text;
  try {
    text = readFileSync(process.argv[2] ?? 0, 'utf8');
  } catch (e) {
    fail(`cannot read the configuration: ${e.message}`);
  }
  let config;
  try {
    config = JSON.parse(text);
  } catch (e) {
    fail(`the configuration is not JSON: ${e.message}`);
  }
  for (const name of ['baseUrl', 'targetLinkUri', 'issuer', 'clientId', 'deploymentId', 'kid', 'privateKeyPem',
    'resultFile']) {
    if (typeof config[name] !== 'string' || config[name] === '') {
      fail(`configuration: ${name} must be a non-empty string`);
    }
  }
  for (const name of ['courses', 'linksPerCourse', 'concurrency', 'maxLaunches', 'requestTimeoutMs']) {
    if (!Number.isSafeInteger(config[name]) || config[name] < 1) {
      fail(`configuration: ${name} must be a positive integer`);
    }
  }
  for (const name of ['warmupMs', 'durationMs']) {
    if (!Number.isSafeInteger(config[name]) || config[name] < 0) {
      fail(`configuration: ${name} must be a non-negative integer`);
    }
  }
  return config;
}

const config = readConfig();
const base = new URL(config.baseUrl);
if (base.protocol !== 'http:') {
  fail(`configuration: baseUrl must be http:, not ${base.protocol}`);
}
let privateKey;
try {
  privateKey = createPrivateKey(config.privateKeyPem);
} catch (e) {
  fail(`configuration: privateKeyPem is not a private key: ${e.message}`);
}
const launchPath = new URL(config.targetLinkUri, base).pathname;
const agent = new http.Agent({ keepAlive: true, maxSockets: config.concurrency });

const b64url = (value) => Buffer.from(value).toString('base64url');
const header = b64url(JSON.stringify({ alg: 'RS256', kid: config.kid, typ: 'JWT' }));

/** Where launch n takes place, numbered as BenchPlatform.Launch.of numbers them. */
function where(n) {
  const course = n % config.courses;
  const link = Math.floor(n / config.courses) % config.linksPerCourse;
  return {
    user: n,
    course,
    link,
    subject: `bench-user-${n}`,
    contextId: `bench-course-${course}`,
    resourceLinkId: `bench-link-${course}-${link}`,
  };
}

/** The claim set of BenchPlatform.idToken: Canvas's learner resource link launch. */
function idToken(launch, nonce) {
  const now = Math.floor(Date.now() / 1000);
  const courseApi = `https://canvas.bench.invalid/api/lti/courses/${launch.course}`;
  const claims = {
    iss: config.issuer,
    aud: config.clientId,
    azp: config.clientId,
    sub: launch.subject,
    iat: now,
    exp: now + 3600,
    nonce,
    [`${LTI}deployment_id`]: config.deploymentId,
    [`${LTI}message_type`]: 'LtiResourceLinkRequest',
    [`${LTI}version`]: '1.3.0',
    [`${LTI}target_link_uri`]: config.targetLinkUri,
    [`${LTI}resource_link`]: { id: launch.resourceLinkId, title: `Exercise ${launch.link}`, description: null },
    [`${LTI}roles`]: [LEARNER, STUDENT],
    [`${LTI}context`]: {
      id: launch.contextId,
      label: `BENCH-${launch.course}`,
      title: `Benchmark course ${launch.course}`,
      type: ['http://purl.imsglobal.org/vocab/lis/v2/course#CourseOffering'],
    },
    [`${LTI}tool_platform`]: {
      guid: 'bench-platform-guid:canvas-lms',
      name: 'Benchmark Canvas',
      version: 'cloud',
      product_family_code: 'canvas',
    },
    [`${LTI}launch_presentation`]: {
      document_target: 'iframe',
      return_url: `https://canvas.bench.invalid/courses/${launch.course}/external_content`,
      locale: 'en',
      height: 400,
      width: 800,
    },
    [`${LTI}lis`]: {
      person_sourcedid: `SIS-${launch.user}`,
      course_offering_sourcedid: `SIS-COURSE-${launch.course}`,
    },
    [`${LTI}custom`]: {},
    'https://purl.imsglobal.org/spec/lti-ags/claim/endpoint': {
      scope: [
        'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem',
        'https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly',
        'https://purl.imsglobal.org/spec/lti-ags/scope/score',
      ],
      lineitems: `${courseApi}/line_items`,
      lineitem: `${courseApi}/line_items/${launch.link}`,
    },
    'https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice': {
      context_memberships_url: `${courseApi}/names_and_roles`,
      service_versions: ['2.0'],
    },
    [`${LTI}lti11_legacy_user_id`]: `legacy-${launch.user}`,
    [`${LTI}lti1p1`]: { user_id: `legacy-${launch.user}` },
    name: `Bench User ${launch.user}`,
    given_name: 'Bench',
    family_name: `User ${launch.user}`,
    email: `${launch.subject}@bench.invalid`,
    picture: 'https://canvas.bench.invalid/images/messages/avatar-50.png',
    locale: 'en',
  };
  const signingInput = `${header}.${b64url(JSON.stringify(claims))}`;
  return `${signingInput}.${sign('sha256', Buffer.from(signingInput), privateKey).toString('base64url')}`;
}

/** A failed check: its kind is what the report counts errors by. */
class Unexpected extends Error {
  constructor(kind, detail) {
    super(kind);
    this.detail = detail;
  }
}

/**
 * One HTTP/1.1 request over the shared keep-alive agent. The body is always read to its end, so the connection
 * goes back to the agent; it is kept (abbreviated) only when the status is not the expected one.
 */
function request(method, path, body, expectedStatus) {
  return new Promise((resolve, reject) => {
    const headers = body === undefined ? {} : {
      'Content-Type': 'application/x-www-form-urlencoded',
      'Content-Length': Buffer.byteLength(body),
    };
    const req = http.request({ host: base.hostname, port: base.port, method, path, headers, agent }, (res) => {
      const chunks = [];
      const keep = res.statusCode !== expectedStatus;
      res.on('data', (chunk) => {
        if (keep && chunks.length < 16) {
          chunks.push(chunk);
        }
      });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.setTimeout(config.requestTimeoutMs, () => {
      const timeout = new Error(`no answer within ${config.requestTimeoutMs} ms`);
      timeout.code = 'Timeout';
      req.destroy(timeout);
    });
    req.on('error', reject);
    req.end(body);
  });
}

const abbreviate = (text) => {
  const flat = String(text ?? '').replace(/\s+/g, ' ').trim();
  return flat.length > 300 ? `${flat.slice(0, 300)}…` : flat;
};
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const micros = (nanos) => Math.max(1, Number(nanos / 1000n));

const start = process.hrtime.bigint();
const measureStart = start + BigInt(config.warmupMs) * 1_000_000n;
const measureEnd = measureStart + BigInt(config.durationMs) * 1_000_000n;
let nextLaunch = 0;
let completed = 0;
let startedInWindow = 0;
const errors = {};
const warmupErrors = {};
const samples = [];
let errorTotal = 0;
const latency = { total: [], login: [], sign: [], launch: [] };

function failed(measured, kind, detail) {
  const counts = measured ? errors : warmupErrors;
  counts[kind] = (counts[kind] ?? 0) + 1;
  errorTotal++;
  if (samples.length < MAX_SAMPLES) {
    samples.push(`${kind}: ${abbreviate(detail)}`);
  }
}

/** One concurrency slot: launch after launch, each for a new user, until the measured window closes. */
async function slot() {
  while (process.hrtime.bigint() < measureEnd) {
    const n = nextLaunch++;
    if (n >= config.maxLaunches) {
      return;
    }
    const t0 = process.hrtime.bigint();
    const measured = t0 >= measureStart;
    if (measured) {
      startedInWindow++;
    }
    let stage = 'login';
    try {
      const launch = where(n);
      const query = new URLSearchParams({
        iss: config.issuer,
        login_hint: launch.subject,
        target_link_uri: config.targetLinkUri,
        client_id: config.clientId,
        lti_deployment_id: config.deploymentId,
        lti_message_hint: `hint-${launch.resourceLinkId}`,
      });
      const login = await request('GET', `/lti/login?${query}`, undefined, 302);
      if (login.status !== 302) {
        throw new Unexpected(`login: HTTP ${login.status}`, login.body);
      }
      const redirect = new URL(login.headers.location ?? '', base).searchParams;
      const state = redirect.get('state');
      const nonce = redirect.get('nonce');
      if (state === null || nonce === null) {
        throw new Unexpected('login: no state or nonce in Location', login.headers.location);
      }
      const t1 = process.hrtime.bigint();
      stage = 'sign';
      const token = idToken(launch, nonce);
      const t2 = process.hrtime.bigint();
      stage = 'launch';
      const form = new URLSearchParams({ id_token: token, state }).toString();
      const response = await request('POST', launchPath, form, 303);
      if (response.status !== 303) {
        throw new Unexpected(`launch: HTTP ${response.status}`, response.body);
      }
      if (!(response.headers.location ?? '').includes('/courses/')) {
        throw new Unexpected('launch: unexpected Location', JSON.stringify(response.headers));
      }
      const t3 = process.hrtime.bigint();
      completed++;
      if (measured && t3 <= measureEnd) {
        latency.total.push(micros(t3 - t0));
        latency.login.push(micros(t1 - t0));
        latency.sign.push(micros(t2 - t1));
        latency.launch.push(micros(t3 - t2));
      }
    } catch (e) {
      if (e instanceof Unexpected) {
        failed(measured, e.message, e.detail);
      } else {
        failed(measured, `${stage}: ${e.code ?? e.name}`, e.message);
      }
      // An error is usually fast; do not let a broken Berth turn the loop into a spin.
      await sleep(10);
    }
  }
}

const at = (when) => Math.max(0, Number((when - process.hrtime.bigint()) / 1_000_000n));
const progress = setInterval(() => process.stdout.write(`progress ${completed} ${errorTotal}\n`), 1000);
const windowOpen = new Promise((resolve) => setTimeout(resolve, at(measureStart)))
  .then(() => process.stdout.write('measure-start\n'));
const windowClosed = windowOpen
  .then(() => new Promise((resolve) => setTimeout(resolve, at(measureEnd))))
  .then(() => process.stdout.write('measure-end\n'));

await Promise.all([...Array.from({ length: config.concurrency }, slot), windowClosed]);
clearInterval(progress);
agent.destroy();
writeFileSync(config.resultFile, JSON.stringify({
  driver: `node ${process.version}`,
  started: startedInWindow,
  completed,
  errors,
  warmupErrors,
  samples,
  latency,
}));
process.exit(0);
