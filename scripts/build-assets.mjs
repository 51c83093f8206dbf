#!/usr/bin/env node
// Builds the portal's front-end assets into portal/static/dist/:
//
//   portal.css  purged KERN (@kern-ux/native, EUPL-1.2) + portal/static/src/portal.css
//   fonts.css   @font-face rules for the Fira Sans faces the CSS actually uses
//   fonts/      those woff2 files, copied from @kern-ux/native/dist/fonts/
//
// Everything is served by the portal itself: no CDN, no font or script from
// another host. Unused KERN selectors are removed against the content files
// (Jinja templates and Python sources, where class names like badge variants
// can appear). Output is deterministic: same inputs, same bytes.
//
// Environment:
//   ASSET_CONTENT   content globs, separated by ":" (default:
//                   "portal/templates/**/*.html:portal/**/*.py"); relative
//                   globs are resolved against the repository root.
//
// Exit status: 1 when portal.css is over the gzip budget (20 KiB) or an input
// is missing; 0 otherwise. See docs/kern.md.

import { promises as fs } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync, constants as zlibConstants } from "node:zlib";
import { PurgeCSS } from "purgecss";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const KERN_DIR = path.join(ROOT, "node_modules", "@kern-ux", "native");
const KERN_CSS = path.join(KERN_DIR, "dist", "kern.min.css");
const KERN_FONT_CSS = path.join(KERN_DIR, "dist", "fonts", "fira-sans.css");
const OWN_CSS = path.join(ROOT, "portal", "static", "src", "portal.css");
const OUT_DIR = path.join(ROOT, "portal", "static", "dist");
const OUT_FONTS = path.join(OUT_DIR, "fonts");

const DEFAULT_CONTENT = ["portal/templates/**/*.html", "portal/**/*.py"];
const GZIP_BUDGET = 20480; // bytes, portal.css gzip-compressed
const SKIP_DIRS = new Set(["node_modules", ".git", "__pycache__", ".venv", "dist"]);

// Selectors KERN styles that may appear only at runtime or be built from
// variables in templates (e.g. `kern-badge--{{ status }}`), so the purger
// cannot see them in the content files.
const SAFELIST = {
  standard: [
    /^kern-badge--/, // badge variants chosen in Python/Jinja (info, success, warning, danger)
    /^kern-alert--/, // flash message categories
    /^kern-icon--(info|success|warning|danger)$/, // icons of the above
    /^kern-form-input__input--error$/,
    /^kern-form-input--error$/,
    /^kern-fieldset--error$/,
    /^kern-form-check--error$/,
  ],
  deep: [],
  greedy: [],
  keyframes: [],
  variables: [],
};

// Attribute selectors whose attributes change at runtime or come from
// form state; rules with them are kept when the rest of the selector is used.
const DYNAMIC_ATTRIBUTES = [
  "aria-busy",
  "aria-current",
  "aria-disabled",
  "aria-expanded",
  "aria-hidden",
  "aria-invalid",
  "aria-pressed",
  "aria-selected",
  "contenteditable",
  "contentEditable",
  "disabled",
  "href",
  "readonly",
  "required",
  "tabindex",
  "type",
];

const t0 = process.hrtime.bigint();

function fail(message) {
  console.error(`build-assets: ${message}`);
  process.exit(1);
}

// ---------------------------------------------------------------- globbing
// Minimal glob support (node 20 has no fs.glob): "**", "*", "?", "{a,b}".

function globToRegExp(glob) {
  let re = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === "*") {
      if (glob[i + 1] === "*") {
        i++;
        if (glob[i + 1] === "/") {
          i++;
          re += "(?:.*/)?";
        } else {
          re += ".*";
        }
      } else {
        re += "[^/]*";
      }
    } else if (c === "?") {
      re += "[^/]";
    } else if (c === "{") {
      const end = glob.indexOf("}", i);
      if (end === -1) {
        re += "\\{";
        continue;
      }
      const alts = glob.slice(i + 1, end).split(",").map((a) => a.replace(/[.+^$()|[\]\\]/g, "\\$&"));
      re += `(?:${alts.join("|")})`;
      i = end;
    } else {
      re += c.replace(/[.+^$()|[\]\\]/g, "\\$&");
    }
  }
  return new RegExp(`^${re}$`);
}

async function walk(dir, out) {
  let entries;
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) await walk(full, out);
    } else if (entry.isFile()) {
      out.push(full);
    }
  }
}

