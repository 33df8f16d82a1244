//! One QuickJS runtime per site, shut in: `require` reads only the site's own files (and its
//! `node_modules` when it has them), `fs` reads only inside the site and writes nothing, and
//! there is no network, process or environment. Each call runs under a time limit and the
//! runtime under a memory limit. Values cross as JSON; a function crosses as `{"$fn": id}`.

use rquickjs::{CatchResultExt, CaughtError, Context, Ctx, Function, Object, Runtime, Value};
use serde_json::Value as Json;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const PRELUDE: &str = include_str!("prelude.js");
const LUXON: &str = include_str!("luxon.js");
const CONFIG: &str = include_str!("config.js");

/// A file the sandbox reads larger than this is refused (a data file, not a data set).
const MAX_READ_BYTES: u64 = 16 << 20;

/// How long one call may run and how much memory the runtime may hold.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub time_per_call: Duration,
    pub memory_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { time_per_call: Duration::from_secs(5), memory_bytes: 256 << 20 }
    }
}

/// What a call that failed says, and where: the JavaScript file, line and column when the
/// engine's stack names them.
#[derive(Debug, Clone, PartialEq)]
pub struct JsError {
    pub message: String,
    pub file: Option<String>,
    pub line: u32,
    pub col: u32,
}

impl std::fmt::Display for JsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.file {
            Some(file) => write!(f, "{} (at {file}:{}:{})", self.message, self.line, self.col),
            None => f.write_str(&self.message),
        }
    }
}

/// A site's JavaScript engine. Calls are serialised: QuickJS runs one thing at a time.
pub struct Sandbox {
    root: PathBuf,
    limits: Limits,
    state: Mutex<State>,
}

struct State {
    runtime: Runtime,
    context: Context,
    /// Milliseconds since `epoch` after which the running call is interrupted (0: none).
    deadline: Arc<AtomicU64>,
    epoch: Instant,
}

impl Sandbox {
    /// A sandbox whose files are those under `root` (the site's folder).
    pub fn new(root: &Path, limits: Limits) -> Result<Sandbox, JsError> {
        let root = root.canonicalize().map_err(|e| plain(format!("site folder {}: {e}", root.display())))?;
        let runtime = Runtime::new().map_err(|e| plain(format!("cannot start QuickJS: {e}")))?;
        runtime.set_memory_limit(limits.memory_bytes);
        runtime.set_max_stack_size(1 << 20);
        let deadline = Arc::new(AtomicU64::new(0));
        let epoch = Instant::now();
        let watched = deadline.clone();
        runtime.set_interrupt_handler(Some(Box::new(move || {
            let limit = watched.load(Ordering::Relaxed);
            limit != 0 && epoch.elapsed().as_millis() as u64 > limit
        })));
        let context = Context::full(&runtime).map_err(|e| plain(format!("cannot start QuickJS: {e}")))?;
        let sandbox = Sandbox { root, limits, state: Mutex::new(State { runtime, context, deadline, epoch }) };
        sandbox.install()?;
        Ok(sandbox)
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    fn install(&self) -> Result<(), JsError> {
        let root = self.root.clone();
        self.with_state(|ctx| {
            let host = Object::new(ctx.clone())?;
            host.set("root", root.to_string_lossy().to_string())?;
            let confined = Arc::new(root);
            let r = confined.clone();
            host.set("read", Function::new(ctx.clone(), move |p: String| read_inside(&r, &p))?)?;
            let r = confined.clone();
            host.set("kind", Function::new(ctx.clone(), move |p: String| kind_inside(&r, &p))?)?;
            let r = confined.clone();
            host.set("list", Function::new(ctx.clone(), move |p: String| list_inside(&r, &p))?)?;
            host.set("slugify", Function::new(ctx.clone(), |s: String| crate::text::slugify(&s))?)?;
            host.set("now", Function::new(ctx.clone(), now_millis)?)?;
            host.set("compile", Function::new(ctx.clone(), compile_module)?)?;
            ctx.globals().set("__host", host)?;
            for (name, source) in [("folio:prelude", PRELUDE), ("folio:luxon", LUXON), ("folio:config", CONFIG)] {
                eval_named(&ctx, name, source.to_string())?;
            }
            Ok(())
        })
        .map_err(|e| plain(format!("the sandbox's prelude failed: {e}")))
    }

    fn with_state<T>(&self, f: impl FnOnce(Ctx) -> rquickjs::Result<T>) -> rquickjs::Result<T> {
        let state = self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        state.context.with(f)
    }

    /// Runs `start` (which returns a settle slot from the prelude) under the time limit, drives
    /// promises until the slot settles, and returns its value as JSON.
    fn run(&self, start: impl for<'js> FnOnce(&Ctx<'js>) -> rquickjs::Result<Object<'js>>) -> Result<Json, JsError> {
        let state = self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let limit = state.epoch.elapsed() + self.limits.time_per_call;
        state.deadline.store(limit.as_millis() as u64, Ordering::Relaxed);
        let outcome = state.context.with(|ctx| -> Result<Json, JsError> {
            let slot = start(&ctx).catch(&ctx).map_err(|e| caught(&ctx, e))?;
            while slot.get::<_, bool>("pending").unwrap_or(false) {
                if !ctx.execute_pending_job() {
                    if state.epoch.elapsed() > limit {
                        return Err(plain("interrupted: the call ran past its time limit".into()));
                    }
                    if !ctx.execute_pending_job() {
                        return Err(plain(
                            "a promise never settled (it waits on something folio's sandbox does not have)".into(),
                        ));
                    }
                }
            }
            let error: Value = slot.get("error").unwrap_or_else(|_| Value::new_undefined(ctx.clone()));
            if !error.is_undefined() {
                return Err(error_value(&ctx, error));
            }
            let value: Value = slot.get("value").unwrap_or_else(|_| Value::new_undefined(ctx.clone()));
            let text = folio_fn(&ctx, "toJson")
                .and_then(|f| f.call::<_, String>((value,)))
                .catch(&ctx)
                .map_err(|e| caught(&ctx, e))?;
            serde_json::from_str(&text).map_err(|e| plain(format!("a value that is not JSON: {e}")))
        });
        state.deadline.store(0, Ordering::Relaxed);
        // A call stopped by a limit may leave garbage behind: collected now, not at the next call.
        state.runtime.run_gc();
        outcome
    }

