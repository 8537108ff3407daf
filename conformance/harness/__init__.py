"""The regpen conformance harness: runs every backend against the shared vectors in worker processes."""
