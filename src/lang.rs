//! The language of everything a person reads (tables, documents, diagram captions,
//! diagnostics), and the message catalog that holds its words.
//!
//! The catalog is two Fluent files, `i18n/en.ftl` and `i18n/ko.ftl`, compiled into the
//! binary (it works offline). Every lookup goes through [`Lang::msg`] or
//! [`Lang::msg_with`], by message id; a test checks that both files have the same ids with
//! the same variables, and that every id used in the source exists. JSON and SARIF never
//! go through the catalog: they stay the same whatever the language.

use std::borrow::Cow;
use std::sync::LazyLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use serde::Serialize;
use unic_langid::LanguageIdentifier;

/// The English catalog.
pub const EN_FTL: &str = include_str!("../i18n/en.ftl");
/// The Korean catalog.
pub const KO_FTL: &str = include_str!("../i18n/ko.ftl");

/// A language of the output for people.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// English (the default).
    #[default]
    En,
    /// Korean.
    Ko,
}

/// A value for a message's variable: text, or a number (plural forms select on numbers).
pub type Arg<'a> = FluentValue<'a>;

impl std::str::FromStr for Lang {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "ko" | "kr" | "korean" | "한국어" => Ok(Lang::Ko),
            "en" | "english" => Ok(Lang::En),
            _ => Err(format!("invalid language `{s}`: expected ko or en")),
        }
    }
}

impl Lang {
    /// The language code: `en` or `ko`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ko => "ko",
        }
    }

    /// The language of a POSIX locale environment: the first of `LC_ALL`, `LC_MESSAGES`
    /// and `LANG` that is set and not empty decides; a value starting with `ko`
    /// (`ko_KR.UTF-8`, `ko`) is Korean, anything else (or nothing) English.
    pub fn from_locale(
        lc_all: Option<&str>,
        lc_messages: Option<&str>,
        lang: Option<&str>,
    ) -> Lang {
        let chosen = [lc_all, lc_messages, lang]
            .into_iter()
            .flatten()
            .find(|v| !v.is_empty());
        match chosen {
            Some(v) if v.to_ascii_lowercase().starts_with("ko") => Lang::Ko,
            _ => Lang::En,
        }
    }

    /// The language of this process's environment (see [`Lang::from_locale`]).
    pub fn from_env() -> Lang {
        let var = |name: &str| std::env::var(name).ok();
        Lang::from_locale(
            var("LC_ALL").as_deref(),
            var("LC_MESSAGES").as_deref(),
            var("LANG").as_deref(),
        )
    }

    /// Whether the catalog of this language has the message `id` (with a value).
    pub fn has(self, id: &str) -> bool {
        CATALOG[self as usize]
            .get_message(id)
            .is_some_and(|m| m.value().is_some())
    }

    /// The message `id` in this language, without variables.
    pub fn msg(self, id: &str) -> String {
        self.msg_with(id, &[])
    }

    /// The message `id` in this language, with its variables. An id missing from the
    /// catalog (which the catalog test forbids) gives the id itself.
    pub fn msg_with(self, id: &str, args: &[(&str, Arg<'_>)]) -> String {
        let bundle = &CATALOG[self as usize];
        let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
            return id.to_owned();
        };
        let mut fa = FluentArgs::with_capacity(args.len());
        for (name, value) in args {
            fa.set(*name, value.clone());
        }
        let mut errors = Vec::new();
        match bundle.format_pattern(pattern, Some(&fa), &mut errors) {
            Cow::Borrowed(s) => s.to_owned(),
            Cow::Owned(s) => s,
        }
    }
}

/// A number as a message variable.
pub fn num(n: usize) -> Arg<'static> {
    FluentValue::from(n)
}

/// Text as a message variable.
pub fn text<'a>(s: impl Into<Cow<'a, str>>) -> Arg<'a> {
    FluentValue::String(s.into())
}

/// The two catalogs, in the order of [`Lang`]'s variants.
static CATALOG: LazyLock<[FluentBundle<FluentResource>; 2]> =
    LazyLock::new(|| [bundle("en", EN_FTL), bundle("ko", KO_FTL)]);

/// A bundle of one catalog file. Syntax errors leave out the entries they are in (the
/// catalog test reports them).
fn bundle(code: &str, source: &str) -> FluentBundle<FluentResource> {
    let id: LanguageIdentifier = code.parse().unwrap_or_default();
    let mut b = FluentBundle::new_concurrent(vec![id]);
    // No Unicode isolation marks around variables: terminals and Markdown show them.
    b.set_use_isolating(false);
    let resource = FluentResource::try_new(source.to_owned()).unwrap_or_else(|(r, _)| r);
    let _ = b.add_resource(resource);
    b
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_locale_decides_in_posix_order() {
        assert_eq!(Lang::from_locale(None, None, None), Lang::En);
        assert_eq!(Lang::from_locale(None, None, Some("ko_KR.UTF-8")), Lang::Ko);
        assert_eq!(Lang::from_locale(None, Some("ko"), Some("C")), Lang::Ko);
        assert_eq!(
            Lang::from_locale(Some("C"), Some("ko"), Some("ko")),
            Lang::En
        );
        assert_eq!(Lang::from_locale(Some(""), None, Some("ko_KR")), Lang::Ko);
        assert_eq!(Lang::from_locale(None, None, Some("en_US.UTF-8")), Lang::En);
    }

    #[test]
    fn messages_take_variables_without_isolation_marks() {
        let s = Lang::En.msg_with("hours", &[("n", text("4"))]);
        assert_eq!(s, "4 h");
        assert_eq!(Lang::Ko.msg_with("hours", &[("n", text("4"))]), "4시간");
        assert_eq!(Lang::Ko.msg("no-such-message"), "no-such-message");
    }
}