    /// A module's exports, as Eleventy takes a data file's: a function export is called with
    /// `args` (and awaited when it returns a promise).
    pub fn load_data(&self, file: &Path, args: &[Json]) -> Result<Json, JsError> {
        let file = file.to_string_lossy().to_string();
        let args = Json::Array(args.to_vec()).to_string();
        self.run(|ctx| folio_fn(ctx, "loadData")?.call((file, args)))
    }

    /// The object a `---js` front matter's source evaluates to (`file` names it in errors).
    pub fn eval_object(&self, file: &Path, source: &str) -> Result<Json, JsError> {
        let (file, source) = (file.to_string_lossy().to_string(), source.to_string());
        self.run(|ctx| folio_fn(ctx, "evalObject")?.call((file, source)))
    }

    /// Runs an Eleventy configuration file against a recording `eleventyConfig`.
    pub fn run_config(&self, file: &Path) -> Result<Json, JsError> {
        let file = file.to_string_lossy().to_string();
        self.run(|ctx| folio_fn(ctx, "runConfig")?.call((file,)))
    }

    /// Calls a function the sandbox handed out as `{"$fn": id}`, with `this` and arguments.
    pub fn call(&self, id: u64, this: &Json, args: &[Json]) -> Result<Json, JsError> {
        let this = this.to_string();
        let args = Json::Array(args.to_vec()).to_string();
        self.run(|ctx| folio_fn(ctx, "call")?.call((id as f64, this, args)))
    }

    /// Holds the site's global data in the sandbox, under every `call_on_data`.
    pub fn set_global(&self, global: &Json) -> Result<(), JsError> {
        let json = global.to_string();
        self.run(|ctx| folio_fn(ctx, "setGlobal")?.call((json,))).map(|_| ())
    }

    /// Calls a function with a page's data: the global data (`set_global`) under `layers`.
    pub fn call_on_data(&self, id: u64, layers: &Json) -> Result<Json, JsError> {
        let layers = layers.to_string();
        self.run(|ctx| folio_fn(ctx, "callOnData")?.call((id as f64, layers)))
    }

    /// Runs an `addCollection` function over `items` (`collections.all`); `input` is the content
    /// folder's path relative to the site, for `getFilteredByGlob`.
    pub fn run_collection(&self, id: u64, items: &Json, input: &str) -> Result<Json, JsError> {
        let (items, input) = (items.to_string(), input.to_string());
        self.run(|ctx| folio_fn(ctx, "runCollection")?.call((id as f64, items, input)))
    }

    /// Notes the sandbox gathered (packages replaced by stand-ins), taken once.
    pub fn take_notes(&self) -> Vec<String> {
        self.with_state(|ctx| {
            let folio: Object = ctx.globals().get("__folio")?;
            let notes: rquickjs::Array = folio.get("notes")?;
            let taken: Vec<String> = notes.iter::<String>().filter_map(Result::ok).collect();
            notes.as_object().set("length", 0)?;
            Ok(taken)
        })
        .unwrap_or_default()
    }
}

