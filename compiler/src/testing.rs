//! Helpers shared by unit tests of several modules.

/// Each of `pieces`, then `count` strings of 1 to `most` pieces each, drawn by a fixed
/// xorshift generator: property tests get the same strings every run, so a failure names a
/// string that fails again.
pub fn generated_strings(pieces: &[&str], count: usize, most: u64) -> Vec<String> {
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut strings: Vec<String> = pieces.iter().map(|p| p.to_string()).collect();
    for _ in 0..count {
        let length = (next() % most) as usize + 1;
        strings.push(
            (0..length)
                .map(|_| pieces[(next() % pieces.len() as u64) as usize])
                .collect(),
        );
    }
    strings
}

/// Every file under `dirs` (paths relative to the repository's root) whose extension is
/// one of `extensions`, in no particular order.
pub fn files_under(dirs: &[&str], extensions: &[&str]) -> Vec<std::path::PathBuf> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut dirs: Vec<std::path::PathBuf> = dirs.iter().map(|dir| root.join(dir)).collect();
    let mut files = Vec::new();
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path
                .extension()
                .is_some_and(|e| extensions.iter().any(|x| e == *x))
            {
                files.push(path);
            }
        }
    }
    files
}
