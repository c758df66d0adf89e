//! A thread's note of what it works on just now (the request for the panic log, its id):
//! set while a future or body is polled, and put back as it was after.

use std::cell::RefCell;
use std::rc::Rc;
use std::thread::LocalKey;

/// A thread-local note of text.
pub(crate) type Slot = LocalKey<RefCell<Option<Rc<str>>>>;

/// Runs `poll` with `value` in `slot`; what was there before is put back after, also when
/// `poll` unwinds.
pub(crate) fn with_in<T>(slot: &'static Slot, value: &Rc<str>, poll: impl FnOnce() -> T) -> T {
    struct Restore(&'static Slot, Option<Rc<str>>);
    impl Drop for Restore {
        fn drop(&mut self) {
            let outer = self.1.take();
            self.0.with(|c| *c.borrow_mut() = outer);
        }
    }
    let _restore = Restore(slot, slot.with(|c| c.replace(Some(Rc::clone(value)))));
    poll()
}

/// What `slot` holds now.
pub(crate) fn read(slot: &'static Slot) -> Option<String> {
    slot.with(|c| c.borrow().as_deref().map(str::to_string))
}
