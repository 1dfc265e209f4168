//! The widget's stylesheet as it ships: comments dropped and whitespace cut
//! to what the rules need. `build.rs` runs it on `style/widget.css`, so the
//! comments stay in the source for whoever edits it and cost no customer a
//! byte (1.0 KB of the wasm, brotli).
//!
//! Only what is safe in any rule goes: a comment; whitespace next to `{`,
//! `}`, `;`, `,` or `>`; a run of whitespace elsewhere becomes one space.
//! The space before a `:` stays (`.a :focus-visible` is not
//! `.a:focus-visible`), as does everything inside quotes.

/// The line that opens a part of the stylesheet only the order widget's
/// elements use, and the line that closes it.
pub const ORDERS: (&str, &str) = ("/* orders { */", "/* } orders */");

/// `css` without its parts between the [`ORDERS`] lines: the stylesheet of
/// the terms bundle, whose summaries draw none of those elements. The rules
/// left keep their order, so they cascade as in the whole stylesheet. A
/// part opened and not closed, or closed and not opened, is an error naming
/// its line.
pub fn without_orders(css: &str) -> Result<String, String> {
    let mut out = String::with_capacity(css.len());
    let mut open = None;
    for (i, line) in css.lines().enumerate() {
        match (line.trim(), open) {
            (l, None) if l == ORDERS.0 => open = Some(i + 1),
            (l, Some(at)) if l == ORDERS.0 => {
                return Err(format!(
                    "line {}: orders part opened in the one opened at line {at}",
                    i + 1
                ));
            }
            (l, Some(_)) if l == ORDERS.1 => open = None,
            (l, None) if l == ORDERS.1 => {
                return Err(format!("line {}: orders part closed but not opened", i + 1));
            }
            (_, Some(_)) => {}
            (_, None) => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    match open {
        Some(at) => Err(format!("line {at}: orders part opened but not closed")),
        None => Ok(out),
    }
}

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
