//! How long an outage lasts, as people write it on the command line: hours as a bare
//! number (`4`, `0.5`) or a duration with units (`4h`, `30m`, `1h30m`, `2d`).

use crate::inventory::parse_duration;

/// What a horizon must look like, for error messages.
pub const EXPECTED: &str =
    "expected hours of at least 0 (4, 0.5) or a duration such as 30m, 4h, 1h30m or 2d";

/// Parses a horizon into hours: a bare number is hours, anything else a duration with
/// units. Refuses negative, infinite and unparsable values, saying what is expected.
pub fn parse_hours(text: &str) -> Result<f64, String> {
    let text = text.trim();
    if let Ok(h) = text.parse::<f64>() {
        return if h.is_finite() && h >= 0.0 {
            Ok(h)
        } else {
            Err(EXPECTED.to_owned())
        };
    }
    parse_duration(text)
        .map(|secs| secs as f64 / super::HOUR)
        .ok_or_else(|| EXPECTED.to_owned())
}

#[cfg(test)]
mod tests {
    use super::parse_hours;

    #[test]
    fn hours_are_numbers_or_durations() {
        assert_eq!(parse_hours("4"), Ok(4.0));
        assert_eq!(parse_hours("0.5"), Ok(0.5));
        assert_eq!(parse_hours("0"), Ok(0.0));
        assert_eq!(parse_hours("4h"), Ok(4.0));
        assert_eq!(parse_hours("1h30m"), Ok(1.5));
        assert_eq!(parse_hours("30m"), Ok(0.5));
        assert_eq!(parse_hours("2d"), Ok(48.0));
        assert_eq!(parse_hours(" 4h "), Ok(4.0));
    }

    #[test]
    fn bad_hours_say_what_is_expected() {
        for bad in ["", "soon", "-1", "nan", "inf", "h"] {
            let e = parse_hours(bad).expect_err(bad);
            assert_eq!(e, super::EXPECTED, "{bad}");
        }
    }
}
