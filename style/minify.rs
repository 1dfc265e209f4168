//! The widget's stylesheet as it ships: comments dropped and whitespace cut
//! to what the rules need. `build.rs` runs it on `style/widget.css`, so the
//! comments stay in the source for whoever edits it and cost no customer a
//! byte (1.0 KB of the wasm, brotli).
//!
//! Only what is safe in any rule goes: a comment; whitespace next to `{`,
//! `}`, `;`, `,` or `>`; a run of whitespace elsewhere becomes one space.
//! The space before a `:` stays (`.a :focus-visible` is not
//! `.a:focus-visible`), as does everything inside quotes.

/// `css` without its comments and the whitespace it does not need; an
/// unclosed comment or string is an error naming where it starts.
pub fn minify(css: &str) -> Result<String, String> {
    const TIGHT: &[char] = &['{', '}', ';', ',', '>'];
    let mut out = String::with_capacity(css.len());
    let mut space = false;
    let mut rest = css;
    while let Some(c) = rest.chars().next() {
        if rest.starts_with("/*") {
            let end = rest[2..]
                .find("*/")
                .ok_or_else(|| format!("unclosed comment at byte {}", css.len() - rest.len()))?;
            rest = &rest[2 + end + 2..];
            continue;
        }
        if c.is_whitespace() {
            space = true;
            rest = &rest[c.len_utf8()..];
            continue;
        }
        if space && !out.is_empty() && !out.ends_with(TIGHT) && !TIGHT.contains(&c) {
            out.push(' ');
        }
        space = false;
        if c == '"' || c == '\'' {
            let at = css.len() - rest.len();
            let mut end = None;
            let mut escaped = false;
            for (i, d) in rest.char_indices().skip(1) {
                match d {
                    _ if escaped => escaped = false,
                    '\\' => escaped = true,
                    _ if d == c => {
                        end = Some(i);
                        break;
                    }
                    _ => {}
                }
            }
            let end = end.ok_or_else(|| format!("unclosed string at byte {at}"))?;
            out.push_str(&rest[..=end]);
            rest = &rest[end + 1..];
            continue;
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    Ok(out)
}
