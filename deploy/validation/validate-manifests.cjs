// Validates a stream of Kubernetes manifests (YAML on stdin, as `kubectl kustomize` prints it)
// against the schemas compiled into kubernetes-models (Kubernetes OpenAPI) and
// @kubernetes-models/keda (KEDA's CRD): required fields, types, enums, formats.
// Unknown fields are not reported here; the Java side (StrictManifests) does that.
// Prints one line per document; exits 1 if any document is invalid or of a kind with no schema.
'use strict';
const fs = require('fs');
const yaml = require('js-yaml');

function modelModule(apiVersion) {
  if (apiVersion.startsWith('keda.sh/')) {
    return '@kubernetes-models/keda/' + apiVersion;
  }
  return 'kubernetes-models/' + apiVersion; // "v1" for the core group, else "group/version"
}

function modelFor(apiVersion, kind) {
  try {
    return require(modelModule(apiVersion))[kind];
  } catch (e) {
    return undefined;
  }
}

let failed = false;
yaml.loadAll(fs.readFileSync(0, 'utf8')).filter(Boolean).forEach((doc, i) => {
  const label = `document ${i + 1} (${doc.apiVersion} ${doc.kind} ${doc.metadata && doc.metadata.name})`;
  const Model = modelFor(String(doc.apiVersion), String(doc.kind));
  if (!Model) {
    failed = true;
    console.log(`INVALID ${label}: no schema for this apiVersion and kind`);
    return;
  }
  try {
    new Model(doc).validate();
    console.log(`OK ${label}`);
  } catch (e) {
    failed = true;
    console.log(`INVALID ${label}: ${e.message}`);
  }
});
process.exit(failed ? 1 : 0);
