//! Swedish order for every list a person reads: A … Z, Å, Ä, Ö; case does not
//! matter; É sorts with E (and Ü with Y, as the Swedish tailoring of CLDR has it).
//! ICU4X's collator with the Swedish tailoring (CLDR `sv`) at secondary strength
//! (UTS #10), not a table of our own; ties are broken by the bytes, so the order
//! is total and the same on every run.

use std::cmp::Ordering;
use std::sync::LazyLock;

use icu_collator::options::{CollatorOptions, Strength};
use icu_collator::{Collator, CollatorBorrowed};

static SWEDISH: LazyLock<CollatorBorrowed<'static>> = LazyLock::new(|| {
    let mut options = CollatorOptions::default();
    options.strength = Some(Strength::Secondary);
    Collator::try_new(icu_locale_core::locale!("sv").into(), options)
        .expect("the Swedish collation data is compiled in")
});

/// Compares two names in Swedish order.
pub fn cmp(a: &str, b: &str) -> Ordering {
    SWEDISH.compare(a, b).then_with(|| a.cmp(b))
}

/// Sorts `items` in Swedish order of `key`; stable.
pub fn sort_by<T>(items: &mut [T], key: impl Fn(&T) -> &str) {
    items.sort_by(|a, b| cmp(key(a), key(b)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swedish_order() {
        let mut names = vec![
            "Zetas",
            "Ängsgårdens",
            "Ågrenska",
            "Éva-kliniken",
            "bergslagens",
            "Östra",
            "Alingsås",
            "Eva",
            "Ärla",
            "ögon",
        ];
        sort_by(&mut names, |s| s);
        assert_eq!(
            names,
            [
                "Alingsås",
                "bergslagens",
                "Eva",
                "Éva-kliniken",
                "Zetas",
                "Ågrenska",
                "Ängsgårdens",
                "Ärla",
                "ögon",
                "Östra",
            ]
        );
    }

    #[test]
    fn case_does_not_decide_before_the_letters() {
        assert_eq!(cmp("abc", "ABD"), Ordering::Less);
        assert!(cmp("Öst", "öst").is_ne(), "a total order");
    }
}
