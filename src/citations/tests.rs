//! Citation tests.
