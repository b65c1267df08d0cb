//! The HTML page's team views.
