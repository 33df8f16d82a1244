// A stand-in for luxon's DateTime, the part these sites' filters call: built from a JS date,
// an ISO string or a format, read in UTC or a fixed offset, printed with luxon's format tokens
// in French or English. Time zones other than UTC and fixed offsets are read as UTC.
"use strict";
__folio.standIns["luxon"] = function () {
  const MONTHS = {
    fr: ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"],
    en: ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"],
  };
  const DAYS = {
    fr: ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"],
    en: ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
  };
  const pad = (n, w) => String(Math.trunc(Math.abs(n))).padStart(w, "0");
  const lang = (locale) => (String(locale || "en").toLowerCase().startsWith("fr") ? "fr" : "en");
  function offsetOf(zone) {
    const m = /^(?:utc|UTC)?([+-])(\d{1,2})(?::?(\d{2}))?$/.exec(String(zone || ""));
    return m ? (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] || 0)) : 0;
  }

  class DateTime {
    constructor(ms, options) {
      this.ts = ms;
      this.locale = (options && options.locale) || "en";
      this.offset = offsetOf(options && options.zone);
      this.isValid = !isNaN(ms);
      const d = new Date(ms + this.offset * 60000);
      this.c = { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds(), millisecond: d.getUTCMilliseconds(), weekday: ((d.getUTCDay() + 6) % 7) + 1 };
    }
    static fromJSDate(date, options) { return new DateTime(new Date(date).getTime(), options); }
    static fromMillis(ms, options) { return new DateTime(Number(ms), options); }
    static fromSeconds(s, options) { return new DateTime(Number(s) * 1000, options); }
    static fromISO(text, options) {
      let s = String(text);
      if (/^\d{4}-\d{2}-\d{2}$/.test(s)) s += "T00:00:00Z";
      else if (/^\d{4}-\d{2}-\d{2}T[\d:.]+$/.test(s)) s += "Z";
      return new DateTime(Date.parse(s), options);
    }
    static fromSQL(text, options) { return DateTime.fromISO(String(text).replace(" ", "T"), options); }
    static fromFormat(text, format, options) {
      const fields = { yyyy: "year", LL: "month", MM: "month", dd: "day", HH: "hour", mm: "minute", ss: "second" };
      const names = [];
      const pattern = String(format).replace(/yyyy|LL|MM|dd|HH|mm|ss|[.*+?^${}()|[\]\\]/g, (t) => {
        if (fields[t]) { names.push(fields[t]); return t === "yyyy" ? "(\\d{4})" : "(\\d{1,2})"; }
        return "\\" + t;
      });
      const m = new RegExp("^" + pattern + "$").exec(String(text));
      if (!m) return new DateTime(NaN, options);
      const c = { year: 1970, month: 1, day: 1, hour: 0, minute: 0, second: 0 };
      names.forEach((n, i) => { c[n] = Number(m[i + 1]); });
      return new DateTime(Date.UTC(c.year, c.month - 1, c.day, c.hour, c.minute, c.second) - offsetOf(options && options.zone) * 60000, options);
    }
    static fromObject(o, options) {
      return new DateTime(Date.UTC(o.year || 1970, (o.month || 1) - 1, o.day || 1, o.hour || 0, o.minute || 0, o.second || 0), options);
    }
    static now() { return new DateTime(Number(__host.now()), {}); }
    static local() { return DateTime.now(); }
    static utc(...a) { return a.length ? DateTime.fromObject({ year: a[0], month: a[1], day: a[2], hour: a[3], minute: a[4], second: a[5] }) : DateTime.now(); }
    get year() { return this.c.year; }
    get month() { return this.c.month; }
    get day() { return this.c.day; }
    get hour() { return this.c.hour; }
    get minute() { return this.c.minute; }
    get second() { return this.c.second; }
    get weekday() { return this.c.weekday; }
    get monthLong() { return MONTHS[lang(this.locale)][this.c.month - 1]; }
    get weekdayLong() { return DAYS[lang(this.locale)][this.c.weekday - 1]; }
    setLocale(locale) { return new DateTime(this.ts, { locale, zone: this.zoneText() }); }
    setZone(zone) { return new DateTime(this.ts, { locale: this.locale, zone }); }
    toUTC() { return new DateTime(this.ts, { locale: this.locale }); }
    zoneText() { return this.offset ? (this.offset < 0 ? "-" : "+") + pad(this.offset / 60, 2) + ":" + pad(this.offset % 60, 2) : "utc"; }
    plus(d) { return this.shift(d, 1); }
    minus(d) { return this.shift(d, -1); }
    shift(d, sign) {
      const c = Object.assign({}, this.c);
      for (const [k, v] of Object.entries(d || {})) { const key = k.replace(/s$/, ""); if (key in c) c[key] += sign * v; }
      return new DateTime(Date.UTC(c.year, c.month - 1, c.day, c.hour, c.minute, c.second) - this.offset * 60000, { locale: this.locale, zone: this.zoneText() });
    }
    startOf(unit) {
      const c = Object.assign({}, this.c);
      const order = ["year", "month", "day", "hour", "minute", "second"];
      for (const k of order.slice(order.indexOf(unit) + 1)) c[k] = k === "month" || k === "day" ? 1 : 0;
      return new DateTime(Date.UTC(c.year, c.month - 1, c.day, c.hour, c.minute, c.second) - this.offset * 60000, { locale: this.locale, zone: this.zoneText() });
    }
    toJSDate() { return new Date(this.ts); }
    toMillis() { return this.ts; }
    valueOf() { return this.ts; }
    toSeconds() { return this.ts / 1000; }
    toISODate() { return `${pad(this.c.year, 4)}-${pad(this.c.month, 2)}-${pad(this.c.day, 2)}`; }
    toISO() {
      const z = this.offset ? this.zoneText() : "Z";
      return `${this.toISODate()}T${pad(this.c.hour, 2)}:${pad(this.c.minute, 2)}:${pad(this.c.second, 2)}.${pad(this.c.millisecond, 3)}${z}`;
    }
    toString() { return this.toISO(); }
    toJSON() { return this.toISO(); }
    toLocaleString(preset) {
      const l = lang(this.locale);
      const long = preset && (preset.month === "long" || preset === DateTime.DATE_FULL || preset === DateTime.DATE_HUGE);
      if (long) return l === "fr" ? `${this.c.day} ${this.monthLong} ${this.c.year}` : `${this.monthLong} ${this.c.day}, ${this.c.year}`;
      return l === "fr" ? `${pad(this.c.day, 2)}/${pad(this.c.month, 2)}/${this.c.year}` : `${this.c.month}/${this.c.day}/${this.c.year}`;
    }
    toFormat(format) {
      const l = lang(this.locale);
      const c = this.c;
      const tokens = {
        yyyy: () => pad(c.year, 4), yy: () => pad(c.year % 100, 2), y: () => String(c.year),
        LLLL: () => MONTHS[l][c.month - 1], MMMM: () => MONTHS[l][c.month - 1],
        LLL: () => MONTHS[l][c.month - 1].slice(0, 3), MMM: () => MONTHS[l][c.month - 1].slice(0, 3),
        LL: () => pad(c.month, 2), MM: () => pad(c.month, 2), L: () => String(c.month), M: () => String(c.month),
        dd: () => pad(c.day, 2), d: () => String(c.day),
        EEEE: () => DAYS[l][c.weekday - 1], cccc: () => DAYS[l][c.weekday - 1],
        EEE: () => DAYS[l][c.weekday - 1].slice(0, 3), ccc: () => DAYS[l][c.weekday - 1].slice(0, 3),
        HH: () => pad(c.hour, 2), H: () => String(c.hour), hh: () => pad(((c.hour + 11) % 12) + 1, 2), h: () => String(((c.hour + 11) % 12) + 1),
        mm: () => pad(c.minute, 2), m: () => String(c.minute), ss: () => pad(c.second, 2), s: () => String(c.second),
        a: () => (c.hour < 12 ? "AM" : "PM"),
      };
      return String(format).replace(/'([^']*)'|yyyy|yy|y|LLLL|MMMM|LLL|MMM|LL|MM|L|M|dd|d|EEEE|cccc|EEE|ccc|HH|H|hh|h|mm|m|ss|s|a/g,
        (t, literal) => (literal !== undefined ? literal : tokens[t]()));
    }
  }
  DateTime.DATE_SHORT = { month: "numeric" };
  DateTime.DATE_MED = { month: "short" };
  DateTime.DATE_FULL = { month: "long" };
  DateTime.DATE_HUGE = { month: "long", weekday: "long" };
  return { DateTime, Settings: { defaultLocale: "en", defaultZone: "utc" }, Duration: {}, Interval: {} };
};