async function expandGlob(pattern) {
  const abs = path.isAbsolute(pattern) ? pattern : path.join(ROOT, pattern);
  const parts = abs.split(path.sep);
  const firstWild = parts.findIndex((p) => /[*?{]/.test(p));
  if (firstWild === -1) {
    try {
      return (await fs.stat(abs)).isFile() ? [abs] : [];
    } catch {
      return [];
    }
  }
  const base = parts.slice(0, firstWild).join(path.sep) || path.sep;
  const matcher = globToRegExp(parts.slice(firstWild).join("/"));
  const files = [];
  await walk(base, files);
  return files.filter((f) => matcher.test(path.relative(base, f).split(path.sep).join("/")));
}

async function contentFiles() {
  const raw = process.env.ASSET_CONTENT;
  const globs = raw && raw.trim() ? raw.split(path.delimiter).map((g) => g.trim()).filter(Boolean) : DEFAULT_CONTENT;
  const found = new Set();
  for (const g of globs) for (const f of await expandGlob(g)) found.add(f);
  return { globs, files: [...found].sort() };
}

// --------------------------------------------------------------- CSS helpers

// Simple minifier for our own CSS: drops comments, collapses whitespace and
// removes it where it carries no meaning; strings are left alone. Whitespace
// around ":" "+" "-" is kept (".a :focus" differs from ".a:focus"; calc()).
function minify(css) {
  const tight = "{};,>";
  let out = "";
  let i = 0;
  let pendingSpace = false;
  const emit = (s) => {
    if (pendingSpace && out && !tight.includes(out.at(-1)) && !"(".includes(out.at(-1)) && !tight.includes(s[0]) && s[0] !== ")") {
      out += " ";
    }
    pendingSpace = false;
    if (s === "}" && out.endsWith(";")) out = out.slice(0, -1);
    out += s;
  };
  while (i < css.length) {
    const c = css[i];
    if (c === "/" && css[i + 1] === "*") {
      const end = css.indexOf("*/", i + 2);
      i = end === -1 ? css.length : end + 2;
      pendingSpace = true;
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < css.length && css[j] !== c) j += css[j] === "\\" ? 2 : 1;
      emit(css.slice(i, j + 1));
      i = j + 1;
      continue;
    }
    if (/\s/.test(c)) {
      pendingSpace = true;
      i++;
      continue;
    }
    // "prop: value" -> "prop:value" (a colon followed by space is never a pseudo-class)
    if (c === ":" && /\s/.test(css[i + 1] || "")) {
      emit(":");
      i++;
      while (i < css.length && /\s/.test(css[i])) i++;
      continue;
    }
    emit(c);
    i++;
  }
  return out.trim();
}

