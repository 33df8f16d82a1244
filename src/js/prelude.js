// folio's sandbox: a CommonJS module system over the site's own files, Node's `path`, `url`
// and a read-only `fs` confined to the site, stand-ins for the packages these sites require,
// and the JSON protocol Rust speaks with it. `__host` is given by Rust (src/js/sandbox.rs).
"use strict";
(function (host) {
  const fns = [];
  const modules = Object.create(null);
  const standIns = Object.create(null);
  const notes = [];
  // Node's modules that would reach outside the site: a clear error, never a stand-in.
  const denied = new Set(["child_process", "http", "https", "http2", "net", "tls", "dgram", "cluster",
    "worker_threads", "os", "vm", "dns", "inspector", "readline", "process", "v8", "repl", "module"]);

  // ---------------------------------------------------------------- path (posix)
  function normalizeParts(parts, absolute) {
    const out = [];
    for (const p of parts) {
      if (p === "" || p === ".") continue;
      if (p === "..") { if (out.length && out[out.length - 1] !== "..") out.pop(); else if (!absolute) out.push(".."); }
      else out.push(p);
    }
    return out;
  }
  const path = {
    sep: "/", delimiter: ":",
    normalize(p) {
      const abs = p.startsWith("/");
      const s = normalizeParts(p.split("/"), abs).join("/");
      return (abs ? "/" : "") + (s || (abs ? "" : ".")) + (p.endsWith("/") && s ? "/" : "");
    },
    join(...parts) { const s = parts.filter((p) => p !== "").join("/"); return s ? path.normalize(s) : "."; },
    resolve(...parts) {
      let r = "";
      for (let i = parts.length - 1; i >= 0 && !r.startsWith("/"); i--) r = parts[i] + (r ? "/" + r : "");
      if (!r.startsWith("/")) r = host.root + "/" + r;
      const s = "/" + normalizeParts(r.split("/"), true).join("/");
      return s;
    },
    isAbsolute(p) { return p.startsWith("/"); },
    dirname(p) {
      const s = p.replace(/\/+$/, "");
      const i = s.lastIndexOf("/");
      return i < 0 ? "." : i === 0 ? "/" : s.slice(0, i);
    },
    basename(p, ext) {
      let b = p.replace(/\/+$/, "");
      b = b.slice(b.lastIndexOf("/") + 1);
      return ext && b.endsWith(ext) && b !== ext ? b.slice(0, -ext.length) : b;
    },
    extname(p) {
      const b = path.basename(p);
      const i = b.lastIndexOf(".");
      return i <= 0 ? "" : b.slice(i);
    },
    relative(from, to) {
      const f = path.resolve(from).split("/").filter(Boolean);
      const t = path.resolve(to).split("/").filter(Boolean);
      let i = 0;
      while (i < f.length && i < t.length && f[i] === t[i]) i++;
      return f.slice(i).map(() => "..").concat(t.slice(i)).join("/");
    },
    parse(p) {
      const base = path.basename(p);
      const ext = path.extname(p);
      const dir = path.dirname(p);
      return { root: p.startsWith("/") ? "/" : "", dir, base, ext, name: ext ? base.slice(0, -ext.length) : base };
    },
    format(o) { return (o.dir ? o.dir + "/" : "") + (o.base || (o.name || "") + (o.ext || "")); },
  };
  path.posix = path;

  // ---------------------------------------------------------------- fs, read-only, inside the site
  function fsError(op, p, e) { const err = new Error(`${op} '${p}': ${e}`); err.code = "ENOENT"; return err; }
  const fs = {
    readFileSync(p, options) {
      const r = host.read(path.resolve(String(p)));
      if (r === null || r === undefined) throw fsError("ENOENT: no such file or readable inside the site, open", p, "refused");
      return r;
    },
    existsSync(p) { return host.kind(path.resolve(String(p))) !== ""; },
    readdirSync(p, options) {
      const dir = path.resolve(String(p));
      const r = host.list(dir);
      if (r === null || r === undefined) throw fsError("ENOENT: no such folder inside the site, scandir", p, "refused");
      const names = JSON.parse(r);
      if (!(options && options.withFileTypes)) return names;
      return names.map((name) => {
        const k = host.kind(dir + "/" + name);
        return { name, isFile: () => k === "file", isDirectory: () => k === "dir", isSymbolicLink: () => false };
      });
    },
    statSync(p) {
      const k = host.kind(path.resolve(String(p)));
      if (!k) throw fsError("ENOENT: no such file inside the site, stat", p, "refused");
      return { isFile: () => k === "file", isDirectory: () => k === "dir", mtime: new Date(0), size: 0 };
    },
  };
  for (const name of ["writeFileSync", "appendFileSync", "mkdirSync", "rmSync", "unlinkSync", "renameSync", "copyFileSync", "writeFile", "mkdir"]) {
    fs[name] = () => { throw new Error(`fs.${name}: folio's sandbox writes nothing`); };
  }
  fs.promises = {
    readFile: async (p, o) => fs.readFileSync(p, o),
    readdir: async (p) => fs.readdirSync(p),
    stat: async (p) => fs.statSync(p),
    access: async (p) => { if (!fs.existsSync(p)) throw fsError("ENOENT, access", p, "missing"); },
  };
  fs.lstatSync = fs.statSync;

  // ---------------------------------------------------------------- console, process
  // The site's logging goes nowhere; `process` has no environment and cannot act.
  const quiet = () => {};
  globalThis.console = { log: quiet, info: quiet, warn: quiet, error: quiet, debug: quiet, trace: quiet, dir: quiet, time: quiet, timeEnd: quiet };
  const refuse = (what) => () => { throw new Error(`process.${what}: not available in folio's sandbox`); };
  globalThis.process = {
    env: {}, argv: [], platform: "linux", version: "v20.0.0", versions: { node: "20.0.0" },
    cwd: () => host.root, exit: refuse("exit"), kill: refuse("kill"), on: quiet, nextTick: (f, ...a) => Promise.resolve().then(() => f(...a)),
    hrtime: Object.assign(() => [0, 0], { bigint: () => 0 }), memoryUsage: () => ({}),
  };
  globalThis.setTimeout = (f, ms, ...a) => { Promise.resolve().then(() => f(...a)); return 0; };
  globalThis.clearTimeout = quiet;
  globalThis.setImmediate = globalThis.setTimeout;

  // ---------------------------------------------------------------- url
  const url = {
    URL: typeof URL !== "undefined" ? URL : undefined,
    fileURLToPath(u) { return String(u).replace(/^file:\/\//, ""); },
    pathToFileURL(p) { return { href: "file://" + path.resolve(p), toString() { return this.href; } }; },
  };

  // ---------------------------------------------------------------- stand-ins
  // An unknown package: a value that can be called, constructed and read at any depth, so the
  // site's config runs to its end and records what it defines.
  function opaque(name) {
    const target = function () {};
    const handler = {
      get(t, key) {
        if (key === Symbol.toPrimitive) return () => "";
        if (key === "then") return undefined;
        if (key === "toString" || key === "valueOf") return () => "";
        if (key === "__folioOpaque") return name;
        return opaque(name + "." + String(key));
      },
      apply() { return opaque(name + "()"); },
      construct() { return opaque("new " + name); },
    };
    return new Proxy(target, handler);
  }
  const noPlugin = function () {};

  standIns["@11ty/eleventy"] = () => ({
    EleventyI18nPlugin: noPlugin, EleventyHtmlBasePlugin: noPlugin, EleventyRenderPlugin: noPlugin,
    EleventyServerlessBundlerPlugin: noPlugin, EleventyEdgePlugin: noPlugin,
  });
  // eleventy-navigation's filters are folio's own (src/reader/templates/filters.rs).
  standIns["@11ty/eleventy-navigation"] = () => {
    const plugin = function () {};
    plugin.navigation = { find: () => [], toHtml: () => "" };
    return plugin;
  };
  standIns["@11ty/eleventy-img"] = () => {
    // The picture itself is folio's asset: `Image()` gives the metadata eleventy-img would, for
    // the source as it is, and generateHTML the <img> the site's shortcode prints.
    function metadataOf(src, options) {
      const formats = (options && options.formats) || ["auto"];
      const ext = String(src).split("?")[0].split(".").pop().toLowerCase();
      const format = ext === "jpg" ? "jpeg" : ext;
      const entry = { url: String(src), src: String(src), filename: path.basename(String(src)), format, width: undefined, height: undefined, sourceType: "image/" + format, srcset: String(src) };
      const out = {};
      for (const f of formats) out[f === "auto" || f === null ? format : f] = [entry];
      if (!Object.keys(out).length) out[format] = [entry];
      return out;
    }
    function Image(src, options) { return Promise.resolve(metadataOf(src, options)); }
    Image.statsSync = metadataOf;
    Image.statsByDimensionsSync = metadataOf;
    Image.generateHTML = function (metadata, attributes) {
      const first = Object.values(metadata)[0] || [];
      const entry = first[0] || {};
      const attrs = Object.assign({}, attributes || {});
      delete attrs.sizes;
      const extra = Object.entries(attrs).filter(([k]) => k !== "alt" && k !== "src")
        .map(([k, v]) => ` ${k}="${String(v).replace(/"/g, "&quot;")}"`).join("");
      return `<img src="${entry.url || ""}" alt="${String(attrs.alt || "").replace(/"/g, "&quot;")}"${extra}>`;
    };
    Image.generateObject = function (metadata, attributes) { return { img: Object.assign({ src: (Object.values(metadata)[0] || [{}])[0].url }, attributes) }; };
    return Image;
  };
  // The DSFR family's calendar plugin: its event slugs (`toCalendar` writes .ics text, which no
  // book shows).
  standIns["@codegouvfr/eleventy-plugin-calendar"] = () => function (config) {
    config.addFilter("slugifyEvent", (event) => {
      const start = __folio.standIns["luxon"]().DateTime.fromISO(String(event.data.start)).toISODate();
      return `${host.slugify(String(event.data.title))}-${start}`;
    });
  };
  standIns["slugify"] = () => (s) => host.slugify(String(s));
  standIns["@sindresorhus/slugify"] = standIns["slugify"];

  // ---------------------------------------------------------------- require
  function tryFile(p) {
    for (const c of [p, p + ".js", p + ".cjs", p + ".json", p + "/index.js", p + "/index.cjs", p + "/index.json"]) {
      if (host.kind(c) === "file") return c;
    }
    return null;
  }
  function packageEntry(dir) {
    const pkg = dir + "/package.json";
    if (host.kind(pkg) === "file") {
      try {
        const meta = JSON.parse(host.read(pkg));
        const main = meta.main || "index.js";
        const found = tryFile(path.join(dir, main));
        if (found) return found;
      } catch (e) { /* fall through to index.js */ }
    }
    return tryFile(dir + "/index");
  }
  function findPackage(name, from) {
    let dir = from;
    for (;;) {
      const candidate = dir + "/node_modules/" + name;
      if (host.kind(candidate) === "dir") return packageEntry(candidate);
      if (host.kind(candidate + ".js") === "file") return candidate + ".js";
      if (dir === host.root || dir === "/" || !dir.startsWith(host.root)) return null;
      dir = path.dirname(dir);
    }
  }
  function makeRequire(dir) {
    return function require(spec) {
      spec = String(spec);
      const bare = spec.replace(/^node:/, "");
      if (bare === "path" || bare === "path/posix") return path;
      if (bare === "fs" || bare === "graceful-fs") return fs;
      if (bare === "fs/promises") return fs.promises;
      if (bare === "url") return url;
      if (bare === "util") return { inspect: (v) => JSON.stringify(v), format: (...a) => a.join(" "), promisify: (f) => f };
      if (bare === "events") return function EventEmitter() {};
      if (denied.has(bare)) throw new Error(`require("${spec}"): Node's \`${bare}\` is not available in folio's sandbox`);
      if (spec.startsWith(".") || spec.startsWith("/")) {
        const found = tryFile(path.resolve(dir, spec));
        if (!found) throw new Error(`require("${spec}"): no such file inside the site`);
        return load(found);
      }
      const name = spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0];
      const installed = findPackage(spec, dir);
      if (installed) return load(installed);
      const standIn = standIns[spec] || standIns[name];
      if (standIn) {
        if (!modules["standin:" + name]) modules["standin:" + name] = { exports: standIn() };
        return modules["standin:" + name].exports;
      }
      notes.push(`the package \`${name}\` is not installed beside the site: an inert stand-in takes its place`);
      return opaque(name);
    };
  }
  function load(file) {
    if (modules[file]) return modules[file].exports;
    const source = host.read(file);
    if (source === null || source === undefined) throw new Error(`cannot read ${file} inside the site`);
    const module = { exports: {}, filename: file, id: file, loaded: false };
    modules[file] = module;
    if (file.endsWith(".json")) { module.exports = JSON.parse(source); return module.exports; }
    const wrapped = host.compile(file, asCommonJs(source));
    wrapped.call(module.exports, module.exports, makeRequire(path.dirname(file)), module, file, path.dirname(file));
    module.loaded = true;
    return module.exports;
  }
  // ES module syntax as these files use it, as CommonJS: `export default`, `import x from`.
  function asCommonJs(source) {
    if (!/^\s*(export|import)\s/m.test(source)) return source;
    return source
      .replace(/^\s*import\s+(\w+)\s+from\s+(["'][^"']+["']);?/gm, "const $1 = __esDefault(require($2));")
      .replace(/^\s*import\s+\*\s+as\s+(\w+)\s+from\s+(["'][^"']+["']);?/gm, "const $1 = require($2);")
      .replace(/^\s*import\s+(\{[^}]*\})\s+from\s+(["'][^"']+["']);?/gm, (m, names, spec) => `const ${names.replace(/\bas\b/g, ":")} = require(${spec});`)
      .replace(/^\s*import\s+(["'][^"']+["']);?/gm, "require($1);")
      .replace(/^\s*export\s+default\s+/gm, "module.exports = ")
      .replace(/^\s*export\s+(const|let|var|function|async function|class)\s+(\w+)/gm, (m, kind, name) => `${kind} ${name}`);
  }
  globalThis.__esDefault = (m) => (m && m.__esModule && "default" in m ? m.default : m);

  // ---------------------------------------------------------------- values to Rust
  // JSON with each function replaced by {"$fn": id}, dates by ISO strings, cycles cut.
  function toJson(value) {
    const seen = new WeakSet();
    function walk(v, depth) {
      if (depth > 64) return null;
      if (typeof v === "function") { fns.push(v); return { $fn: fns.length - 1 }; }
      if (v === undefined) return undefined;
      if (v === null || typeof v !== "object") return typeof v === "bigint" ? Number(v) : v;
      if (v instanceof Date) return isNaN(v) ? null : v.toISOString();
      if (v.__folioOpaque) return null;
      if (seen.has(v)) return null;
      seen.add(v);
      let out;
      if (Array.isArray(v)) out = v.map((x) => { const w = walk(x, depth + 1); return w === undefined ? null : w; });
      else if (v instanceof Map) { out = {}; for (const [k, x] of v) { const w = walk(x, depth + 1); if (w !== undefined) out[String(k)] = w; } }
      else if (v instanceof Set) out = Array.from(v, (x) => walk(x, depth + 1));
      else {
        out = {};
        for (const k of Object.keys(v)) { const w = walk(v[k], depth + 1); if (w !== undefined) out[k] = w; }
      }
      seen.delete(v);
      return out;
    }
    const r = walk(value, 0);
    return r === undefined ? "null" : JSON.stringify(r);
  }
  // {"$fn": id} back to its function, so values handed out come back whole.
  function fromJson(text) {
    return JSON.parse(text, (k, v) => (v && typeof v === "object" && typeof v.$fn === "number" && Object.keys(v).length === 1 ? fns[v.$fn] : v));
  }
  // A settled result, or a promise settled by the runtime's jobs (Rust drives them).
  function settle(value, slot) {
    if (value && typeof value.then === "function") {
      slot.pending = true;
      value.then((v) => { slot.pending = false; slot.value = v; }, (e) => { slot.pending = false; slot.error = e; });
    } else slot.value = value;
    return slot;
  }
  function errorText(e) {
    if (e && e.stack) return String(e.message || e) + "\n" + e.stack;
    return String(e);
  }

  const universal = {
    slugify: (s) => host.slugify(String(s == null ? "" : s)),
    slug: (s) => host.slugify(String(s == null ? "" : s)),
    url: (s) => String(s == null ? "" : s),
    log: (...a) => a[0],
  };
  globalThis.__folio = {
    fns,
    notes,
    path,
    toJson,
    fromJson,
    errorText,
    settle,
    // A module's exports; a function export is called (with `args`), as Eleventy does with data files.
    loadData(file, argsJson) {
      let value = load(file);
      if (value && value.__esModule && "default" in value) value = value.default;
      if (typeof value === "function") value = value.apply({}, fromJson(argsJson));
      return settle(value, {});
    },
    require(file) { return load(file); },
    // A `---js` front matter: the object its source evaluates to, functions kept.
    evalObject(file, source) {
      const wrapped = host.compile(file, "module.exports = (" + source + "\n);");
      const module = { exports: {} };
      wrapped.call(module.exports, module.exports, makeRequire(path.dirname(file)), module, file, path.dirname(file));
      return settle(module.exports, {});
    },
    // fns[id] called with `this` and arguments given as JSON.
    // `this` carries Eleventy's universal filters, as in a permalink or computed function.
    // and the site's own filters, as in a pagination `before` callback.
    call(id, thisJson, argsJson) {
      const f = fns[id];
      if (typeof f !== "function") throw new Error(`no function ${id}`);
      const proto = Object.assign({}, globalThis.__folio.siteFilters || {}, universal);
      const self = Object.assign(Object.create(proto), fromJson(thisJson));
      return settle(f.apply(self, fromJson(argsJson)), {});
    },
    // The site's global data, held here once so that each page's call sends only its own layers.
    setGlobal(json) { globalThis.__folio.globalData = fromJson(json); return settle(true, {}); },
    // fns[id](data), where data is the global data under the page's layers (given as JSON).
    callOnData(id, layersJson) {
      const f = fns[id];
      if (typeof f !== "function") throw new Error(`no function ${id}`);
      const data = Object.assign({}, globalThis.__folio.globalData || {}, fromJson(layersJson));
      const proto = Object.assign({}, globalThis.__folio.siteFilters || {}, universal);
      return settle(f.call(Object.create(proto), data), {});
    },
    // An `addCollection` function run with Eleventy's collection API over the site's pages
    // (`items`: `collections.all`); `input` is the content folder's path in the site.
    runCollection(id, itemsJson, input) {
      const items = fromJson(itemsJson);
      const byDate = (a, b) => String(a.date || "").localeCompare(String(b.date || "")) || String(a.inputPath).localeCompare(String(b.inputPath));
      const globRe = (glob) => new RegExp("^" + String(glob).replace(/^\.\//, "").split("**").map((part) =>
        part.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*").replace(/\?/g, "[^/]")).join(".*") + "$");
      const matches = (item, globs) => {
        const rel = String(item.inputPath).replace(/^\.\//, "");
        return [].concat(globs).some((g) => { const re = globRe(g); return re.test(rel) || re.test((input ? input + "/" : "") + rel); });
      };
      const api = {
        getAll: () => items.slice(),
        getAllSorted: () => items.slice().sort(byDate),
        getFilteredByTag: (tag) => items.filter((i) => [].concat((i.data && i.data.tags) || []).includes(tag)).sort(byDate),
        getFilteredByTags: (...tags) => items.filter((i) => tags.every((t) => [].concat((i.data && i.data.tags) || []).includes(t))).sort(byDate),
        getFilteredByGlob: (globs) => items.filter((i) => matches(i, globs)).sort(byDate),
      };
      return settle(fns[id](api), {});
    },
    standIns,
  };
})(globalThis.__host);
