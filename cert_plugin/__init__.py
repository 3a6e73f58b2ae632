"""Certificates: issue, numbering, signed PDF, public verification and lookup."""
