//! The compiled index cache: a cached load gives byte-identical output to a load from the
//! files, for every command and every form; a damaged, foreign, stale or half-written index
//! is never trusted; an unwritable cache is a warning, not an error.

use std::path::{Path, PathBuf};

use crate::support::{Output, ripplemap, root};

/// A run with its own cache directory (or none with `--no-cache`).
fn run(cache: &Path, args: &[&str]) -> Output {
    ripplemap()
        .env("RIPPLEMAP_CACHE_DIR", cache)
        .args(args)
        .run()
}

/// What a run printed and returned.
fn seen(o: &Output) -> (Option<i32>, String, String) {
    (o.code, o.stdout.clone(), o.stderr.clone())
}

/// The index files in a cache directory.
fn indexes(cache: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(cache)
        .map(|d| d.map(|e| e.unwrap().path()).collect())
        .unwrap_or_default();
    found.retain(|p| p.extension().is_some_and(|e| e == "rmidx"));
    found.sort();
    found
}

/// Every command on `inventory`, with the ids of the sample (`gpki`, `saeol-login-gpki`).
fn commands(inventory: &str) -> Vec<Vec<String>> {
    let cmds: &[&[&str]] = &[
        &["check"],
        &["check", "--format", "json"],
        &["check", "--format", "sarif"],
        &["impact", "--fail", "gpki"],
        &[
            "impact",
            "--fail",
            "nirs-daejeon",
            "--hours",
            "24",
            "--format",
            "json",
        ],
        &[
            "impact",
            "--fail-link",
            "saeol-login-gpki",
            "--format",
            "json",
        ],
        &["change", "--system", "gpki", "--format", "json"],
        &["change", "--link", "saeol-login-gpki"],
        &["assess", "--system", "gpki", "--window", "4h"],
        &["rank", "--quiet", "--format", "json"],
        &["scenarios", "--sites", "--quiet", "--format", "json"],
        &["cuts", "--target", "gov24", "--quiet", "--format", "json"],
        &["recover", "--fail", "nirs-daejeon", "--format", "json"],
        &[
            "recover",
            "--fail-where",
            "site=nirs-daejeon",
            "--crews",
            "8",
            "--why",
            "gov24",
        ],
        &["surge", "--at", "vaccine-booking=x10", "--cascade"],
        &["check", "--lang", "ko"],
        &["render", "--fail", "gpki", "--format", "dot"],
        &["render", "--around", "gpki", "--format", "mermaid"],
        &["convert", "--to", "json", "-o", "-"],
        &["convert", "--to", "toml", "-o", "-"],
        &["impact", "--fail", "no-such-node"],
    ];
    cmds.iter()
        .map(|c| {
            let mut v: Vec<String> = c.iter().map(|s| s.to_string()).collect();
            v.insert(1, inventory.to_owned());
            v
        })
        .collect()
}

#[test]
fn every_command_prints_the_same_from_the_index_as_from_the_files() {
    let cache = tempfile::tempdir().unwrap();
    for inventory in [
        "inventories/korea-egov.toml",
        "inventories/korea-egov",
        "inventories/korea-egov.xlsx",
    ] {
        for args in commands(inventory) {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let mut no_cache = args.clone();
            no_cache.push("--no-cache");
            let fresh = seen(&run(cache.path(), &no_cache));
            let first = seen(&run(cache.path(), &args));
            let second = seen(&run(cache.path(), &args));
            assert_eq!(first, fresh, "{args:?}: a miss differs from --no-cache");
            assert_eq!(second, fresh, "{args:?}: a hit differs from --no-cache");
        }
    }
    // One index per inventory form (the same content under each command).
    assert_eq!(indexes(cache.path()).len(), 3);
}

#[test]
fn diff_of_two_cached_inventories_is_the_same() {
    let cache = tempfile::tempdir().unwrap();
    let args = [
        "diff",
        "inventories/korea-egov.toml",
        "tests/fixtures/diff/korea-egov-next.toml",
        "--format",
        "json",
    ];
    let fresh = seen(&run(cache.path(), &[&args[..], &["--no-cache"]].concat()));
    assert_eq!(seen(&run(cache.path(), &args)), fresh);
    assert_eq!(seen(&run(cache.path(), &args)), fresh);
    assert_eq!(indexes(cache.path()).len(), 2);
}

#[test]
fn no_cache_neither_reads_nor_writes() {
    let cache = tempfile::tempdir().unwrap();
    run(
        cache.path(),
        &[
            "impact",
            "inventories/korea-egov.toml",
            "--fail",
            "gpki",
            "--no-cache",
        ],
    );
    assert!(indexes(cache.path()).is_empty());
}

