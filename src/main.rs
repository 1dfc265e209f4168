fn main() {
    console_error_panic_hook::set_once();
    aftersale_widget::install_global();
    aftersale_widget::mount_all();
}
