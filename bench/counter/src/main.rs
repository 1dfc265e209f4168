//! The bare Leptos counter as a page of its own, built by Trunk like the
//! widget.

fn main() {
    bench_counter::mount();
}