/// A copy of the sample (CSV directory) that a test may change.
fn sample_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for f in std::fs::read_dir(root().join("inventories/korea-egov")).unwrap() {
        let f = f.unwrap().path();
        std::fs::copy(&f, dir.path().join(f.file_name().unwrap())).unwrap();
    }
    dir
}

/// Runs `impact --fail gpki --format json` and `check` on `inv`; returns what they printed.
fn outputs(cache: &Path, inv: &Path) -> Vec<(Option<i32>, String, String)> {
    let inv = inv.to_str().unwrap();
    [
        vec!["impact", inv, "--fail", "gpki", "--format", "json"],
        vec!["check", inv],
    ]
    .iter()
    .map(|a| seen(&run(cache, a)))
    .collect()
}

/// Damages the one index in `cache` with `damage`, then checks that the next runs print
/// what the files say and that the index was written again, whole.
fn damaged_index_is_rebuilt(damage: impl Fn(&mut Vec<u8>)) {
    let cache = tempfile::tempdir().unwrap();
    let inv = sample_copy();
    let good = outputs(cache.path(), inv.path());
    let [index] = &indexes(cache.path())[..] else {
        panic!("one index expected");
    };
    let whole = std::fs::read(index).unwrap();
    let mut bytes = whole.clone();
    damage(&mut bytes);
    assert_ne!(bytes, whole);
    std::fs::write(index, &bytes).unwrap();
    assert_eq!(outputs(cache.path(), inv.path()), good);
    assert_eq!(
        std::fs::read(index).unwrap(),
        whole,
        "the index was rebuilt"
    );
}

#[test]
fn a_truncated_index_is_rebuilt() {
    damaged_index_is_rebuilt(|b| b.truncate(b.len() / 2));
    damaged_index_is_rebuilt(|b| b.truncate(b.len() - 1));
    damaged_index_is_rebuilt(|b| b.truncate(3));
    damaged_index_is_rebuilt(Vec::clear);
}

#[test]
fn an_index_with_flipped_bytes_is_rebuilt() {
    for at in [0.0, 0.01, 0.3, 0.5, 0.77, 0.999] {
        damaged_index_is_rebuilt(|b| {
            let i = ((b.len() - 1) as f64 * at) as usize;
            b[i] ^= 0x5a;
        });
    }
    // One bit at the very end (the last origin line).
    damaged_index_is_rebuilt(|b| {
        let i = b.len() - 1;
        b[i] ^= 1;
    });
}

#[test]
fn an_index_of_another_version_is_rebuilt() {
    let version = env!("CARGO_PKG_VERSION").as_bytes().to_vec();
    damaged_index_is_rebuilt(|b| {
        let at = b
            .windows(version.len())
            .position(|w| w == version)
            .expect("the version in the header");
        b[at] = if b[at] == b'9' { b'8' } else { b'9' };
    });
    // Another index format.
    damaged_index_is_rebuilt(|b| b[8] ^= 0x40);
}

#[test]
fn an_index_of_another_inventory_under_this_key_is_not_used() {
    // The index of the TOML sample, renamed to the name of the CSV copy's index: its key
    // and hashes are whole, but its key is not this inventory's.
    let cache = tempfile::tempdir().unwrap();
    let inv = sample_copy();
    let good = outputs(cache.path(), inv.path());
    let [index] = &indexes(cache.path())[..] else {
        panic!("one index expected");
    };
    let other = tempfile::tempdir().unwrap();
    run(other.path(), &["check", "inventories/teach-k-of-n.toml"]);
    let [foreign] = &indexes(other.path())[..] else {
        panic!("one index expected");
    };
    std::fs::copy(foreign, index).unwrap();
    assert_eq!(outputs(cache.path(), inv.path()), good);
}

#[test]
fn a_changed_inventory_is_loaded_again() {
    let cache = tempfile::tempdir().unwrap();
    let inv = sample_copy();
    let before = outputs(cache.path(), inv.path());
    let systems = inv.path().join("systems.csv");
    let text = std::fs::read_to_string(&systems).unwrap();
    let changed = text.replacen("행정전자서명", "행정전자서명(변경)", 1);
    assert_ne!(text, changed);
    std::fs::write(&systems, changed).unwrap();
    let after = outputs(cache.path(), inv.path());
    assert_ne!(after, before);
    assert_eq!(
        after,
        [
            vec![
                "impact",
                inv.path().to_str().unwrap(),
                "--fail",
                "gpki",
                "--format",
                "json"
            ],
            vec!["check", inv.path().to_str().unwrap()],
        ]
        .iter()
        .map(|a| seen(&run(cache.path(), &[&a[..], &["--no-cache"]].concat())))
        .collect::<Vec<_>>()
    );
    assert_eq!(indexes(cache.path()).len(), 2, "one index per content");
    // A file removed from the directory is another inventory too.
    std::fs::remove_file(inv.path().join("groups.csv")).unwrap();
    let fresh = seen(&run(
        cache.path(),
        &["check", inv.path().to_str().unwrap(), "--no-cache"],
    ));
    assert_eq!(
        seen(&run(cache.path(), &["check", inv.path().to_str().unwrap()])),
        fresh
    );
}

