"""The shared kernel: infrastructure every module builds on, and nothing module-specific."""
