// Validates one .glb or .gltf with the Khronos glTF Validator and prints its JSON report on standard output.
// Usage: node validate.js FILE   (external buffers are resolved beside the file)
'use strict';
const fs = require('fs');
const path = require('path');
const validator = require('gltf-validator');

const file = process.argv[2];
const bytes = new Uint8Array(fs.readFileSync(file));
validator.validateBytes(bytes, {
  uri: path.basename(file),
  maxIssues: 0,
  externalResourceFunction: (uri) => new Promise((resolve, reject) => {
    fs.readFile(path.resolve(path.dirname(file), decodeURIComponent(uri)), (error, data) => (error ? reject(error.toString()) : resolve(new Uint8Array(data))));
  }),
}).then((report) => {
  process.stdout.write(JSON.stringify(report, null, 2) + '\n');
}).catch((error) => {
  process.stderr.write('validation failed: ' + error + '\n');
  process.exit(3);
});