#[test]
fn a_stamped_inventory_rewritten_with_its_old_length_and_time_is_read_again() {
    // Files that stat as when they were hashed are not hashed again: a write that keeps
    // the length and sets the modification time back still moves the status-change time.
    let cache = tempfile::tempdir().unwrap();
    let inv = sample_copy();
    // Stamps are kept only for files that had settled before they were hashed.
    std::thread::sleep(std::time::Duration::from_millis(2100));
    let before = outputs(cache.path(), inv.path());
    let stamps = |cache: &Path| {
        std::fs::read_dir(cache)
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .path()
                    .extension()
                    .is_some_and(|x| x == "rmkey")
            })
            .count()
    };
    assert_eq!(stamps(cache.path()), 1, "the files had settled: stamped");
    assert_eq!(
        outputs(cache.path(), inv.path()),
        before,
        "a hit by the stamp"
    );
    let systems = inv.path().join("systems.csv");
    let modified = std::fs::metadata(&systems).unwrap().modified().unwrap();
    let text = std::fs::read_to_string(&systems).unwrap();
    let changed = text.replacen("행정전자서명", "행정전자서류", 1);
    assert_eq!((text.len(), text != changed), (changed.len(), true));
    std::fs::write(&systems, &changed).unwrap();
    std::fs::File::options()
        .write(true)
        .open(&systems)
        .unwrap()
        .set_modified(modified)
        .unwrap();
    let after = outputs(cache.path(), inv.path());
    assert_ne!(after, before);
    let inv = inv.path().to_str().unwrap();
    let fresh: Vec<_> = [
        vec![
            "impact",
            inv,
            "--fail",
            "gpki",
            "--format",
            "json",
            "--no-cache",
        ],
        vec!["check", inv, "--no-cache"],
    ]
    .iter()
    .map(|a| seen(&run(cache.path(), a)))
    .collect();
    assert_eq!(after, fresh);
    // `cache clear` takes the stamps too.
    run(cache.path(), &["cache", "clear"]);
    assert_eq!(stamps(cache.path()), 0);
}

#[test]
fn origins_name_the_path_as_given_now() {
    // The index written for one spelling of the path serves another: diagnostics and
    // findings name the files as this run was given them.
    let cache = tempfile::tempdir().unwrap();
    let inv = sample_copy();
    let moved = tempfile::tempdir().unwrap();
    for f in std::fs::read_dir(inv.path()).unwrap() {
        let f = f.unwrap().path();
        std::fs::copy(&f, moved.path().join(f.file_name().unwrap())).unwrap();
    }
    outputs(cache.path(), inv.path());
    let args = |p: &Path| {
        vec![
            "check".to_owned(),
            p.to_str().unwrap().to_owned(),
            "--format".to_owned(),
            "json".to_owned(),
        ]
    };
    let a = args(moved.path());
    let a: Vec<&str> = a.iter().map(String::as_str).collect();
    let cached = run(cache.path(), &a);
    assert_eq!(
        indexes(cache.path()).len(),
        1,
        "the same content, one index"
    );
    let fresh = run(cache.path(), &[&a[..], &["--no-cache"]].concat());
    assert_eq!(seen(&cached), seen(&fresh));
    assert!(cached.stdout.contains(moved.path().to_str().unwrap()));
    assert!(!cached.stdout.contains(inv.path().to_str().unwrap()));
}

