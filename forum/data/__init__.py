"""Shipped, editable data: default boards, guidelines, crisis resources and phrases."""
