"""Longer runs against real servers (not collected by pytest): see two_servers.py."""
