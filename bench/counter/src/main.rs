//! A bare Leptos counter, mounted on `<body>`: what any Leptos CSR app
//! costs to load, for comparison with the widget.

use leptos::prelude::*;

fn main() {
    leptos::mount::mount_to_body(|| {
        let count = RwSignal::new(0);
        view! {
            <button class="counter" on:click=move |_| count.update(|c| *c += 1)>
                "Clicked " {move || count.get()} " times"
            </button>
        }
    });
}
