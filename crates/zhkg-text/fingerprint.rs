// The fingerprint of a set of files, shared by the build scripts of both
// crates (`include!`d): a 64-bit FNV-1a hash of every file's path and bytes
// under `inputs`, in sorted order, with `cargo:rerun-if-changed` for each input.

fn collect_files(path: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    if path.is_dir() {
        let Ok(entries) = std::fs::read_dir(path) else {
            return;
        };
        for e in entries.flatten() {
            collect_files(&e.path(), out);
        }
    } else {
        out.push(path.to_owned());
    }
}

fn fingerprint(inputs: &[&str]) -> String {
    let mut all = Vec::new();
    for i in inputs {
        println!("cargo:rerun-if-changed={i}");
        collect_files(std::path::Path::new(i), &mut all);
    }
    all.sort();
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for f in &all {
        let bytes = std::fs::read(f).unwrap_or_default();
        for b in f.to_string_lossy().bytes().chain(bytes) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}
