//! Tenure's web UI.
