//! The demo hotel group generator.
