"""The token-authenticated JSON API (docs/web.md "API"): read-only, scoped by areas/scope.py."""
