// Reads GIFT files with gift-pegjs and prints, as JSON, what it found: for each file, its category
// and each question's type, title, stem and options (text and whether it is right). Exit 1 on a
// file it cannot parse, with the parser's message and place.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { parse } = require("gift-pegjs");

const out = {};
let failed = false;
for (const file of process.argv.slice(2)) {
  try {
    out[file] = parse(readFileSync(file, "utf8"));
  } catch (err) {
    failed = true;
    const where = err.location ? `${err.location.start.line}:${err.location.start.column}` : "?";
    process.stderr.write(`${file}:${where}: ${err.message}\n`);
  }
}
// Set the exit code rather than exit: exiting at once can cut off output still going to a pipe.
process.stdout.write(JSON.stringify(out));
process.exitCode = failed ? 1 : 0;
