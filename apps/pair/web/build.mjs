// Builds Pair's web front end into a directory of static files the pair server serves:
// index.html plus content-hashed bundles (main-XXXXXXXX.js / .css), so a browser may
// cache the bundles for good while index.html is revalidated on every load.
//
//   node build.mjs --outdir <dir> [--dev]
//
// Run by the CMake target `pair_web` (apps/pair/web/CMakeLists.txt); node_modules come
// from `npm ci` in this folder (scripts/setup does it).
import { readFile, writeFile, mkdir, readdir, rm, copyFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { dirname, join, resolve, basename } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));

function parseArgs(argv) {
  const usage = "usage: node build.mjs --outdir <dir> [--dev]";
  const args = { outdir: null, dev: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--outdir" && argv[i + 1]) args.outdir = resolve(argv[++i]);
    else if (argv[i] === "--dev") args.dev = true;
    else throw new Error(`unknown argument ${argv[i]} (${usage})`);
  }
  // No default inside the source tree: built files belong in a build directory.
  if (!args.outdir) throw new Error(`--outdir is required (${usage})`);
  return args;
}

async function loadEsbuild() {
  if (!existsSync(join(here, "node_modules", "esbuild"))) {
    console.error(`pair-web: ${join(here, "node_modules")} is missing; run scripts/setup (npm ci in apps/pair/web)`);
    process.exit(1);
  }
  return (await import("esbuild")).default;
}

// Removes what an earlier build wrote (old hashed names would pile up otherwise), but
// only files this build owns: the directory may be given by hand.
async function cleanOutdir(outdir) {
  await mkdir(outdir, { recursive: true });
  for (const name of await readdir(outdir)) {
    if (/^main-[A-Z0-9]{8,}\.(js|css)(\.map)?$/.test(name) || name === "index.html" || name === "favicon.svg")
      await rm(join(outdir, name), { force: true });
  }
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const esbuild = await loadEsbuild();
  await cleanOutdir(args.outdir);
  const result = await esbuild.build({
    entryPoints: [join(here, "src", "main.js")],
    bundle: true,
    format: "esm",
    target: ["es2020"],
    minify: !args.dev,
    sourcemap: "linked",
    entryNames: "[name]-[hash]",
    outdir: args.outdir,
    metafile: true,
    logLevel: "warning",
    legalComments: "eof",
  });
  const outputs = Object.keys(result.metafile.outputs).map((p) => basename(p));
  const js = outputs.find((n) => /^main-.*\.js$/.test(n));
  const css = outputs.find((n) => /^main-.*\.css$/.test(n));
  if (!js || !css) throw new Error(`esbuild produced no main bundle (got ${outputs.join(", ")})`);

  const template = await readFile(join(here, "src", "index.html"), "utf8");
  const html = template.replace("%CSS%", css).replace("%JS%", js);
  await writeFile(join(args.outdir, "index.html"), html);
  await copyFile(join(here, "src", "favicon.svg"), join(args.outdir, "favicon.svg"));
  console.log(`pair-web: built ${js}, ${css} into ${args.outdir}`);
}

main().catch((err) => {
  console.error(`pair-web: ${err.message}`);
  process.exit(1);
});
