//! The output folder: plansite replaces only what it wrote, refuses every other target with
//! exit 2 and a reason, cleans up after interrupted builds, and a signal never publishes half
//! a site.

mod common;
use common::SiteTest;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn build_into(t: &SiteTest, output: &Path) -> common::Run {
    t.run(&["build", "--output", output.to_str().unwrap()])
}

/// Every file under `dir`, relative path → bytes.
fn snapshot(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    common::tree(dir)
}

#[test]
fn sources_root_and_foreign_folders_are_refused_and_left_intact() {
    let t = SiteTest::fixture("minimal");
    std::fs::create_dir(t.root().join("notes")).unwrap();
    t.write("notes/todo.txt", "mine");
    t.write("a-file.txt", "mine");
    let before = snapshot(t.root());
    let cases: Vec<(std::path::PathBuf, &str)> = vec![
        (
            t.root().join("content"),
            "among the site's sources (`content/`)",
        ),
        (
            t.root().join("content/plan/new"),
            "among the site's sources (`content/`)",
        ),
        (
            t.root().join("themes/x"),
            "among the site's sources (`themes/`)",
        ),
        (
            t.root().join("static"),
            "among the site's sources (`static/`)",
        ),
        (t.root().to_path_buf(), "is the site root"),
        (t.root().join("."), "is the site root"),
        (t.root().join(".."), "contains the site root"),
        (t.root().join("notes"), "was not written by plansite"),
        (t.root().join("a-file.txt"), "is not a folder"),
    ];
    for (out, why) in cases {
        let r = build_into(&t, &out);
        assert_eq!(r.code, 2, "{}: {}", out.display(), r.stderr);
        assert!(r.stderr.contains(why), "{}: {}", out.display(), r.stderr);
        assert!(r.stderr.contains("help:"), "{}", r.stderr);
    }
    assert_eq!(snapshot(t.root()), before, "a refused build changed files");
}

#[test]
fn output_dot_is_refused_with_the_reason_not_an_os_error() {
    let t = SiteTest::fixture("minimal");
    let r = Command::new(env!("CARGO_BIN_EXE_plansite"))
        .args(["build", "--output", "."])
        .current_dir(t.root())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&r.stderr);
    assert_eq!(r.status.code(), Some(2), "{err}");
    assert!(err.contains("`.` is the site root"), "{err}");
    assert!(t.root().join("content/plan/items.yaml").is_file());
}

#[test]
fn an_earlier_build_is_replaced_and_an_empty_folder_accepted() {
    let t = SiteTest::fixture("minimal");
    let out = t.root().join("site-out");
    std::fs::create_dir(&out).unwrap();
    assert_eq!(build_into(&t, &out).code, 0);
    assert!(out.join(".plansite-output").is_file());
    std::fs::write(out.join("stale.html"), "old").unwrap();
    let r = build_into(&t, &out);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!out.join("stale.html").exists());
    assert!(out.join("ja/index.html").is_file());
}

#[cfg(unix)]
#[test]
fn a_symlinked_output_folder_is_refused() {
    let t = SiteTest::fixture("minimal");
    let elsewhere = tempfile::tempdir().unwrap();
    std::fs::write(elsewhere.path().join("keep.txt"), "keep").unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), t.root().join("public")).unwrap();
    let r = t.build();
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("is a symbolic link"), "{}", r.stderr);
    assert!(elsewhere.path().join("keep.txt").is_file());
}

/// A site large enough that rendering takes a noticeable time (to interrupt it).
fn big_site() -> SiteTest {
    let t = SiteTest::fixture("minimal");
    let body = "政府は、重要インフラの対策を進める。[第1章](@TP-1)を参照。\n\n".repeat(30);
    for i in 0..1500 {
        t.write(
            &format!("content/plan/5{i:04}-gen.ja.md"),
            format!("---\nid: GEN-{i}\ntitle: 生成 {i}\n---\n{body}"),
        );
    }
    t
}

fn staging_dirs(root: &Path) -> Vec<String> {
    std::fs::read_dir(root)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".plansite-"))
        .collect()
}

/// Starts a build and waits until its staging folder exists (rendering has begun).
#[cfg(unix)]
fn build_until_staging(t: &SiteTest) -> std::process::Child {
    let child = Command::new(env!("CARGO_BIN_EXE_plansite"))
        .args(["build", "--root"])
        .arg(t.root())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while staging_dirs(t.root()).is_empty() {
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "no staging folder appeared"
        );
        std::thread::sleep(Duration::from_millis(1));
    }
    child
}

#[cfg(unix)]
fn signal(child: &std::process::Child, sig: &str) {
    let ok = Command::new("kill")
        .args([sig, &child.id().to_string()])
        .status()
        .unwrap()
        .success();
    assert!(ok, "kill {sig} failed");
}

#[cfg(unix)]
#[test]
fn sigint_and_sigterm_remove_the_staging_folder_and_keep_the_old_site() {
    let t = big_site();
    assert_eq!(t.build().code, 0);
    let before = snapshot(&t.out());
    for sig in ["-INT", "-TERM"] {
        let child = build_until_staging(&t);
        signal(&child, sig);
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(130), "{sig}: {err}");
        assert!(err.contains("interrupted"), "{err}");
        assert!(
            staging_dirs(t.root()).is_empty(),
            "{sig}: {:?}",
            staging_dirs(t.root())
        );
        assert!(
            snapshot(&t.out()) == before,
            "{sig}: the published site changed"
        );
    }
}

#[cfg(unix)]
#[test]
fn the_next_build_removes_what_a_killed_build_left() {
    let t = big_site();
    let mut child = build_until_staging(&t);
    signal(&child, "-KILL");
    child.wait().unwrap();
    let left = staging_dirs(t.root());
    assert_eq!(left.len(), 1, "{left:?}");
    let r = t.build();
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("left by an interrupted build"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains(&left[0]), "{}", r.stderr);
    assert!(staging_dirs(t.root()).is_empty());
}
