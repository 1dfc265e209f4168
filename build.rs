//! Writes the widget's stylesheet, minified ([`minify`]), to `OUT_DIR`,
//! where `src/lib.rs` includes it: `widget.css`, all of it, for the order
//! widget's build, and `terms.css`, without the parts only the order
//! widget's elements use ([`minify::without_orders`]), for the terms
//! bundle's.

#[path = "style/minify.rs"]
mod minify;

fn main() {
    println!("cargo::rerun-if-changed=style/widget.css");
    println!("cargo::rerun-if-changed=style/minify.rs");
    let css = std::fs::read_to_string("style/widget.css").expect("style/widget.css is readable");
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    let terms = minify::without_orders(&css).unwrap_or_else(|e| panic!("style/widget.css: {e}"));
    for (name, css) in [("widget.css", css.as_str()), ("terms.css", terms.as_str())] {
        let small = minify::minify(css).unwrap_or_else(|e| panic!("style/widget.css: {e}"));
        std::fs::write(out.join(name), small).expect("OUT_DIR is writable");
    }
}
