//! The output folder: refused when building into it could harm the site or someone's files, and
//! resolved to the folder, parent and name that the lock and the temporary folders go beside.

use crate::fs_error::FsContext;
use std::collections::HashSet;
use std::ffi::OsString;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use anyhow::{Context, Result, bail};

use super::marker::{MARKER, refuse_foreign};

/// The resolved output folder, with its parent and name.
#[derive(Debug)]
pub(super) struct Target {
    /// `out` with symbolic links resolved (those of the nearest existing ancestor if it does not exist).
    pub(super) out: PathBuf,
    /// The folder holding `out`, its lock and its temporary folders.
    pub(super) parent: PathBuf,
    /// The last component of `out`.
    pub(super) name: OsString,
}

impl Target {
    /// The name `.<name>.<what>` of a sibling of `out`: `lock`, or the prefixes `tmp-` and `old-`.
    pub(super) fn sibling(&self, what: &str) -> OsString {
        let mut sibling = OsString::from(".");
        sibling.push(&self.name);
        sibling.push(".");
        sibling.push(what);
        sibling
    }
}

/// [`check_output_target`], returning the resolved target.
pub(super) fn check_target(root: &Path, out: &Path) -> Result<Target> {
    // `Path::components` drops a trailing slash, so that `lstat` sees the link itself.
    let given: PathBuf = out.components().collect();
    if given.as_os_str().is_empty() {
        bail!("the output folder path is empty; choose an output folder such as `public`");
    }
    if fs::symlink_metadata(&given).is_ok_and(|meta| meta.file_type().is_symlink()) {
        bail!(
            "refusing to replace `{}`: it is a symbolic link; remove the link or choose another output folder",
            out.display()
        );
    }

    let resolved = resolve(&given).fs_context("resolve the output folder", out)?;
    let root_resolved = resolve(root).fs_context("resolve the site folder", root)?;
    let suggestion = root.join("public");
    if resolved == root_resolved {
        bail!(
            "refusing to write the site into `{}`: it is the site's own folder; use an output folder inside it, such as `{}`",
            out.display(),
            suggestion.display()
        );
    }
    if root_resolved.starts_with(&resolved) {
        bail!(
            "refusing to write the site into `{}`: it contains the site's folder `{}`; use an output folder such as `{}`",
            out.display(),
            root.display(),
            suggestion.display()
        );
    }
    for (sub, what) in [("content", "content"), ("themes", "themes")] {
        let inner = root.join(sub);
        let inner_resolved =
            resolve(&inner).with_context(|| format!("failed to resolve the {what} folder `{}`", inner.display()))?;
        if resolved.starts_with(&inner_resolved) {
            bail!(
                "refusing to write the site into `{}`: it is inside the {what} folder `{}`; use an output folder such as `{}`",
                out.display(),
                inner.display(),
                suggestion.display()
            );
        }
    }

    check_existing(&resolved, out, None)?;

    let (Some(parent), Some(name)) = (resolved.parent(), resolved.file_name()) else {
        bail!(
            "refusing to write the site into `{}`: it has no parent folder; choose an output folder such as `{}`",
            out.display(),
            suggestion.display()
        );
    };
    Ok(Target { parent: parent.to_path_buf(), name: name.to_os_string(), out: resolved })
}

/// Refuse an existing `out` (resolved path `path`) that is not a folder made by carebook, or that
/// holds files no build wrote (see [`foreign`]; `new` is this build's files, once known).
pub(super) fn check_existing(path: &Path, out: &Path, new: Option<&HashSet<String>>) -> Result<()> {
    let meta = match fs::symlink_metadata(path) {
        Ok(meta) => meta,
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(err) => {
            return Err(err).fs_context("inspect", out);
        }
    };
    if meta.file_type().is_symlink() {
        bail!(
            "refusing to replace `{}`: it is a symbolic link; remove the link or choose another output folder",
            out.display()
        );
    }
    if !meta.is_dir() {
        bail!(
            "refusing to replace `{}`: it is a file, not a folder; remove it or choose another output folder",
            out.display()
        );
    }
    if fs::symlink_metadata(path.join(MARKER)).is_ok_and(|meta| meta.is_file()) {
        return refuse_foreign(path, out, new);
    }
    let mut entries = fs::read_dir(path).fs_context("read folder", out)?;
    if entries.next().is_some() {
        bail!(
            "refusing to replace `{}`: it is not empty and has no `{MARKER}` file, so carebook did not make it; move its files away or choose another output folder",
            out.display()
        );
    }
    Ok(())
}

/// Make `path` absolute and resolve the symbolic links of its longest existing ancestor; the rest,
/// which does not exist, is normalized by its names alone.
pub(super) fn resolve(path: &Path) -> io::Result<PathBuf> {
    let absolute = std::path::absolute(path)?;
    let components: Vec<Component<'_>> = absolute.components().collect();
    for split in (1..=components.len()).rev() {
        let head: PathBuf = components[..split].iter().collect();
        let Ok(mut resolved) = fs::canonicalize(&head) else {
            continue;
        };
        for component in &components[split..] {
            match component {
                Component::ParentDir => {
                    resolved.pop();
                }
                Component::Normal(name) => resolved.push(name),
                Component::CurDir | Component::RootDir | Component::Prefix(_) => {}
            }
        }
        return Ok(resolved);
    }
    Ok(absolute)
}

/// Why `path` may not name a file inside the output folder, if it may not.
pub(super) fn check_path(path: &str) -> Result<(), &'static str> {
    if path.is_empty() {
        return Err("it is empty");
    }
    if path.starts_with('/') {
        return Err("it is absolute");
    }
    if path.contains('\\') {
        return Err("it contains a backslash");
    }
    if path.contains('\0') {
        return Err("it contains a NUL character");
    }
    for segment in path.split('/') {
        match segment {
            "" => return Err("it has an empty segment"),
            "." | ".." => return Err("it has a `.` or `..` segment"),
            _ => {}
        }
    }
    Ok(())
}
