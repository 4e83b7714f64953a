"""Easy-read content: read from `easyread_assets/*.toml`, checked, loaded with versions."""
