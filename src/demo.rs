//! `serve --demo`: the bundled seed documents, imported into an empty database.

use anyhow::{Context, Result};
use samordna_store::{Source, Store};

/// The five seed documents, compiled into the binary so that `--demo` works anywhere.
pub const SEEDS: [(&str, &str); 5] = [
    (
        "sor-rattspsykiatri-2024.txt",
        include_str!("../fixtures/seeds/sor-rattspsykiatri-2024.txt"),
    ),
    (
        "sor-neurologi-2026.txt",
        include_str!("../fixtures/seeds/sor-neurologi-2026.txt"),
    ),
    (
        "sor-ortopedi-2026.txt",
        include_str!("../fixtures/seeds/sor-ortopedi-2026.txt"),
    ),
    (
        "sor-onkologi-2026.txt",
        include_str!("../fixtures/seeds/sor-onkologi-2026.txt"),
    ),
    (
        "samordningsgrupp-neonatalvard-2023.txt",
        include_str!("../fixtures/seeds/samordningsgrupp-neonatalvard-2023.txt"),
    ),
];

/// Imports the seeds when the register is empty; leaves a register with content alone.
pub async fn load(store: &Store) -> Result<()> {
    if store.counts().await?.organizations > 0 {
        tracing::info!("databasen har redan innehåll; demodata importeras inte");
        return Ok(());
    }
    for (name, text) in SEEDS {
        let doc =
            samordna_domain::parse_charter(text).map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
        store
            .import_charter(&doc, &Source { name, text }, "demo")
            .await
            .with_context(|| format!("kunde inte importera {name}"))?;
    }
    tracing::info!("demodata importerad: {} dokument", SEEDS.len());
    Ok(())
}