/// The function id of a `{"$fn": id}` value.
pub fn function_id(value: &Json) -> Option<u64> {
    let object = value.as_object()?;
    (object.len() == 1).then(|| object.get("$fn")?.as_u64()).flatten()
}

fn folio_fn<'js>(ctx: &Ctx<'js>, name: &str) -> rquickjs::Result<Function<'js>> {
    let folio: Object = ctx.globals().get("__folio")?;
    folio.get(name)
}

fn eval_named(ctx: &Ctx, name: &str, source: String) -> rquickjs::Result<()> {
    let mut options = rquickjs::context::EvalOptions::default();
    options.global = true;
    options.strict = false;
    options.filename = Some(name.to_string());
    ctx.eval_with_options::<(), _>(source, options)
}

/// A CommonJS module's source wrapped in its function, compiled under its file's name so the
/// engine's stack names the file and the line (the wrapper adds no line before the source).
fn compile_module<'js>(ctx: Ctx<'js>, file: String, source: String) -> rquickjs::Result<Function<'js>> {
    let wrapped = format!("(function (exports, require, module, __filename, __dirname) {{{source}\n}})");
    let mut options = rquickjs::context::EvalOptions::default();
    options.global = true;
    options.strict = false;
    options.filename = Some(file);
    ctx.eval_with_options(wrapped, options)
}

fn now_millis() -> f64 {
    let fixed = std::env::var("SOURCE_DATE_EPOCH").ok().and_then(|s| s.parse::<f64>().ok());
    fixed.map(|s| s * 1000.0).unwrap_or_else(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0.0, |d| d.as_millis() as f64)
    })
}

/// The real path of `p` when it lies inside `root`; `None` for anything outside or missing.
fn confine(root: &Path, p: &str) -> Option<PathBuf> {
    let real = Path::new(p).canonicalize().ok()?;
    real.starts_with(root).then_some(real)
}

fn read_inside(root: &Path, p: &str) -> Option<String> {
    let real = confine(root, p)?;
    let meta = std::fs::metadata(&real).ok()?;
    if !meta.is_file() || meta.len() > MAX_READ_BYTES {
        return None;
    }
    std::fs::read_to_string(real).ok()
}

fn kind_inside(root: &Path, p: &str) -> &'static str {
    match confine(root, p).and_then(|real| std::fs::metadata(real).ok()) {
        Some(m) if m.is_file() => "file",
        Some(m) if m.is_dir() => "dir",
        _ => "",
    }
}

fn list_inside(root: &Path, p: &str) -> Option<String> {
    let real = confine(root, p)?;
    let mut names: Vec<String> =
        std::fs::read_dir(real).ok()?.flatten().map(|e| e.file_name().to_string_lossy().to_string()).collect();
    names.sort();
    serde_json::to_string(&names).ok()
}

fn plain(message: String) -> JsError {
    JsError { message, file: None, line: 0, col: 0 }
}

fn caught<'js>(ctx: &Ctx<'js>, error: CaughtError<'js>) -> JsError {
    match error {
        CaughtError::Exception(e) => error_value(ctx, e.into_value()),
        CaughtError::Value(v) => error_value(ctx, v),
        CaughtError::Error(e) => plain(e.to_string()),
    }
}

/// An exception as a message and the first frame of its stack in one of the site's files.
fn error_value<'js>(ctx: &Ctx<'js>, value: Value<'js>) -> JsError {
    let text = folio_fn(ctx, "errorText").and_then(|f| f.call::<_, String>((value,))).unwrap_or_default();
    let mut lines = text.lines();
    let message = lines.next().unwrap_or("an exception").to_string();
    let mut error = plain(if message.is_empty() { "an exception with no message".into() } else { message });
    for frame in lines {
        if let Some((file, line, col)) = frame_location(frame) {
            if !file.starts_with("folio:") {
                error.file = Some(file);
                error.line = line;
                error.col = col;
                break;
            }
        }
    }
    error
}

/// `    at name (file:line:col)` or `    at file:line:col` → (file, line, col).
fn frame_location(frame: &str) -> Option<(String, u32, u32)> {
    let frame = frame.trim().strip_prefix("at ")?;
    let inner = match (frame.rfind('('), frame.ends_with(')')) {
        (Some(open), true) => &frame[open + 1..frame.len() - 1],
        _ => frame,
    };
    let parts: Vec<&str> = inner.rsplitn(3, ':').collect();
    match parts.as_slice() {
        [col, line, file] if col.parse::<u32>().is_ok() && line.parse::<u32>().is_ok() => {
            Some((file.to_string(), line.parse().ok()?, col.parse().ok()?))
        }
        [line, rest @ ..] if line.parse::<u32>().is_ok() => {
            Some((rest.iter().rev().cloned().collect::<Vec<_>>().join(":"), line.parse().ok()?, 0))
        }
        _ => None,
    }
}
