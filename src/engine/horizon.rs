//! How long an outage lasts, as people write it on the command line: hours as a bare
//! number (`4`, `0.5`) or a duration with units (`4h`, `30m`, `1h30m`, `2d`), from 0 to
//! [`MAX_HOURS`].

use crate::inventory::parse_duration;

/// The longest horizon: 100 years of 365 days. Beyond it a horizon means nothing (every
/// delay an inventory can hold has run out long before), and hours would print as
/// hundreds of digits, or as `inf`.
pub const MAX_HOURS: f64 = 876_000.0;

/// What a horizon must look like, for error messages.
pub const EXPECTED: &str = "expected hours from 0 to 876,000 (100 years), as a number (4, 0.5) \
     or a duration such as 30m, 4h, 1h30m or 2d";

/// Whether `hours` is a horizon: a number from 0 to [`MAX_HOURS`].
pub fn valid(hours: f64) -> bool {
    (0.0..=MAX_HOURS).contains(&hours)
}

/// Parses a horizon into hours: a bare number is hours, anything else a duration with
/// units. Refuses negative, too long, infinite and unparsable values, saying what is
/// expected.
pub fn parse_hours(text: &str) -> Result<f64, String> {
    let text = text.trim();
    let hours = match text.parse::<f64>() {
        Ok(h) => Some(h),
        Err(_) => parse_duration(text).map(|secs| secs as f64 / super::HOUR),
    };
    hours
        .filter(|&h| valid(h))
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
        assert_eq!(parse_hours("876000"), Ok(876_000.0));
        assert_eq!(parse_hours("36500d"), Ok(876_000.0));
    }

    #[test]
    fn bad_hours_say_what_is_expected() {
        for bad in [
            "", "soon", "-1", "nan", "inf", "h", "1e308", "1e300", "876000.5", "36501d", "200y",
        ] {
            let e = parse_hours(bad).expect_err(bad);
            assert_eq!(e, super::EXPECTED, "{bad}");
        }
    }
}
