//! External exporters: any command, fed the model as JSON on stdin, as mdBook's backends are.
//!
//! Declared in `folio.toml` as `[output.NAME] command = "…"`. The command runs in the
//! config's folder, receives `{"format_version", "name", "options", "corpus"}` on stdin and a
//! fresh empty folder as its last argument. Whatever it writes there becomes `OUT/NAME/`.

use crate::config::ExternalSpec;
use crate::diagnostics::Diagnostic;
use crate::exporter::{ExportContext, Exporter, Sink};
use crate::model::Pos;
use anyhow::{bail, Context};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

pub struct ExternalExporter {
    /// Leaked once per declared exporter so that `name()` can return `&'static str`.
    pub name: &'static str,
    pub spec: ExternalSpec,
    /// Working directory of the command.
    pub workdir: PathBuf,
}

impl ExternalExporter {
    pub fn new(name: &str, spec: ExternalSpec, workdir: &Path) -> Self {
        ExternalExporter { name: Box::leak(name.to_string().into_boxed_str()), spec, workdir: workdir.to_path_buf() }
    }
}

impl Exporter for ExternalExporter {
    fn name(&self) -> &'static str {
        self.name
    }

    fn description(&self) -> &'static str {
        "external command declared in folio.toml"
    }

    // The command is fed the model, which holds each diagram's source, not its picture.
    fn uses_diagrams(&self) -> bool {
        false
    }

    fn export(&self, ctx: &ExportContext, sink: &mut dyn Sink, diags: &mut Vec<Diagnostic>) -> anyhow::Result<()> {
        let mut words = self.spec.command.split_whitespace();
        let Some(program) = words.next() else { bail!("[output.{}] command is empty", self.name) };
        let scratch = tempfile_dir(self.name)?;
        let payload = serde_json::json!({
            "format_version": crate::model::FORMAT_VERSION,
            "name": self.name,
            "options": ctx.options,
            "corpus": ctx.corpus,
        });
        let spawned = Command::new(program)
            .args(words)
            .arg(&scratch)
            .current_dir(&self.workdir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn();
        let mut child = match spawned {
            Ok(child) => child,
            Err(e) if self.spec.optional => {
                diags.push(Diagnostic::warning(
                    crate::codes::EXTERNAL_MISSING,
                    "folio.toml",
                    Pos::default(),
                    format!("optional exporter `{}` skipped: cannot run `{program}`: {e}", self.name),
                ));
                return Ok(());
            }
            Err(e) => bail!("cannot run `{program}` for exporter `{}`: {e}", self.name),
        };
        if let Some(mut stdin) = child.stdin.take() {
            // A command that ignores its input may close stdin early; that is its right.
            let _ = stdin.write_all(&serde_json::to_vec(&payload)?);
        }
        let output = child.wait_with_output().context("waiting for the external exporter")?;
        if !output.status.success() {
            bail!(
                "`{}` failed ({}): {}",
                self.spec.command,
                output.status,
                String::from_utf8_lossy(&output.stderr).trim()
            );
        }
        collect_files(&scratch, &scratch, sink)?;
        std::fs::remove_dir_all(&scratch).ok();
        Ok(())
    }
}

fn tempfile_dir(name: &str) -> anyhow::Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!("folio-{name}-{}", std::process::id()));
    if dir.exists() {
        std::fs::remove_dir_all(&dir)?;
    }
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

/// Moves what the command wrote into the sink, in sorted order.
fn collect_files(root: &Path, dir: &Path, sink: &mut dyn Sink) -> anyhow::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        let kind = entry.file_type()?;
        if kind.is_dir() {
            collect_files(root, &path, sink)?;
        } else if kind.is_file() {
            let rel = path.strip_prefix(root)?.to_string_lossy().replace('\\', "/");
            sink.write(&rel, std::fs::read(&path)?)?;
        }
    }
    Ok(())
}
