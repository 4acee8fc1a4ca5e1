// Lints a Dockerfile (path as the argument) with dockerfile-utils, the validator behind the
// VS Code Docker language server: unknown instructions, malformed arguments, bad ports, flags,
// duplicate or misplaced instructions. Prints each problem; exits 1 if there is any.
'use strict';
const fs = require('fs');
const { validate } = require('dockerfile-utils');

const file = process.argv[2];
const problems = validate(fs.readFileSync(file, 'utf8'), {});
const severity = { 1: 'error', 2: 'warning', 3: 'information', 4: 'hint' };
for (const p of problems) {
  console.log(`${file}:${p.range.start.line + 1}: ${severity[p.severity] || p.severity}: ${p.message}`);
}
console.log(`${problems.length} problem(s)`);
process.exit(problems.length === 0 ? 0 : 1);
