//! Writes the DOCX seeds of the fuzzer (scripts/fuzz): each seed charter as the
//! portal writes it in Word. `seeds DIR CHARTER...`
fn main() {
    let mut args = std::env::args().skip(1);
    let dir = std::path::PathBuf::from(args.next().expect("seeds DIR CHARTER..."));
    std::fs::create_dir_all(&dir).unwrap();
    for path in args {
        let text = std::fs::read_to_string(&path).unwrap();
        let charter = samordna_domain::parse_charter(&text).unwrap();
        let bytes = samordna_documents::docx::charter_docx(&charter).unwrap();
        let name = std::path::Path::new(&path)
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        std::fs::write(dir.join(format!("{name}.docx")), bytes).unwrap();
    }
}
