// A recording `eleventyConfig`: the site's configuration function runs against it, and what it
// defines (filters, shortcodes, collections, global data, folders, options) is kept for folio.
// Methods Eleventy has that change nothing folio reads are accepted and ignored.
"use strict";
(function () {
  const nativeFilters = new Set(["slugify", "slug", "url", "log"]);
  function recorder() {
    const r = {
      filters: {}, shortcodes: {}, pairedShortcodes: {}, collections: {}, globalData: {},
      passthrough: [], ignores: [], nunjucksOptions: {}, templateFormats: null, returned: null,
      layoutAliases: {}, watch: [],
    };
    const ignores = new Set();
    let proxy = null;
    const config = {
      dir: { input: ".", includes: "_includes", data: "_data", layouts: undefined, output: "_site" },
      ignores: { add: (g) => { ignores.add(g); return ignores; }, delete: (g) => ignores.delete(g), has: (g) => ignores.has(g), forEach: (f) => ignores.forEach(f), [Symbol.iterator]: () => ignores[Symbol.iterator]() },
      addFilter(name, fn) { r.filters[name] = fn; },
      addNunjucksFilter(name, fn) { r.filters[name] = fn; },
      addNunjucksAsyncFilter(name, fn) {
        r.filters[name] = (...args) => new Promise((resolve, reject) => fn(...args, (e, v) => (e ? reject(e) : resolve(v))));
      },
      addAsyncFilter(name, fn) { r.filters[name] = fn; },
      addJavaScriptFunction(name, fn) { r.filters[name] = fn; },
      addShortcode(name, fn) { r.shortcodes[name] = fn; },
      addAsyncShortcode(name, fn) { r.shortcodes[name] = fn; },
      addNunjucksShortcode(name, fn) { r.shortcodes[name] = fn; },
      addNunjucksAsyncShortcode(name, fn) { r.shortcodes[name] = fn; },
      addPairedShortcode(name, fn) { r.pairedShortcodes[name] = fn; },
      addPairedAsyncShortcode(name, fn) { r.pairedShortcodes[name] = fn; },
      addPairedNunjucksShortcode(name, fn) { r.pairedShortcodes[name] = fn; },
      addPairedNunjucksAsyncShortcode(name, fn) { r.pairedShortcodes[name] = fn; },
      addNunjucksGlobal(name, value) { r.globalData[name] = value; },
      addCollection(name, fn) { r.collections[name] = fn; },
      addGlobalData(name, value) { r.globalData[name] = value; },
      addPassthroughCopy(from, options) { r.passthrough.push(from); },
      addLayoutAlias(alias, to) { r.layoutAliases[alias] = to; },
      setNunjucksEnvironmentOptions(o) { Object.assign(r.nunjucksOptions, o); },
      setTemplateFormats(f) { r.templateFormats = f; },
      addTemplateFormats(f) { r.templateFormats = (r.templateFormats || []).concat(f); },
      addWatchTarget(t) { r.watch.push(t); },
      addPlugin(plugin, options) {
        const fn = typeof plugin === "function" ? plugin : plugin && typeof plugin.configFunction === "function" ? plugin.configFunction : null;
        if (fn && !fn.__folioOpaque) return fn.call(proxy, proxy, options || {});
      },
      namespace(prefix, fn) { fn(); },
      getFilter(name) {
        if (r.filters[name]) return r.filters[name];
        if (nativeFilters.has(name)) return (s) => __host.slugify(String(s));
        return undefined;
      },
      getShortcode(name) { return r.shortcodes[name]; },
      getCollections() { return r.collections; },
      markdownHighlighter: (s) => s,
      versionCheck() {},
      pathPrefix: "/",
    };
    // Any other Eleventy method (`setLibrary`, `amendLibrary`, `addTransform`, `on`, …) records
    // nothing folio reads: accepted, so the configuration runs on.
    proxy = new Proxy(config, {
      get(t, key) {
        if (key in t) return t[key];
        if (typeof key === "string" && /^(add|set|amend|on|use|ignore)/.test(key)) return () => proxy;
        return undefined;
      },
    });
    r.ignores = ignores;
    return { r, proxy };
  }

  __folio.runConfig = function (file) {
    const { r, proxy } = recorder();
    let exported = __folio.require(file);
    if (exported && exported.__esModule && "default" in exported) exported = exported.default;
    const returned = typeof exported === "function" ? exported(proxy) : exported;
    __folio.siteFilters = r.filters;
    const finish = async (ret) => {
      r.returned = ret && typeof ret === "object" ? ret : null;
      // As a global data file: a function value is run (and awaited), a dotted name nests.
      const globalData = {};
      for (const [name, value] of Object.entries(r.globalData)) {
        const v = typeof value === "function" ? await value() : await value;
        const keys = name.split(".");
        let at = globalData;
        for (const k of keys.slice(0, -1)) at = at[k] = at[k] && typeof at[k] === "object" ? at[k] : {};
        at[keys[keys.length - 1]] = v;
      }
      return {
        filters: Object.keys(r.filters).map((name) => [name, r.filters[name]]),
        shortcodes: Object.keys(r.shortcodes).map((name) => [name, r.shortcodes[name]]),
        pairedShortcodes: Object.keys(r.pairedShortcodes).map((name) => [name, r.pairedShortcodes[name]]),
        collections: Object.keys(r.collections).map((name) => [name, r.collections[name]]),
        globalData,
        passthrough: r.passthrough,
        ignores: Array.from(r.ignores),
        nunjucksOptions: r.nunjucksOptions,
        templateFormats: r.templateFormats,
        returned: r.returned,
      };
    };
    return __folio.settle(Promise.resolve(returned).then(finish), {});
  };
})();