// PurgeCSS drops a selector made only of pseudo-classes unless it is a single
// :is()/:where()/:has()/:not() (it finds no class, tag or attribute to keep it
// by), e.g. KERN's ":is(body,.kern-light,…):not([class*=kern-level-])" that
// sets the contextual colour tokens of the page. Keep such rules whole.
function protectPseudoOnlyRules(css) {
  return css.replace(/(^|[{}])(:(?!root[{,])[^{}@]*)\{/g, "$1$2{/* purgecss ignore current */");
}

// Strip @font-face blocks (fonts are shipped separately in fonts.css).
function stripFontFaces(css) {
  return css.replace(/@font-face\s*\{[^}]*\}/g, "");
}

// Collect custom property definitions: name -> list of values (any scope).
function customProperties(css) {
  const defs = new Map();
  const re = /(?:^|[{;\s])(--[\w-]+)\s*:\s*([^;}]*)/g;
  let m;
  while ((m = re.exec(css))) {
    const list = defs.get(m[1]) || [];
    list.push(m[2].trim());
    defs.set(m[1], list);
  }
  return defs;
}

// Split a var() argument list at its first top-level comma.
function splitVar(inner) {
  let depth = 0;
  for (let i = 0; i < inner.length; i++) {
    if (inner[i] === "(") depth++;
    else if (inner[i] === ")") depth--;
    else if (inner[i] === "," && depth === 0) return [inner.slice(0, i).trim(), inner.slice(i + 1).trim()];
  }
  return [inner.trim(), null];
}

// Resolve a CSS value to the set of concrete keywords/numbers it can take,
// following var() references through every definition found.
function resolveValues(value, defs, seen = new Set()) {
  const v = value.replace(/!important/g, "").trim();
  const m = /^var\((.*)\)$/s.exec(v);
  if (!m) return [v];
  const [name, fallback] = splitVar(m[1]);
  if (defs.has(name) && !seen.has(name)) {
    const next = new Set(seen).add(name);
    return defs.get(name).flatMap((d) => resolveValues(d, defs, next));
  }
  return fallback ? resolveValues(fallback, defs, seen) : [];
}

function usedFontFaces(css) {
  const defs = customProperties(css);
  const weights = new Set();
  const styles = new Set(["normal"]);
  const unresolved = new Set();
  const weightRe = /(?:^|[{;\s])font-weight\s*:\s*([^;}]+)/g;
  let m;
  while ((m = weightRe.exec(css))) {
    for (const v of resolveValues(m[1], defs)) {
      if (/^\d{3}$/.test(v)) weights.add(Number(v));
      else if (v === "normal") weights.add(400);
      else if (v === "bold") weights.add(700);
      else unresolved.add(v);
    }
  }
  const styleRe = /(?:^|[{;\s])font-style\s*:\s*([^;}]+)/g;
  while ((m = styleRe.exec(css))) {
    for (const v of resolveValues(m[1], defs)) {
      if (v === "italic" || v.startsWith("oblique")) styles.add("italic");
    }
  }
  weights.add(400); // body text without an explicit weight
  return { weights: [...weights].sort((a, b) => a - b), styles: [...styles].sort().reverse(), unresolved };
}

// Parse KERN's fira-sans.css into the faces available to ship.
function availableFaces(css) {
  const faces = [];
  for (const block of css.match(/@font-face\s*\{[^}]*\}/g) || []) {
    const src = /url\(\s*["']?([^"')]+)["']?\s*\)/.exec(block);
    const weight = /font-weight\s*:\s*(\d+)/.exec(block);
    const style = /font-style\s*:\s*(\w+)/.exec(block);
    const family = /font-family\s*:\s*["']?([^"';]+)["']?/.exec(block);
    if (src && weight) {
      faces.push({
        family: family ? family[1].trim() : "Fira Sans",
        file: path.join(path.dirname(KERN_FONT_CSS), src[1]),
        weight: Number(weight[1]),
        style: style ? style[1] : "normal",
      });
    }
  }
  return faces;
}

// Browser font matching for a wanted weight among available ones (CSS Fonts 4).
function nearestWeight(wanted, available) {
  if (available.includes(wanted)) return wanted;
  const up = available.filter((w) => w > wanted).sort((a, b) => a - b);
  const down = available.filter((w) => w < wanted).sort((a, b) => b - a);
  if (wanted >= 400 && wanted <= 500) {
    const mid = available.filter((w) => w > wanted && w <= 500).sort((a, b) => a - b);
    return mid[0] ?? down[0] ?? up[0];
  }
  return wanted < 400 ? (down[0] ?? up[0]) : (up[0] ?? down[0]);
}

const gz = (buf) => gzipSync(buf, { level: zlibConstants.Z_BEST_COMPRESSION }).length;

// ------------------------------------------------------------------- build

async function readOrFail(file, hint) {
  try {
    return await fs.readFile(file, "utf8");
  } catch {
    return fail(`cannot read ${path.relative(ROOT, file)}${hint ? ` (${hint})` : ""}`);
  }
}

