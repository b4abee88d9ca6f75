"""Package stub."""
