"""Accounts: local users and their passwords, signing in, and links to an organisation's identity
provider."""