async function main() {
  const kernCss = await readOrFail(KERN_CSS, "run `npm ci` first");
  const kernFontCss = await readOrFail(KERN_FONT_CSS, "run `npm ci` first");
  const ownCss = await readOrFail(OWN_CSS);
  const kernVersion = JSON.parse(await fs.readFile(path.join(KERN_DIR, "package.json"), "utf8")).version;

  const { globs, files } = await contentFiles();
  if (files.length === 0) {
    console.warn(`build-assets: warning: no content files match ${globs.join(", ")}; purging against the safelist only`);
  }
  const content = await Promise.all(
    files.map(async (f) => ({ raw: await fs.readFile(f, "utf8"), extension: path.extname(f).slice(1) || "html" })),
  );
  // PurgeCSS needs at least one content entry.
  if (content.length === 0) content.push({ raw: "", extension: "html" });

  const [purged] = await new PurgeCSS().purge({
    content,
    css: [{ raw: protectPseudoOnlyRules(stripFontFaces(kernCss)) }],
    safelist: SAFELIST,
    dynamicAttributes: DYNAMIC_ATTRIBUTES,
    variables: false, // KERN relies on its custom properties: keep them all
    keyframes: true, // drop unused @keyframes (KERN's loader "rotation")
    fontFace: false, // there are none left (stripped above)
  });

  let kern = purged.css.trim();
  let charset = "";
  const cs = /^@charset "[^"]*";/.exec(kern);
  if (cs) {
    charset = cs[0];
    kern = kern.slice(cs[0].length);
  }
  const own = minify(ownCss);
  const portalCss =
    `${charset}/*! KERN UX ${kernVersion} (@kern-ux/native, EUPL-1.2), purged; portal layer: portal/static/src/portal.css */\n` +
    `${kern}\n${own}\n`;

  // Fonts: ship only the faces the final CSS asks for.
  const faces = availableFaces(kernFontCss);
  const { weights, styles, unresolved } = usedFontFaces(portalCss);
  if (unresolved.size) {
    console.warn(`build-assets: warning: font-weight values not mapped to a face: ${[...unresolved].sort().join(", ")}`);
  }
  const chosen = new Map();
  for (const style of styles) {
    const ofStyle = faces.filter((f) => f.style === style);
    const avail = [...new Set(ofStyle.map((f) => f.weight))];
    for (const w of weights) {
      const nw = nearestWeight(w, avail);
      const face = ofStyle.find((f) => f.weight === nw);
      if (face) chosen.set(`${face.weight}-${face.style}`, face);
    }
  }
  const shipped = [...chosen.values()].sort((a, b) => a.weight - b.weight || a.style.localeCompare(b.style));
  if (shipped.length === 0) fail("no font face selected; check KERN's dist/fonts/fira-sans.css");

  await fs.rm(OUT_DIR, { recursive: true, force: true });
  await fs.mkdir(OUT_FONTS, { recursive: true });
  let fontBytes = 0;
  const rules = [];
  for (const face of shipped) {
    const name = path.basename(face.file);
    const data = await fs.readFile(face.file).catch(() => fail(`missing font file ${face.file}`));
    fontBytes += data.length;
    await fs.writeFile(path.join(OUT_FONTS, name), data);
    rules.push(
      `@font-face{font-family:"${face.family}";src:url(fonts/${name}) format("woff2");` +
        `font-weight:${face.weight};font-style:${face.style};font-display:swap}`,
    );
  }
  const shippedList = shipped.map((f) => `${f.weight}${f.style === "italic" ? " italic" : ""}`).join(", ");
  const fontsCss =
    `/*! Fira Sans (SIL Open Font License 1.1), from @kern-ux/native ${kernVersion}.\n` +
    `    Generated by scripts/build-assets.mjs; shipped faces (weights used by portal.css): ${shippedList} */\n` +
    `${rules.join("\n")}\n`;

  await fs.writeFile(path.join(OUT_DIR, "portal.css"), portalCss);
  await fs.writeFile(path.join(OUT_DIR, "fonts.css"), fontsCss);

  // Report.
  const pBuf = Buffer.from(portalCss);
  const fBuf = Buffer.from(fontsCss);
  const pGz = gz(pBuf);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const pad = (s, n) => String(s).padStart(n);
  console.log(`KERN ${kernVersion}: ${files.length} content file(s) from ${globs.join(", ")}`);
  console.log(`  portal.css   ${pad(pBuf.length, 8)} B raw  ${pad(pGz, 7)} B gzip  (budget ${GZIP_BUDGET} B gzip)`);
  console.log(`    of which KERN ${Buffer.byteLength(kern)} B raw, own ${Buffer.byteLength(own)} B raw`);
  console.log(`  fonts.css    ${pad(fBuf.length, 8)} B raw  ${pad(gz(fBuf), 7)} B gzip`);
  console.log(`  fonts/*.woff2 ${pad(fontBytes, 7)} B in ${shipped.length} file(s): Fira Sans ${shippedList}`);
  console.log(`  built in ${ms.toFixed(0)} ms -> ${path.relative(ROOT, OUT_DIR)}/`);
  if (pGz > GZIP_BUDGET) {
    fail(`portal.css is ${pGz} B gzip, over the budget of ${GZIP_BUDGET} B`);
  }
}

main().catch((err) => fail(err && err.stack ? err.stack : String(err)));
