"""Content-Security-Policy violation reports: what browsers say they blocked on our pages."""