#[test]
fn processes_writing_the_index_at_once_leave_one_whole_index() {
    let cache = tempfile::tempdir().unwrap();
    let inv = sample_copy();
    let args = [
        "impact",
        inv.path().to_str().unwrap(),
        "--fail",
        "gpki",
        "--format",
        "json",
    ];
    let fresh = seen(&run(cache.path(), &[&args[..], &["--no-cache"]].concat()));
    for _ in 0..3 {
        let _ = std::fs::remove_dir_all(cache.path());
        let runs: Vec<_> = (0..4)
            .map(|_| {
                let cache = cache.path().to_owned();
                let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
                std::thread::spawn(move || {
                    let args: Vec<&str> = args.iter().map(String::as_str).collect();
                    seen(&run(&cache, &args))
                })
            })
            .collect();
        for r in runs {
            assert_eq!(r.join().unwrap(), fresh);
        }
        let files: Vec<_> = std::fs::read_dir(cache.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(files.len(), 1, "one index and no temporary file: {files:?}");
        assert_eq!(seen(&run(cache.path(), &args)), fresh);
    }
}

#[test]
fn an_unwritable_cache_is_a_warning_once() {
    // A cache "directory" that is a file cannot be created or written.
    let file = tempfile::NamedTempFile::new().unwrap();
    let args = [
        "diff",
        "inventories/korea-egov.toml",
        "tests/fixtures/diff/korea-egov-next.toml",
    ];
    let out = run(file.path(), &args);
    let fresh = run(file.path(), &[&args[..], &["--no-cache"]].concat());
    assert_eq!(out.code, fresh.code);
    assert_eq!(out.stdout, fresh.stdout);
    assert_eq!(
        out.stderr
            .matches("warning: cannot write the index cache")
            .count(),
        1,
        "{out:?}"
    );
    let rest: String = out
        .stderr
        .lines()
        .filter(|l| !l.starts_with("warning: cannot write the index cache"))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_eq!(rest, fresh.stderr);
}

#[test]
fn cache_dir_and_clear() {
    let cache = tempfile::tempdir().unwrap();
    let dir = run(cache.path(), &["cache", "dir"]);
    assert_eq!(dir.stdout.trim(), cache.path().to_str().unwrap());
    run(cache.path(), &["check", "inventories/korea-egov.toml"]);
    run(cache.path(), &["check", "inventories/korea-egov"]);
    std::fs::write(cache.path().join("keep.txt"), "not ours").unwrap();
    assert_eq!(indexes(cache.path()).len(), 2);
    let clear = run(cache.path(), &["cache", "clear"]);
    assert_eq!(clear.code, Some(0), "{clear:?}");
    assert!(clear.stderr.contains("removed 2 indexes"), "{clear:?}");
    assert!(indexes(cache.path()).is_empty());
    assert!(
        cache.path().join("keep.txt").exists(),
        "other files are left"
    );
    // An empty or missing cache clears to nothing.
    let gone = cache.path().join("missing");
    assert_eq!(run(&gone, &["cache", "clear"]).code, Some(0));
    // The default place: $XDG_CACHE_HOME/ripplemap.
    let xdg = ripplemap()
        .env("RIPPLEMAP_CACHE_DIR", "")
        .env("XDG_CACHE_HOME", cache.path())
        .args(["cache", "dir"])
        .ok();
    assert_eq!(xdg.trim(), cache.path().join("ripplemap").to_str().unwrap());
}

#[test]
fn a_hit_reads_the_index_without_writing_it() {
    use std::os::unix::fs::MetadataExt;
    let cache = tempfile::tempdir().unwrap();
    let args = ["impact", "inventories/korea-egov", "--fail", "gpki"];
    let first = seen(&run(cache.path(), &args));
    let [index] = &indexes(cache.path())[..] else {
        panic!("one index expected");
    };
    let before = std::fs::metadata(index).unwrap();
    assert_eq!(seen(&run(cache.path(), &args)), first);
    let after = std::fs::metadata(index).unwrap();
    assert_eq!(
        (before.ino(), before.mtime_nsec()),
        (after.ino(), after.mtime_nsec()),
        "a hit must not rewrite the index"
    );
}

#[test]
fn an_inventory_loaded_with_a_warning_is_not_cached_and_warns_every_time() {
    let cache = tempfile::tempdir().unwrap();
    let dir = "tests/fixtures/encodings/korea-egov-cp949";
    let first = run(cache.path(), &["check", dir]);
    let second = run(cache.path(), &["check", dir]);
    for o in [&first, &second] {
        assert!(
            o.stderr.contains("warning") && o.stderr.contains("CP949"),
            "{}",
            o.stderr
        );
    }
    assert_eq!(seen(&first), seen(&second));
    assert!(
        indexes(cache.path()).is_empty(),
        "{:?}",
        indexes(cache.path())
    );
    // Read as CP949 on purpose: no warning, so it is cached, under its own key.
    let forced = ["check", dir, "--encoding", "cp949"];
    let a = run(cache.path(), &forced);
    let b = run(cache.path(), &forced);
    assert!(!a.stderr.contains("warning"), "{}", a.stderr);
    assert_eq!(seen(&a), seen(&b));
    assert_eq!(indexes(cache.path()).len(), 1);
    assert_eq!(a.stdout, first.stdout);
}
