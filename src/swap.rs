//! [`Swap`]: a view that, when its reactive closure runs again, replaces its
//! DOM instead of patching it.
//!
//! Leptos patches a view in place when the closure that returned it runs
//! again (`move || view! { … }`): for that, every such view's type gets its
//! own copy of the renderer's `rebuild` code (22 of the widget's 208 KB,
//! brotli, before this type). The widget's screens are small and change as wholes (another
//! action, another quote), so patching buys nothing that replacing does not;
//! wrapping them in [`Swap`] (`swap(view! { … })`) keeps only each view's
//! `build` code. State inside a swapped view (a focused control, a typed
//! value) is therefore rebuilt from signals, which is how the widget keeps
//! all its state anyway; focus is carried over to the element at the same
//! place in the new version, so a keyboard user changing a select that
//! reshapes the screen stays where they were.

use leptos::tachys::html::attribute::Attribute;
use leptos::tachys::html::attribute::any_attribute::AnyAttribute;
use leptos::tachys::hydration::Cursor;
use leptos::tachys::renderer::Rndr;
use leptos::tachys::renderer::types::{Element, Node, Placeholder};
use leptos::tachys::ssr::StreamBuilder;
use leptos::tachys::view::add_attr::AddAnyAttr;
use leptos::tachys::view::{Mountable, Position, PositionState, Render, RenderHtml};
use wasm_bindgen::JsCast;

type Builder = Box<dyn FnOnce() -> Box<dyn Mountable> + Send>;

/// A view built once and replaced as a whole on every re-render.
pub struct Swap(Builder);

/// Wraps `view` so that re-rendering it replaces its DOM (see the module).
pub fn swap<V>(view: V) -> Swap
where
    V: Render + Send + 'static,
    V::State: 'static,
{
    Swap(Box::new(move || Box::new(view.build())))
}

/// The mounted state of a [`Swap`]: the view's nodes, then a marker comment
/// that the next version is inserted before.
pub struct SwapState {
    view: Box<dyn Mountable>,
    marker: Placeholder,
}

impl Mountable for SwapState {
    fn unmount(&mut self) {
        self.view.unmount();
        self.marker.unmount();
    }

    fn mount(&mut self, parent: &Element, marker: Option<&Node>) {
        self.view.mount(parent, marker);
        self.marker.mount(parent, marker);
    }

    fn insert_before_this(&self, child: &mut dyn Mountable) -> bool {
        self.view.insert_before_this(child) || self.marker.insert_before_this(child)
    }

    fn elements(&self) -> Vec<Element> {
        self.view.elements()
    }
}

impl Render for Swap {
    type State = SwapState;

    fn build(self) -> SwapState {
        SwapState {
            view: (self.0)(),
            marker: Rndr::create_placeholder(),
        }
    }

    fn rebuild(self, state: &mut SwapState) {
        let focus = focus_path(&state.view.elements());
        let mut view = (self.0)();
        // Out of the document, nothing is inserted: the next mount places it.
        state.marker.insert_before_this(&mut *view);
        state.view.unmount();
        state.view = view;
        if let Some(path) = focus {
            refocus(&state.view.elements(), &path);
        }
    }
}

impl AddAnyAttr for Swap {
    type Output<SomeNewAttr: Attribute> = Swap;

    fn add_any_attr<NewAttr: Attribute>(self, _attr: NewAttr) -> Swap {
        self
    }
}

/// The widget renders in the browser only: the server-rendering half of
/// the trait renders nothing, and hydrating builds afresh.
impl RenderHtml for Swap {
    type AsyncOutput = Swap;
    type Owned = Swap;

    const MIN_LENGTH: usize = 0;

    fn dry_resolve(&mut self) {}

    async fn resolve(self) -> Swap {
        self
    }

    fn to_html_with_buf(
        self,
        _buf: &mut String,
        _position: &mut Position,
        _escape: bool,
        _mark_branches: bool,
        _extra_attrs: Vec<AnyAttribute>,
    ) {
    }

    fn to_html_async_with_buf<const OUT_OF_ORDER: bool>(
        self,
        _buf: &mut StreamBuilder,
        _position: &mut Position,
        _escape: bool,
        _mark_branches: bool,
        _extra_attrs: Vec<AnyAttribute>,
    ) {
    }

    fn hydrate<const FROM_SERVER: bool>(
        self,
        _cursor: &Cursor,
        _position: &PositionState,
    ) -> SwapState {
        self.build()
    }

    fn into_owned(self) -> Swap {
        self
    }
}

/// Where the focused element is within `tops` (the view's top elements): the
/// top element's index, then the element-child index at each level down.
fn focus_path(tops: &[Element]) -> Option<Vec<u32>> {
    let first = tops.first()?;
    let active = match first.get_root_node().dyn_into::<web_sys::ShadowRoot>() {
        Ok(root) => root.active_element(),
        Err(_) => first.owner_document()?.active_element(),
    }?;
    let mut path = Vec::new();
    let mut el = active;
    loop {
        if let Some(top) = tops.iter().position(|t| *t == el) {
            path.push(top as u32);
            path.reverse();
            return Some(path);
        }
        let mut index = 0;
        let mut sibling = el.previous_element_sibling();
        while let Some(s) = sibling {
            index += 1;
            sibling = s.previous_element_sibling();
        }
        path.push(index);
        el = el.parent_element()?;
    }
}

/// Focuses the element at `path` (see [`focus_path`]) within `tops`, if the
/// new version has one there.
fn refocus(tops: &[Element], path: &[u32]) -> Option<()> {
    let (top, rest) = path.split_first()?;
    let mut el = tops.get(*top as usize)?.clone();
    for index in rest {
        el = el.first_element_child()?;
        for _ in 0..*index {
            el = el.next_element_sibling()?;
        }
    }
    el.dyn_into::<web_sys::HtmlElement>().ok()?.focus().ok()
}
