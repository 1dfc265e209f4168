//! The customer's contact email: one reading of what looks like an address,
//! for the widget (before it lets a request be sent) and the backend (an
//! order's email, a returns page's find), the same as the payload schema's
//! `contact.email` pattern (`^[^@\s]+@[^@\s]+\.[^@\s]+$`), so that what one
//! takes the others take.

/// Whether `email` looks like an address, as the payload schema's pattern
/// reads it: something without `@` or white space, `@`, then a domain
/// without `@` or white space with a dot that has something before and
/// after it. Spaces around it are not taken out here; callers trim what a
/// customer typed.
pub fn plausible_email(email: &str) -> bool {
    let plain = |s: &str| !s.is_empty() && !s.contains(|c: char| c == '@' || c.is_whitespace());
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    plain(local)
        && plain(domain)
        && domain
            .char_indices()
            .any(|(i, c)| c == '.' && i > 0 && i + 1 < domain.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_as_the_schema_reads_them() {
        for yes in [
            "mia@example.com",
            "a@b.c",
            "a@.b.c",
            "a@b.c.",
            "émile@exemple.fr",
        ] {
            assert!(plausible_email(yes), "{yes}");
        }
        for no in [
            "",
            "mia",
            "mia@example",
            "@example.com",
            "mia@",
            "mia@.com",
            "mia@example.",
            "a@b@c.d",
            "mia example@example.com",
            "mia@exa mple.com",
            " mia@example.com",
        ] {
            assert!(!plausible_email(no), "{no}");
        }
    }
}
