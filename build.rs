//! Writes the widget's stylesheet, minified ([`minify`]), to `OUT_DIR`,
//! where `src/lib.rs` includes it.

#[path = "style/minify.rs"]
mod minify;

fn main() {
    println!("cargo::rerun-if-changed=style/widget.css");
    println!("cargo::rerun-if-changed=style/minify.rs");
    let css = std::fs::read_to_string("style/widget.css").expect("style/widget.css is readable");
    let small = minify::minify(&css).unwrap_or_else(|e| panic!("style/widget.css: {e}"));
    let out = std::path::Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"))
        .join("widget.css");
    std::fs::write(&out, small).expect("OUT_DIR is writable");
}
