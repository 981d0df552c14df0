"""Snapshots: the approved data of a county's year, frozen; official figures come only from them."""
