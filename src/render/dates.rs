//! Dates as pages show them (in words, in the page's language: [`crate::lang::date_text`]).

/// "2026-11-01", as `Date`'s `Display` writes it (this is called for every page).
pub(super) fn iso_date(d: jiff::civil::Date) -> String {
    match (u16::try_from(d.year()), u16::try_from(d.month()), u16::try_from(d.day())) {
        (Ok(y), Ok(m), Ok(day)) if y <= 9999 => {
            let digit = |n: u16| char::from(b'0' + (n % 10) as u8);
            [digit(y / 1000), digit(y / 100), digit(y / 10), digit(y), '-', digit(m / 10), digit(m), '-']
                .into_iter()
                .chain([digit(day / 10), digit(day)])
                .collect()
        }
        _ => d.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_written_as_jiff_writes_them() {
        for (y, m, d) in [(2026, 11, 1), (5, 1, 9), (999, 12, 31), (1000, 2, 28), (9999, 12, 31), (-1, 3, 4), (0, 1, 1)]
        {
            let date = jiff::civil::date(y, m, d);
            assert_eq!(iso_date(date), date.to_string());
        }
    }
}
