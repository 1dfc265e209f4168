//! A bare Leptos counter: what any Leptos CSR app costs to load, for
//! comparison with the widget. `bench/floor` mounts the same one beside the
//! engine (its `leptos` feature).

use leptos::prelude::*;

/// Mounts the counter on `<body>`.
pub fn mount() {
    leptos::mount::mount_to_body(|| {
        let count = RwSignal::new(0);
        view! {
            <button class="counter" on:click=move |_| count.update(|c| *c += 1)>
                "Clicked " {move || count.get()} " times"
            </button>
        }
    });
}
