"""Developer tools; ``python -m tools.benchmark`` is the benchmark."""
