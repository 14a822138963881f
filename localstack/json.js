// JSON helpers for the LocalStack scripts (jq is not always installed;
// Node.js is, for the CDK CLI). Usage:
//
//   node json.js health          < /_localstack/health   prints "<edition> <version>"
//   node json.js init-ready      < /_localstack/init/ready
//       exit 0: the READY stage completed and every script succeeded
//       exit 3: still running
//       exit 1: a script failed (named on stderr)
//   node json.js api-url <outputs-file> <stack> <endpoint> <host|path>
//       prints the URL LocalStack serves the stack's ApiUrl stage at
"use strict";

const fs = require("fs");

function fail(msg) {
  process.stderr.write(msg + "\n");
  process.exit(1);
}

function stdinJSON() {
  const text = fs.readFileSync(0, "utf8");
  try {
    return JSON.parse(text);
  } catch (e) {
    fail(`not JSON: ${e.message}: ${text.slice(0, 200)}`);
  }
}

// apiURL turns the ApiUrl output, in the AWS form
// https://<id>.execute-api.<region>.<suffix>/<stage>/, into the URL of the
// same stage on LocalStack: http://<id>.execute-api.<endpoint host>:<port>/<stage>/
// (host style) or <endpoint>/_aws/execute-api/<id>/<stage>/ (path style).
function apiURL(outputsFile, stack, endpoint, style) {
  let outputs;
  try {
    outputs = JSON.parse(fs.readFileSync(outputsFile, "utf8"));
  } catch (e) {
    fail(`${outputsFile}: ${e.message}: run 'make localstack-deploy' first`);
  }
  const out = outputs[stack];
  if (!out) fail(`${outputsFile} has no stack ${stack} (it has: ${Object.keys(outputs).join(", ") || "none"})`);
  if (!out.ApiUrl) fail(`${outputsFile}: stack ${stack} has no ApiUrl output`);
  const m = /^https?:\/\/([^./]+)\.execute-api\.[^/]+\/([^/]+)\/?$/.exec(out.ApiUrl);
  if (!m) fail(`ApiUrl ${out.ApiUrl}: not of the form https://<id>.execute-api.<region>.<suffix>/<stage>/`);
  const [, id, stage] = m;
  const base = new URL(endpoint);
  switch (style) {
    case "host":
      return `${base.protocol}//${id}.execute-api.${base.host}/${stage}/`;
    case "path":
      return `${base.origin}/_aws/execute-api/${id}/${stage}/`;
    default:
      fail(`API URL style ${style}: want host or path`);
  }
}

const [cmd, ...args] = process.argv.slice(2);
switch (cmd) {
  case "health": {
    const h = stdinJSON();
    process.stdout.write(`${h.edition || "unknown"} ${h.version || "unknown"}\n`);
    break;
  }
  case "init-ready": {
    const r = stdinJSON();
    const failed = (r.scripts || []).filter((s) => s.state === "ERROR").map((s) => s.name);
    if (failed.length > 0) fail(`init scripts failed: ${failed.join(", ")}`);
    const done = r.completed && (r.scripts || []).every((s) => s.state === "SUCCESSFUL");
    if (!done) process.exit(3);
    break;
  }
  case "api-url":
    if (args.length !== 4) fail("usage: json.js api-url <outputs-file> <stack> <endpoint> <host|path>");
    process.stdout.write(apiURL(...args) + "\n");
    break;
  default:
    fail(`json.js: unknown command ${cmd}`);
}
