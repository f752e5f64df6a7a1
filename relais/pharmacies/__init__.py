"""Tenants: pharmacies (FINESS), memberships and roles, invitations, API keys."""
